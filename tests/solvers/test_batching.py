"""Batching must not couple patients: each patient's result is its own, whatever shares its batch."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim.core.parameters import Variation
from irsim.protocols import Fasting, Meal
from irsim.simulation import Simulation
from irsim.solvers import BatchedDormandPrince, BatchedRosenbrock, native
from irsim.solvers.compiled import available as numba_available

ENGINES = ["numpy", pytest.param("numba", marks=pytest.mark.skipif(not numba_available(), reason="numba absent")),
           pytest.param("c", marks=pytest.mark.skipif(native.compiler() is None, reason="no C compiler"))]


def relative(a, b):
    return float(np.max(np.abs(a - b) / np.abs(b)))


@pytest.mark.parametrize("n", [2, 100])
def test_patient_zero_equals_single_patient_run(n):
    """Default solver both times (the C kernel when a compiler is found; else a population of 100 runs on
    numba's kernel once cached, one patient on NumPy)."""
    single = Simulation("dalla-man-2007", "normal", Meal(78)).solve(variables=["G", "I"])
    population = Simulation("dalla-man-2007", "normal", Meal(78),
                            variation=Variation(n, {"Vmx": 0.3, "kp3": 0.3}, seed=3)).solve(variables=["G", "I"])
    for k in ("G", "I"):
        assert relative(population[k][:, 0], single[k][:, 0]) < 1e-9


def _with_stiff_patient(engine, stiff):
    n = 12
    overrides = {}
    if stiff:  # fast insulin exchange: eigenvalues near -20/min, 10x more explicit steps
        for name, value in {"m1": 6.0, "m2": 9.0, "gamma": 8.0}.items():
            overrides[name] = np.full(n, {"m1": 0.190, "m2": 0.484, "gamma": 0.5}[name])
            overrides[name][5] = value
    sim = Simulation("dalla-man-2007", "normal", Meal(78), overrides=overrides,
                     variation=Variation(n, {"Vmx": 0.3, "kp3": 0.3}, seed=2),
                     solver=BatchedDormandPrince(engine=engine, compiled_from=1))
    return sim.solve(variables=["G", "I"])


@pytest.mark.parametrize("engine", ENGINES)
def test_stiff_patient_does_not_change_the_others(engine):
    calm, mixed = _with_stiff_patient(engine, False), _with_stiff_patient(engine, True)
    others = [p for p in range(12) if p != 5]
    for k in ("G", "I"):
        assert relative(mixed[k][:, others], calm[k][:, others]) < 1e-9  # steady-state Newton iterates batch-wide
        assert relative(mixed[k][:, 5], calm[k][:, 5]) > 1e-3  # the stiff patient really is different


def test_rosenbrock_takes_far_fewer_steps_on_a_stiff_patient():
    """Explicit steps are bounded by stability (≈3000 here), Rosenbrock's by accuracy (≈200)."""
    def steps(solver):
        sim = Simulation("dalla-man-2007", "normal", Meal(78), overrides={"m1": 10.0, "m2": 10.0, "gamma": 10.0},
                         solver=solver)
        counts = []
        original = solver.integrate

        def counting(*args, **kwargs):
            out = original(*args, **kwargs)
            counts.append(out[2]["steps"])
            return out

        solver.integrate = counting
        result = sim.solve(variables=["G"])
        return sum(counts), result

    explicit, r_explicit = steps(BatchedDormandPrince(rtol=1e-4, atol=1e-6, engine="numpy"))
    implicit, r_implicit = steps(BatchedRosenbrock(rtol=1e-4, atol=1e-6))
    assert implicit * 5 < explicit
    assert relative(r_implicit["G"], r_explicit["G"]) < 1e-4


factors = st.floats(0.7, 1.3)


@settings(max_examples=8, deadline=None)
@given(st.lists(st.tuples(factors, factors), min_size=3, max_size=6), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_position_in_batch(draws, rnd):
    vmx = np.array([0.047 * a for a, _ in draws])
    kp3 = np.array([0.009 * b for _, b in draws])
    order = list(range(len(draws)))
    rnd.shuffle(order)

    def run(perm):
        sim = Simulation("dalla-man-2007", "normal", Meal(78), overrides={"Vmx": vmx[perm], "kp3": kp3[perm]},
                         variation=Variation(len(perm), {}, seed=0), solver=BatchedDormandPrince(engine="numpy"))
        return sim.solve(variables=["G", "I"], step_min=5)

    a, b = run(np.arange(len(draws))), run(np.array(order))
    for k in ("G", "I"):
        np.testing.assert_allclose(b[k], a[k][:, order], rtol=1e-12)


@settings(max_examples=6, deadline=None)
@given(factors, factors)
def test_fasting_stays_at_steady_state(a, b):
    sim = Simulation("dalla-man-2007", "normal", Fasting(600), overrides={"Vmx": 0.047 * a, "kp3": 0.009 * b})
    r = sim.solve(variables=["G", "I"], step_min=10)
    for k in ("G", "I"):  # within the solver's rtol 1e-6 (the kink of max(dG/dt, 0) sits exactly at rest)
        assert relative(r[k], np.broadcast_to(r[k][0], r[k].shape)) < 1e-6


@pytest.mark.skipif(not numba_available(), reason="numba absent")
@settings(max_examples=5, deadline=None)
@given(factors, factors, st.floats(20.0, 120.0))
def test_compiled_engine_agrees_with_numpy_engine(a, b, carbs):
    def run(engine):
        sim = Simulation("dalla-man-2007", "t2d", Meal(carbs), overrides={"Vmx": 0.034 * a, "kp3": 0.005 * b},
                         solver=BatchedDormandPrince(engine=engine, compiled_from=1))
        return sim.solve(variables=["G", "I"])

    fast, slow = run("numba"), run("numpy")
    for k in ("G", "I"):
        assert relative(fast[k], slow[k]) < 1e-6


@pytest.mark.parametrize("engine", ENGINES)
def test_segments_without_output_times(engine):
    """Clamp segments are 5 min long; with 7-min outputs some hold none."""
    from irsim.protocols import Clamp

    sim = Simulation("dalla-man-2007", "normal", Clamp(), variation=Variation(3, {"Vmx": 0.3}, seed=1),
                     solver=BatchedDormandPrince(engine=engine, compiled_from=1))
    fine = sim.solve(variables=["G"], step_min=1)
    coarse = sim.solve(variables=["G"], t_eval=np.arange(0.0, sim.protocol.duration_min, 7.0))  # not the 5-min samples
    np.testing.assert_allclose(coarse["G"], fine["G"][::7][: coarse["G"].shape[0]], rtol=1e-5)
