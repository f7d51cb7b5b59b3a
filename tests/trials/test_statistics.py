"""Kaplan–Meier, incidence and Cox regression against a textbook example, an independent optimiser and lifelines.

Textbook data: the 6-MP vs placebo remission times of Freireich et al. 1963 (Blood 21:699), as tabulated in
Kleinbaum & Klein, Survival Analysis: A Self-Learning Text (3rd ed., 2012), chapters 2–3: the 6-MP
Kaplan–Meier estimates and the Cox fit of the treatment indicator with Breslow ties (coef 1.509,
SE 0.410, HR 4.523, 95 % CI 2.027–10.094).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from scipy.stats import chi2

from irsim.errors import InputError
from irsim.trials.statistics import cox_fit, incidence, kaplan_meier

MP_TIME = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
MP_EVENT = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
PLACEBO_TIME = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
TIME = np.r_[MP_TIME, PLACEBO_TIME].astype(float)
EVENT = np.r_[MP_EVENT, [1] * 21].astype(bool)
PLACEBO = np.r_[[0] * 21, [1] * 21].astype(float)


def test_kaplan_meier_of_the_6mp_group():
    km = kaplan_meier(MP_TIME, np.array(MP_EVENT, bool))
    assert km.time.tolist() == [0, 6, 7, 10, 13, 16, 22, 23]
    assert km.at_risk.tolist() == [21, 21, 17, 15, 12, 11, 7, 6]
    np.testing.assert_allclose(km.survival, [1, 0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448], atol=5e-4)
    # Greenwood SE at t = 6 is 0.0764 (Kleinbaum & Klein); the log–log interval contains S and is asymmetric
    assert np.all((km.lower <= km.survival) & (km.survival <= km.upper))
    s, lo = km.survival[1], km.lower[1]
    se = 0.0764
    assert np.log(-np.log(lo)) - np.log(-np.log(s)) == pytest.approx(1.959964 * se / (s * -np.log(s)), rel=2e-3)


def test_cox_breslow_matches_the_textbook_fit():
    fit = cox_fit(TIME, EVENT, PLACEBO)
    assert fit.converged
    assert fit.coef[0] == pytest.approx(1.509, abs=5e-4)
    assert fit.se[0] == pytest.approx(0.410, abs=5e-4)
    assert fit.hazard_ratio[0] == pytest.approx(4.523, abs=5e-3)
    lower, upper = fit.ci
    assert (lower[0], upper[0]) == pytest.approx((2.027, 10.094), abs=5e-3)


def breslow_loglik(beta, time, event, x):
    """The Breslow partial likelihood written out event by event (a separate, slow implementation)."""
    total = 0.0
    for t in np.unique(time[event]):
        dying = event & (time == t)
        total += beta * x[dying].sum() - dying.sum() * np.log(np.exp(beta * x[time >= t]).sum())
    return total


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cox_maximises_the_breslow_likelihood_with_ties(seed):
    rng = np.random.default_rng(seed)
    n = 120
    x = (rng.random(n) < 0.5).astype(float)
    time = np.ceil(rng.exponential(2.0 * np.exp(-0.7 * x)) * 2) / 2  # visits every half year: many ties
    event = time <= 3.0
    time = np.minimum(time, 3.0)
    fit = cox_fit(time, event, x)
    best = minimize_scalar(lambda b: -breslow_loglik(b, time, event, x), bounds=(-5, 5), method="bounded",
                           options={"xatol": 1e-10})
    assert fit.coef[0] == pytest.approx(best.x, abs=1e-5)
    assert fit.log_likelihood == pytest.approx(-best.fun, abs=1e-8)
    h = 1e-4  # observed information by finite differences
    curvature = (breslow_loglik(best.x + h, time, event, x) - 2 * breslow_loglik(best.x, time, event, x)
                 + breslow_loglik(best.x - h, time, event, x)) / h**2
    assert fit.se[0] == pytest.approx(1 / np.sqrt(-curvature), rel=1e-4)


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")
def test_cox_agrees_with_lifelines_without_ties():
    lifelines = pytest.importorskip("lifelines", reason="lifelines (optional test oracle) is not installed")
    import pandas as pd

    rng = np.random.default_rng(5)
    n = 300
    frame = pd.DataFrame({"x": (rng.random(n) < 0.5).astype(float), "age": rng.normal(0, 1, n)})
    frame["T"] = rng.exponential(np.exp(-(0.5 * frame.x + 0.3 * frame.age)))
    frame["E"] = rng.random(n) < 0.8
    reference = lifelines.CoxPHFitter().fit(frame, "T", "E")
    fit = cox_fit(frame["T"], frame["E"], frame[["x", "age"]].to_numpy())
    # lifelines stops its Newton iterations at ~1e-6 relative change; ours at 1e-9
    np.testing.assert_allclose(fit.coef, reference.params_[["x", "age"]], rtol=1e-5)
    np.testing.assert_allclose(fit.se, reference.standard_errors_[["x", "age"]], rtol=1e-4)


def test_hazard_ratio_invariants():
    fit = cox_fit(TIME, EVENT, PLACEBO)
    swapped = cox_fit(TIME, EVENT, 1 - PLACEBO)
    assert swapped.hazard_ratio[0] == pytest.approx(1 / fit.hazard_ratio[0], rel=1e-9)
    assert cox_fit(TIME * 52.0, EVENT, PLACEBO).coef[0] == pytest.approx(fit.coef[0], rel=1e-12)  # time unit


def test_cox_reports_what_it_cannot_estimate():
    separated = cox_fit([1, 2, 3, 4], [1, 1, 0, 0], [1, 1, 0, 0])
    assert not separated.converged and np.isnan(separated.hazard_ratio[0])
    no_events = cox_fit([1, 2, 3], [0, 0, 0], [1, 0, 1])
    assert not no_events.converged and np.isnan(no_events.coef[0])


def test_incidence_with_exact_poisson_interval():
    rate = incidence(np.r_[[True] * 30, [False] * 70], np.full(100, 2.5))
    assert rate.per_100_person_years == pytest.approx(12.0)
    assert rate.lower == pytest.approx(100 * chi2.ppf(0.025, 60) / 2 / 250)
    assert rate.upper == pytest.approx(100 * chi2.ppf(0.975, 62) / 2 / 250)
    zero = incidence([False] * 10, [1.0] * 10)
    assert zero.per_100_person_years == 0 and zero.upper == pytest.approx(100 * 3.689 / 10, rel=1e-3)  # "rule of 3.69"


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=5))
def test_invalid_times_are_refused(times):
    bad = [t for t in times if not (np.isfinite(t) and t >= 0)]
    if not bad:
        times = [*times, -1.0]
    with pytest.raises(InputError, match="time"):
        kaplan_meier(times, [True] * len(times))
