"""Mechanism attribution by exact Shapley values (irsim.analysis.attribution).

Oracles: a toy model whose steady state is known in closed form, brute-force Shapley values over
every ordering of the players, and plain single-subject simulations of the reference and patient.
"""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim import Clamp, InputError, Simulation, UnknownNameError
from irsim.analysis.attribution import MAX_DRIVERS, MEASURES, Measure, attribute, shapley_values
from irsim.core.block import Block, Parameter, Rates, State
from irsim.core.model import Model
from irsim.core.parameters import ParameterSet
from irsim.errors import SteadyStateError
from irsim.models import get_model
from irsim.models.dalla_man_2007 import NORMAL, T2D

#: Dalla Man 2007 subjects with some of the type 2 subject's Table 1 values (the former presets)
DM_IGT = NORMAL.updated("igt", "normal with the type 2 Vmx, beta, K", {k: T2D.values[k] for k in ("Vmx", "beta", "K")}, "T1")
DM_IFG = NORMAL.updated("ifg", "normal with the type 2 kp3", {"kp3": T2D.values["kp3"]}, "T1")


class Relaxation(Block):
    """dy/dt = target − y: the fasting state is y = target, a function of three drivers."""

    name = "relaxation"
    states = (State("y", "1", "toy state relaxing to its target", lower=-math.inf),)
    parameters = tuple(Parameter(p, 1.0, "1", f"toy driver {p}", "test", 0.0, 10.0) for p in "abc")

    def __init__(self, target):
        self.target = target

    def rates(self, v, xp):
        return Rates({"y": self.target(v) - v["y"]})

    def initial_guess(self, v):
        return {"y": 1.0}


Y = Measure("y", "toy steady state", "1", ("y",), lambda r: r["y"][0])
REFERENCE = ParameterSet("reference", "toy", "all drivers at 1")


def toy(target, **patient):
    model = Model("toy", [Relaxation(target)])
    return attribute(ParameterSet("patient", "toy", "changed drivers", patient), REFERENCE, [Y], model=model)


def test_additive_model_gives_each_driver_its_own_effect():
    a = toy(lambda v: v["a"] + 2 * v["b"] - 3 * v["c"], a=2.0, b=4.0, c=1.5)
    shares = a.shares.set_index("driver")["share"]
    np.testing.assert_allclose(shares[["a", "b", "c"]], [1.0, 2 * 3.0, -3 * 0.5], rtol=1e-9)
    alone = a.coalitions.set_index(["a", "b", "c"])["y"]  # one driver moved, the others at the reference
    reference = alone[(False, False, False)]
    np.testing.assert_allclose([alone[(True, False, False)] - reference, alone[(False, True, False)] - reference],
                               shares[["a", "b"]], rtol=1e-9)


def test_symmetric_drivers_share_equally_and_shares_sum_to_the_change():
    a = toy(lambda v: v["a"] * v["b"], a=2.0, b=2.0)  # 1 → 4: the interaction is split evenly
    shares = a.shares.set_index("driver")["share"]
    assert shares["a"] == pytest.approx(shares["b"], rel=1e-12)
    assert shares.sum() == pytest.approx(a.totals.loc["y", "change"], rel=1e-12)
    assert a.totals.loc["y", "change"] == pytest.approx(3.0, rel=1e-9)
    assert a.shares["share_percent"].sum() == pytest.approx(100.0)


def test_a_driver_equal_in_patient_and_reference_gets_zero():
    model = Model("toy", [Relaxation(lambda v: v["a"] * v["b"] * v["c"])])
    a = attribute(ParameterSet("patient", "toy", "", {"a": 3.0}), REFERENCE, [Y], model=model,
                  groups={"unchanged": ["b", "c"]})
    assert list(a.drivers) == ["unchanged", "a"]  # b and c equal: only a group names them
    assert a.shares.set_index("driver").loc["unchanged", "share"] == 0.0


def test_a_coalition_without_a_steady_state_is_named_by_its_drivers():
    class Positive(Relaxation):
        states = (State("y", "1", "toy state that must stay ≥ 0"),)

    model = Model("toy", [Positive(lambda v: v["a"] - v["b"])])  # 1 − 0.5 and 3 − 2.5, but 1 − 2.5 < 0
    reference = ParameterSet("reference", "toy", "", {"b": 0.5})
    with pytest.raises(SteadyStateError, match=r"with the patient's b \(coalition \[2\] of 4\)"):
        attribute(ParameterSet("patient", "toy", "", {"a": 3.0, "b": 2.5}), reference, [Y], model=model)


def test_shapley_values_equal_the_average_over_every_ordering():
    rng = np.random.default_rng(3)
    k = 4
    worth = rng.normal(size=2 ** k)
    brute = np.zeros(k)
    for order in itertools.permutations(range(k)):
        coalition = 0
        for player in order:
            brute[player] += worth[coalition | (1 << player)] - worth[coalition]
            coalition |= 1 << player
    np.testing.assert_allclose(shapley_values(worth, k), brute / math.factorial(k), rtol=1e-12)


def test_dalla_man_igt_shares_sum_to_the_change_and_ends_equal_plain_runs():
    a = attribute(DM_IGT, NORMAL, ["m_value", "fasting_glucose"])
    assert set(a.drivers) == {"Vmx", "K", "beta"}  # what the igt preset takes from the type 2 subject
    for measure, total in a.totals.iterrows():
        shares = a.shares[a.shares["measure"] == measure]["share"]
        assert shares.sum() == pytest.approx(total["change"], rel=1e-12, abs=1e-12)
    for who, value in ((NORMAL, "reference"), (DM_IGT, "patient")):
        plain = Simulation("dalla-man-2007", who, Clamp()).solve().summary().iloc[0]
        assert a.totals.loc["m_value", value] == pytest.approx(plain["m_value_mg_kg_min"], rel=1e-6)
    # Vmx (peripheral insulin action) causes the loss of M; the β-cell drivers barely touch a clamp
    shares = a.shares[a.shares["measure"] == "m_value"].set_index("driver")["share"]
    assert shares["Vmx"] < 0 and abs(shares["Vmx"]) > 10 * max(abs(shares["K"]), abs(shares["beta"]))


def test_hepatic_resistance_moves_fasting_egp_and_homa_through_the_liver_alone():
    a = attribute(DM_IFG, measures=["fasting_egp", "homa_ir"])
    assert list(a.drivers) == ["kp3"] and a.reference == "normal"
    assert (a.totals["change"] > 0).all()  # less suppression of EGP: more glucose and insulin at fasting
    assert np.allclose(a.shares["share_percent"], 100.0)


def test_basal_parameters_are_never_drivers():
    with pytest.raises(InputError, match="basal"):
        attribute(T2D, groups={"islet": ["Gb", "beta"]}, measures=["homa_ir"])
    with pytest.raises(InputError, match="Gb"):
        attribute(T2D, overrides={"Gb": 120.0}, measures=["homa_ir"])


def test_too_many_drivers_are_refused_with_a_hint_to_group():
    with pytest.raises(InputError, match=f"at most {MAX_DRIVERS}: group"):
        attribute(T2D, measures=["homa_ir"])


def test_a_parameter_in_two_groups_or_a_group_named_like_another_parameter_is_refused():
    with pytest.raises(InputError, match="already in group"):
        attribute(DM_IGT, groups={"x": ["Vmx"], "y": ["Vmx", "K"]}, measures=["homa_ir"])
    with pytest.raises(InputError, match="name of another parameter"):
        attribute(DM_IGT, groups={"kp1": ["Vmx"]}, measures=["homa_ir"])


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_unknown_measure_or_group_member_names_the_field(name):
    if name not in MEASURES:
        with pytest.raises(UnknownNameError, match="measure"):
            attribute(DM_IGT, measures=[name])
    if name not in get_model("dalla-man-2007").parameters:
        with pytest.raises(UnknownNameError, match="group g"):
            attribute(DM_IGT, groups={"g": [name]}, measures=["homa_ir"])


def test_a_reference_of_another_model_is_refused():
    from irsim.models import get_parameter_set

    other = get_parameter_set("bergman-minimal", "normal")
    with pytest.raises(InputError, match="subject of model bergman-minimal"):
        attribute(DM_IGT, other, ["homa_ir"])
