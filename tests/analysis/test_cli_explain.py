"""``irsim explain`` and ``irsim graph``: tables, JSON whose shares add up, figures, one-line errors."""

import json

import pytest
from typer.testing import CliRunner

from irsim.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def test_explain_prints_each_measure_with_reference_patient_change_and_shares(tmp_path):
    fig = tmp_path / "shares.png"
    r = run("explain", "--patient", "igt", "--measure", "m_value", "--measure", "homa_ir", "--plot", str(fig))
    assert r.exit_code == 0, r.output
    assert "igt vs reference healthy_lean" in r.stdout and "9 drivers (512 coalitions" in r.stdout
    assert "clamp M-value [m_value]: healthy_lean" in r.stdout and "mg/kg/min" in r.stdout
    for driver in ("visceral_fat_kg", "mitochondrial_capacity", "beta_cell_function"):
        assert f"\n  {driver} " in r.stdout
    assert fig.stat().st_size > 10_000


def test_explain_json_shares_sum_to_the_change_and_groups_are_drivers():
    r = run("explain", "--patient", "t2d", "--json", "--measure", "fasting_egp", "--measure", "homa_ir",
            "--group", "body=BW,total_fat_kg,visceral_fat_kg",
            "--group", "lifestyle=dietary_fat_fraction,physical_activity_met_h_week,mitochondrial_capacity,age_years",
            "--group", "islet=beta_cell_mass,beta_cell_function")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data["drivers"]) == ["body", "lifestyle", "islet"] and data["coalitions"] == 8
    for m in data["measures"]:
        assert sum(s["share"] for s in m["shares"].values()) == pytest.approx(m["change"], rel=1e-12)
        assert m["patient"] - m["reference"] == pytest.approx(m["change"])


def test_explain_and_simulate_report_the_same_m_value_for_one_patient():
    """One standard clamp: the M-value explain decomposes is the one ``simulate --protocol clamp`` reports."""
    explained = run("explain", "--patient", "t2d", "--json", "--measure", "m_value",
                    "--group", "body=BW,total_fat_kg,visceral_fat_kg",
                    "--group", "lifestyle=dietary_fat_fraction,physical_activity_met_h_week,mitochondrial_capacity,age_years",
                    "--group", "islet=beta_cell_mass,beta_cell_function")
    simulated = {who: run("simulate", "--patient", who, "--protocol", "clamp", "--json")
                 for who in ("t2d", "healthy_lean")}
    assert explained.exit_code == 0, explained.output
    m = json.loads(explained.stdout)["measures"][0]
    for who, value in (("t2d", "patient"), ("healthy_lean", "reference")):
        assert simulated[who].exit_code == 0, simulated[who].output
        assert m[value] == pytest.approx(json.loads(simulated[who].stdout)["m_value_mg_kg_min"], rel=1e-9)
    assert m["patient"] < m["reference"]


def test_set_changes_the_patient():
    r = run("explain", "--patient", "healthy_lean", "--set", "il6=4", "--measure", "fasting_egp", "--measure",
            "fasting_egp", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data["drivers"]) == ["il6"] and len(data["measures"]) == 1 and data["measures"][0]["change"] > 0


@pytest.mark.parametrize("args, message", [
    (["--patient", "t2dd"], "unknown patient 't2dd'"),
    (["--patient", "igt", "--measure", "mvalue"], "unknown measure 'mvalue'"),
    (["--patient", "igt", "--group", "liver"], "--group = liver"),
    (["--patient", "igt", "--set", "visceral_fat_kg=100"], "visceral_fat_kg = 100"),
    (["--patient", "igt", "--plot", "shares.txt"], "--plot = shares.txt: not a figure format"),
])
def test_explain_errors_exit_2_with_one_line(args, message):
    r = run("explain", *args)
    assert r.exit_code == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_graph_writes_a_figure_with_its_edge_list_and_refuses_an_unknown_model(tmp_path):
    from irsim.models import get_model
    from irsim.plotting_graph import causal_graph

    out = tmp_path / "graph.png"
    r = run("graph", "--model", "dalla-man-2007", "--out", str(out), "--parameters", "Vmx,kp3")
    assert r.exit_code == 0, r.output
    assert out.stat().st_size > 20_000
    edges = json.loads((tmp_path / "graph.edges.json").read_text())
    assert edges == causal_graph(get_model("dalla-man-2007"), ["Vmx", "kp3"]).edge_list()
    assert {"source": "Vmx", "target": "utilisation", "kind": "parameter", "variables": ["Vmx"]} in edges
    r = run("graph", "--model", "dalla-man", "--out", str(out))
    assert r.exit_code == 2 and "unknown model" in r.stderr
