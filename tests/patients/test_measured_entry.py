"""Enrolment on a measured screening test: people whose usual level lies outside the criteria get in,
in the share the day-to-day CV implies, and their usual values regress to the population mean."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

from irsim.errors import InputError
from irsim.patients import population
from irsim.patients.day_to_day import WITHIN_PERSON_CV
from irsim.patients.population import DPP_IGT, InclusionCriteria, screening_test

TWO_HOUR = (140.0, 199.0)  # DPP: impaired glucose tolerance


def test_a_measured_entry_cohort_regresses_to_the_population_mean():
    """DPP criteria on the integrated model: the cohort's usual 2-h glucose strays outside 140–199 mg/dL, and
    people enrolled at either end of the range have usual values nearer the population's mean than the
    measured values that enrolled them (the population's mean lies mid-range, so the cohort's mean barely moves)."""
    cohort = DPP_IGT.sample(1000, seed=2)
    usual, measured = cohort.glucose_2h_mg_dl, cohort.glucose_2h_mg_dl_measured
    assert measured.between(*TWO_HOUR).all() and cohort.fasting_glucose_mg_dl_measured.between(95, 125).all()
    outside = ~usual.between(*TWO_HOUR)
    assert 0.05 < outside.mean() < 0.5 and (usual < TWO_HOUR[0]).any() and (usual > TWO_HOUR[1]).any()
    candidates = DPP_IGT.draw(np.arange(1000), seed=3)
    eligible = InclusionCriteria(bmi_kg_m2=DPP_IGT.criteria.bmi_kg_m2, age_years=DPP_IGT.criteria.age_years)
    population_mean = screening_test(candidates[eligible.met(candidates)]).glucose_2h_mg_dl.mean()
    low, high = measured < 160.0, measured > 180.0
    assert measured[low].max() < population_mean < measured[high].min()
    for end, sign in ((low, 1), (high, -1)):  # toward the mean by more than 4 standard errors
        change = (usual - measured)[end]
        assert sign * change.mean() > 4 * change.std() / np.sqrt(end.sum())
    # shrinkage toward the mean: σ²_between / (σ²_between + cv²) ≈ 0.6 on the log scale; 1 would be no regression
    assert np.polyfit(np.log(measured), np.log(usual), 1)[0] < 0.85
    # enrolled on the model's values instead, everyone's usual level is inside
    assert DPP_IGT.sample(60, seed=2, screening="model").glucose_2h_mg_dl.between(*TWO_HOUR).all()


def test_the_share_enrolled_from_outside_is_what_the_cv_implies(monkeypatch):
    """A stand-in screening test (2-h glucose = 4.5 × BMI, a known distribution) makes the share exact:
    a candidate with usual value g is enrolled with probability P(140 ≤ g·F ≤ 199), F the log-normal
    day-to-day factor; the enrolled share with g outside is ∫ P·[g outside] / ∫ P over the BMI law."""
    monkeypatch.setattr(population, "screening_test", lambda c: pd.DataFrame(
        {"fasting_glucose_mg_dl": 100.0, "glucose_2h_mg_dl": 4.5 * c["bmi_kg_m2"].to_numpy()}, index=c.index))
    n = 4000
    cohort = DPP_IGT.sample(n, seed=4, criteria=InclusionCriteria(glucose_2h_mg_dl=TWO_HOUR))
    share = (~cohort.glucose_2h_mg_dl.between(*TWO_HOUR)).mean()

    cv = WITHIN_PERSON_CV["glucose_2h"]
    u = (np.arange(200_000) + 0.5) / 200_000
    g = 4.5 * DPP_IGT.marginals["bmi_kg_m2"].quantile(u, np.zeros(u.size, dtype=bool))
    lo, hi = (np.log(b / g) / cv + cv / 2 for b in TWO_HOUR)  # log F = cv·z − cv²/2
    enrolled = norm.cdf(hi) - norm.cdf(lo)
    expected = np.sum(enrolled * ((g < TWO_HOUR[0]) | (g > TWO_HOUR[1]))) / enrolled.sum()
    assert 0.1 < expected < 0.4
    assert share == pytest.approx(expected, abs=4 * np.sqrt(expected * (1 - expected) / n))


def test_measured_entry_is_the_same_for_any_split_into_calls():
    whole = DPP_IGT.sample(10, seed=6)
    parts = pd.concat([DPP_IGT.sample(4, seed=6), DPP_IGT.sample(6, seed=6, first=4)])
    pd.testing.assert_frame_equal(whole, parts)
    assert whole.columns.str.endswith("_measured").sum() == 2


@given(st.one_of(st.text(), st.integers(), st.none()).filter(lambda v: v not in ("measured", "model")))
def test_an_unknown_screening_mode_is_named(mode):
    with pytest.raises(InputError, match="screening") as error:
        DPP_IGT.sample(1, seed=1, screening=mode)
    assert error.value.value == mode and "measured" in error.value.allowed
