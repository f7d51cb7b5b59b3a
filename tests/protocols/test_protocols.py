"""Protocols: readable construction, bad input rejected with the field named, clinical categories."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from irsim import IVGTT, OGTT, Clamp, DailyLife, Fasting, InputError, Meal, Simulation
from irsim.errors import UnknownNameError
from irsim.patients import get_patient
from irsim.protocols import protocol_from_name

bad_numbers = st.one_of(st.floats(max_value=0.0, allow_nan=False), st.just(math.nan), st.just(math.inf))


@given(bad_numbers)
def test_bad_doses_and_durations_are_refused_naming_the_field(value):
    for build, field in ((lambda v: OGTT(glucose_g=v), "glucose_g"), (lambda v: Meal(v), "carbs_g"),
                         (lambda v: Fasting(v), "duration_min"), (lambda v: IVGTT(glucose_g_per_kg=v), "glucose_g_per_kg"),
                         (lambda v: Clamp(insulin_mU_m2_min=v), "insulin_mU_m2_min")):
        with pytest.raises(InputError, match=field):
            build(value)


def test_unknown_protocol_suggests_the_near_miss():
    with pytest.raises(UnknownNameError, match="did you mean 'ogtt'"):
        protocol_from_name("ogt")


def test_ogtt_samples_and_daily_life_meals():
    assert OGTT().sample_times_min == (0, 30, 60, 90, 120)
    day = DailyLife(days=2)
    assert len(day.doses) == 6 and day.duration_min == 2880
    assert [d.time_min for d in day.doses[:3]] == [480, 720, 1200]


def test_ivgtt_insulin_modified_adds_insulin_at_20_min():
    p = IVGTT(insulin_modified=True)
    assert [(d.time_min, d.kind) for d in p.doses] == [(20.0, "iv_insulin_pmol_kg")]
    r = Simulation("dalla-man-2007", "normal", p).solve()
    assert r["I"][21, 0] > 3 * r["I"][19, 0]


def test_composed_protocols_shift_the_second():
    both = OGTT().then(Meal(50.0), at_min=240.0)
    assert [d.time_min for d in both.doses] == [0.0, 240.0]
    assert both.duration_min == 240.0 + 420.0


@pytest.mark.parametrize("name,fpg,g2h", [
    ("healthy_lean", (0, 100), (0, 140)),
    ("obese_insulin_resistant", (0, 100), (0, 140)),
    ("ifg", (100, 126), (0, 200)),
    ("igt", (0, 110), (140, 200)),  # WHO isolated IGT (fasting < 110 mg/dL)
    ("t2d", (126, 1e9), (200, 1e9)),
])
def test_patient_presets_fall_in_their_ada_categories(name, fpg, g2h):
    """ADA 2024 thresholds: IFG FPG 100–125 mg/dL, IGT 2-h 140–199, diabetes FPG ≥126 or 2-h ≥200."""
    p = get_patient(name)
    s = Simulation(p.model, p.parameter_set, OGTT(75)).solve().summary().iloc[0]
    assert fpg[0] <= s.fasting_glucose_mg_dl < fpg[1]
    assert g2h[0] <= s.glucose_2h_mg_dl < g2h[1]


def test_bergman_minimal_model_ivgtt_returns_to_basal_faster_with_higher_si():
    kgs = [Simulation("bergman-minimal", "normal", IVGTT(), overrides={"SI": si}).solve().summary().iloc[0].kg_pct_per_min
           for si in (2e-4, 5e-4, 1e-3)]
    assert np.all(np.diff(kgs) > 0)


@pytest.mark.parametrize("build,field", [
    (lambda: OGTT(glucose_g=75000), "glucose_g"),            # milligrams typed as grams
    (lambda: Meal(78000), "carbs_g"),
    (lambda: IVGTT(glucose_g_per_kg=300), "glucose_g_per_kg"),  # mg/kg typed as g/kg
    (lambda: Clamp(insulin_mU_m2_min=40000), "insulin_mU_m2_min"),
    (lambda: Clamp(target_mg_dl=5.0), "target_mg_dl"),        # mmol/L typed as mg/dL
    (lambda: Fasting(1e7), "duration_min"),
    (lambda: Meal(78, times_min=500.0, duration_min=420.0), "times_min"),
])
def test_implausible_values_are_refused_as_unit_mistakes(build, field):
    with pytest.raises(InputError, match=field):
        build()


def test_simulated_ogtt_indices_see_the_defect_each_preset_carries():
    """Indices from simulated OGTT samples (the same formulas as for patients' data): Matsuda falls
    with insulin resistance; the insulinogenic index falls with the β-cell defect of ``igt`` and
    ``t2d``; the type 2 preset has HOMA1-IR above 2.5 and the lowest Matsuda."""
    s = {name: Simulation("integrated", get_patient(name).parameter_set, OGTT()).solve().summary().iloc[0]
         for name in ("healthy_lean", "obese_insulin_resistant", "igt", "t2d")}
    assert s["healthy_lean"].matsuda > s["obese_insulin_resistant"].matsuda > s["t2d"].matsuda
    assert s["t2d"].homa1_ir > 2.5 > s["healthy_lean"].homa1_ir
    igi = {k: v.insulinogenic_index_pmol_l_per_mmol_l for k, v in s.items()}
    assert igi["obese_insulin_resistant"] > igi["igt"] > igi["t2d"]


def test_doses_after_the_end_and_foreign_options_are_refused():
    with pytest.raises(InputError, match="insulin_time_min = 500"):
        IVGTT(insulin_modified=True, insulin_time_min=500.0)
    with pytest.raises(InputError, match="carbs_g = 50: is not an option of the ogtt protocol"):
        protocol_from_name("ogtt", carbs_g=50)


def test_meal_duration_covers_the_last_meal_by_default():
    """Seven hours after the last meal, as for one meal at 0 (420 min)."""
    assert Meal(78).duration_min == 420.0
    assert Meal([45, 70, 70], [0, 240, 720]).duration_min == 720.0 + 420.0


@pytest.mark.parametrize("test, keys", [
    (OGTT, ("glucose_2h_mg_dl", "glucose_30_mg_dl", "homa1_ir", "matsuda", "insulinogenic_index_pmol_l_per_mmol_l")),
    (IVGTT, ("airg_uU_ml", "airg_auc_uU_ml_min", "kg_pct_per_min")),
])
def test_a_test_after_a_fasting_hour_measures_from_its_own_start(test, keys):
    """Composed protocols measure each test from when it begins: a fasting steady state stays steady,
    so an OGTT or FSIGT after an hour of fasting must give the same measures as on its own."""
    alone = Simulation("dalla-man-2007", "normal", test()).solve().summary().iloc[0]
    later = Simulation("dalla-man-2007", "normal", Fasting(60).then(test())).solve().summary().iloc[0]
    for key in keys:
        assert later[key] == pytest.approx(alone[key], rel=1e-6), key
