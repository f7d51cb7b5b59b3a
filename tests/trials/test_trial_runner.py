"""Running a trial on the progression stand-in: parts, reproducibility across chunks and workers, resume, outputs."""

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from irsim.errors import InputError, IrsimError
from irsim.patients.population import InclusionCriteria
from irsim.trials.runner import randomise, run_trial
from irsim.trials.spec import load_spec
from tests.trials.conftest import EFFECTS, parse

EXAMPLES = Path(__file__).parents[2] / "examples" / "trials"


def small(n=24, screened=False):
    """The example DPP spec with n patients; unscreened (BMI only) unless asked, which saves the OGTTs."""
    spec = load_spec(EXAMPLES / "diabetes-prevention.toml").with_patients(n)
    return spec if screened else replace(spec, criteria=InclusionCriteria(bmi_kg_m2=(24.0, np.inf)))


def visits_of(folder):
    return pd.read_parquet(folder / "visits").sort_values(["patient", "time_years"]).reset_index(drop=True)


def test_outputs_and_summary(standin, tmp_path):
    spec = small(screened=True)
    summary = run_trial(spec, tmp_path / "run", workers=1, chunk_size=10, progress=False)
    out = tmp_path / "run"
    assert sorted(p.name for p in (out / "visits").iterdir()) == [
        "part-000000000-000000010.parquet", "part-000000010-000000020.parquet", "part-000000020-000000024.parquet"]
    rows = visits_of(out)
    assert rows.patient.nunique() == 24 and len(rows) == 24 * len(spec.visits)
    assert set(rows.arm) == {"placebo", "metformin", "lifestyle"}
    assert json.loads((out / "summary.json").read_text()) == summary
    arms = summary["arms"]
    assert sum(a["n"] for a in arms.values()) == 24
    assert all(a["n"] == 8 for a in arms.values())  # permuted blocks of 6: equal allocation
    for name, a in arms.items():
        assert set(a) >= {"n", "events", "person_years", "incidence_per_100_person_years", "hazard_ratio_vs_control",
                          "mean_change"}
        assert 0 < a["person_years"] <= a["n_at_risk"] * spec.duration_years + 1e-9
        assert (a["hazard_ratio_vs_control"] is None) == (name == "placebo")
        assert set(a["mean_change"]) == {"hba1c_pct", "fasting_glucose_mg_dl", "weight_kg", "homa1_ir"}
    # per person, a lifestyle patient loses the stand-in's weight of each part their adherence draw is below:
    # the summary must show the mean of that
    weight = arms["lifestyle"]["mean_change"]["weight_kg"]["mean"]
    life = pd.read_parquet(out / "patients").query("arm == 'lifestyle'")
    loss = sum(EFFECTS[i.name][1] * (life.adherence_draw < i.adherence) for i in map(parse, spec.arms[2].interventions))
    assert weight == pytest.approx((loss * life.BW).mean(), rel=1e-6) and 0 < (loss == 0).sum() < len(life)
    patients = pd.read_parquet(out / "patients")
    assert patients.fasting_glucose_mg_dl_measured.between(95, 125).all()  # enrolled on the measured screening test
    assert patients.glucose_2h_mg_dl_measured.between(140, 199).all()
    for name in ("kaplan_meier.png", "trajectories.png"):
        assert (out / name).stat().st_size > 10_000
    report = (out / "report.md").read_text()
    assert "![Kaplan–Meier](kaplan_meier.png)" in report and "| lifestyle |" in report
    assert "## Check against the published trial (DPP" in report and "| 11.00 |" in report


def test_same_trial_for_any_chunk_size_and_worker_count(standin, tmp_path):
    spec = small(18)
    run_trial(spec, tmp_path / "a", workers=1, chunk_size=18, progress=False)
    run_trial(spec, tmp_path / "b", workers=2, chunk_size=5, progress=False)
    pd.testing.assert_frame_equal(visits_of(tmp_path / "a"), visits_of(tmp_path / "b"))
    a, b = (json.loads((tmp_path / x / "summary.json").read_text()) for x in "ab")
    assert a["arms"] == b["arms"]


def test_resume_simulates_only_missing_parts(standin, tmp_path):
    spec, out = small(20), tmp_path / "run"
    run_trial(spec, out, workers=1, chunk_size=10, progress=False)
    before = visits_of(out)
    (out / "visits" / "part-000000010-000000020.parquet").unlink()
    standin.clear()
    with pytest.raises(InputError, match="holds a trial already"):
        run_trial(spec, out, workers=1, chunk_size=10, progress=False)
    run_trial(spec, out, workers=1, chunk_size=10, resume=True, progress=False)
    assert sum(standin) == 10  # the missing chunk's patients only
    pd.testing.assert_frame_equal(visits_of(out), before)
    with pytest.raises(InputError, match="differs in n_patients"):
        run_trial(small(30), out, workers=1, chunk_size=10, resume=True, progress=False)


def test_a_slower_progression_shows_as_a_lower_hazard(standin, tmp_path):
    """The stand-in's interventions slow the glucose drift: fewer events, HR < 1, ordered as the effects."""
    summary = run_trial(small(240), tmp_path / "run", workers=1, chunk_size=120, progress=False)
    arms = summary["arms"]
    rate = {k: a["incidence_per_100_person_years"] for k, a in arms.items()}
    assert rate["placebo"] > rate["metformin"] > rate["lifestyle"]
    assert arms["lifestyle"]["hazard_ratio_vs_control"]["upper"] < 1.0


def test_seed_is_drawn_once_and_recorded(standin, tmp_path):
    spec = small(6)
    spec = replace(spec, seed=None)
    run_trial(spec, tmp_path / "run", workers=1, progress=False)
    recorded = json.loads((tmp_path / "run" / "trial.json").read_text())["seed"]
    assert isinstance(recorded, int)
    run_trial(spec, tmp_path / "run", workers=1, resume=True, progress=False)  # resumes with the recorded seed


def test_bad_options_and_unknown_interventions_fail_before_work(standin, tmp_path):
    with pytest.raises(InputError, match="--workers"):
        run_trial(small(), tmp_path / "a", workers=2, scheduler="tcp://x:1")
    with pytest.raises(InputError, match="--workers"):
        run_trial(small(), tmp_path / "a", workers=0)
    from irsim.trials.spec import Arm

    spec = small()
    bad = replace(spec, arms=(*spec.arms[:2], Arm("x", ("metfromin:1700",))))
    with pytest.raises(IrsimError, match="metformin"):
        run_trial(bad, tmp_path / "b", workers=1)
    assert standin == [] and not (tmp_path / "b").exists()


def test_randomisation_is_balanced_in_blocks_and_depends_on_patient_only():
    patients = np.arange(60)
    arms = randomise(patients, seed=7, n_arms=3)
    for block in range(10):
        assert np.bincount(arms[block * 6:(block + 1) * 6], minlength=3).tolist() == [2, 2, 2]
    assert np.array_equal(randomise(patients[13:40], 7, 3), arms[13:40])
    assert not np.array_equal(randomise(patients, 8, 3), arms)


def test_dask_scheduler(standin, tmp_path):
    distributed = pytest.importorskip("dask.distributed", reason="dask.distributed is not installed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        run_trial(small(12), tmp_path / "dask", scheduler=cluster.scheduler_address, chunk_size=5, progress=False)
    run_trial(small(12), tmp_path / "local", workers=1, chunk_size=12, progress=False)
    pd.testing.assert_frame_equal(visits_of(tmp_path / "dask"), visits_of(tmp_path / "local"))


def test_unreachable_scheduler_is_a_clear_error(standin, tmp_path, monkeypatch):
    pytest.importorskip("dask.distributed", reason="dask.distributed is not installed")
    monkeypatch.setattr("irsim.trials.runner.SCHEDULER_TIMEOUT_S", 1)
    with pytest.raises(InputError, match="--scheduler"):
        run_trial(small(4), tmp_path / "run", scheduler="tcp://127.0.0.1:9", progress=False)
