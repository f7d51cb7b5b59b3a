"""``irsim progress`` and ``irsim interventions`` from the command line."""

import json

import pandas as pd
from typer.testing import CliRunner

from irsim.cli import app
from irsim.interventions import INTERVENTIONS

runner = CliRunner()


def test_progress_prints_the_course_writes_csv_and_figure_and_names_the_diagnosis(tmp_path):
    out, figure = tmp_path / "course.csv", tmp_path / "course.png"
    r = runner.invoke(app, ["progress", "--patient", "t2d", "--years", "0.5", "--intervention", "glp1_agonist:1",
                            "--out", str(out), "--plot", str(figure)])
    assert r.exit_code == 0, r.output
    assert "glp1_agonist 1 mg/week" in r.output and "diabetes diagnosed (ADA) at year 0" in r.output
    course = pd.read_csv(out)
    assert list(course["time_years"]) == [0.0, 0.25, 0.5]
    assert course["hba1c_pct"].iloc[-1] < course["hba1c_pct"].iloc[0]
    assert figure.stat().st_size > 10_000


def test_progress_refuses_an_unknown_intervention():
    r = runner.invoke(app, ["progress", "--patient", "t2d", "--years", "1", "--intervention", "metforman:1000"])
    assert r.exit_code != 0


def test_interventions_lists_every_one_with_unit_and_sources():
    r = runner.invoke(app, ["interventions", "--json"])
    assert r.exit_code == 0
    rows = json.loads(r.output)
    assert [row["name"] for row in rows] == list(INTERVENTIONS)
    assert all(row["unit"] and row["effects"] and all(e["source"] for e in row["effects"]) for row in rows)


def test_progress_sets_slow_parameters_and_checks_the_figure_before_simulating(tmp_path):
    """--set takes the slow layer's parameters (its help names beta_function_decline) as well as drivers;
    a figure it could not write is refused before years of simulation."""
    course = tmp_path / "course.csv"
    r = runner.invoke(app, ["progress", "--patient", "healthy_lean", "--years", "0.25", "--set",
                            "beta_function_decline=0.5", "--set", "visceral_fat_kg=2", "--out", str(course)])
    assert r.exit_code == 0, r.output
    function = pd.read_csv(course)["beta_cell_function"]
    assert function.iloc[-1] < function.iloc[0]  # the intrinsic decline acted
    r = runner.invoke(app, ["progress", "--years", "50", "--plot", str(tmp_path / "course.txt")])
    assert r.exit_code != 0 and "not a figure format" in str(r.exception or r.output)
