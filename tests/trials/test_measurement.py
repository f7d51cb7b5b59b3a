"""Visit measurements: day-to-day variation of the documented size (Mooy 1996), confirmation of a
diagnosis, reproducibility per patient, and spec errors that name the key."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

from irsim.analysis.diagnosis import glycaemic_category
from irsim.errors import IrsimError
from irsim.trials.measurement import MEASURES, WITHIN_PERSON_CV, Measurement, measure
from irsim.trials.spec import parse_spec


def rows(n_patients, fpg, glucose_2h=np.nan, hba1c=5.8, visits=(0.0, 1.0)):
    return pd.DataFrame([{"patient": p, "time_years": t, "fasting_glucose_mg_dl": fpg, "glucose_2h_mg_dl": glucose_2h,
                          "hba1c_pct": hba1c} for p in range(n_patients) for t in visits])


def test_without_variation_a_diagnosis_is_the_thresholds_on_the_models_values():
    """The thresholds are irsim.analysis.diagnosis's: 11.1 mmol/L (199.97 mg/dL) is diabetic as in the ADA category."""
    table = pd.concat([rows(1, 120.0, 150.0), rows(1, 127.0, 150.0), rows(1, 110.0, 205.0), rows(1, 100.0, 150.0, 6.6),
                       rows(1, 100.0, 199.98)])
    table["patient"] = np.repeat(np.arange(5), 2)
    none = Measurement({k: 0.0 for k in MEASURES}, confirm=True, diagnosis=("fpg", "glucose_2h"))
    out = measure(table, seed=1, measurement=none)
    assert out.groupby("patient").diabetes_confirmed.all().tolist() == [False, True, True, False, True]  # no HbA1c
    category = glycaemic_category(fpg_mg_dl=table.fasting_glucose_mg_dl.to_numpy(),
                                  ogtt_2h_mg_dl=table.glucose_2h_mg_dl.to_numpy()).category
    np.testing.assert_array_equal(out.diabetes_confirmed.to_numpy(), category == "diabetes")
    np.testing.assert_array_equal(out.fasting_glucose_mg_dl_measured, table.fasting_glucose_mg_dl)


def test_day_to_day_variation_has_the_documented_size_and_mean_one():
    out = measure(rows(4000, 110.0, 170.0, 6.0), seed=3, measurement=Measurement())
    for name, (column, _) in MEASURES.items():
        ratio = out[f"{column}_measured"] / out[column]
        assert np.log(ratio).std() == pytest.approx(WITHIN_PERSON_CV[name], rel=0.03)
        assert ratio.mean() == pytest.approx(1.0, abs=3 * WITHIN_PERSON_CV[name] / np.sqrt(len(out)))


def test_confirmation_asks_for_the_repeat_test_too():
    """True FPG 121 mg/dL: one test reaches 126 with probability p = P(z ≥ ln(126/121)/cv + cv/2); a confirmed
    diagnosis needs both the visit's and the repeat's, p² (2-h glucose and HbA1c far below their thresholds)."""
    cv = WITHIN_PERSON_CV["fpg"]
    p = norm.sf(np.log(126.0 / 121.0) / cv + cv / 2)
    table = rows(20000, 121.0, 100.0, 5.0, visits=(0.0,))
    single = measure(table, 5, Measurement(confirm=False)).diabetes_confirmed.mean()
    confirmed = measure(table, 5, Measurement(confirm=True)).diabetes_confirmed.mean()
    assert single == pytest.approx(p, abs=4 * np.sqrt(p / 20000))
    assert confirmed == pytest.approx(p * p, abs=4 * np.sqrt(p * p / 20000))


def test_two_diabetic_tests_of_one_visit_confirm_each_other():
    table = rows(1, 140.0, 260.0, visits=(0.0,))
    out = measure(table, 2, Measurement({"fpg": 0.0, "glucose_2h": 0.0}, confirm=True))
    assert out.diabetes_confirmed.iloc[0]


def test_a_patients_measurements_depend_on_seed_and_patient_only():
    table = rows(10, 115.0, 180.0, 6.1, visits=(0.0, 0.5, 1.0))
    whole = measure(table, 7, Measurement())
    parts = pd.concat([measure(table[table.patient < 4], 7, Measurement()),
                       measure(table[table.patient >= 4], 7, Measurement())], ignore_index=True)
    pd.testing.assert_frame_equal(whole, parts)
    assert not measure(table, 8, Measurement()).fasting_glucose_mg_dl_measured.equals(whole.fasting_glucose_mg_dl_measured)


def test_a_test_not_done_stays_missing_and_cannot_diagnose():
    out = measure(rows(50, 100.0, np.nan, 5.5), 1, Measurement())
    assert out.glucose_2h_mg_dl_measured.isna().all() and not out.diabetes_confirmed.any()


BASE = {"name": "t", "duration_years": 1.0, "population": {"name": "dpp_igt", "n": 10},
        "arms": [{"name": "a"}, {"name": "b"}], "visits": [{"every_years": 1.0, "tests": ["fpg"]}]}


@pytest.mark.parametrize("table, field", [
    ({"within_person_cv": {"fpg": 0.9}}, "measurement.within_person_cv.fpg"),
    ({"within_person_cv": {"fpg": "6 %"}}, "measurement.within_person_cv.fpg"),
    ({"within_person_cv": {"ldl": 0.1}}, "ldl"),
    ({"diagnosis": []}, "measurement.diagnosis"),
    ({"diagnosis": ["fgp"]}, "fpg"),
    ({"confirm": "yes"}, "measurement.confirm"),
    ({"repeat": True}, "repeat"),
    ("strict", "measurement"),
])
def test_a_malformed_measurement_table_names_the_key(table, field):
    with pytest.raises(IrsimError, match=field):
        parse_spec({**BASE, "measurement": table})


@given(st.floats(min_value=0.0, max_value=0.5))
def test_any_cv_in_range_is_accepted_and_recorded(cv):
    spec = parse_spec({**BASE, "measurement": {"within_person_cv": {"glucose_2h": cv}, "diagnosis": ["glucose_2h"]}})
    assert spec.measurement.record()["within_person_cv"]["glucose_2h"] == cv
    assert spec.record()["measurement"]["diagnosis"] == ["glucose_2h"]


def test_the_screening_test_a_trial_enrolled_on_is_its_baseline_measurement():
    """DPP, ACT NOW: the qualifying OGTT is the baseline. Its measured values stand at the first visit (so nobody
    enrolled below the diabetic thresholds is diagnosed at baseline on a new draw); later visits draw anew."""
    rows = pd.DataFrame({"patient": [0, 0, 1, 1], "time_years": [0.0, 1.0, 0.0, 1.0],
                         "fasting_glucose_mg_dl": [124.0, 124.0, 110.0, 110.0],
                         "glucose_2h_mg_dl": [198.0, 198.0, np.nan, 160.0], "hba1c_pct": np.nan})
    enrolled = pd.DataFrame({"fasting_glucose_mg_dl_measured": [118.0, 105.0],
                             "glucose_2h_mg_dl_measured": [185.0, 150.0]}, index=pd.Index([0, 1], name="patient"))
    out = measure(rows, 7, Measurement(), enrolled)
    first = out[out.time_years == 0.0]
    assert first.fasting_glucose_mg_dl_measured.tolist() == [118.0, 105.0]
    assert first.glucose_2h_mg_dl_measured.iloc[0] == 185.0 and np.isnan(first.glucose_2h_mg_dl_measured.iloc[1])
    assert not first.diabetes_confirmed.any()
    fresh = measure(rows, 7, Measurement())
    later = out.time_years == 1.0
    pd.testing.assert_frame_equal(out[later], fresh[later])  # the follow-up draws are the same as without it
