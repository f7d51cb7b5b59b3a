"""Issue 9's benchmark: a 10,000-person, 3-year, 3-arm trial, its scaling with population size, and
one person's 10-year course.

    .venv/bin/python benchmarks/trial.py                   # 1,000, 3,000, 10,000 patients; the course
    .venv/bin/python benchmarks/trial.py --sizes 100000    # the 100,000 row alone (≈ 17 min on 2 free cores, 33 at load 3)
    .venv/bin/python benchmarks/trial.py --quick           # 60 and 300 patients: the same table in ~1 min
    .venv/bin/python benchmarks/trial.py --profile         # where one 500-patient part spends its time

A trial is the CLI end to end in a subprocess, into a new folder: ``irsim trial
examples/trials/diabetes-prevention.toml --population N --quiet`` (the DPP example: placebo,
metformin, lifestyle; 3 years; visits every 6 months, OGTT yearly), local worker processes (one per
core). Measured: wall time; CPU time of the whole process tree (the CLI and its workers, from
``getrusage(RUSAGE_CHILDREN)``); peak memory of the tree, its processes' RSS summed every 0.1 s
(psutil; an upper bound, shared library pages count once per process) and the largest single RSS.
The course is ``irsim progress --patient igt --years 10`` end to end (median of 3) and
``simulate_course`` in this process (median of 3 after one warm-up). The load average is printed
with every row: the machine may be shared.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "examples" / "trials" / "diabetes-prevention.toml"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measure_command(args: list[str]) -> dict:
    """Wall and CPU seconds of a subprocess tree, and its peak memory (summed and largest RSS, MiB)."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    root = psutil.Process(proc.pid)
    peak_sum = peak_one = 0
    while proc.poll() is None:
        try:
            rss = [p.memory_info().rss for p in (root, *root.children(recursive=True))]
        except psutil.Error:  # a process ended between listing and reading
            rss = []
        peak_sum, peak_one = max(peak_sum, sum(rss)), max(peak_one, max(rss, default=0))
        time.sleep(0.1)
    output = proc.stdout.read()
    if proc.returncode:
        sys.exit(f"{' '.join(args)} failed ({proc.returncode}):\n{output}")
    return {"wall_s": time.perf_counter() - t0, "cpu_s": _children_cpu() - cpu0, "peak_sum_mib": peak_sum / 2**20,
            "peak_one_mib": peak_one / 2**20, "output": output}


def trial_row(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        load = _load()
        row = measure_command([sys.executable, "-m", "irsim.cli", "trial", str(SPEC), "--out", f"{tmp}/run",
                               "--population", str(n), "--quiet"])
    return {**row, "n": n, "load": f"{load} → {_load()}"}


def course_rows(repeats: int = 3) -> list[str]:
    from irsim.patients import get_patient
    from irsim.progression import simulate_course
    from irsim.progression.cli import _visits

    load = _load()
    ends = [measure_command([sys.executable, "-m", "irsim.cli", "progress", "--patient", "igt", "--years", "10"])
            for _ in range(repeats)]
    drivers = get_patient("igt").parameter_set.values
    simulate_course(drivers, 10, (), _visits(10))
    walls = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        simulate_course(drivers, 10, (), _visits(10))
        walls.append(time.perf_counter() - t0)
    wall = statistics.median(r["wall_s"] for r in ends)
    cpu = statistics.median(r["cpu_s"] for r in ends)
    return [f"| one person, 10 years, `irsim progress --patient igt --years 10` end to end | {wall:.2f} s "
            f"(CPU {cpu:.2f} s) | {statistics.median(r['peak_sum_mib'] for r in ends):.0f} MiB | {load} → {_load()} |",
            f"| the same course in process (`simulate_course`, warm) | {statistics.median(walls):.2f} s | | |"]


def profile_part(n: int = 500) -> None:
    """cProfile of one part of the DPP trial (patients 0…n-1) written as Parquet, by phase (nested)."""
    import pandas as pd

    from irsim.trials.runner import run_chunk
    from irsim.trials.spec import load_spec

    spec = load_spec(SPEC).with_patients(10_000)
    run_chunk(spec, 0, 6)  # imports and kernels loaded
    profiler = cProfile.Profile()
    t0, c0 = time.perf_counter(), time.process_time()
    profiler.enable()
    patients, visits = run_chunk(spec, 0, n)
    with tempfile.TemporaryDirectory() as tmp:
        for name, table in (("patients", patients), ("visits", visits)):
            table.to_parquet(f"{tmp}/{name}.parquet", index=False)
    profiler.disable()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    stats = pstats.Stats(profiler).stats
    total = sum(tt for _, _, tt, _, _ in stats.values())

    def cumulative(file_end: str, function: str) -> float:
        return sum(v[3] for (f, _, fn), v in stats.items() if f.endswith(file_end) and fn == function)

    phases = [("population sample and screening OGTT", "patients/population.py", "sample", 0),
              ("courses (3 arms)", "progression/course.py", "simulate_course", 0),
              ("representative days", "progression/course.py", "_representative_day", 1),
              ("visits (OGTT, fasting)", "progression/course.py", "visit", 1),
              ("slow states, daily steps", "progression/course.py", "step_one_day", 1),
              ("fast-model steady states (all)", "core/steady_state.py", "fasting_steady_state", 1),
              ("fast-model integration (all)", "solvers/batched.py", "integrate", 1),
              ("visit measurement (day-to-day variation)", "trials/measurement.py", "measure", 0),
              ("Parquet writing", "pandas/core/frame.py", "to_parquet", 0)]
    print(f"one part of {n} patients: {wall:.2f} s wall, {cpu:.2f} s CPU (profiled: {total:.2f} s), load {_load()}")
    print("| phase | s | share |\n| --- | ---: | ---: |")
    for label, file_end, function, depth in phases:
        seconds = cumulative(file_end, function)
        print(f"| {'  ' * depth}{'└ ' if depth else ''}{label} | {seconds:.2f} | {seconds / total:.0%} |")
    print(f"({len(pd.unique(visits['patient']))} patients, {len(visits)} visit rows)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", help="population sizes (default 1,000, 3,000, 10,000)")
    parser.add_argument("--quick", action="store_true", help="60 and 300 patients")
    parser.add_argument("--profile", action="store_true", help="only the profile of one 500-patient part")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}, load {_load()}")
    if args.profile:
        profile_part()
        return
    sizes = args.sizes or ([60, 300] if args.quick else [1_000, 3_000, 10_000])
    print("| trial (DPP example, 3 arms, 3 years) | wall | CPU, all processes | per 1,000 patients | "
          "peak memory, tree (largest process) | load before → after |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for n in sizes:
        r = trial_row(n)
        print(f"| {n:,} patients | {r['wall_s']:.1f} s | {r['cpu_s']:.1f} s | {r['wall_s'] / n * 1000:.1f} s | "
              f"{r['peak_sum_mib']:.0f} MiB ({r['peak_one_mib']:.0f} MiB) | {r['load']} |", flush=True)
    if not args.sizes:
        print("\n| course | time | peak memory | load |\n| --- | ---: | ---: | --- |")
        print("\n".join(course_rows()))


if __name__ == "__main__":
    main()
