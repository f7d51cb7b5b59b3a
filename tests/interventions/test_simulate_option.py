"""``irsim simulate --intervention``: an intervention's steady effect on a minutes-scale run."""

import json

from typer.testing import CliRunner

from irsim.cli import app

runner = CliRunner()


def _fasting_glucose(*args):
    r = runner.invoke(app, ["simulate", "--patient", "t2d", "--protocol", "ogtt", "--json", *args])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)["fasting_glucose_mg_dl"]


def test_metformin_lowers_the_fasting_glucose_of_an_ogtt():
    assert _fasting_glucose("--intervention", "metformin:2000") < _fasting_glucose() - 3.0


def test_insulin_therapy_and_models_without_the_mechanism_are_refused():
    for args in (["--patient", "t2d", "--intervention", "basal_insulin:20"], ["--intervention", "metformin:1000"]):
        r = runner.invoke(app, ["simulate", *args])
        assert r.exit_code != 0
