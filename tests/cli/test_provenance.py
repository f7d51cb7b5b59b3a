"""Provenance: every written population links each patient's outcomes to the parameters behind them,
and the JSON echoes what was asked (issue 11, items 1 and 5)."""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from irsim.cli import app
from irsim.core.parameters import Variation
from irsim.errors import UnknownNameError
from irsim.models import get_parameter_set
from irsim.patients import PATIENTS, get_patient
from irsim.protocols import OGTT
from irsim.simulation import Simulation

runner = CliRunner()
POPULATION = ("simulate", "--protocol", "ogtt", "--population", "5", "--vary", "Vmx=0.3", "--set", "kp3=0.008",
              "--seed", "1", "--json", "--step-min", "5")


def _read(path):
    return pd.read_parquet(path) if str(path).endswith(("parquet", "patients")) else pd.read_csv(path)


@pytest.mark.parametrize("out, patients", [("pop.csv", "pop.patients.csv"), ("pop.parquet", "pop.patients.parquet"),
                                           ("pop", "pop/patients")])
def test_each_patients_drawn_parameters_are_written_beside_the_outcomes(tmp_path, out, patients):
    r = runner.invoke(app, [*POPULATION, "--out", str(tmp_path / out)])
    assert r.exit_code == 0, r.output
    echo = json.loads(r.stdout)
    assert echo["patients_file"] == str(tmp_path / patients)
    assert echo["set"] == {"kp3": 0.008} and echo["vary"] == {"Vmx": 0.3} and echo["seed"] == 1
    table = _read(tmp_path / patients).sort_values("patient")
    assert list(table.patient) == list(range(5))
    assert list(table.columns[1:3]) == ["kp3_mg_kg_min_per_pmol_l", "Vmx_mg_kg_min_per_pmol_l"]
    assert np.all(table["kp3_mg_kg_min_per_pmol_l"] == 0.008)
    vmx = table["Vmx_mg_kg_min_per_pmol_l"].to_numpy()
    assert vmx[0] == 0.047 and np.all(np.abs(vmx / 0.047 - 1) <= 0.3) and np.unique(vmx).size == 5
    # the same patients, the same parameters, the same outcomes as the Python API
    sim = Simulation("dalla-man-2007", "normal", OGTT(), overrides={"kp3": 0.008},
                     variation=Variation(5, {"Vmx": 0.3}, 1))
    expected = sim.solve(step_min=5.0).patients()
    np.testing.assert_allclose(table[expected.columns].to_numpy(), expected.to_numpy(), rtol=1e-8)
    # a higher insulin action gives a lower 2-h glucose: the columns are each patient's own
    order = np.argsort(vmx)
    assert np.all(np.diff(table["glucose_2h_mg_dl"].to_numpy()[order]) < 0)


def test_without_out_the_json_stays_a_summary():
    r = runner.invoke(app, list(POPULATION))
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert "patients_file" not in data and data["n_patients"] == 5
    assert "Vmx_mg_kg_min_per_pmol_l" not in data and set(data["glucose_2h_mg_dl"]) == {"mean", "p5", "p50", "p95"}


def test_the_patient_is_echoed_as_typed_and_python_accepts_the_same_preset_names():
    r = runner.invoke(app, ["simulate", "--patient", "healthy_lean", "--protocol", "fasting", "--duration-min", "60",
                            "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["patient"] == "healthy_lean" and data["subject"] == "healthy_lean"
    for name in ("healthy_lean", "igt", "t2d"):  # presets and parameter sets by name, as in the CLI
        assert Simulation("integrated", name, OGTT()).parameter_set is get_patient(name).parameter_set
    assert Simulation("dalla-man-2007", "normal", OGTT()).parameter_set is get_parameter_set("dalla-man-2007", "normal")


@pytest.mark.parametrize("subject", ["normal", "t2d"])
def test_parameters_shows_the_subjects_own_fasting_values(subject):
    listing = runner.invoke(app, ["parameters", "--subject", subject])
    assert listing.exit_code == 0, listing.output
    shown = {line.split()[0]: float(line.split()[1]) for line in listing.stdout.splitlines()}
    fasting = json.loads(runner.invoke(app, ["simulate", "--subject", subject, "--protocol", "fasting",
                                             "--duration-min", "10", "--json"]).stdout)
    assert shown["Gb"] == pytest.approx(fasting["fasting_glucose_mg_dl"], rel=1e-5)
    assert shown["Ib"] == pytest.approx(fasting["fasting_insulin_pmol_l"], rel=1e-5)


@given(st.text(min_size=1, max_size=12).filter(lambda s: s not in ("normal", "t2d", "biomodels", *PATIENTS)))
@settings(max_examples=25, deadline=None)
def test_an_unknown_subject_or_preset_name_is_refused_naming_both_kinds(name):
    with pytest.raises(UnknownNameError, match="subject or patient preset"):
        Simulation("dalla-man-2007", name, OGTT())
