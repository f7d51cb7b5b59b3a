"""Glycaemic category and metabolic syndrome at their published thresholds, with missing data."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from irsim.analysis.diagnosis import glycaemic_category, metabolic_syndrome
from irsim.errors import InputError, UnknownNameError


def category(**kw):
    return glycaemic_category(**{k: np.atleast_1d(v) for k, v in kw.items() if k != "criteria"},
                              criteria=kw.get("criteria", "ADA")).category[0]


@pytest.mark.parametrize("fpg, ada, who", [(99, "normal", "normal"), (100, "IFG", "normal"), (109, "IFG", "normal"),
                                           (110, "IFG", "IFG"), (125, "IFG", "IFG"), (126, "diabetes", "diabetes")])
def test_fasting_thresholds_ada_vs_who(fpg, ada, who):
    # ADA 2024: IFG 100–125 mg/dL; WHO 2006: IFG 110–125; diabetes ≥ 126 for both
    assert category(fpg_mg_dl=fpg) == ada
    assert category(fpg_mg_dl=fpg, criteria="WHO") == who


@pytest.mark.parametrize("two_h, expected", [(139, "normal"), (140, "IGT"), (199, "IGT"), (200, "diabetes")])
def test_two_hour_thresholds(two_h, expected):
    assert category(fpg_mg_dl=90, ogtt_2h_mg_dl=two_h) == expected


def test_cut_offs_published_in_mmol_l_are_met_on_the_dot():
    """ADA/WHO print 2-h diabetes as 11.1 mmol/L (200 mg/dL) and WHO IFG as 6.1 mmol/L (110 mg/dL):
    a value read exactly on the mmol/L form meets it although it converts just below the mg/dL one."""
    from irsim.units import to_canonical

    mg = lambda mmol: float(to_canonical(mmol, "mmol/L", "glucose"))  # noqa: E731
    assert category(fpg_mg_dl=90, ogtt_2h_mg_dl=mg(11.1)) == "diabetes"
    assert category(fpg_mg_dl=90, ogtt_2h_mg_dl=mg(11.0)) == "IGT"
    assert category(fpg_mg_dl=mg(6.1), criteria="WHO") == "IFG"
    assert category(fpg_mg_dl=mg(6.0), criteria="WHO") == "normal"
    assert category(fpg_mg_dl=mg(7.0)) == "diabetes" and category(fpg_mg_dl=125) == "IFG"


def test_hdl_cut_off_in_mmol_l_on_the_dot_is_not_low():
    """IDF/NCEP: low HDL < 1.03 mmol/L (40 mg/dL) in men, < 1.29 (50) in women."""
    from irsim.units import to_canonical

    base = {**FULL, "triglycerides_mg_dl": 100.0}
    for sex, on, below in (("M", 1.03, 1.02), ("F", 1.29, 1.28)):
        hdl = [float(to_canonical(v, "mmol/L", "hdl")) for v in (on, below)]
        r = metabolic_syndrome(definition="IDF", **{**{k: np.atleast_1d(v) for k, v in base.items()},
                                                    "sex": np.array([sex, sex]), "hdl_mg_dl": np.array(hdl)})
        assert r.criteria_met[0] == r.criteria_met[1] - 1, sex


def test_diabetes_needs_no_further_measure_and_is_not_flagged_incomplete():
    r = glycaemic_category(fpg_mg_dl=np.array([130.0, 105.0]))
    assert list(r.category) == ["diabetes", "IFG"] and list(r.incomplete) == [False, True]


def test_ifg_plus_igt_and_hba1c():
    assert category(fpg_mg_dl=105, ogtt_2h_mg_dl=150) == "IFG+IGT"
    assert category(hba1c_pct=5.7) == "prediabetes (HbA1c)"  # ADA only
    assert category(hba1c_pct=5.7, criteria="WHO") == "normal"  # WHO has no HbA1c intermediate category
    assert category(hba1c_pct=6.5, criteria="WHO") == "diabetes"  # WHO 2011


def test_result_says_what_it_rests_on():
    r = glycaemic_category(fpg_mg_dl=np.array([90.0, np.nan, 95]), ogtt_2h_mg_dl=np.array([np.nan, np.nan, 120]),
                           hba1c_pct=np.array([np.nan, np.nan, 5.2]))
    assert list(r.category) == ["normal", "", "normal"]
    assert r.basis[0] == "FPG" and r.incomplete[0]
    assert r.basis[1] == "" and not r.incomplete[1]
    assert r.basis[2] == "FPG, 2-h glucose, HbA1c" and not r.incomplete[2]


def test_bad_criteria_and_values():
    with pytest.raises(UnknownNameError, match="criteria"):
        glycaemic_category(fpg_mg_dl=[90], criteria="NICE")
    with pytest.raises(InputError, match="fpg"):
        glycaemic_category(fpg_mg_dl=[-1.0])


SEVERITY = {"normal": 0, "prediabetes (HbA1c)": 1, "IFG": 1, "IGT": 1, "IFG+IGT": 2, "diabetes": 3}


@given(st.floats(60, 300), st.floats(60, 400), st.floats(0, 50), st.floats(0, 80))
def test_higher_glucose_never_lowers_the_category(fpg, two_h, d_fpg, d_two_h):
    low = category(fpg_mg_dl=fpg, ogtt_2h_mg_dl=two_h)
    high = category(fpg_mg_dl=fpg + d_fpg, ogtt_2h_mg_dl=two_h + d_two_h)
    assert SEVERITY[high] >= SEVERITY[low]


def mets(definition="NCEP", **kw):
    return metabolic_syndrome(definition=definition, **{k: np.atleast_1d(v) for k, v in kw.items()})


FULL = dict(sex="M", waist_cm=105.0, triglycerides_mg_dl=160.0, hdl_mg_dl=45.0, systolic_bp_mmhg=120.0,
            diastolic_bp_mmhg=80.0, fpg_mg_dl=90.0)


def test_ncep_needs_three_of_five():
    # Grundy 2005: waist ≥ 102 cm (men), TG ≥ 150 mg/dL → 2 of 5
    assert mets(**FULL).status[0] == "no"
    assert mets(**{**FULL, "fpg_mg_dl": 100.0}).status[0] == "yes"
    assert mets(**{**FULL, "hdl_mg_dl": 45.0, "sex": "F"}).status[0] == "yes"  # HDL < 50 in women


def test_missing_component_gives_undetermined_not_a_guess():
    r = mets(**{**FULL, "fpg_mg_dl": np.nan})
    assert r.status[0] == "undetermined" and r.criteria_assessed[0] == 4 and r.missing[0] == "FPG"


def test_idf_waist_depends_on_ethnicity():
    # Alberti 2005: men ≥ 94 cm (Europid), ≥ 90 cm (South Asian); plus TG and BP → 2 of 4
    base = {**FULL, "waist_cm": 92.0, "systolic_bp_mmhg": 135.0}
    assert mets("IDF", ethnicity=np.array(["south_asian"]), **base).status[0] == "yes"
    assert mets("IDF", ethnicity=np.array(["europid"]), **base).status[0] == "no"
    assert mets("IDF", **base).status[0] == "undetermined"  # 92 cm lies between the possible cut-offs
    assert mets("IDF", **{**base, "waist_cm": 95.0}).status[0] == "yes"  # above every men's cut-off


def test_unknown_sex_still_decides_clear_cases():
    assert mets(**{**FULL, "sex": np.array([None]), "hdl_mg_dl": 35.0, "waist_cm": 110.0}).status[0] == "yes"
    r = mets(**{**FULL, "sex": np.array([None]), "hdl_mg_dl": 45.0, "waist_cm": 95.0})
    assert r.status[0] == "undetermined" and "HDL" in r.missing[0] and "waist" in r.missing[0]


def test_idf_bmi_over_30_stands_in_for_missing_waist():
    base = {**FULL, "waist_cm": np.nan, "systolic_bp_mmhg": 135.0}
    assert mets("IDF", bmi_kg_m2=np.array([31.0]), **base).status[0] == "yes"
    assert mets("IDF", bmi_kg_m2=np.array([25.0]), **base).status[0] == "undetermined"


def test_idf_bmi_does_not_override_a_measured_waist_when_sex_is_unknown():
    """Waist 85 cm meets the women's cut-off (80) but not the men's (94): undetermined without sex,
    and a BMI over 30 must not decide it, since BMI stands in only for an unmeasured waist."""
    kw = dict(waist_cm=85.0, bmi_kg_m2=np.array([35.0]), triglycerides_mg_dl=200.0, systolic_bp_mmhg=140.0)
    assert mets("IDF", **kw).status[0] == "undetermined"
    assert mets("IDF", sex="M", **kw).status[0] == "no" and mets("IDF", sex="F", **kw).status[0] == "yes"


def test_unknown_codes_are_errors():
    with pytest.raises(InputError, match="sex"):
        mets(**{**FULL, "sex": "X"})
    with pytest.raises(UnknownNameError, match="ethnicity"):
        mets("IDF", ethnicity=np.array(["martian"]), **FULL)


component = st.one_of(st.none(), st.floats(1, 400))


@given(st.sampled_from(["NCEP", "IDF"]), st.sampled_from(["M", "F"]), component, component, component, component,
       component, st.floats(1, 400), st.integers(0, 4))
def test_a_determined_result_survives_measuring_the_missing(definition, sex, waist, tg, hdl, sbp, fpg, fill, which):
    # "yes"/"no" from incomplete data must hold whatever the missing value turns out to be
    values = dict(waist_cm=waist, triglycerides_mg_dl=tg, hdl_mg_dl=hdl, systolic_bp_mmhg=sbp, fpg_mg_dl=fpg)
    as_arrays = {k: np.array([np.nan if v is None else v]) for k, v in values.items()}
    before = metabolic_syndrome(definition=definition, sex=np.array([sex]), **as_arrays).status[0]
    key = list(values)[which]
    if values[key] is None and before != "undetermined":
        as_arrays[key] = np.array([fill])
        after = metabolic_syndrome(definition=definition, sex=np.array([sex]), **as_arrays).status[0]
        assert after == before
