"""Dose responses and the Hill fit: the fit recovers a known curve; bad input is refused by name."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim.analysis.dose_response import HillFit, dose_response, fit_hill
from irsim.errors import InputError


@pytest.mark.parametrize("truth", [HillFit(0.27, 0.61, 55.0, 1.07, 0.0), HillFit(2.0, 0.5, 3.0e4, 2.5, 0.0)])
def test_fit_recovers_the_curve_it_was_given(truth):
    c = np.logspace(-1, 6, 30)
    fit = fit_hill(c, truth(c))
    assert fit.basal == pytest.approx(truth.basal, rel=1e-6)
    assert fit.maximum == pytest.approx(truth.maximum, rel=1e-6)
    assert fit.ec50 == pytest.approx(truth.ec50, rel=1e-6)
    assert fit.n == pytest.approx(truth.n, rel=1e-6)
    assert fit.max_residual < 1e-8


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=3))
def test_fit_refuses_fewer_than_four_points(values):
    with pytest.raises(InputError, match="concentration"):
        fit_hill(np.arange(1.0, len(values) + 1.0), values)


@settings(max_examples=20, deadline=None)
@given(st.one_of(st.floats(max_value=-1e-9), st.just(float("nan")), st.just(float("inf"))))
def test_dose_response_refuses_impossible_levels(bad):
    with pytest.raises(InputError, match="levels"):
        dose_response("brannmark-2013", "normal", "medium_insulin", [1.0, bad], [10.0], ["glucose_uptake"])


def test_dose_response_names_an_input_the_model_lacks():
    with pytest.raises(InputError, match="input_name"):
        dose_response("brannmark-2013", "normal", "glucose_infusion", [1.0], [10.0], ["glucose_uptake"])
