"""First use after a fresh install: what a new user waits for, against the same runs warm.

    python3 benchmarks/cold_start.py                 # new venv + `pip install .` (the README's command)
    python3 benchmarks/cold_start.py --venv /tmp/x   # reuse (or create) that venv
    python3 benchmarks/cold_start.py --quick         # without the 100,000-patient rows
    python3 benchmarks/cold_start.py --quick --only integrated   # just the integrated model's rows

Each command runs three times with ``IRSIM_CACHE_DIR`` pointing at an empty folder: *first* (no
compiled kernel: the C library is built in the foreground, or without a C compiler the NumPy engine
runs while a background process compiles numba's), *second* (right after), *warm* (once any
background compilation has finished). Wall time from process start to exit. The integrated model
(the mechanism layer on Dalla Man's body: more states, larger kernels) has rows of its own: its
first use compiles kernels of its own, whatever Dalla Man's runs left in a cache.
A libroadrunner loop over the same meal (BIOMD0000000379, CVODE) is timed in this run for the
ratios; it runs in the interpreter running this script, which needs libroadrunner and irsim.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POPULATION = ["--vary", "Vmx=0.3", "--vary", "kp3=0.3", "--seed", "1"]
MEAL = ["simulate", "--model", "dalla-man-2007", "--subject", "normal", "--protocol", "meal", "--carbs-g", "78",
        "--duration-min", "420"]
INTEGRATED_OGTT = ["simulate", "--patient", "t2d", "--protocol", "ogtt"]


def install(venv: Path) -> float:
    """The README's install into ``venv`` (skipped when irsim is already there); seconds taken."""
    if (venv / "bin" / "irsim").exists():
        return 0.0
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], check=True)
    return time.perf_counter() - t


def wall(irsim: Path, args: list[str], cache: Path, cwd: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the installed irsim, not this checkout
    t = time.perf_counter()
    done = subprocess.run([str(irsim), *args], env={**env, "IRSIM_CACHE_DIR": str(cache)}, cwd=cwd,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if done.returncode:
        raise RuntimeError(f"irsim {' '.join(args)}: {done.stderr[-2000:]}")
    return seconds


def background_done(cache: Path, limit_s: float = 300.0) -> None:
    deadline = time.monotonic() + limit_s
    while list((cache / "kernels").glob("*.compiling")) and time.monotonic() < deadline:
        time.sleep(0.2)


def roadrunner_rate(n: int) -> float:
    """libroadrunner patients per second on the 78 g meal (as benchmarks/run.py times it)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from run import roadrunner_loop

    seconds, _ = roadrunner_loop(n)
    return n / seconds


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--venv", type=Path, default=None, help="venv to install into (default: a new temporary one)")
    ap.add_argument("--quick", action="store_true", help="skip the 100,000-patient rows")
    ap.add_argument("--only", default="", help="run only the rows whose label contains this text")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="irsim-cold-"))
    venv = args.venv or tmp / "venv"
    took = install(venv)
    print(f"install: `python3 -m venv {venv} && {venv}/bin/pip install -q {ROOT}`"
          + (f" ({took:.0f} s)" if took else " (reused)"))
    irsim = venv / "bin" / "irsim"
    rr = roadrunner_rate(1000)
    print(f"libroadrunner loop, 1,000 meals: {rr:,.0f} patients/s; load average {os.getloadavg()[0]:.2f}\n")
    runs = [("1,000 patients, meal, --json", [*MEAL, "--population", "1000", *POPULATION, "--json"], 1000),
            ("one patient, meal, --out x.csv", [*MEAL, "--out", "x.csv"], 1),
            ("one patient, 7 days of daily life", ["simulate", "--patient", "t2d", "--protocol", "day", "--days", "7"], 1)]
    if not args.quick:
        runs += [("100,000 patients, meal, --json", [*MEAL, "--population", "100000", *POPULATION, "--json"], 100_000),
                 ("100,000 patients, meal, --out pop.parquet",
                  [*MEAL, "--population", "100000", *POPULATION, "--out", "pop.parquet"], 100_000)]
    runs += [("integrated model: 1,000 patients, OGTT, --json",
              [*INTEGRATED_OGTT, "--population", "1000", "--vary", "visceral_fat_kg=0.3", "--seed", "1", "--json"], 1000),
             ("integrated model: one patient, OGTT, --json", [*INTEGRATED_OGTT, "--json"], 1)]
    runs = [r for r in runs if args.only in r[0]]
    print("| command | first s | second s | warm s | first / warm | warm × libroadrunner |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, command, n in runs:
        cache = tmp / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        first = wall(irsim, command, cache, tmp)
        second = wall(irsim, command, cache, tmp)
        background_done(cache)
        warm = wall(irsim, command, cache, tmp)
        ratio = f"{n / warm / rr:.1f}" if n > 1 and command[:len(MEAL)] == MEAL else ""  # rr ran this meal only
        print(f"| {label} | {first:.2f} | {second:.2f} | {warm:.2f} | {first / warm:.2f} | {ratio} |", flush=True)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    shutil.rmtree(tmp / "cache", ignore_errors=True)


if __name__ == "__main__":
    main()
