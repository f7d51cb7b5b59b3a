"""Body weight from energy balance against Hall et al. 2011 (Lancet 378:826): for an average
overweight adult a sustained change of 10 kcal/day moves weight by about 1 lb in the end, half of it
within about a year and 95 % within about three years."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim import Simulation
from irsim.core.model import Model
from irsim.errors import InputError
from irsim.physiology.body_weight import BodyWeight
from irsim.protocols import Progression
from irsim.units import MIN_PER_DAY

MODEL = Model("body-weight-test", [BodyWeight()])
KG_PER_LB = 0.45359237
YEAR_DAYS = 365.25


def run(days, **lifestyle):
    return Simulation(MODEL, None, Progression(days, **lifestyle)).solve(step_min=MIN_PER_DAY)


@pytest.fixture(scope="module")
def diet():
    return run(10 * YEAR_DAYS, intake_change_kcal_day=-500.0)


def test_weight_stable_without_a_change():
    r = run(3 * YEAR_DAYS)
    assert np.allclose(r["BW"][:, 0], 90.0, atol=1e-6) and np.allclose(r["F"][:, 0], 30.0, atol=1e-6)


def test_500_kcal_deficit_final_loss_is_halls_rule_of_thumb(diet):
    """Stated tolerance: within 15 % of 50 lb (22.7 kg) after ten years."""
    loss = diet["BW"][0, 0] - diet["BW"][-1, 0]
    assert loss == pytest.approx(500.0 / 10.0 * KG_PER_LB, rel=0.15)


def test_500_kcal_deficit_time_course(diet):
    """Stated tolerance: half of the loss within 1 year ± 30 %, 95 % within 3 years ± 20 %."""
    loss = diet["BW"][0, 0] - diet["BW"][:, 0]
    years = diet.time_min / MIN_PER_DAY / YEAR_DAYS
    half = years[np.argmax(loss >= 0.5 * loss[-1])]
    most = years[np.argmax(loss >= 0.95 * loss[-1])]
    assert 0.7 <= half <= 1.3 and 2.4 <= most <= 3.6, (half, most)
    assert np.all(np.diff(loss) >= 0)


def test_fat_carries_most_of_the_loss_and_masses_add_up(diet):
    fat, lean = 30.0 - diet["F"][-1, 0], 60.0 - diet["FFM"][-1, 0]
    assert fat > lean > 0  # Forbes: starting at 30 kg of fat, about two thirds of the loss is fat
    assert np.allclose(diet["BW"], diet["F"] + diet["FFM"])


def test_bigger_deficits_and_more_exercise_lose_more():
    losses = [90.0 - run(YEAR_DAYS, intake_change_kcal_day=-d)["BW"][-1, 0] for d in (100.0, 300.0, 600.0)]
    assert np.all(np.diff(losses) > 0) and losses[0] > 0
    active = [90.0 - run(YEAR_DAYS, exercise_met_h_week=e)["BW"][-1, 0] for e in (0.0, 7.5, 15.0)]
    assert active[0] == pytest.approx(0.0, abs=1e-9) and np.all(np.diff(active) > 0)


def test_surplus_gains_weight():
    assert run(YEAR_DAYS, intake_change_kcal_day=300.0)["BW"][-1, 0] > 92.0


@settings(max_examples=15, deadline=None)
@given(st.one_of(st.floats(3000.5, 1e9), st.floats(-1e9, -3000.5), st.just(float("nan"))))
def test_implausible_intake_changes_are_refused(kcal):
    with pytest.raises(InputError, match="intake_change_kcal_day"):
        Progression(365, intake_change_kcal_day=kcal)


@settings(max_examples=15, deadline=None)
@given(st.one_of(st.floats(-1e6, -1e-9), st.floats(150.5, 1e9), st.just(float("nan"))))
def test_implausible_exercise_is_refused(met_h):
    with pytest.raises(InputError, match="exercise_met_h_week"):
        Progression(365, exercise_met_h_week=met_h)
