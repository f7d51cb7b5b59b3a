"""Invariants of the Brännmark 2013 adipocyte signalling block: conservation, rest, dose monotonicity."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim import Simulation
from irsim.core.parameters import resolve
from irsim.core.steady_state import fasting_steady_state
from irsim.errors import InputError
from irsim.models import get_model, get_parameter_set
from irsim.models.brannmark_2013 import insulin_stimulation, steady_state_response
from irsim.physiology.adipocyte_signalling import PROTEINS
from irsim.protocols.base import Protocol
from irsim.solvers import BatchedRosenbrock
from irsim.solvers.codegen import output_function

MODEL = "brannmark-2013"
SOLVER = dict(rtol=1e-5, atol=1e-8)


@pytest.fixture(scope="module")
def stimulated():
    return Simulation(MODEL, "t2d", insulin_stimulation(10.0, 60.0), solver=BatchedRosenbrock(**SOLVER)).solve()


def test_every_protein_total_is_conserved_during_stimulation(stimulated):
    params = get_parameter_set(MODEL, "t2d").values
    for total, forms in PROTEINS.items():
        expected = params.get(total, 100.0)
        sums = sum(stimulated[f][:, 0] for f in forms)
        assert np.max(np.abs(sums - expected)) < 1e-6 * expected, total
        assert max(np.ptp(stimulated[f][:, 0]) for f in forms) > 1e-4 * expected or total == "x_total", total


@pytest.mark.parametrize("subject", ["normal", "t2d"])
def test_insulin_free_state_is_steady(subject):
    result = Simulation(MODEL, subject, Protocol("rest", "no insulin", 120.0),
                        solver=BatchedRosenbrock(**SOLVER)).solve(step_min=30.0)
    model = get_model(MODEL)
    for name in model.state_names:
        values = result[name][:, 0]
        assert np.max(np.abs(values - values[0])) < 1e-7 * (abs(values[0]) + 1.0), name
    totals = resolve(model, get_parameter_set(MODEL, subject))
    assert result["glut4_membrane"][0, 0] < totals["glut4_total"]  # a real split, not all at one form


def test_membrane_glut4_rises_monotonically_with_insulin_at_steady_state():
    doses = np.logspace(-3, 2, 6)
    normal = steady_state_response("normal", doses)
    t2d = steady_state_response("t2d", doses)
    for response in (normal, t2d):
        for name, values in response.items():
            assert np.all(np.diff(values) > 0), name
    # the diabetic cell (half the GLUT4) has less of the normal cell's GLUT4 at the membrane at every dose
    assert np.all(0.5 * t2d["glut4_membrane_fraction"] < normal["glut4_membrane_fraction"])


def test_traced_kernel_computes_what_the_block_computes():
    model = get_model(MODEL)
    params = resolve(model, get_parameter_set(MODEL, "normal"), {"diabetes": np.linspace(0.1, 1.0, 5)})
    y, params = fasting_steady_state(model, params, 5)
    y = y * np.random.default_rng(1).uniform(0.5, 1.5, y.shape)
    inputs = {"medium_insulin": np.logspace(-2, 2, 5)}
    names = model.variable_names()
    expected, _ = model.evaluate(3.0, y, params, inputs)
    got = output_function(model, names)(3.0, y, params, inputs)
    for name in names:
        np.testing.assert_allclose(np.broadcast_to(got[name], (5,)), np.broadcast_to(expected[name], (5,)),
                                   rtol=1e-12, err_msg=name)


@settings(max_examples=25, deadline=None)
@given(st.one_of(st.floats(max_value=0.0), st.just(float("nan")), st.just(float("inf")), st.floats(min_value=1e5 + 1)))
def test_insulin_step_refuses_impossible_concentrations(dose):
    with pytest.raises(InputError, match="insulin_nM"):
        insulin_stimulation(dose)
