"""Steady state is computed, not typed in: every parameter set starts at rest and stays there."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim import Fasting, Simulation
from irsim.core.parameters import resolve
from irsim.core.steady_state import fasting_steady_state
from irsim.models import get_model, get_parameter_set
from irsim.patients import PATIENTS


@pytest.mark.parametrize("subject", ["normal", "t2d"])
def test_both_paper_subjects_stay_steady_for_24_h_without_food(subject):
    """Issue requirement: with the paper's structure both subjects start in a true steady state."""
    result = Simulation("dalla-man-2007", subject, Fasting(1440.0), solver="scipy").solve(step_min=10.0)
    for key in ("G", "I", "X", "Y", "EGP"):
        trace = result[key][:, 0]
        scale = max(abs(trace[0]), 1.0)
        assert np.max(np.abs(trace - trace[0])) / scale < 1e-6, key


@pytest.mark.parametrize("subject", ["normal", "t2d"])
def test_basal_state_is_the_papers_definition(subject):
    """At basal X = Y = 0, I = Ib, G = Gb, and production equals utilisation (Dalla Man 2007, Sec. II)."""
    model = get_model("dalla-man-2007")
    params = resolve(model, get_parameter_set(model.name, subject))
    y, basal = fasting_steady_state(model, params, 1)
    v, d = model.evaluate(0.0, y, basal)
    assert abs(v["X"][0]) < 1e-9 and abs(v["Y"][0]) < 1e-9
    assert v["G"][0] == pytest.approx(basal["Gb"][0], rel=1e-12)
    assert v["I"][0] == pytest.approx(basal["Ib"][0], rel=1e-12)
    assert v["EGP"][0] == pytest.approx(v["U"][0] + v["E"][0], rel=1e-9)
    assert max(abs(x[0]) for x in d.values()) < 1e-9


def test_fasting_values_are_physiological():
    """Normal subject fasting glucose ≈ 92 mg/dL and insulin ≈ 25 pmol/L; type 2 clearly hyperglycaemic."""
    model = get_model("dalla-man-2007")
    normal = fasting_steady_state(model, resolve(model, get_parameter_set(model.name, "normal")), 1)[1]
    t2d = fasting_steady_state(model, resolve(model, get_parameter_set(model.name, "t2d")), 1)[1]
    assert 85 < normal["Gb"][0] < 100 and 20 < normal["Ib"][0] < 32
    assert t2d["Gb"][0] > 126 and t2d["Ib"][0] > normal["Ib"][0]


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.sampled_from(["Vmx", "kp1", "kp3", "Km0", "beta", "m1", "VG", "k1"]),
                       st.floats(0.7, 1.3), min_size=1, max_size=4))
def test_perturbed_parameters_still_have_a_steady_state(factors):
    model = get_model("dalla-man-2007")
    params = resolve(model, get_parameter_set(model.name, "normal"))
    params = {**params, **{k: params[k] * f for k, f in factors.items()}}
    y, basal = fasting_steady_state(model, params, 1)
    rates = model.rhs(0.0, y, basal)
    assert np.all(np.isfinite(y)) and np.max(np.abs(rates)) < 1e-8
    assert 20 < basal["Gb"][0] < 600


def test_population_steady_state_matches_each_patient_alone():
    model = get_model("dalla-man-2007")
    params = resolve(model, get_parameter_set(model.name, "normal"))
    vmx = np.array([0.02, 0.047, 0.08])
    y, _ = fasting_steady_state(model, {**params, "Vmx": vmx}, 3)
    for i, value in enumerate(vmx):
        yi, _ = fasting_steady_state(model, {**params, "Vmx": value}, 1)
        np.testing.assert_allclose(y[:, i], yi[:, 0], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", list(PATIENTS))
def test_every_patient_preset_has_a_steady_state(name):
    p = PATIENTS[name]
    model = get_model(p.model)
    y, basal = fasting_steady_state(model, resolve(model, p.parameter_set), 1)
    assert np.max(np.abs(model.rhs(0.0, y, basal)[~model.memory_mask])) < 1e-8  # running totals grow


def test_a_steady_state_with_negative_glucose_is_refused():
    """kp1 = 1.2 mg/kg/min cannot cover brain uptake (1 mg/kg/min) plus tissue needs at any positive
    glucose: the only root has negative glucose masses, which is refused, naming the states."""
    from irsim.errors import SteadyStateError

    model = get_model("dalla-man-2007")
    params = resolve(model, get_parameter_set(model.name, "normal"), {"kp1": 1.2})
    with pytest.raises(SteadyStateError, match="negative Gp"):
        fasting_steady_state(model, params, 1)


def test_a_fasting_value_outside_its_declared_range_is_not_a_steady_state():
    """Vm0 tiny and no liver autoregulation put basal glucose at 6,719 mg/dL, far outside Gb's 10-1000 mg/dL:
    refused with the value and the range rather than simulated."""
    from irsim import Fasting, Simulation
    from irsim.errors import SteadyStateError

    with pytest.raises(SteadyStateError, match=r"Gb = 6719 mg/dL, outside 10-1000 mg/dL"):
        Simulation("dalla-man-2007", "normal", Fasting(60), overrides={"Vm0": 0.05, "kp2": 0.0, "ke1": 0.0001}).solve()
