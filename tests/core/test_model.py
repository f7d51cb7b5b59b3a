"""Model wiring: blocks connect by name, and wiring mistakes are caught when the model is built."""

import numpy as np
import pytest

from irsim.core.block import Block, Output, Parameter, Rates, State
from irsim.core.model import Model, ModelStructureError
from irsim.errors import UnknownNameError
from irsim.models import get_model


class Source(Block):
    name = "source"
    states = (State("A", "mg", "a"),)
    parameters = (Parameter("k", 0.1, "1/min", "decay", "test"),)
    reads = ("B_out",)
    outputs = (Output("A_out", "mg/min", "a flux"),)

    def rates(self, v, xp):
        return Rates({"A": -v["k"] * v["A"]}, {"A_out": v["k"] * v["A"]})


class Sink(Block):
    name = "sink"
    states = (State("B", "mg", "b"),)
    reads = ("A_out",)
    outputs = (Output("B_out", "mg/min", "b flux"),)

    def rates(self, v, xp):
        return Rates({"B": v["A_out"]}, {"B_out": 0.0 * v["B"]})


def test_cycle_between_outputs_is_reported():
    with pytest.raises(ModelStructureError, match="cyclic"):
        Model("cyclic", [Source(), Sink()])


def test_missing_variable_is_reported():
    with pytest.raises(ModelStructureError, match="reads"):
        Model("missing", [Sink()])


def test_duplicate_state_is_reported():
    with pytest.raises(ModelStructureError, match="more than one block"):
        Model("dup", [Sink(), Sink()])


def test_rhs_is_vectorised_over_patients_and_matches_single_patient_calls():
    model = get_model("dalla-man-2007")
    rng = np.random.default_rng(0)
    guess = model.initial_guess({**{k: p.value for k, p in model.parameters.items()}}, (5,))
    y = guess * rng.uniform(0.8, 1.2, guess.shape)
    params = {k: p.value for k, p in model.parameters.items()}
    params["Vmx"] = rng.uniform(0.02, 0.06, 5)
    batch = model.rhs(0.0, y, params)
    assert batch.shape == y.shape
    for i in range(5):
        single = model.rhs(0.0, y[:, i:i + 1], {**params, "Vmx": params["Vmx"][i:i + 1]})
        np.testing.assert_allclose(batch[:, i], single[:, 0], rtol=1e-14)


def test_unknown_dose_kind_names_the_known_ones():
    model = get_model("bergman-minimal")
    y = model.initial_guess({k: p.value for k, p in model.parameters.items()}, (1,))
    with pytest.raises(UnknownNameError, match="iv_glucose_mg_kg"):
        model.apply_dose("oral_glucose_mg", 75000.0, 0.0, y, {})
