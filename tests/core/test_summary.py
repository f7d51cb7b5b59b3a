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
