"""ROC analysis against a published worked example, a case done by hand, and invariants.

Worked example: Hanley & McNeil 1982 (Radiology 143:29, table 1), CT images of 109 patients rated
1 (definitely normal) to 5 (definitely abnormal): 58 normal (33, 6, 6, 11, 2) and 51 abnormal
(3, 2, 2, 11, 33). Hanley & McNeil give the area 0.893; Stata's ``roctab`` manual analyses the same
data with DeLong's standard error: area 0.8932, SE 0.0307, asymptotic 95 % CI 0.83295–0.95339.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from irsim.errors import InputError
from irsim.trials.roc import delong, roc, roc_curve

RATING = np.repeat([1, 2, 3, 4, 5, 1, 2, 3, 4, 5], [33, 6, 6, 11, 2, 3, 2, 2, 11, 33])
ABNORMAL = np.repeat([False, True], [58, 51])


def test_hanley_mcneil_ct_ratings_as_stata_reports_them():
    result = roc(RATING, ABNORMAL)
    assert result.auc == pytest.approx(0.8932, abs=5e-5)
    assert result.se == pytest.approx(0.0307, abs=5e-5)
    assert (result.lower, result.upper) == pytest.approx((0.83295, 0.95339), abs=5e-6)
    assert (result.n_cases, result.n_controls) == (51, 58)
    # Youden's best cut-off by hand: "≥ 4" finds 44 of 51 abnormal and calls 13 of 58 normal positive
    assert result.cutoff == 4
    assert (result.sensitivity, result.specificity) == pytest.approx((44 / 51, 45 / 58))


def test_small_case_by_hand():
    # cases 3, 5, 5; non-cases 1, 3, 4, 6. Pairs won: 3 → (1, ½ for 3) = 1.5; 5 → (1, 3, 4) = 3 each
    values, outcome = [3, 5, 5, 1, 3, 4, 6], [1, 1, 1, 0, 0, 0, 0]
    auc, se = delong(values, outcome)
    assert auc == pytest.approx(7.5 / 12)
    # placement values: cases 1.5/4, 3/4, 3/4; non-cases 1, 2.5/3, 2/3, 0 (share of cases above, ties ½)
    v10, v01 = np.array([0.375, 0.75, 0.75]), np.array([1, 2.5 / 3, 2 / 3, 0])
    assert se == pytest.approx(np.sqrt(v10.var(ddof=1) / 3 + v01.var(ddof=1) / 4))
    curve = roc_curve(values, outcome)
    assert curve.cutoff.tolist() == [np.inf, 6, 5, 4, 3, 1]
    assert curve.sensitivity.tolist() == pytest.approx([0, 0, 2 / 3, 2 / 3, 1, 1])
    assert curve.specificity.tolist() == pytest.approx([1, 0.75, 0.75, 0.5, 0.25, 0])
    # the trapezoidal area under the empirical curve is the Mann–Whitney area
    fpr, tpr = 1 - curve.specificity.to_numpy(), curve.sensitivity.to_numpy()
    assert np.trapezoid(tpr, fpr) == pytest.approx(auc)
    best = roc(values, outcome)
    assert (best.cutoff, best.sensitivity, best.specificity) == (5, pytest.approx(2 / 3), 0.75)  # J = 5/12


def test_a_measure_that_predicts_when_low():
    rng = np.random.default_rng(3)
    outcome = rng.random(200) < 0.3
    values = rng.normal(size=200) - 1.2 * outcome  # cases lower
    low = roc(values, outcome, "low")
    high = roc(values, outcome, "high")
    assert low.auc > 0.7 and low.auc == pytest.approx(1 - high.auc) and low.se == pytest.approx(high.se)
    # "low": positive at or below the cut-off
    positive = values <= low.cutoff
    assert low.sensitivity == pytest.approx(positive[outcome].mean())
    assert low.specificity == pytest.approx(1 - positive[~outcome].mean())


@given(st.lists(st.integers(0, 6), min_size=2, max_size=30), st.integers(0, 2**32 - 1))
def test_invariants(values, seed):
    rng = np.random.default_rng(seed)
    outcome = np.arange(len(values)) % 2 == 0
    rng.shuffle(outcome)
    result = roc(values, outcome)
    assert 0 <= result.lower <= result.auc <= result.upper <= 1
    curve = result.curve
    assert np.all(np.diff(curve.sensitivity) >= 0) and np.all(np.diff(curve.specificity) <= 0)
    # invariant under a monotone transform of the measure, and the Mann–Whitney pair count
    assert roc(np.exp(np.asarray(values, float)), outcome).auc == pytest.approx(result.auc)
    x = np.asarray(values, float)
    pairs = (x[outcome][:, None] > x[~outcome][None, :]) + 0.5 * (x[outcome][:, None] == x[~outcome][None, :])
    assert result.auc == pytest.approx(pairs.mean())
    j = curve.sensitivity + curve.specificity - 1
    assert result.youden_j == pytest.approx(j.max())


@pytest.mark.parametrize(("values", "outcome", "direction", "field"), [
    ([1, 2], [1, 1], "high", "outcome"),            # no non-case
    ([1, 2], [0, 2], "high", "outcome"),            # not binary
    ([1, np.nan], [0, 1], "high", "values"),        # unmeasured
    ([1, 2, 3], [0, 1], "high", "values/outcome"),  # lengths differ
    ([1, 2], [0, 1], "up", "direction"),
])
def test_bad_input_names_the_field(values, outcome, direction, field):
    with pytest.raises(InputError) as error:
        roc(values, outcome, direction)
    assert error.value.field == field
