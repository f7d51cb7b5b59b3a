"""HbA1c follows mean glucose: the ADAG relation at steady state (Nathan et al. 2008) and the
red-cell time course after a step (half in 30 days, ~90 % by three months; Tahara & Shima 1995)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim import ParameterSet, Simulation
from irsim.core.block import Block, Output, Parameter, Rates
from irsim.core.model import Model
from irsim.errors import InputError
from irsim.physiology.glycation import Glycation
from irsim.protocols import Progression
from irsim.units import MIN_PER_DAY


class HeldGlucose(Block):
    """Test fixture: mean glucose held at a level (a clamp lasting months)."""

    name = "held_glucose"
    parameters = (Parameter("G_level", 100.0, "mg/dL", "held mean glucose", "test fixture", 20.0, 600.0),)
    outputs = (Output("G", "mg/dL", "mean plasma glucose"),)

    def rates(self, v, xp):
        return Rates({}, {"G": v["G_level"]})


MODEL = Model("glycation-test", [HeldGlucose(), Glycation()])


def adag(glucose):
    """HbA1c from the ADAG regression eAG = 28.7·A1c − 46.7 (Nathan 2008), solved for A1c."""
    return (glucose + 46.7) / 28.7


@settings(max_examples=10, deadline=None)
@given(st.floats(60.0, 400.0))
def test_steady_state_is_the_adag_value(glucose):
    r = Simulation(MODEL, None, Progression(30), overrides={"G_level": glucose}).solve(step_min=10 * MIN_PER_DAY)
    assert r["HbA1c"][:, 0] == pytest.approx(adag(glucose), rel=1e-6)


def test_adag_anchor_points():
    """Nathan 2008 Table: A1c 6 % ↔ 126 mg/dL, 7 % ↔ 154, 8 % ↔ 183 (rounded)."""
    assert [adag(g) for g in (126.0, 154.0, 183.0)] == pytest.approx([6.0, 7.0, 8.0], abs=0.02)


def test_step_in_glucose_reaches_adag_over_three_months():
    """From 5.4 % (mean 108 mg/dL) to a mean of 183 mg/dL: half the rise in 30 days, ≥ 90 % in
    100 days, monotone, never overshooting the ADAG value (8.0 %)."""
    start = ParameterSet("step", "glycation-test", "mean glucose steps from 108 to 183 mg/dL",
                         {"G_level": 183.0}, {"G_level": "test scenario"}, initial_state={"HbA1c": adag(108.0)})
    r = Simulation(MODEL, start, Progression(180)).solve(step_min=MIN_PER_DAY)
    a1c = r["HbA1c"][:, 0]
    days = r.time_min / MIN_PER_DAY
    fraction = (a1c - adag(108.0)) / (adag(183.0) - adag(108.0))
    assert fraction[days == 30][0] == pytest.approx(0.5, abs=0.02)
    assert fraction[days == 100][0] >= 0.9
    assert np.all(np.diff(a1c) > 0) and a1c.max() <= adag(183.0)


def test_out_of_range_time_constant_is_refused():
    with pytest.raises(InputError, match="tau_A1c"):
        Simulation(MODEL, None, Progression(30), overrides={"tau_A1c": 0.0})
