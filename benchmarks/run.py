"""irsim's simulation engine against its peers, all measured in this one run.

    .venv/bin/python benchmarks/run.py            # full: 10,000 patients, scaling to 1,000,000
    .venv/bin/python benchmarks/run.py --quick    # smaller populations, same table

(a) 10,000 patients (Vmx, kp3 ±30 %), 78 g meal, 420 min at 1-min outputs, G and I kept in memory:
    irsim (the C engine, the default with a C compiler; the numba engine; the pure-NumPy engine) vs a loop of SciPy ``solve_ivp`` per patient on
    irsim's own RHS (a subset timed, extrapolated) vs a loop of libroadrunner on BIOMD0000000379.
(b) the CLI end to end (process start to JSON printed / parquet written), 100,000 patients; ``--json``
    also with ``CC=/nonexistent``, i.e. on the numba engine as on a machine without a C compiler.
(c) one-patient latency of the CLI, process start to CSV written.
(d) summary-mode scaling, one subprocess per size: wall time and peak RSS (ru_maxrss).
Peers run in this process (or as subprocesses of it) right after irsim, so ratios share the
machine's state; the load average is printed since the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
IRSIM = str(Path(PY).with_name("irsim"))
SBML = next(p for p in (ROOT.parent / "shared" / "refs" / "sbml" / "BIOMD0000000379_DallaMan2007.xml",
                         ROOT / "tests" / "data" / "refs" / "sbml" / "BIOMD0000000379_DallaMan2007.xml") if p.exists())
VARY = {"Vmx": 0.3, "kp3": 0.3}
NOMINAL = {"Vmx": 0.047, "kp3": 0.009}  # Dalla Man 2007 Table 1, normal subject
T_EVAL = np.arange(0.0, 421.0)


def simulation(n, solver="batched"):
    from irsim.core.parameters import Variation
    from irsim.protocols import Meal
    from irsim.simulation import Simulation

    return Simulation("dalla-man-2007", "normal", Meal(78), variation=Variation(n, VARY, seed=1), solver=solver)


def timed(fn, repeat=1):
    """Best wall time of ``repeat`` calls, and the last value."""
    best, value = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t)
    return best, value


def irsim_population(n, engine):
    from irsim.solvers import BatchedDormandPrince

    sim = simulation(n, BatchedDormandPrince(engine=engine))
    return sim.solve(variables=["G", "I"])


def scipy_loop(n_total, n_timed):
    """solve_ivp (LSODA, rtol 1e-6, atol 1e-8: irsim's own tolerances) per patient on ``Model.rhs``."""
    from scipy.integrate import solve_ivp

    from irsim.core.steady_state import fasting_steady_state

    sim = simulation(n_total)
    model = sim.model
    idx = np.arange(n_timed)
    params = {k: (v[idx] if np.ndim(v) else v) for k, v in sim.params.items()}
    G, I = np.empty((T_EVAL.size, n_timed)), np.empty((T_EVAL.size, n_timed))
    t0 = time.perf_counter()
    for i in range(n_timed):
        p = {k: (v[i:i + 1] if np.ndim(v) else v) for k, v in params.items()}
        y0, p = fasting_steady_state(model, p, 1)
        y0 = model.apply_dose("oral_glucose_mg", 78_000.0, 0.0, y0, p)
        sol = solve_ivp(lambda t, y, p=p: model.rhs(t, y[:, None], p)[:, 0], (0.0, 420.0), y0[:, 0], method="LSODA",
                        t_eval=T_EVAL, rtol=1e-6, atol=1e-8)
        v, _ = model.evaluate(T_EVAL, sol.y, p)
        G[:, i], I[:, i] = v["G"], v["I"]
    return (time.perf_counter() - t0) * n_total / n_timed, G, I


def roadrunner_loop(n):
    """libroadrunner (CVODE, its default rtol 1e-6) on the curated SBML, one patient after another."""
    import roadrunner

    sim = simulation(n)
    vmx, kp3 = np.asarray(sim.params["Vmx"]), np.asarray(sim.params["kp3"])
    rr = roadrunner.RoadRunner(str(SBML))
    rr.timeCourseSelections = ["time", "G", "I"]
    G, I = np.empty((T_EVAL.size, n)), np.empty((T_EVAL.size, n))
    t0 = time.perf_counter()
    for i in range(n):
        rr.resetAll()
        rr["V_mX"], rr["k_p3"] = float(vmx[i]), float(kp3[i])
        res = rr.simulate(0.0, 420.0, 421)
        G[:, i], I[:, i] = res[:, 1], res[:, 2]
    return time.perf_counter() - t0, rr.getIntegrator().getSetting("relative_tolerance")


def accuracy(n):
    """Worst relative error of G and I, default solver vs SciPy DOP853 at rtol 1e-10, first ``n`` patients."""
    from irsim.solvers import ScipySolver

    fast = simulation(n).solve(variables=["G", "I"])
    ref = simulation(n, ScipySolver("DOP853", rtol=1e-10, atol=1e-12)).solve(variables=["G", "I"])
    return max(float(np.max(np.abs(fast[k] - ref[k]) / np.abs(ref[k]))) for k in ("G", "I"))


def run_cli(args, cwd, env=None):
    t = time.perf_counter()
    proc = subprocess.run([IRSIM, *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    wall = time.perf_counter() - t
    if proc.returncode:
        raise RuntimeError(f"irsim {' '.join(args)} failed: {proc.stderr[-2000:]}")
    return wall, proc.stdout


SCALING_CHILD = """
import json, resource, sys, time
t = time.perf_counter()
from irsim.analysis.summary import population_summary, summarize
from irsim.core.parameters import Variation
from irsim.protocols import Meal
from irsim.simulation import Simulation
import pandas as pd
n = int(sys.argv[1])
sim = Simulation("dalla-man-2007", "normal", Meal(78), variation=Variation(n, {"Vmx": 0.3, "kp3": 0.3}, seed=1))
frames = sim.solve(variables=["G", "I"], reduce=summarize) if sys.argv[2] == "summary" else [sim.solve(variables=["G", "I"])]
stats = population_summary(pd.concat(frames, ignore_index=True)) if sys.argv[2] == "summary" else {}
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"wall_s": time.perf_counter() - t, "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "hwm_mib": hwm / 1024}))
"""


def child(n, mode):
    """Population run in a fresh interpreter: (wall seconds incl. imports, peak RSS MiB).

    Peak RSS is the child's VmHWM (its own address space's high-water mark): Linux carries
    ru_maxrss across fork and exec, so a child's ru_maxrss would report this process's peak.
    """
    proc = subprocess.run([PY, "-c", SCALING_CHILD, str(n), mode], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return out["wall_s"], out["hwm_mib"]


def machine():
    import numpy
    import scipy

    try:
        import numba
        nb = numba.__version__
    except ImportError:
        nb = "absent"
    try:
        import roadrunner
        rrv = roadrunner.__version__
    except ImportError:
        rrv = "absent"
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, NumPy {numpy.__version__}, "
            f"SciPy {scipy.__version__}, numba {nb}, libroadrunner {rrv}; load average {os.getloadavg()[0]:.2f}")


def row(*cells):
    print("| " + " | ".join(str(c) for c in cells) + " |", flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller populations (about a minute)")
    ap.add_argument("--plot", type=Path, default=None, help="write the scaling figure here (PNG)")
    ap.add_argument("--cli-pairs", type=int, default=1, metavar="N",
                    help="(b): run --json (C, then numba) and --out pop.parquet N times, alternating (the machine may be shared)")
    args = ap.parse_args(argv)
    n_a = 2_000 if args.quick else 10_000
    n_cli = 20_000 if args.quick else 100_000
    n_rr = 500 if args.quick else n_a
    sizes = [1, 1_000, 10_000, 100_000] if args.quick else [1, 1_000, 10_000, 100_000, 1_000_000]

    print(f"machine: {machine()}\n")
    print(f"(a) {n_a:,} patients, 78 g meal, 420 min, 1-min outputs, G and I kept in memory\n")
    row("engine", "wall s", "patient-sims/s", "× libroadrunner", "× SciPy loop", "note")
    row(*["---"] * 6)
    for engine in ("c", "numba"):  # build, compile or load the kernels here, outside the timing
        irsim_population(64, engine)
    t_c, _ = timed(lambda: irsim_population(n_a, "c"), repeat=2)
    t_numba, _ = timed(lambda: irsim_population(n_a, "numba"), repeat=2)
    t_numpy, _ = timed(lambda: irsim_population(n_a, "numpy"))
    t_rr, rr_rtol = roadrunner_loop(n_rr)
    t_rr *= n_a / n_rr
    n_scipy = 20 if args.quick else 50
    t_scipy, _, _ = scipy_loop(n_a, n_scipy)
    rate = lambda t: n_a / t  # noqa: E731
    for name, t, note in (
        ("irsim batched (C engine)", t_c, "default when a C compiler is found"),
        ("irsim batched (numba engine)", t_numba, "default without a C compiler, once its kernel is compiled"),
        ("irsim batched (NumPy engine)", t_numpy, "pure NumPy fallback"),
        ("libroadrunner loop", t_rr, f"CVODE rtol {rr_rtol:g}" + ("" if n_rr == n_a else f"; {n_rr} run, extrapolated")),
        ("SciPy solve_ivp loop", t_scipy, f"LSODA rtol 1e-6 on Model.rhs; {n_scipy} run, extrapolated"),
    ):
        row(name, f"{t:.2f}", f"{rate(t):,.0f}", f"{t_rr / t:.1f}", f"{t_scipy / t:.0f}", note)
    err = accuracy(20 if args.quick else 100)
    print(f"\naccuracy: worst relative error of G and I vs SciPy DOP853 rtol 1e-10 over the first "
          f"{20 if args.quick else 100} patients, every minute: {err:.2e}")
    wall_traj, rss_traj = child(n_a, "trajectories")
    print(f"memory: {n_a:,} patients × 421 outputs of G and I kept, fresh process: {wall_traj:.2f} s, "
          f"peak RSS {rss_traj:,.0f} MiB\n")

    print(f"(b) CLI end to end, {n_cli:,} patients (process start to output)\n")
    row("command", "wall s", "patient-sims/s", "× libroadrunner", "× SciPy loop", "load average before")
    row(*["---"] * 6)
    common = ["simulate", "--model", "dalla-man-2007", "--subject", "normal", "--protocol", "meal", "--carbs-g", "78",
              "--duration-min", "420", "--population", str(n_cli), "--vary", "Vmx=0.3", "--vary", "kp3=0.3",
              "--seed", "1"]
    with tempfile.TemporaryDirectory() as tmp:
        runs = ((["--json"], {}), (["--json"], {"CC": "/nonexistent"}), (["--out", "pop.parquet"], {}))
        for extra, env in runs * args.cli_pairs:
            load = os.getloadavg()[0]
            wall, _ = run_cli([*common, *extra], tmp, env)
            per_s = n_cli / wall
            row(" ".join([*(f"{k}={v}" for k, v in env.items()), "irsim simulate …", *extra]), f"{wall:.2f}",
                f"{per_s:,.0f}", f"{per_s * t_rr / n_a:.1f}", f"{per_s * t_scipy / n_a:.0f}", f"{load:.2f}")
        print(f"\npop.parquet: {Path(tmp, 'pop.parquet').stat().st_size / 1e6:,.0f} MB")

        print("\n(c) one patient, CLI process start to CSV written (5 runs)\n")
        walls = sorted(run_cli(["simulate", "--patient", "t2d", "--protocol", "ogtt", "--out", "x.csv"], tmp)[0]
                       for _ in range(5))
        print(f"irsim simulate --patient t2d --protocol ogtt --out x.csv: median {walls[2]:.2f} s, "
              f"best {walls[0]:.2f} s\n")

    print("(d) summary-mode scaling (fresh process per size, imports included)\n")
    row("patients", "wall s", "patient-sims/s", "peak RSS MiB")
    row(*["---"] * 4)
    scaling = []
    for n in sizes:
        wall, rss = child(n, "summary")
        scaling.append((n, wall, rss))
        row(f"{n:,}", f"{wall:.2f}", f"{n / wall:,.0f}", f"{rss:,.0f}")
    if args.plot:
        plot(scaling, args.plot)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}; this process's peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


def plot(scaling, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n, wall, rss = (np.array(c, dtype=float) for c in zip(*scaling))
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.loglog(n, wall, "o-", label="wall time, s")
    ax.set_xlabel("patients (summary mode, 78 g meal, 420 min)")
    ax.set_ylabel("wall time, s (process start to summary)")
    ax2 = ax.twinx()
    ax2.semilogx(n, rss, "s--", color="tab:red", label="peak RSS, MiB")
    ax2.set_ylabel("peak RSS, MiB")
    ax2.set_ylim(0, max(rss) * 1.3)
    fig.legend(loc="upper left", bbox_to_anchor=(0.12, 0.88))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    main()
