"""The integrated mechanism model: physiological directions, mass balance, steady state, bad input.

M-values come from an 80 mU/m²/min clamp, which brings this model's plasma insulin to ≈540-600
pmol/L (≈90-100 µU/mL): the steady-state insulin that published 40 mU/m²/min clamps reach
(DeFronzo 1979/1982; the Dalla Man insulin kinetics clear infused insulin faster, docs/mechanisms.md).
"""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim import Clamp, Meal, Simulation
from irsim.core.parameters import Variation
from irsim.errors import InputError
from irsim.patients import get_patient
from irsim.protocols import IVGTT, OGTT, DailyLife, Fasting

CLAMP = Clamp(insulin_mU_m2_min=80.0)


def _run(protocol, patient="healthy_lean", **overrides):
    p = get_patient(patient)
    return Simulation("integrated", p.parameter_set, protocol, overrides=overrides).solve()


def _m_values(driver, values, patient="healthy_lean", **fixed):
    """Clamp M-value for each value of one driver: one batched population."""
    p = get_patient(patient)
    over = {**fixed, driver: np.asarray(values, dtype=float)}
    return Simulation("integrated", p.parameter_set, CLAMP, overrides=over).solve(
        variables=["G", "I", "glucose_infusion"]).summary()["m_value_mg_kg_min"].to_numpy()


@pytest.mark.parametrize("driver, values, direction", [
    ("visceral_fat_kg", [1.0, 2.5, 4.0, 6.0], -1),
    ("tnf_alpha", [1.0, 2.0, 4.0], -1),
    ("il6", [1.0, 3.0, 9.0], -1),
    ("resistin", [1.0, 3.0, 9.0], -1),
    ("dietary_fat_fraction", [0.25, 0.35, 0.45, 0.6], -1),  # more FFA supply → DAG/ceramide
    ("irs1_serine_kinase", [1.0, 1.5, 2.5], -1),
    ("adiponectin", [0.5, 1.0, 2.0], +1),
    ("physical_activity_met_h_week", [0.0, 10.0, 30.0], +1),
    ("mitochondrial_capacity", [0.5, 0.8, 1.2], +1),
])
def test_each_mechanism_moves_the_m_value_monotonically(driver, values, direction):
    m = _m_values(driver, values)
    steps = np.diff(m) * direction
    assert np.all(steps > 0.01), (driver, m)


def test_less_mitochondrial_capacity_raises_muscle_dag_and_ceramide():
    r = Simulation("integrated", None, Fasting(60.0), overrides={"mitochondrial_capacity": np.array([1.0, 0.6])}).solve()
    assert r["DAG_muscle"][0, 1] > r["DAG_muscle"][0, 0] * 1.1
    assert r["ceramide_muscle"][0, 1] > r["ceramide_muscle"][0, 0] * 1.1


def test_blocking_ikk_beta_in_an_inflamed_patient_raises_m():
    m = _m_values("ikk_beta_inhibition", [0.0, 0.4, 0.8], tnf_alpha=4.0, il6=3.0)
    assert np.all(np.diff(m) > 0.05), m


def test_hepatic_insulin_resistance_raises_fasting_egp_and_glucose_and_blunts_meal_suppression():
    """IL-6 (SOCS3) acts on hepatic IRS, and through it on both arms of insulin's action on the liver: fasting
    EGP and glucose rise, and a meal suppresses EGP less (the fast, portal arm included)."""
    il6 = {"il6": np.array([1.0, 4.0, 12.0])}
    r = Simulation("integrated", None, Fasting(60.0), overrides=il6).solve()
    assert np.all(np.diff(r["EGP"][0]) > 0) and np.all(np.diff(r["G"][0]) > 0)
    assert r["G"][0, 2] - r["G"][0, 0] > 1.0  # mg/dL, after the β-cell's compensation
    meal = Simulation("integrated", None, Meal(78.0, duration_min=420.0), overrides=il6).solve(variables=["EGP"])
    lowest = meal["EGP"].min(axis=0)
    assert np.all(np.diff(lowest) > 0) and lowest[2] > 1.25 * lowest[0]


def test_less_beta_cell_mass_at_the_same_resistance_raises_glucose_and_lowers_homa_b():
    s = Simulation("integrated", get_patient("obese_insulin_resistant").parameter_set, OGTT(),
                   overrides={"beta_cell_mass": np.array([1.5, 1.0, 0.6])}).solve().summary()
    assert np.all(np.diff(s["fasting_glucose_mg_dl"]) > 0.5)
    assert np.all(np.diff(s["homa1_b_pct"]) < 0)


def test_a_compensated_insulin_resistant_patient_has_high_insulin_at_near_normal_glucose():
    lean, obese = (_run(OGTT(), p).summary().iloc[0] for p in ("healthy_lean", "obese_insulin_resistant"))
    assert obese.fasting_glucose_mg_dl < 100 and obese.glucose_2h_mg_dl < 140  # normal glucose tolerance (ADA)
    assert obese.fasting_insulin_pmol_l > 1.8 * lean.fasting_insulin_pmol_l
    assert obese.auc_insulin_pmol_l_min > 1.3 * lean.auc_insulin_pmol_l_min


def _ledger_gaps(result, protocol):
    """Per patient: |Δ stores − net flux| and the scale it is judged against (mg/kg).

    Δ(Gp + Gt) = production + appearance + infusion + IV boluses − utilisation − excretion.
    """
    totals = {k: result[k][-1] for k in ("EGP_total", "Ra_total", "infused_total", "U_total", "E_total")}
    boluses = sum(protocol.dose_amount(d, result.params) for d in protocol.doses if d.kind == "iv_glucose_mg_kg")
    stores = result["Gp"] + result["Gt"]
    net = totals["EGP_total"] + totals["Ra_total"] + totals["infused_total"] + boluses - totals["U_total"] - totals["E_total"]
    scale = totals["EGP_total"] + totals["Ra_total"] + totals["infused_total"] + boluses
    return np.abs(stores[-1] - stores[0] - net), scale


#: the plain IVGTT is Bergman's 0.3 g/kg glucose test; the FSIGT of minimal-model practice adds insulin at 20 min
@pytest.mark.parametrize("protocol", [Meal(78.0, duration_min=420.0), CLAMP, IVGTT(), IVGTT(insulin_modified=True),
                                      OGTT(), DailyLife(days=3)],
                         ids=["meal", "clamp", "plain-ivgtt", "insulin-modified-fsigt", "ogtt", "daily-life-3-days"])
@pytest.mark.parametrize("patient", ["healthy_lean", "t2d"])
def test_glucose_mass_balance_closes(protocol, patient):
    gap, scale = _ledger_gaps(_run(protocol, patient), protocol)
    assert np.all(scale > 0) and np.all(gap <= 1e-6 * scale), (gap, scale)


#: drivers varied together across a population, each within its allowed range around the t2d preset
VARIED_DRIVERS = {"BW": 0.2, "visceral_fat_kg": 0.5, "tnf_alpha": 0.6, "mitochondrial_capacity": 0.4,
                  "beta_cell_mass": 0.5, "physical_activity_met_h_week": 0.9}


@pytest.mark.parametrize("protocol", [DailyLife(days=2), IVGTT(insulin_modified=True)], ids=["daily-life", "fsigt"])
def test_glucose_mass_balance_closes_for_every_patient_of_a_varied_population(protocol):
    sim = Simulation("integrated", get_patient("t2d").parameter_set, protocol,
                     variation=Variation(6, VARIED_DRIVERS, seed=3))
    r = sim.solve()
    assert np.ptp(r["G"][0]) > 1.0  # the patients really differ
    gap, scale = _ledger_gaps(r, protocol)
    assert gap.shape == (6,) and np.all(gap <= 1e-6 * scale), (gap, scale)


@pytest.mark.parametrize("protocol", [Meal([60.0, 30.0], [0.0, 90.0]), OGTT(), DailyLife(days=3)],
                         ids=["two-meals", "ogtt", "daily-life-3-days"])
def test_the_gut_passes_on_what_was_eaten(protocol):
    """Eaten = absorbed + what is still in stomach and gut; Dalla Man's f of the absorbed appears in plasma.

    So the ledger's "appearance" is intake net of first-pass splanchnic uptake, not lost carbohydrate.
    """
    sim = Simulation("integrated", None, protocol, variation=Variation(3, {"BW": 0.3}, seed=1))
    r = sim.solve()
    eaten = sum(protocol.dose_amount(d, r.params) for d in protocol.doses if d.kind == "oral_glucose_mg")
    remaining = (r["Qsto1"] + r["Qsto2"] + r["Qgut"])[-1]
    absorbed = r["Ra_total"][-1] * np.asarray(r.params["BW"]) / r.params["f"]
    assert np.all(np.abs(absorbed + remaining - eaten) <= 1e-6 * eaten), (absorbed + remaining, eaten)
    assert np.all(absorbed > 0.5 * eaten)  # most of it has left the gut by the end


@pytest.mark.parametrize("patient", ["healthy_lean", "t2d"])
def test_the_fasting_steady_state_stays_steady(patient):
    r = _run(Fasting(720.0), patient)
    for name in ("G", "I", "FFA", "DAG_muscle", "liver_fat", "ikk_beta"):
        assert np.max(np.abs(r[name] - r[name][0])) <= 1e-4 * max(1.0, abs(r[name][0, 0])), name  # integrator tolerance


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["visceral_fat_kg", "tnf_alpha", "beta_cell_mass", "age_years", "mitochondrial_capacity"]),
       st.one_of(st.floats(-1e3, -1e-3), st.floats(1e3, 1e6), st.just(float("nan"))))
def test_a_driver_out_of_range_names_driver_value_unit_and_range(driver, value):
    with pytest.raises(InputError) as err:
        Simulation("integrated", None, OGTT(), overrides={driver: value})
    text = str(err.value)
    declared = Simulation("integrated", None, OGTT()).model.parameters[driver]
    assert driver in text and declared.unit in text and f"{declared.lower:g} to {declared.upper:g}" in text


def test_cli_sets_and_varies_drivers_and_reports_mechanism_variables(tmp_path):
    import json

    from typer.testing import CliRunner

    from irsim.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["simulate", "--patient", "healthy_lean", "--set", "visceral_fat_kg=4", "--protocol", "clamp",
                            "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert {"fasting_glucose_mg_dl", "fasting_insulin_pmol_l", "m_value_mg_kg_min"} <= set(data)
    r = runner.invoke(app, ["simulate", "--patient", "t2d", "--protocol", "ogtt", "--population", "20", "--vary",
                            "visceral_fat_kg=0.3", "--seed", "1", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["n_patients"] == 20 and data["homa1_ir"]["p95"] > data["homa1_ir"]["p5"]
    out = tmp_path / "ogtt.csv"
    r = runner.invoke(app, ["simulate", "--patient", "igt", "--protocol", "ogtt", "--out", str(out)])
    header = out.read_text().splitlines()[0]
    assert "FFA_mmol_l" in header and "GLUT4_membrane" in header and "plasma_crp_mg_l" in header, header


def _driver_cases():
    from irsim.models.cli_drivers import driver_table

    return [pytest.param(row, id=row["name"]) for row in driver_table()]


@pytest.mark.parametrize("row", _driver_cases())
def test_every_driver_cites_a_source_for_its_normal_value_and_justifies_its_range(row):
    """`irsim drivers --json` shows, per driver, a dated source for the normal value and why the range is what it is."""
    source = row["source"]
    assert re.search(r"\b(19|20)\d\d\b", source.split("range:")[0]), source  # a dated publication or guideline
    assert "range:" in source and len(source.split("range:")[1].strip()) > 10, source
    assert "by definition" not in source and "memory)" not in source, source
