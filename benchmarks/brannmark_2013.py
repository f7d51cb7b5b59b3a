"""Brännmark 2013 adipocyte signalling: how stiff it is, which solver copes, and at what cost.

    .venv/bin/python benchmarks/brannmark_2013.py

(1) eigenvalues of the Jacobian at the insulin-free and the 10 nM steady states (the fastest and
slowest time scales), (2) seconds per patient-hour of a 10 nM step for each solver and tolerance, and
the largest error of the measured outputs against libroadrunner (CVODE, rtol 1e-10), relative to
each output's peak, (3) the same for a batch of 64 patients.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from irsim import Simulation
from irsim.analysis.dose_response import steady_state_dose_response
from irsim.core.parameters import Variation, resolve
from irsim.core.steady_state import fasting_steady_state
from irsim.models import get_model, get_parameter_set
from irsim.models.brannmark_2013 import insulin_stimulation
from irsim.physiology.adipocyte_signalling import MEASURED
from irsim.solvers import BatchedDormandPrince, BatchedRosenbrock, ScipySolver

ROOT = Path(__file__).resolve().parents[1]
MODEL = "brannmark-2013"
SBML = {"normal": "BIOMD0000000448_Brannmark2013_normal.xml", "t2d": "BIOMD0000000449_Brannmark2013_T2D.xml"}
RR_NAMES = {"measured_ir_y": "measuredIRp", "measured_irs1_y": "measuredIRS1p", "measured_irs1_s307": "measuredIRS1307",
            "measured_pkb_t308": "measuredPKB308p", "measured_pkb_s473": "measuredPKB473p",
            "measured_as160_t642": "measuredAS160p", "measured_s6k_t389": "measuredS6Kp", "measured_s6_s235": "measuredS6p",
            "glut4_membrane": "GLUT4m", "glucose_uptake": "glucoseuptake"}
assert set(MEASURED) <= set(RR_NAMES)


def eigenvalues(subject: str, insulin_nM: float) -> np.ndarray:
    model = get_model(MODEL)
    if insulin_nM:
        levels = [insulin_nM]
        state = steady_state_dose_response(model, subject, "medium_insulin", levels, list(model.state_names))
        y = np.array([[state[s][0]] for s in model.state_names])
        params = resolve(model, get_parameter_set(MODEL, subject))
    else:
        y, params = fasting_steady_state(model, resolve(model, get_parameter_set(MODEL, subject)), 1)
    f0 = model.rhs(0.0, y, params, {"medium_insulin": insulin_nM})[:, 0]
    jac = np.empty((y.shape[0],) * 2)
    for j in range(y.shape[0]):
        h = 1e-7 * max(abs(y[j, 0]), 1e-3)
        yp = y.copy()
        yp[j] += h
        jac[:, j] = (model.rhs(0.0, yp, params, {"medium_insulin": insulin_nM})[:, 0] - f0) / h
    return np.linalg.eigvals(jac)


def oracle(subject: str) -> dict[str, np.ndarray]:
    import roadrunner

    rr = roadrunner.RoadRunner(str(ROOT / "tests" / "data" / "refs" / "sbml" / SBML[subject]))
    rr.integrator.relative_tolerance, rr.integrator.absolute_tolerance = 1e-10, 1e-12
    rr["insulin"] = 0.0
    rr.simulate(0, 20000, 2)
    rr["insulin"] = 10.0
    out = rr.simulate(times=list(np.arange(0.0, 61.0)), selections=list(RR_NAMES.values()))
    return {k: np.asarray(out[:, i]) for i, k in enumerate(RR_NAMES)}


def run(subject, solver, n=1):
    variation = Variation(n, {"k1a": 1e-9}, seed=0) if n > 1 else None  # n identical patients
    sim = Simulation(MODEL, subject, insulin_stimulation(10.0, 60.0), solver=solver, variation=variation)
    start = time.perf_counter()
    result = sim.solve(step_min=1.0, workers=1)
    return time.perf_counter() - start, result


def main() -> None:
    for subject in ("normal", "t2d"):
        for insulin in (0.0, 10.0):
            lam = eigenvalues(subject, insulin)
            moving = np.abs(lam.real)[np.abs(lam.real) > 1e-8]
            print(f"{subject} {insulin:g} nM: fastest {moving.max():.3g}/min ({60 / moving.max() * 1e6:.3g} µs), "
                  f"slowest {moving.min():.3g}/min ({1 / moving.min():.3g} min); conserved modes "
                  f"{lam.size - moving.size}")
    for subject in ("normal", "t2d"):
        ref = oracle(subject)
        for label, solver in [("rosenbrock 1e-7", BatchedRosenbrock()),
                              ("rosenbrock 1e-5", BatchedRosenbrock(rtol=1e-5, atol=1e-7)),
                              ("rosenbrock 1e-4", BatchedRosenbrock(rtol=1e-4, atol=1e-6)),
                              ("scipy LSODA 1e-8", ScipySolver()),
                              ("scipy BDF 1e-8", ScipySolver(method="BDF")),
                              ("batched DP (explicit) 1e-6, 20 000 steps",
                               BatchedDormandPrince(rtol=1e-6, atol=1e-9, max_steps=20_000))]:
            start = time.perf_counter()
            try:
                seconds, result = run(subject, solver)
            except Exception as exc:  # the explicit method stalls: report how
                print(f"{subject} {label}: failed after {time.perf_counter() - start:.1f} s: {exc}")
                continue
            err = max(np.max(np.abs(result[k][:, 0] - ref[k])) / np.max(np.abs(ref[k])) for k in RR_NAMES)
            print(f"{subject} {label}: {seconds:.2f} s per patient-hour, max error {err:.1e} of peak")
        for n in (64,):
            seconds, _ = run(subject, BatchedRosenbrock(rtol=1e-5, atol=1e-7), n)
            print(f"{subject} rosenbrock 1e-5, {n} patients in one batch: {seconds:.2f} s, "
                  f"{seconds / n:.3f} s per patient-hour")


if __name__ == "__main__":
    main()
