"""``irsim trial SPEC --out DIR``: runs on the stand-in engine, resumes, and fails in one line (exit 2)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from irsim.cli import main

EXAMPLES = Path(__file__).parents[2] / "examples" / "trials"
ROOT = Path(__file__).parents[2]


def run(monkeypatch, capsys, *args):
    monkeypatch.setattr(sys, "argv", ["irsim", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out = capsys.readouterr()
    return exit_.value.code, out.out, out.err


def test_trial_runs_and_resumes(standin, monkeypatch, capsys, tmp_path):
    spec = tmp_path / "trial.toml"  # the TZD example, unscreened (the screening has its own tests)
    spec.write_text((EXAMPLES / "tzd-prevention.toml").read_text().replace(
        "fasting_glucose_mg_dl = [95.0, 125.0]\nglucose_2h_mg_dl = [140.0, 199.0]\n", ""))
    out = tmp_path / "run"
    code, stdout, _ = run(monkeypatch, capsys, "trial", str(spec), "--out", str(out), "--population", "16",
                          "--workers", "1", "--quiet")
    assert code == 0, stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["n_patients"] == 16 and set(summary["arms"]) == {"placebo", "pioglitazone"}
    assert "pioglitazone" in stdout and "HR" in stdout
    code, _, err = run(monkeypatch, capsys, "trial", str(spec), "--out", str(out), "--population", "16", "--quiet")
    assert code == 2 and err.startswith("irsim: error: --out") and "--resume" in err
    standin.clear()
    code, _, _ = run(monkeypatch, capsys, "trial", str(spec), "--out", str(out), "--population", "16", "--resume",
                     "--quiet")
    assert code == 0 and standin == []  # nothing left to simulate


def test_spec_errors_are_one_line(monkeypatch, capsys, tmp_path):
    spec = tmp_path / "bad.toml"
    spec.write_text('name = "x"\nduration_years = -1\n')
    code, _, err = run(monkeypatch, capsys, "trial", str(spec), "--out", str(tmp_path / "o"))
    assert code == 2 and err.count("\n") == 1 and "duration_years = -1" in err


def test_trial_is_listed_in_help():
    result = subprocess.run([sys.executable, "-m", "irsim.cli", "trial", "--help"], capture_output=True, text=True,
                            cwd=ROOT, env={"PYTHONPATH": str(ROOT), "COLUMNS": "200", "PATH": ""})
    assert result.returncode == 0
    for option in ("--out", "--population", "--workers", "--scheduler", "--resume", "--quiet"):
        assert option in result.stdout
