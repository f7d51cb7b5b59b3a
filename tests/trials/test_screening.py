"""Screening for incident diabetes: the cohort run (chunks, resume), baseline measures, exclusion, ROC per measure, CLI.

Most tests follow the cohort on the progression stand-in (conftest.py); the baseline OGTT is the
real integrated model's. One end-to-end run uses the real progression engine.
"""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from irsim.cli import app
from irsim.errors import InputError
from irsim.patients.population import InclusionCriteria, get_population
from irsim.trials.measurement import Measurement
from irsim.trials.screening import ONE_TEST, PREDICTORS, ScreeningSpec, run_screen

US = get_population("us_adults")
RISKY = InclusionCriteria(bmi_kg_m2=(30.0, 60.0), age_years=(45.0, 80.0))  # enough cases on the stand-in


def spec(n=24, years=2.0, seed=7, criteria=RISKY):
    return ScreeningSpec(US, n, years, seed, criteria)


def parts(folder):
    return tuple(pd.read_parquet(folder / part).sort_values(["patient", *(["time_years"] if part == "visits" else [])])
                 .reset_index(drop=True) for part in ("patients", "visits"))


def test_cohort_columns_exclusion_and_directions(standin, tmp_path):
    result = run_screen(spec(), tmp_path / "run", workers=1, chunk_size=10, progress=False)
    summary = result.summary
    assert json.loads((tmp_path / "run" / "summary.json").read_text()) == summary
    patients, visits = parts(tmp_path / "run")
    assert len(patients) == 24 and visits.groupby("patient").size().eq(3).all()  # baseline, years 1 and 2
    for column in ("glucose_0_mg_dl", "insulin_30_pmol_l", "glucose_120_mg_dl", *(p.column for p in PREDICTORS)):
        assert patients[column].notna().all(), column
    # the OGTT's fasting and 2-h samples are the measures, HOMA-IR by hand (Matthews 1985: mmol/L × µU/mL / 22.5)
    np.testing.assert_array_equal(patients.fasting_glucose_mg_dl, patients.glucose_0_mg_dl)
    np.testing.assert_array_equal(patients.glucose_2h_mg_dl, patients.glucose_120_mg_dl)
    np.testing.assert_allclose(patients.homa1_ir, patients.glucose_0_mg_dl / 18.0156 * patients.insulin_0_pmol_l / 6 / 22.5)
    # HbA1c is the course's baseline value
    np.testing.assert_array_equal(patients.hba1c_pct, visits[visits.time_years == 0].hba1c_pct)
    # people with diabetes at baseline are out; the rest are cases or not
    at_baseline = visits[(visits.time_years == 0) & visits.diabetes_confirmed].patient
    assert summary["diabetes_at_baseline"] == at_baseline.nunique()
    assert summary["n_at_risk"] == 24 - summary["diabetes_at_baseline"] == len(result.cohort)
    assert not result.cohort.index.isin(at_baseline).any()
    later = visits[(visits.time_years > 0) & visits.diabetes_confirmed].patient.unique()
    assert summary["incident_diabetes"] == result.cohort.index.isin(later).sum() > 0
    # sorted by AUC; measures of insulin sensitivity and secretion predict when low
    aucs = [m["auc"] for m in summary["measures"]]
    assert aucs == sorted(aucs, reverse=True) and len(aucs) == len(PREDICTORS) + len(ONE_TEST)
    directions = {m["name"]: m["direction"] for m in summary["measures"]}
    assert {k for k, v in directions.items() if v == "low"} == {"matsuda", "insulinogenic_index", "disposition_index"}
    for m in summary["measures"]:
        assert m["auc_95ci"][0] <= m["auc"] <= m["auc_95ci"][1]
        assert m["n_cases"] == summary["incident_diabetes"]


def test_a_cohort_enrols_on_the_measured_screening_test(standin, tmp_path):
    igt = InclusionCriteria(glucose_2h_mg_dl=(140.0, 199.0))
    run_screen(ScreeningSpec(US, 12, 1.0, 3, igt), tmp_path / "run", workers=1, progress=False)
    patients, _ = parts(tmp_path / "run")
    assert patients.screening_glucose_2h_mg_dl_measured.between(140, 199).all()
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["screening"] == "measured"
    run_screen(ScreeningSpec(US, 12, 1.0, 3, igt, screening="model"), tmp_path / "model", workers=1, progress=False)
    patients, _ = parts(tmp_path / "model")
    assert patients.glucose_2h_mg_dl.between(140, 199).all() and "screening_glucose_2h_mg_dl_measured" not in patients


def test_one_test_is_the_baseline_visit_as_measured(standin, tmp_path):
    result = run_screen(spec(), tmp_path / "run", workers=1, progress=False)
    _, visits = parts(tmp_path / "run")
    start = visits[visits.time_years == 0].set_index("patient").loc[result.cohort.index]
    for p in ONE_TEST:
        np.testing.assert_array_equal(result.cohort[p.column], start[p.column])
    # without day-to-day variation, one HbA1c test is the usual level: the same ROC
    exact = run_screen(ScreeningSpec(US, 24, 2.0, 7, RISKY, Measurement({"hba1c": 0.0})), None, workers=1,
                       progress=False)
    assert exact.rocs["hba1c_one_test"].auc == exact.rocs["hba1c"].auc
    assert exact.rocs["hba1c_one_test"].cutoff == exact.rocs["hba1c"].cutoff


def test_same_result_for_any_chunk_size_and_worker_count(standin, tmp_path):
    a = run_screen(spec(18), tmp_path / "a", workers=1, chunk_size=18, progress=False)
    b = run_screen(spec(18), tmp_path / "b", workers=2, chunk_size=5, progress=False)
    for x, y in zip(parts(tmp_path / "a"), parts(tmp_path / "b")):
        pd.testing.assert_frame_equal(x, y)
    assert a.summary == b.summary


def test_resume_runs_only_missing_parts(standin, tmp_path):
    out = tmp_path / "run"
    first = run_screen(spec(20), out, workers=1, chunk_size=10, progress=False)
    before = parts(out)
    (out / "visits" / "part-000000010-000000020.parquet").unlink()
    standin.clear()
    with pytest.raises(InputError, match="holds a screen already"):
        run_screen(spec(20), out, workers=1, chunk_size=10, progress=False)
    with pytest.raises(InputError, match="differs in seed"):
        run_screen(spec(20, seed=8), out, workers=1, chunk_size=10, resume=True, progress=False)
    again = run_screen(spec(20), out, workers=1, chunk_size=10, resume=True, progress=False)
    assert sum(standin) == 10
    for x, y in zip(parts(out), before):
        pd.testing.assert_frame_equal(x, y)
    assert again.summary == first.summary


def test_no_cases_gives_no_roc(standin, tmp_path):
    lean = InclusionCriteria(bmi_kg_m2=(18.0, 25.0), age_years=(18.0, 40.0))
    result = run_screen(spec(4, years=0.5, criteria=lean), None, workers=1, progress=False)
    assert result.summary["incident_diabetes"] == 0 and result.rocs == {} and result.summary["measures"] == []


@given(st.one_of(st.integers(-5, 0), st.just(10**8), st.just(2.5), st.just(True)))
def test_bad_size_names_the_field(n):
    with pytest.raises(InputError) as error:
        ScreeningSpec(US, n, 5.0, 1)
    assert error.value.field == "n_patients"


@given(st.one_of(st.floats(max_value=0.0), st.floats(min_value=50.01), st.just(float("nan"))))
def test_bad_follow_up_names_the_field(years):
    with pytest.raises(InputError) as error:
        ScreeningSpec(US, 10, years, 1)
    assert error.value.field == "years" and error.value.unit == "years"


@pytest.mark.parametrize(("flags", "message"), [
    (["--n", "0"], "--n = 0 patients"), (["--years", "60"], "--years = 60.0 years"),
    (["--seed", "-1"], "--seed = -1"), (["--population", "us_adult"], "did you mean 'us_adults'"),
    (["--plot", "roc.txt"], "--plot = roc.txt"), (["--resume"], "--resume"), (["--workers", "0"], "--workers = 0"),
    (["--screening", "modal"], "--screening = modal"),
])
def test_cli_refuses_bad_flags(flags, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    from irsim.cli import main

    monkeypatch.setattr("sys.argv", ["irsim", "screen", "--n", "3", "--years", "1", *flags])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 2 and message in capsys.readouterr().err


def test_cli_table_json_and_figure(standin, tmp_path):
    runner = CliRunner()
    figure = tmp_path / "roc.png"
    args = ["screen", "--n", "20", "--years", "2", "--seed", "7", "--population", "dpp_igt", "--workers", "1", "--quiet"]
    shown = runner.invoke(app, [*args, "--out", str(tmp_path / "run"), "--plot", str(figure)])
    assert shown.exit_code == 0, shown.output
    assert "AUC" in shown.output and "2-h glucose" in shown.output and "mg/dL" in shown.output
    assert figure.stat().st_size > 20_000
    printed = runner.invoke(app, [*args, "--json"])
    summary = json.loads(printed.output)
    assert summary == json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["population"] == "dpp_igt" and summary["n_patients"] == 20


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    """40 adults with impaired glucose tolerance followed 2 years on the real progression engine."""
    out = tmp_path_factory.mktemp("real")
    return run_screen(ScreeningSpec(get_population("dpp_igt"), 40, 2.0, 1), out, workers=1, progress=False), out


def test_real_cohort_two_hour_glucose_predicts(real_run):
    result, out = real_run
    summary = result.summary
    assert summary["incident_diabetes"] >= 3 and summary["n_at_risk"] - summary["incident_diabetes"] >= 3
    two_hour = next(m for m in summary["measures"] if m["name"] == "glucose_2h")
    assert two_hour["auc_95ci"][0] > 0.5
    # the baseline OGTT and the course's baseline visit see the same fasting state (the course integrates
    # at rtol 1e-4: irsim.progression.course.SOLVER_RTOL)
    patients, visits = parts(out)
    start = visits[visits.time_years == 0]
    np.testing.assert_allclose(patients.fasting_glucose_mg_dl, start.fasting_glucose_mg_dl, rtol=1e-4)
    np.testing.assert_allclose(patients.glucose_2h_mg_dl, start.glucose_2h_mg_dl, rtol=1e-4)
