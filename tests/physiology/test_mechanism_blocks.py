"""Each mechanism block on its own: its rates evaluated directly on arrays of inputs."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim.models.integrated import integrated
from irsim.physiology.adipose import Adipokines, Lipolysis
from irsim.physiology.hepatic import HepaticGlucoseProduction, HepaticInsulinClearance
from irsim.physiology.inflammation import Inflammation
from irsim.physiology.islet import AdaptiveBetaCell
from irsim.physiology.lipids import LipidIntermediates
from irsim.physiology.mitochondria import Mitochondria
from irsim.physiology.response import hill, tyrosine_transmission
from irsim.physiology.signalling import MuscleInsulinSignalling

DEFAULTS = {name: p.value for name, p in integrated().parameters.items()}
LEAN = {**DEFAULTS, "FFA": 0.4, "ikk_beta": 1.0, "jnk": 1.0, "ceramide_muscle": 1.0, "DAG_muscle": 1.0,
        "liver_fat": 2.0, "pkc_theta": 1.0, "pkc_epsilon": 1.0, "visceral_ratio": 1.0, "plasma_tnf_alpha": 3.1,
        "plasma_il6": 1.2, "plasma_adiponectin": 8.6, "adiponectin_ratio": 1.0, "plasma_resistin": 5.0, "plasma_visfatin": 10.0,
        "oxidative_capacity_muscle": 1.0, "oxidative_capacity_liver": 1.0, "Ii": 25.6, "I": 25.6, "Id": 25.6,
        "I1": 25.6, "Gp": 172.0, "Gt": 130.0, "Ipo": 3.1, "G": 91.0, "dGdt": 0.0, "at_rest": 0.0, "Y": 1.5,
        "GLUT4_membrane": 0.06}


def rates(block, **changes):
    return block.rates({**LEAN, **changes}, np)


@settings(max_examples=50, deadline=None)
@given(st.floats(0.0, 50.0), st.floats(0.0, 50.0), st.floats(0.01, 5.0))
def test_serine_load_only_ever_blocks_and_is_neutral_at_the_reference(a, b, k):
    assert tyrosine_transmission(1.0, k) == pytest.approx(1.0)
    lo, hi = sorted((a, b))
    assert tyrosine_transmission(hi, k) <= tyrosine_transmission(lo, k)
    assert 0.0 <= hill(a, 10.0, 2.0, np) <= 1.0


def test_adipokine_drivers_are_fold_changes_on_what_the_depots_predict():
    base = rates(Adipokines()).outputs
    more_visceral = rates(Adipokines(), visceral_fat_kg=4.8).outputs
    assert more_visceral["plasma_adiponectin"] == pytest.approx(base["plasma_adiponectin"] / 2)  # (4×)^−½
    assert more_visceral["plasma_il6"] > base["plasma_il6"] and more_visceral["plasma_tnf_alpha"] > base["plasma_tnf_alpha"]
    doubled = rates(Adipokines(), tnf_alpha=2.0, adiponectin=0.5).outputs
    assert doubled["plasma_tnf_alpha"] == pytest.approx(2 * base["plasma_tnf_alpha"])
    assert doubled["plasma_adiponectin"] == pytest.approx(0.5 * base["plasma_adiponectin"])
    women = rates(Adipokines(), sex=0.0).outputs
    assert women["plasma_adiponectin"] == pytest.approx(14.2) and women["plasma_leptin"] == pytest.approx(2 * base["plasma_leptin"])


def test_insulin_suppresses_lipolysis_and_serine_kinases_blunt_it():
    insulin = np.array([10.0, 25.6, 100.0, 600.0])
    r = rates(Lipolysis(), Ii=insulin, FFA=0.0)
    assert np.all(np.diff(r.outputs["lipolysis_rel"]) < 0)
    assert r.outputs["lipolysis_rel"][1] == pytest.approx(1.0)  # the reference at its fasting insulin
    inflamed = rates(Lipolysis(), Ii=insulin, ikk_beta=3.0, jnk=3.0).outputs["lipolysis_rel"]
    assert np.all(inflamed[1:] > r.outputs["lipolysis_rel"][1:])


def test_stress_kinases_relax_to_their_stimulus_and_ikk_inhibition_lowers_only_ikk():
    assert rates(Inflammation()).derivatives["ikk_beta"] == pytest.approx(0.0, abs=1e-12)
    hot = rates(Inflammation(), plasma_tnf_alpha=9.3)
    assert hot.derivatives["ikk_beta"] > 0 and hot.derivatives["jnk"] > 0
    blocked = rates(Inflammation(), plasma_tnf_alpha=9.3, ikk_beta_inhibition=0.5)
    assert blocked.derivatives["ikk_beta"] < hot.derivatives["ikk_beta"]
    assert blocked.derivatives["jnk"] == pytest.approx(hot.derivatives["jnk"])
    assert rates(Inflammation(), plasma_il6=2.4).outputs["plasma_crp"] == pytest.approx(0.87 * 2**1.5)


def test_lipid_pools_balance_at_the_reference_and_rise_with_ffa_or_less_oxidation():
    ref = rates(LipidIntermediates()).derivatives
    assert all(abs(ref[k]) < 1e-9 for k in ("DAG_muscle", "ceramide_muscle", "liver_fat"))
    for change in ({"FFA": 0.8}, {"oxidative_capacity_muscle": 0.5, "oxidative_capacity_liver": 0.5},
                   {"dietary_fat_fraction": 0.45}):
        d = rates(LipidIntermediates(), **change).derivatives
        assert d["DAG_muscle"] > 0 and d["ceramide_muscle"] > 0 and d["liver_fat"] > 0, change


def test_oxidative_capacity_rises_with_activity_and_falls_with_age():
    out = rates(Mitochondria(), physical_activity_met_h_week=np.array([0.0, 10.0, 30.0]),
                age_years=np.array([70.0, 35.0, 35.0])).outputs
    assert out["oxidative_capacity_muscle"][0] < out["oxidative_capacity_muscle"][1] < out["oxidative_capacity_muscle"][2]
    assert rates(Mitochondria()).outputs["oxidative_capacity_liver"] == pytest.approx(0.95)  # age 35: 5 years × 1 %


def test_muscle_signalling_cascade_rises_with_insulin_and_falls_with_serine_load():
    insulin = np.array([25.0, 100.0, 300.0, 1000.0])
    out = rates(MuscleInsulinSignalling(), Ii=insulin).outputs
    for k in ("insulin_receptor", "irs1_pY", "akt_muscle"):
        assert np.all(np.diff(out[k]) > 0), k
    blunted = rates(MuscleInsulinSignalling(), Ii=insulin, ikk_beta=3.0, jnk=3.0, pkc_theta=2.0).outputs
    assert np.all(blunted["akt_muscle"] < out["akt_muscle"]) and np.all(blunted["irs1_serine_load"] > 1.0)
    ceramide = rates(MuscleInsulinSignalling(), Ii=insulin, ceramide_muscle=3.0).outputs
    assert np.all(ceramide["irs1_pY"] == out["irs1_pY"]) and np.all(ceramide["akt_muscle"] < out["akt_muscle"])


def test_hepatic_foxo1_and_egp_fall_with_insulin_and_gng_rises_with_ffa():
    insulin = np.array([10.0, 50.0, 200.0, 800.0])
    out = rates(HepaticGlucoseProduction(), Id=insulin).outputs
    assert np.all(np.diff(out["foxo1_nuclear"]) < 0) and np.all(np.diff(out["EGP"]) <= 0)
    assert rates(HepaticGlucoseProduction(), FFA=0.8).outputs["GNG"] > rates(HepaticGlucoseProduction()).outputs["GNG"]
    fatty = rates(HepaticInsulinClearance(), liver_fat=20.0).outputs["m6"]
    assert fatty < LEAN["m6"]


def test_secretion_scales_with_beta_cell_capacity_and_rises_with_glucose():
    glucose = np.array([70.0, 90.0, 120.0, 200.0])
    out = rates(AdaptiveBetaCell(), G=glucose).outputs
    assert np.all(np.diff(out["static_secretion"]) > 0)
    half = rates(AdaptiveBetaCell(), G=glucose, beta_cell_mass=0.5).outputs
    np.testing.assert_allclose(half["static_secretion"], out["static_secretion"] / 2)
