"""Per-patient outcomes and the per-arm summary on a hand-made visit table whose answers are counted by hand."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from irsim.trials.outcomes import patient_outcomes, summarize_trial
from irsim.trials.spec import load_spec

EXAMPLES = Path(__file__).parents[2] / "examples" / "trials"


def visit_table():
    """Five patients seen at 0, 1, 2 years.

    0 placebo: diabetes at year 1 (event at 1.0); 1 placebo: never (censored at 2.0);
    2 placebo: diabetes already at baseline (excluded from incidence); 3 drug: diabetes at year 2;
    4 drug: never, weight not measured at year 2 (its change is read at year 1).
    """
    rows = []
    categories = {0: ["prediabetes", "diabetes", "diabetes"], 1: ["prediabetes"] * 3,
                  2: ["diabetes", "diabetes", "diabetes"], 3: ["prediabetes", "prediabetes", "diabetes"],
                  4: ["prediabetes", "normal", "normal"]}
    for patient, arm in enumerate(["placebo", "placebo", "placebo", "drug", "drug"]):
        for k, t in enumerate([0.0, 1.0, 2.0]):
            weight = np.nan if (patient == 4 and t == 2.0) else 90.0 - patient * t
            rows.append({"patient": patient, "arm": arm, "time_years": t,
                         "diabetes_confirmed": categories[patient][k] == "diabetes",
                         "hba1c_pct": 5.8 + 0.1 * t, "weight_kg": weight})
    return pd.DataFrame(rows).sample(frac=1.0, random_state=1)  # order must not matter


def test_patient_outcomes_by_hand():
    out = patient_outcomes(visit_table(), ("diabetes", "hba1c", "weight"))
    assert out.event.tolist() == [True, False, False, True, False]
    assert out.time_years.tolist() == [1.0, 2.0, 2.0, 2.0, 2.0]
    assert out.diabetes_at_baseline.tolist() == [False, False, True, False, False]
    np.testing.assert_allclose(out.hba1c_pct_change, 0.2)
    # weight: patient p loses p kg a year; patient 4's last weight is at year 1
    np.testing.assert_allclose(out.weight_kg_change, [0.0, -2.0, -4.0, -6.0, -4.0])


def test_changes_are_read_from_what_the_visits_measured():
    """Trials report measured changes: with a measured column beside the model's, the change is the measured one
    (an enrolment test selected high regresses at follow-up), and a measure without one keeps the model's."""
    visits = visit_table()
    visits["hba1c_pct_measured"] = visits["hba1c_pct"] + np.where(visits["time_years"] == 0.0, 0.3, 0.0)
    out = patient_outcomes(visits, ("hba1c", "weight"))
    np.testing.assert_allclose(out.hba1c_pct_change, 0.2 - 0.3)
    np.testing.assert_allclose(out.weight_kg_change, [0.0, -2.0, -4.0, -6.0, -4.0])


def test_summary_by_hand():
    spec = load_spec(EXAMPLES / "tzd-prevention.toml")
    spec = replace(spec, arms=(spec.arms[0], replace(spec.arms[1], name="drug")))
    summary = summarize_trial(patient_outcomes(visit_table(), ("diabetes", "weight")), spec)
    placebo, drug = summary["arms"]["placebo"], summary["arms"]["drug"]
    assert (placebo["n"], placebo["n_at_risk"], placebo["diabetes_at_baseline"]) == (3, 2, 1)
    assert (placebo["events"], placebo["person_years"]) == (1, 3.0)  # 1.0 + 2.0 years
    assert placebo["incidence_per_100_person_years"] == pytest.approx(100 / 3)
    assert (drug["events"], drug["person_years"]) == (1, 4.0)
    assert placebo["hazard_ratio_vs_control"] is None
    # Kaplan–Meier: placebo 1 − 1/2 = 50 % at year 1, no further event; drug 1 − (1 − 1/2) = 50 % at year 2
    assert placebo["cumulative_incidence_percent"]["estimate"] == pytest.approx(50.0)
    assert drug["cumulative_incidence_percent"]["estimate"] == pytest.approx(50.0)
    # Breslow by hand: at t = 1 the risk set is {placebo 0, placebo 1, drug 3, drug 4}, one placebo event;
    # at t = 2 it is {placebo 1, drug 3, drug 4}, one drug event.
    # with x = e^β, L = 1/(2 + 2x) · x/(1 + 2x); d log L/dβ = 1 − x/(1 + x) − 2x/(1 + 2x) = 0
    # ⇔ (1 + x)(1 + 2x) = x(1 + 2x) + 2x(1 + x) ⇔ 2x² = 1 ⇔ x = 1/√2
    assert drug["hazard_ratio_vs_control"]["estimate"] == pytest.approx(2**-0.5, abs=1e-7)
    assert drug["mean_change"]["weight_kg"]["mean"] == pytest.approx(-5.0)
    assert placebo["mean_change"]["weight_kg"]["n"] == 3
