"""Summary measures: the fast area-under-curve equals NumPy's trapezoid rule on any grid."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim.analysis.summary import _auc


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.01, 30.0), min_size=1, max_size=40), st.integers(1, 5), st.integers(0, 2**31 - 1))
def test_auc_equals_trapezoid_rule(steps, n_patients, seed):
    t = np.concatenate([[0.0], np.cumsum(steps)])
    y = np.random.default_rng(seed).uniform(0, 300, (t.size, n_patients))
    np.testing.assert_allclose(_auc(y, t), np.trapezoid(y, t, axis=0), rtol=1e-12, atol=1e-9)


def test_estimated_hba1c_reproduces_the_adag_table():
    """Nathan et al. 2008 (ADAG), Table 1: estimated average glucose 154 mg/dL ↔ HbA1c 7 %, 126 ↔ 6 %."""
    from irsim.analysis.summary import _daily

    for mean_glucose, hba1c in ((154.0, 7.0), (126.0, 6.0), (183.0, 8.0)):
        out = _daily({"G": np.full((24, 1), mean_glucose)})
        assert abs(out["estimated_hba1c_pct"][0] - hba1c) < 0.05


def test_daily_life_hba1c_separates_healthy_from_type_2():
    """ADA: HbA1c < 5.7 % normal, ≥ 6.5 % diabetes."""
    from irsim import DailyLife, Simulation

    healthy, t2d = (Simulation("dalla-man-2007", s, DailyLife()).solve(step_min=5).summary().iloc[0]
                    for s in ("normal", "t2d"))
    assert healthy.estimated_hba1c_pct < 5.7 and t2d.estimated_hba1c_pct >= 6.5
