"""Each preset, defined by drivers only, lands in the published range of its group.

Ranges from ../shared/refs/mechanisms/group_values.md; primary sources named per measure. Insulin
1 µU/mL = 6 pmol/L. M-value from an 80 mU/m²/min clamp (steady-state insulin ≈100 µU/mL, as in the
published 40 mU/m²/min clamps; see test_integrated.py).
"""

import pytest

from irsim import OGTT, Clamp, Simulation
from irsim.patients import PATIENTS

#: measure: {preset: (low, high)}; sources in the comments
RANGES = {
    # ADA categories; T2D untreated 8.1-8.3 mmol/L (Gastaldelli 2000/2001, DeFronzo 1982)
    "fasting_glucose_mg_dl": {"healthy_lean": (70, 99), "obese_insulin_resistant": (70, 99), "ifg": (100, 125),
                              "igt": (70, 125), "t2d": (126, 200)},
    "glucose_2h_mg_dl": {"healthy_lean": (70, 139), "obese_insulin_resistant": (70, 139), "igt": (140, 199),
                         "t2d": (200, 400)},
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
#: fasting state: EGP mg/kg/min (≈2.0 lean, DeFronzo 2004; T2D 2.2-3.0 per kg FFM, Gastaldelli 2000),
#: FFA mmol/L (lean 0.3-0.5, obese ≈0.6-0.7, T2D ≈0.65: Karpe 2011, Obes Facts 2015, Miyazaki 2001),
#: adiponectin µg/mL (lean men 8.6, IR 5.6: Kern 2003; obese T2D 4.6), CRP mg/L (NGT 0.87, IGT 1.18; morbid obesity 8.6)
FASTING = {
    "EGP": {"healthy_lean": (1.7, 2.4), "t2d": (1.8, 3.0)},
    "FFA": {"healthy_lean": (0.3, 0.5), "obese_insulin_resistant": (0.5, 0.9), "t2d": (0.5, 1.0)},
    "plasma_adiponectin": {"healthy_lean": (6.0, 15.0), "obese_insulin_resistant": (3.0, 7.0), "t2d": (3.0, 7.0)},
    "plasma_crp": {"healthy_lean": (0.3, 1.9), "obese_insulin_resistant": (1.0, 9.0), "t2d": (1.0, 9.0)},
}


@pytest.fixture(scope="module")
def ogtt():
    return {name: Simulation("integrated", p.parameter_set, OGTT()).solve() for name, p in PATIENTS.items()}


@pytest.mark.parametrize("measure", RANGES)
def test_ogtt_measures_in_the_groups_published_range(ogtt, measure):
    for preset, (lo, hi) in RANGES[measure].items():
        value = ogtt[preset].summary()[measure].iloc[0]
        assert lo <= value <= hi, (preset, measure, value)


@pytest.mark.parametrize("variable", FASTING)
def test_fasting_mechanism_values_in_the_groups_published_range(ogtt, variable):
    for preset, (lo, hi) in FASTING[variable].items():
        value = ogtt[preset][variable][0, 0]
        assert lo <= value <= hi, (preset, variable, value)


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
