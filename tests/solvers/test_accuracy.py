"""The batched solvers against SciPy at rtol 1e-10: plasma glucose and insulin within 1e-4 relative,
at every output minute, for every patient of a ±30 % (Vmx, kp3) population."""

from functools import cache

import numpy as np
import pytest

from irsim.core.parameters import Variation
from irsim.protocols import IVGTT, Clamp, Meal
from irsim.simulation import Simulation
from irsim.solvers import BatchedDormandPrince, BatchedRosenbrock, ScipySolver, native
from irsim.solvers.compiled import available as numba_available

N = 20
CASES = {"normal-meal": ("normal", lambda: Meal(78)), "t2d-meal": ("t2d", lambda: Meal(78)),
         "normal-ivgtt": ("normal", IVGTT), "normal-clamp": ("normal", Clamp)}
ENGINES = ["numpy", pytest.param("numba", marks=pytest.mark.skipif(not numba_available(), reason="numba absent")),
           pytest.param("c", marks=pytest.mark.skipif(native.compiler() is None, reason="no C compiler"))]


def simulate(case, solver, n=N):
    subject, protocol = CASES[case]
    variation = Variation(n, {"Vmx": 0.3, "kp3": 0.3}, seed=1)
    return Simulation("dalla-man-2007", subject, protocol(), variation=variation, solver=solver).solve(
        variables=["G", "I"])


@cache
def reference(case):
    return simulate(case, ScipySolver("DOP853", rtol=1e-10, atol=1e-12))


def worst_relative_error(result, ref):
    return max(float(np.max(np.abs(result[k] - ref[k]) / np.abs(ref[k]))) for k in ("G", "I"))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", CASES)
def test_dormand_prince_matches_scipy_reference(case, engine):
    solver = BatchedDormandPrince(engine=engine, compiled_from=1)
    assert worst_relative_error(simulate(case, solver), reference(case)) < 1e-4


@pytest.mark.parametrize("case", ["normal-meal", "normal-ivgtt"])
def test_rosenbrock_matches_scipy_reference(case):
    assert worst_relative_error(simulate(case, BatchedRosenbrock()), reference(case)) < 1e-4


def test_error_is_resolved_not_accidental():
    """A loose tolerance visibly fails the same check, so the check can fail."""
    loose = BatchedDormandPrince(rtol=1e-2, atol=1e-4, engine="numpy")
    assert worst_relative_error(simulate("normal-ivgtt", loose), reference("normal-ivgtt")) > 1e-4
