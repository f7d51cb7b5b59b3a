"""The command line: the issue's commands, machine-readable JSON, and one-line errors (exit 2)."""

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from irsim.cli import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(*args):
    return runner.invoke(app, list(args))


def flat_numbers(value, prefix=""):
    """A nested JSON value as {path: leaf}, so two summaries compare leaf by leaf."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in flat_numbers(item, f"{prefix}/{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in flat_numbers(item, f"{prefix}/{i}").items()}
    return {prefix: value}


def same_summary(a, b):
    """Equal up to rounding: a resumed part may come from the compiled kernel while the first run used the NumPy
    engine (compiling in the background), and the two differ in the last bits (~1e-14 relative)."""
    fa, fb = flat_numbers(a), flat_numbers(b)
    assert fa.keys() == fb.keys()
    for key, value in fa.items():
        if isinstance(value, float):
            assert fb[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key
        else:
            assert fb[key] == value, key
    return True


def test_simulate_meal_writes_csv_and_plot(tmp_path):
    out, fig = tmp_path / "meal.csv", tmp_path / "meal.png"
    r = run("simulate", "--model", "dalla-man-2007", "--subject", "normal", "--protocol", "meal", "--carbs-g", "78",
            "--duration-min", "420", "--out", str(out), "--plot", str(fig))
    assert r.exit_code == 0, r.output
    frame = pd.read_csv(out)
    assert list(frame.columns[:3]) == ["time_min", "glucose_mg_dl", "insulin_pmol_l"]
    assert len(frame) == 421 and frame.time_min.iloc[-1] == 420
    assert fig.stat().st_size > 10_000


def test_json_summary_keys_carry_units():
    r = run("simulate", "--patient", "t2d", "--protocol", "ogtt", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    for key in ("fasting_glucose_mg_dl", "glucose_2h_mg_dl", "peak_insulin_pmol_l"):
        assert np.isfinite(data[key])
    assert data["glucose_2h_mg_dl"] > 200


def test_clamp_json_reports_m_value():
    data = json.loads(run("simulate", "--patient", "healthy_lean", "--protocol", "clamp", "--json").stdout)
    assert data["m_value_mg_kg_min"] > 0


def test_population_json_has_percentiles(tmp_path):
    out = tmp_path / "pop.parquet"
    r = run("simulate", "--protocol", "meal", "--population", "50", "--vary", "Vmx=0.3", "--vary", "kp3=0.3",
            "--seed", "1", "--json", "--out", str(out))
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["n_patients"] == 50
    peak = data["peak_glucose_mg_dl"]
    assert peak["p5"] < peak["p50"] < peak["p95"]
    frame = pd.read_parquet(out)
    assert frame.columns[0] == "patient" and frame.patient.nunique() == 50


@pytest.mark.parametrize("args,needle", [
    (("simulate", "--patient", "helthy_lean"), "did you mean 'healthy_lean'"),
    (("simulate", "--protocol", "ogtt", "--glucose-g", "-75"), "--glucose-g = -75.0 g"),
    (("simulate", "--protocol", "meal", "--carbs-g", "nan"), "--carbs-g = nan g"),
    (("simulate", "--protocol", "fasting", "--duration-min", "0"), "--duration-min = 0.0 min"),
    (("simulate", "--set", "Vmxx=0.03"), "--set: unknown parameter 'Vmxx'; did you mean 'Vmx'"),
    (("simulate", "--population", "3", "--vary", "kp33=0.3"), "--vary: unknown parameter 'kp33'; did you mean 'kp3'"),
    (("simulate", "--protocol", "ogt"), "--protocol: unknown protocol 'ogt'; did you mean 'ogtt'"),
    (("citations", "--protocol", "clmp"), "did you mean 'clamp'"),
    (("simulate", "--subject", "t3d"), "--subject: unknown subject"),
    (("simulate", "--protocol", "meal", "--carbs-g", "50", "--meal-times-min", "500", "--duration-min", "100"),
     "--meal-times-min = 500.0 min: not before the end of the protocol (allowed: 0 ≤ time < --duration-min"),
    (("simulate", "--population", "10", "--vary", "Vmx"), "NAME=VALUE"),
    (("simulate", "--population", "0"), "population"),
    (("simulate", "--out", "x.xlsx"), ".csv or .parquet"),
    (("simulate", "--model", "dalla-man-2070"), "did you mean 'dalla-man-2007'"),
    (("fit-minimal", "no-such-file.csv"), "no such file"),
    (("indices", "no-such-file.csv"), "no such file"),
    (("indices", str(EXAMPLES / "ogtt.csv"), "--criteria", "WH0"), "--criteria: unknown criteria 'WH0'; did you mean 'WHO'"),
    (("fit-minimal", str(EXAMPLES / "fsigt.csv"), "--intervals", "prof"), "--intervals = prof"),
    (("simulate", "--protocol", "ogtt", "--carbs-g", "50"), "--carbs-g = [50.0]: is not an option of the ogtt protocol (allowed: --glucose-g, --duration-min)"),
    (("simulate", "--protocol", "meal", "--insulin-modified"), "--insulin-modified = True: is not an option"),
    (("simulate", "--protocol", "meal", "--carbs-g", "50", "--meal-times-min", "100,200"), "2 times for 1 meal"),
    (("simulate", "--model", "bergman-minimal", "--patient", "t2d"), "patient t2d is a subject of model integrated"),
    (("simulate", "--population", "5", "--vary", "Gb=0.3"), "Gb = 0.3 fraction: cannot be varied"),
    (("simulate", "--out", "/nonexistent/dir/x.csv"), "its folder /nonexistent/dir does not exist"),
    (("simulate", "--plot", "x.xyz"), "not a figure format"),
    (("simulate", "--seed", "3"), "--seed = 3: draws a population: give --population N too"),
    (("simulate", "--out", "run.v2"), "a folder name has no extension"),
    (("simulate", "--out", "folder_run", "--plot", "x.png"), "a folder run (--out FOLDER) is not plotted"),
    (("simulate", "--protocol", "ivgtt", "--insulin-modified", "--set", "BW=78", "--duration-min", "60"), ""),
])
def test_user_mistakes_give_one_line_and_exit_2(args, needle, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "irsim.cli", *args], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    if not needle:  # the control: a valid command in the same place succeeds
        assert proc.returncode == 0, proc.stderr
        return
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_listing_commands():
    assert "obese_insulin_resistant" in run("patients").stdout
    drivers = json.loads(run("drivers", "--json").stdout)
    assert {"name", "unit", "normal", "min", "max", "description", "source"} <= set(drivers[0])
    assert {"visceral_fat_kg", "tnf_alpha", "beta_cell_mass", "genetic_tcf7l2", "sex"} <= {d["name"] for d in drivers}
    assert "clamp" in run("protocols").stdout
    assert "Dalla Man C, Rizza RA, Cobelli C" in run("citations").stdout
    used = run("citations", "--patient", "t2d", "--protocol", "clamp").stdout
    assert "DeFronzo RA, Tobin JD" in used and "Bergman RN" not in used  # the clamp, not the minimal model
    params = run("parameters", "--subject", "t2d").stdout
    assert "Vmx" in params and "0.034" in params and "Table 1" in params


def test_demo_writes_figure_and_table(tmp_path):
    r = run("demo", "--out-dir", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert (tmp_path / "meal_normal_vs_t2d.png").exists()
    frame = pd.read_csv(tmp_path / "meal_normal_vs_t2d.csv")
    assert set(frame.subject) == {"normal", "t2d"}


def test_population_to_a_folder_resumes_only_missing_chunks(tmp_path):
    """Long runs write as they go and can resume: a lost part is recomputed, nothing else."""
    folder = tmp_path / "run"
    args = ("simulate", "--protocol", "ogtt", "--population", "5000", "--vary", "Vmx=0.3", "--seed", "4",
            "--step-min", "10", "--out", str(folder), "--json")
    first = json.loads(run(*args).stdout)
    parts = sorted((folder / "trajectories").glob("part-*.parquet"))
    assert len(parts) == 2
    kept_mtime = parts[0].stat().st_mtime_ns
    parts[1].unlink()
    second = json.loads(run(*args).stdout)
    assert same_summary(second, first)
    assert parts[0].stat().st_mtime_ns == kept_mtime and parts[1].exists()
    frame = pd.read_parquet(folder / "trajectories")
    assert frame.patient.nunique() == 5000
    other = runner.invoke(app, [a if a != "4" else "5" for a in args])
    assert other.exit_code != 0 and "different run" in str(other.exception or other.output)


def test_a_folder_run_without_seed_records_the_drawn_seed_and_resumes_with_it(tmp_path):
    """Resuming must redraw the same patients: a seed is drawn once, recorded in run.json and reused."""
    folder = tmp_path / "run"
    args = ("simulate", "--protocol", "ogtt", "--population", "5000", "--vary", "Vmx=0.3", "--step-min", "30",
            "--out", str(folder), "--json")
    first = json.loads(run(*args).stdout)
    recorded = json.loads((folder / "run.json").read_text())
    assert isinstance(recorded["seed"], int) and recorded["duration_min"] == 180.0
    sorted((folder / "patients").glob("part-*.parquet"))[1].unlink()
    assert same_summary(json.loads(run(*args).stdout), first)  # resumed with the recorded seed: the same population
    assert not list((folder / "trajectories").glob("*.tmp"))
    other = runner.invoke(app, [*args, "--duration-min", "240"])
    assert other.exit_code != 0 and "duration_min" in str(other.exception or other.output)


@pytest.mark.parametrize("argv", [["indices"], ["simulate", "--bogus"], ["fit-minimal", "x.csv", "--exclude-before-min",
                                                                         "abc"]])
def test_usage_errors_through_the_entry_point_exit_2_without_traceback(argv, monkeypatch, capsys):
    """The installed ``irsim`` runs ``main()``, not the CliRunner: usage errors must print click's
    usage message and exit 2 there too (typer bundles click, so it is not imported by name)."""
    from irsim.cli import main

    monkeypatch.setattr(sys, "argv", ["irsim", *argv])
    with pytest.raises(SystemExit) as stop:
        main()
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "Usage: " in err and "Error: " in err and "Traceback" not in err


def test_version():
    import tomllib

    from irsim import __version__

    r = run("--version")
    assert r.exit_code == 0 and r.stdout.strip() == f"irsim {__version__}"
    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"]
    assert project["version"] == __version__


@pytest.mark.parametrize("name", sorted(typer.main.get_command(app).commands))
def test_help_shows_every_option_in_full_at_80_columns(name):
    """Typer's rich tables cut long names (``--glucose-g-per-…``); the plain layout keeps them whole."""
    proc = subprocess.run([sys.executable, "-m", "irsim.cli", name, "--help"], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "80"}, timeout=60)
    assert proc.returncode == 0
    assert max(len(line) for line in proc.stdout.splitlines()) <= 80
    command = typer.main.get_command(app).commands[name]
    assert command.help, f"irsim {name} has no description"
    for param in command.params:
        for flag in param.opts:
            assert any(f"{flag}{end}" in proc.stdout for end in (" ", ",", "\n")), flag
        assert param.help, f"{param.opts[0]} has no help text"


def test_cli_protocol_names_are_pythons():
    from irsim.cli import PROTOCOL_FLAGS, PROTOCOL_NAMES
    from irsim.protocols import PROTOCOLS

    assert PROTOCOL_NAMES == tuple(PROTOCOLS)
    accepted = {name for factory, _ in PROTOCOLS.values() for name in inspect.signature(factory).parameters}
    assert set(PROTOCOL_FLAGS) <= accepted  # every translated option is a real keyword of a protocol


def test_json_echoes_what_was_set():
    data = json.loads(run("simulate", "--protocol", "ogtt", "--glucose-g", "50", "--set", "Vmx=0.04",
                          "--step-min", "5", "--json").stdout)
    assert data["run"]["settings"] == {"glucose_g": 50.0}
    assert data["run"]["overrides"] == {"Vmx": 0.04} and data["run"]["step_min"] == 5.0


def test_full_precision_without_parquet_output_is_refused():
    r = run("simulate", "--population", "3", "--full-precision", "--json")
    assert r.exit_code != 0 and "--full-precision" in str(r.exception or r.output)
