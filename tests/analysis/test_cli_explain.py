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
    assert "igt vs reference healthy" in r.stdout and "3 drivers (8 coalitions" in r.stdout
    assert "clamp M-value [m_value]: healthy" in r.stdout and "mg/kg/min" in r.stdout
    for driver in ("Vmx", "beta", "K"):
        assert f"\n  {driver} " in r.stdout
    assert fig.stat().st_size > 10_000


def test_explain_json_shares_sum_to_the_change_and_groups_are_drivers():
    r = run("explain", "--patient", "t2d", "--json", "--measure", "fasting_egp", "--measure", "homa_ir",
            "--group", "liver=kp1,kp2,kp3,kp4,ki", "--group", "peripheral=Fcns,Vm0,Vmx,Km0,p2U,VG,k1,k2",
            "--group", "insulin=VI,m1,m2,m4,m5,m6,K,alpha,beta,gamma,Sb",
            "--group", "other=kmax,kmin,kabs,kgri,f,b,d,ke1,ke2,BW")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data["drivers"]) == ["liver", "peripheral", "insulin", "other"] and data["coalitions"] == 16
    for m in data["measures"]:
        assert sum(s["share"] for s in m["shares"].values()) == pytest.approx(m["change"], rel=1e-12)
        assert m["patient"] - m["reference"] == pytest.approx(m["change"])
        assert m["shares"]["other"]["share"] == 0.0  # gut, kidney below threshold and BW leave fasting EGP/HOMA alone


def test_set_changes_the_patient():
    r = run("explain", "--patient", "healthy", "--set", "kp3=0.005", "--measure", "fasting_egp", "--measure",
            "fasting_egp", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data["drivers"]) == ["kp3"] and len(data["measures"]) == 1 and data["measures"][0]["change"] > 0


@pytest.mark.parametrize("args, message", [
    (["--patient", "t2dd"], "unknown patient 't2dd'"),
    (["--patient", "t2d"], "group parameters"),
    (["--patient", "igt", "--measure", "mvalue"], "unknown measure 'mvalue'"),
    (["--patient", "igt", "--group", "liver"], "--group = liver"),
    (["--patient", "igt", "--set", "Gb=100"], "Gb = 100"),
    (["--patient", "igt", "--plot", "shares.txt"], "--plot = shares.txt: not a figure format"),
])
def test_explain_errors_exit_2_with_one_line(args, message):
    r = run("explain", *args)
    assert r.exit_code == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_graph_writes_a_figure_and_refuses_an_unknown_model(tmp_path):
    out = tmp_path / "graph.png"
    r = run("graph", "--model", "dalla-man-2007", "--out", str(out), "--parameters", "Vmx,kp3")
    assert r.exit_code == 0, r.output
    assert out.stat().st_size > 20_000
    r = run("graph", "--model", "dalla-man", "--out", str(out))
    assert r.exit_code == 2 and "unknown model" in r.stderr
