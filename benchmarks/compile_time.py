"""Compile time of the generated kernels against model size, with the right-hand side called or
inlined (``inline="always"``) into the integrator's 7 stages and the Newton's 3 residual calls.

    python benchmarks/compile_time.py

Each (model, variant) compiles in a fresh process with an empty cache folder; the Dalla Man meal
for 10,000 patients is then timed on the loaded kernel (CPU seconds of one worker thread, best of 3),
to show what inlining buys.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

CHILD = """
import json, sys, time
from irsim.solvers import compiled, compiled_steady_state
from irsim.solvers.codegen import trace_rhs
if sys.argv[2] == "called":  # irsim inlines (numba IR) _tanh, pre and rhs / residual and error
    for module, name in ((compiled, "_kernel_source"), (compiled_steady_state, "_source")):
        original = getattr(module, name)
        setattr(module, name, lambda *a, _o=original: _o(*a).replace(', inline="always"', ""))
from irsim.models import get_model
model = get_model(sys.argv[1])
lines = len(trace_rhs(model).body.splitlines()) + len(trace_rhs(model).pre.splitlines())
t = time.perf_counter(); compiled.kernel(model); dp5 = time.perf_counter() - t
t = time.perf_counter(); compiled_steady_state.module(model); steady = time.perf_counter() - t
run = None
if sys.argv[1] == "dalla-man-2007":
    from irsim.core.parameters import Variation
    from irsim.protocols import Meal
    from irsim.simulation import Simulation
    from irsim.solvers import BatchedDormandPrince
    sim = Simulation(model, "normal", Meal(78), variation=Variation(10000, {"Vmx": 0.3, "kp3": 0.3}, seed=1),
                     solver=BatchedDormandPrince(engine="numba"))
    run = 1e9
    for _ in range(3):  # CPU time of one thread: what the kernel costs, whatever else loads the machine
        t = time.process_time(); sim.solve(variables=["G", "I"], workers=1); run = min(run, time.process_time() - t)
print(json.dumps({"states": len(model.state_names), "rhs_lines": lines, "dp5_s": dp5, "steady_s": steady, "run_s": run}))
"""


def main():
    print(f"load average {os.getloadavg()[0]:.2f}\n")
    print("| model | states | RHS lines | variant | integrator compile s | Newton compile s | 10,000 meals, CPU s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for model in ("bergman-minimal", "dalla-man-2007"):
        for variant in ("called", "inlined"):
            with tempfile.TemporaryDirectory() as cache:
                out = subprocess.run([sys.executable, "-c", CHILD, model, variant], capture_output=True, text=True,
                                     env={**os.environ, "IRSIM_CACHE_DIR": cache}, check=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            run = f"{r['run_s']:.2f}" if r["run_s"] else ""
            print(f"| {model} | {r['states']} | {r['rhs_lines']} | {variant} | {r['dp5_s']:.2f} | {r['steady_s']:.2f} "
                  f"| {run} |", flush=True)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
