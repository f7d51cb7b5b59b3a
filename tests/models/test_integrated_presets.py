"""Each preset, defined by drivers only, lands in the published range of its group.

Ranges from ../shared/refs/mechanisms/group_values.md, checked against the primary sources named
per measure (abstract-level unless a table is named). Insulin 1 µU/mL = 6 pmol/L. M-value from an
80 mU/m²/min clamp (steady-state insulin ≈100 µU/mL, as in the published 40 mU/m²/min clamps; see
test_integrated.py). The ranges are the groups' published values, never this model's output: where
today's model misses one, the case is an expected failure with the gap named (KNOWN_GAPS).
"""

import pytest

from irsim import OGTT, Clamp, Simulation
from irsim.patients import PATIENTS

#: measure: {preset: (low, high)}; sources in the comments
RANGES = {
    # ADA categories; T2D untreated 8.1-8.3 mmol/L (Gastaldelli 2000/2001, DeFronzo 1982)
    "fasting_glucose_mg_dl": {"healthy_lean": (70, 99), "obese_insulin_resistant": (70, 99), "ifg": (100, 125),
                              "igt": (70, 125), "t2d": (126, 200)},
    # ADA categories. ifg as *isolated* IFG (2-h < 140 mg/dL): two thirds of US adults with IFG have a normal
    # 2-h glucose (NHANES 2005-06: IFG only 19.4 %, IFG + IGT 9.8 %; Karve & Hayward 2010 Diabetes Care
    # 33:2355, abstract), and isolated IFG is the phenotype with its own mechanism (hepatic insulin resistance
    # and low basal secretion at normal muscle sensitivity: Meyer 2006 Diabetes Care 29:1909; Bock 2006
    # Diabetes 55:3536)
    "glucose_2h_mg_dl": {"healthy_lean": (70, 139), "obese_insulin_resistant": (70, 139), "ifg": (70, 139),
                         "igt": (140, 199), "t2d": (200, 400)},
    # lean 5-10 µU/mL; obese cohort 14.7 mU/L (Obes Facts 2015); IGT 13, T2D 17-19 µU/mL (Miyazaki 2003, DeFronzo 1982)
    "fasting_insulin_pmol_l": {"healthy_lean": (18, 65), "obese_insulin_resistant": (60, 150), "ifg": (45, 150),
                               "igt": (45, 150), "t2d": (40, 150)},
    # Botnia NGT 1.73; obese 4.0; iIFG 2.64; T2D 2.9-7.7 (Tripathy 2000, Obes Facts 2015, Miyazaki 2003)
    "homa1_ir": {"healthy_lean": (0.5, 2.0), "obese_insulin_resistant": (2.0, 5.5), "ifg": (2.0, 5.5),
                 "igt": (2.0, 5.5), "t2d": (2.5, 8.0)},
}
#: clamp M (mg/kg/min at ≈100 µU/mL): lean 6.4-9.5 (DeFronzo 1982/1985), obese ≈3.4 (Golay), IGT 5.4, T2D 4.4-4.9
M_RANGES = {"healthy_lean": (5.5, 10.0), "obese_insulin_resistant": (2.5, 6.0), "ifg": (2.5, 7.0),
            "igt": (2.5, 6.0), "t2d": (1.5, 5.0)}
#: fasting state, group means: EGP mg/kg/min (≈2.0 lean, DeFronzo 2004; T2D 2.2-3.0 per kg FFM, Gastaldelli 2000),
#: FFA mmol/L (lean 0.3-0.5, obese ≈0.6-0.7, T2D ≈0.65: Karpe 2011, Obes Facts 2015, Miyazaki 2001),
#: adiponectin µg/mL (lean men 8.6, IR 5.6: Kern 2003; obese T2D 4.6), CRP mg/L (NGT 0.87, IGT 1.18; morbid obesity 8.6)
FASTING = {
    "EGP": {"healthy_lean": (1.7, 2.4), "t2d": (1.8, 3.0)},
    # prediabetes: fasting FFA high in IGT and IFG + IGT whether or not obese (Sasaki 2021 Clin Obes, abstract);
    # between the lean 0.3-0.5 (Karpe 2011 Diabetes 60:2441) and obese 0.66±0.24 (SD; Obes Facts 2015, PMID 25895754, table 1)
    # / T2D 0.65 (Miyazaki 2001 Diabetes Care 24:710) group means
    "FFA": {"healthy_lean": (0.3, 0.5), "obese_insulin_resistant": (0.5, 0.9), "ifg": (0.4, 0.9), "igt": (0.4, 0.9),
            "t2d": (0.5, 1.0)},
    # prediabetes: no IFG- or IGT-specific mean found; the insulin-resistant non-diabetic groups are 5.6±0.6 (SE;
    # BMI-matched IR, Kern 2003 Diabetes 52:1779), 6.6±1.8 (SD; non-obese IR relatives, Diabetes 2003 52:1182,
    # first author not verified), obese non-diabetic 6.44±2.47 (SD; Mohammadzadeh & Zarghami, J Res Med Sci, year
    # not verified): below the lean
    # men's 8.6, above obese T2D's 4.55
    "plasma_adiponectin": {"healthy_lean": (6.0, 15.0), "obese_insulin_resistant": (3.0, 7.0), "ifg": (3.5, 8.0),
                           "igt": (3.5, 8.0), "t2d": (3.0, 7.0)},
    # prediabetes: isolated IFG 1.49±0.5, isolated IGT 2.49±0.3 mg/L (SE; IRAS, Festa 2004 Diabetes 53:1549);
    # IGT median 1.18 (IQR 0.52-2.52; Hong Kong, Diabetes Care 2003 26:2323); upper ends: iIGT mean + 2 SE
    "plasma_crp": {"healthy_lean": (0.3, 1.9), "obese_insulin_resistant": (1.0, 9.0), "ifg": (0.5, 3.1),
                   "igt": (0.8, 3.1), "t2d": (1.0, 9.0)},
}
#: fasting EGP per kg fat-free mass (µmol/min/kg FFM), the unit the tracer studies report it in, so groups of
#: different body composition compare directly (FFM = BW − total fat): lean 12.4±1.4, obese NGT 13.1±0.7 (not
#: different), T2D 15.6±0.5 (Gastaldelli 2000 Diabetes 49:1367); lean control 12.2±0.7, T2D 15.2±0.4
#: (Gastaldelli 2001 Diabetes 50:1807); NGT at BMI 25 15.1±0.5, lean / obese T2D 16.3 / 17.2 (Gastaldelli 2007
#: Gastroenterology 133:496; spread as printed in the abstracts). IFG: not different from normal fasting glucose (Bock 2006 Diabetes 55:3536,
#: Mayo triple-tracer; hepatic insulin resistance at higher insulin); Pima EGO +8 % in isolated IFG, −1 % in
#: isolated IGT, +13 % in IFG + IGT (Weyer 1999 Diabetes 48:2197), hence the NGT range +13 % for prediabetes.
EGP_PER_KG_FFM = {"healthy_lean": (10.0, 15.0), "obese_insulin_resistant": (10.5, 16.0), "ifg": (10.5, 18.0),
                  "igt": (10.5, 18.0), "t2d": (13.0, 19.5)}
UMOL_PER_MG_GLUCOSE = 5.55

#: (measure, preset) where today's model is outside a range the sources make firm: expected failures, for the lead
KNOWN_GAPS = {
    ("glucose_2h_mg_dl", "ifg"): "the ifg preset is IFG + IGT (2-h ≈167 mg/dL), not the commoner isolated IFG "
                                 "(Karve 2010): first and second phase fall together in this model",
    # Dalla Man's fluxes are per kg body weight, while EGP scales with fat-free mass: the obese presets' fasting
    # EGP per kg FFM sits ~40 % above the tracer studies' (a structural limit, docs/mechanisms.md)
    ("EGP_per_kg_FFM", "obese_insulin_resistant"): "fasting EGP ≈18.9 µmol/min/kg FFM, ~40 % above obese NGT "
                                                   "(13.1±0.7, Gastaldelli 2000): fluxes per kg body weight",
    ("EGP_per_kg_FFM", "ifg"): "fasting EGP ≈18.2 µmol/min/kg FFM, above IFG's (Bock 2006: as normal fasting "
                               "glucose): fluxes per kg body weight",
}


def _cases(table: dict) -> list:
    """One pytest case per (measure, preset), the known gaps marked as non-strict expected failures."""
    return [pytest.param(m, preset, bounds, id=f"{m}-{preset}",
                         marks=[pytest.mark.xfail(strict=False, reason=KNOWN_GAPS[m, preset])] if (m, preset) in KNOWN_GAPS
                         else []) for m, by_preset in table.items() for preset, bounds in by_preset.items()]


@pytest.fixture(scope="module")
def ogtt():
    return {name: Simulation("integrated", p.parameter_set, OGTT()).solve() for name, p in PATIENTS.items()}


@pytest.mark.parametrize("measure, preset, bounds", _cases(RANGES))
def test_ogtt_measures_in_the_groups_published_range(ogtt, measure, preset, bounds):
    value = ogtt[preset].summary()[measure].iloc[0]
    assert bounds[0] <= value <= bounds[1], (preset, measure, value)


@pytest.mark.parametrize("variable, preset, bounds", _cases(FASTING))
def test_fasting_mechanism_values_in_the_groups_published_range(ogtt, variable, preset, bounds):
    value = ogtt[preset][variable][0, 0]
    assert bounds[0] <= value <= bounds[1], (preset, variable, value)


@pytest.mark.parametrize("measure, preset, bounds", _cases({"EGP_per_kg_FFM": EGP_PER_KG_FFM}))
def test_fasting_egp_per_kg_fat_free_mass_in_the_groups_published_range(ogtt, measure, preset, bounds):
    params = ogtt[preset].params
    per_kg_ffm = ogtt[preset]["EGP"][0, 0] * params["BW"] / (params["BW"] - params["total_fat_kg"])
    assert bounds[0] <= per_kg_ffm * UMOL_PER_MG_GLUCOSE <= bounds[1], (preset, per_kg_ffm * UMOL_PER_MG_GLUCOSE)


def test_clamp_m_value_in_the_groups_published_range():
    for preset, (lo, hi) in M_RANGES.items():
        m = Simulation("integrated", PATIENTS[preset].parameter_set, Clamp(insulin_mU_m2_min=80.0)).solve().summary()
        assert lo <= m["m_value_mg_kg_min"].iloc[0] <= hi, (preset, m["m_value_mg_kg_min"].iloc[0])


def test_presets_are_drivers_only():
    from irsim.models.integrated import DRIVERS

    for p in PATIENTS.values():
        assert p.model == "integrated" and set(p.parameter_set.values) <= set(DRIVERS), p.name


def test_healthy_lean_reproduces_the_dalla_man_normal_meal():
    """Calibration anchor (Dalla Man 2007, normal subject, 78 g meal): glucose RMS < 10 %, insulin peak ± 20 %."""
    from irsim import Meal

    meal = Meal(78.0, duration_min=420.0)
    dm = Simulation("dalla-man-2007", "normal", meal).solve()
    ours = Simulation("integrated", PATIENTS["healthy_lean"].parameter_set, meal).solve()
    rms = ((ours["G"][:, 0] - dm["G"][:, 0]) ** 2).mean() ** 0.5 / dm["G"][:, 0].mean()
    assert rms < 0.10
    assert ours["I"].max() == pytest.approx(dm["I"].max(), rel=0.20)


def test_t2d_comes_close_to_the_dalla_man_type_2_meal():
    """Calibration anchor, second half: the t2d preset, an earlier and milder type 2 patient (FPG 133 against the
    paper's 159 mg/dL), stays within a quarter of the Dalla Man 2007 type 2 subject's 78 g meal glucose (RMS)
    and within 20 % of its insulin peak (docs/mechanisms.md)."""
    from irsim import Meal

    meal = Meal(78.0, duration_min=420.0)
    dm = Simulation("dalla-man-2007", "t2d", meal).solve()
    ours = Simulation("integrated", PATIENTS["t2d"].parameter_set, meal).solve()
    rms = ((ours["G"][:, 0] - dm["G"][:, 0]) ** 2).mean() ** 0.5 / dm["G"][:, 0].mean()
    assert rms < 0.25
    assert ours["I"].max() == pytest.approx(dm["I"].max(), rel=0.20)
