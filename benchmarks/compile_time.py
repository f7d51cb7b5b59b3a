"""Compile time of the generated kernels against model size: numba's, with the right-hand side
called or inlined (``inline="always"``) into the integrator's 7 stages and the Newton's 3 residual
calls; and the C engine's (:mod:`irsim.solvers.native`: integrator and Newton in one library), with
the compiler flags it uses and two variants (no ``-march=native``, so no FMA; FMA contraction off).

    python benchmarks/compile_time.py

Each (model, variant) compiles in a fresh process with an empty cache folder; the Dalla Man meal
for 10,000 patients is then timed on the loaded kernel (CPU seconds of one worker thread, best of 3),
to show what inlining, or a flag, buys.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

C_VARIANTS = {"C, irsim's flags": (), "C without -march=native": ("-march=native",),
              "C, -ffp-contract=off": ("+-ffp-contract=off",)}

CHILD = """
import json, sys, time
from irsim.solvers import compiled, compiled_steady_state, native
from irsim.solvers.codegen import trace_rhs
if sys.argv[2] == "called":  # irsim inlines (numba IR) _tanh, pre and rhs / residual and error
    for module, name in ((compiled, "_kernel_source"), (compiled_steady_state, "_source")):
        original = getattr(module, name)
        setattr(module, name, lambda *a, _o=original: _o(*a).replace(', inline="always"', ""))
from irsim.models import get_model
model = get_model(sys.argv[1])
lines = len(trace_rhs(model).body.splitlines()) + len(trace_rhs(model).pre.splitlines())
engine = "c" if sys.argv[2].startswith("C") else "numba"
if engine == "c":
    for flag in json.loads(sys.argv[3]):  # "-x": drop it; "+-x": add it
        native.FLAGS = (*native.FLAGS, flag[1:]) if flag[0] == "+" else tuple(f for f in native.FLAGS if f != flag)
    t = time.perf_counter(); native.library(model); dp5 = time.perf_counter() - t; steady = None
else:
    t = time.perf_counter(); compiled.kernel(model); dp5 = time.perf_counter() - t
    t = time.perf_counter(); compiled_steady_state.module(model); steady = time.perf_counter() - t
run = None
if sys.argv[1] == "dalla-man-2007":
    from irsim.core.parameters import Variation
    from irsim.protocols import Meal
    from irsim.simulation import Simulation
    from irsim.solvers import BatchedDormandPrince
    sim = Simulation(model, "normal", Meal(78), variation=Variation(10000, {"Vmx": 0.3, "kp3": 0.3}, seed=1),
                     solver=BatchedDormandPrince(engine=engine))
    run = 1e9
    for _ in range(3):  # CPU time of one thread: what the kernel costs, whatever else loads the machine
        t = time.process_time(); sim.solve(variables=["G", "I"], workers=1); run = min(run, time.process_time() - t)
print(json.dumps({"states": len(model.state_names), "rhs_lines": lines, "dp5_s": dp5, "steady_s": steady, "run_s": run}))
"""


def main():
    print(f"load average {os.getloadavg()[0]:.2f}\n")
    print("| model | states | RHS lines | variant | integrator compile s | Newton compile s | 10,000 meals, CPU s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    variants = {"called": [], "inlined": [], **C_VARIANTS}
    for model in ("bergman-minimal", "dalla-man-2007", "integrated"):
        for variant, flags in variants.items():
            if model == "integrated" and variant == "called" or model != "dalla-man-2007" and variant in list(
                    C_VARIANTS)[1:]:
                continue
            with tempfile.TemporaryDirectory() as cache:
                out = subprocess.run([sys.executable, "-c", CHILD, model, variant, json.dumps(flags)],
                                     capture_output=True, text=True, env={**os.environ, "IRSIM_CACHE_DIR": cache},
                                     check=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            run = f"{r['run_s']:.2f}" if r["run_s"] else ""
            steady = "(in the same library)" if r["steady_s"] is None else f"{r['steady_s']:.2f}"
            print(f"| {model} | {r['states']} | {r['rhs_lines']} | {variant} | {r['dp5_s']:.2f} | {steady} "
                  f"| {run} |", flush=True)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
