"""Invariants of the Topp 2000 βIG model: its three steady states and their stability, the sign of
β-cell growth against glucose, compensation of insulin resistance, input validation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim import Simulation
from irsim.core.parameters import resolve
from irsim.errors import InputError
from irsim.models import get_model, get_parameter_set
from irsim.physiology.beta_cell_mass import BetaCellMass, physiological_fixed_point
from irsim.protocols import Progression
from irsim.units import MIN_PER_DAY

MODEL = get_model("topp-2000")
PARAMS = resolve(MODEL, get_parameter_set("topp-2000", "normal"))
GROWTH = {k: PARAMS[k] for k in ("d0", "r1", "r2")}
LOW_ROOT, HIGH_ROOT = sorted(np.roots([-GROWTH["r2"], GROWTH["r1"], -GROWTH["d0"]]).real)


def jacobian(y):
    """Finite-difference Jacobian of the model's right-hand side (per day) at state ``y``."""
    y = np.asarray(y, dtype=float)
    f0 = MODEL.rhs(0.0, y, PARAMS)
    jac = np.empty((3, 3))
    for j in range(3):
        dy = 1e-6 * max(abs(y[j]), 1.0)
        yp = y.copy()
        yp[j] += dy
        jac[:, j] = (MODEL.rhs(0.0, yp, PARAMS) - f0) / dy
    return jac * MIN_PER_DAY


def state(G, Iuu, beta):
    return [G if name == "G" else Iuu if name == "Iuu" else beta for name in MODEL.state_names]


def steady_state_on_slow_manifold(G):
    """The state with glucose G at which glucose and insulin are at rest (the paper's slow manifold)."""
    Iuu = (PARAMS["R0"] / G - PARAMS["EG0"]) / PARAMS["SI"]
    return state(G, Iuu, PARAMS["k"] * Iuu * (PARAMS["alpha"] + G**2) / (PARAMS["sigma"] * G**2))


def test_growth_law_roots_are_the_papers_thresholds():
    assert (LOW_ROOT, HIGH_ROOT) == pytest.approx((100.0, 250.0))


@pytest.mark.parametrize(("name", "y", "unstable"), [
    ("physiological", steady_state_on_slow_manifold(LOW_ROOT), 0),
    ("saddle", steady_state_on_slow_manifold(HIGH_ROOT), 1),
    ("pathological (trivial, no β-cells)", state(PARAMS["R0"] / PARAMS["EG0"], 0.0, 0.0), 0),
])
def test_three_steady_states_and_their_stability(name, y, unstable):
    """Topp 2000: two stable steady states (physiological; pathological with β = 0, G = R0/EG0 =
    600 mg/dL) separated by a saddle at G = 250 mg/dL with one unstable direction."""
    scale = np.abs(MODEL.rhs(0.0, np.asarray(state(100.0, 10.0, 300.0)) * 1.1, PARAMS)).max()
    assert np.abs(MODEL.rhs(0.0, np.asarray(y, dtype=float), PARAMS)).max() < 1e-9 * scale, name
    eig = np.linalg.eigvals(jacobian(y))
    assert np.sum(eig.real > 0) == unstable, (name, eig)


def test_physiological_fixed_point_is_the_computed_steady_state_and_stays():
    result = Simulation("topp-2000", "normal", Progression(365), solver="rosenbrock").solve(step_min=30 * MIN_PER_DAY)
    expected = physiological_fixed_point(PARAMS)
    for k in ("G", "Iuu", "beta"):
        assert np.allclose(result[k][:, 0], expected[k], rtol=1e-5), k
    assert (expected["G"], expected["Iuu"], expected["beta"]) == pytest.approx((100.0, 10.0, 300.0))


@settings(max_examples=30, deadline=None)
@given(st.floats(1.0, 1000.0))
def test_beta_cells_grow_only_between_the_two_thresholds(G):
    rates = BetaCellMass().rates({**GROWTH, "G": G, "beta": 300.0}, np)
    growth = rates.derivatives["beta"]
    if LOW_ROOT + 1e-6 < G < HIGH_ROOT - 1e-6:
        assert growth > 0
    elif G < LOW_ROOT - 1e-6 or G > HIGH_ROOT + 1e-6:
        assert growth < 0


def test_mass_falls_when_glucose_is_held_above_the_pathological_threshold():
    """β-cells die at any glucose above 250 mg/dL, faster the higher it is (glucotoxicity)."""
    block = BetaCellMass()
    falls = [block.rates({**GROWTH, "G": G, "beta": 300.0}, np).derivatives["beta"] for G in (260.0, 300.0, 400.0)]
    assert np.all(np.array(falls) < 0) and np.all(np.diff(falls) < 0)


def test_lower_insulin_sensitivity_is_compensated_by_more_beta_cells():
    """At the physiological steady state glucose stays at 100 mg/dL; mass rises as SI falls."""
    masses = []
    for si in (0.72, 0.5, 0.3, 0.1):
        r = Simulation("topp-2000", "normal", Progression(1), overrides={"SI": si}).solve(step_min=MIN_PER_DAY)
        assert r["G"][0, 0] == pytest.approx(100.0)
        masses.append(r["beta"][0, 0])
    assert np.all(np.diff(masses) > 0)


@settings(max_examples=15, deadline=None)
@given(st.one_of(st.floats(-1e3, -1e-9), st.floats(1e3 + 1, 1e9), st.just(float("nan"))))
def test_out_of_range_insulin_sensitivity_is_refused(si):
    with pytest.raises(InputError, match="SI"):
        Simulation("topp-2000", "normal", Progression(10), overrides={"SI": si})


@settings(max_examples=15, deadline=None)
@given(st.one_of(st.floats(-1e6, 0.0), st.floats(36526.0, 1e9), st.just(float("nan"))))
def test_progression_refuses_nonsense_durations(days):
    with pytest.raises(InputError, match="days"):
        Progression(days)
