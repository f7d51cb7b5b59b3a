"""One computation per number (issue 11, item 2): an index from ``simulate``, from ``indices`` on the
exported samples and from the Python API is the same number; fasting indices need a fasting sample."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from irsim.analysis.indices import COLUMNS, compute_indices
from irsim.analysis.summary import FROM_FASTING_SAMPLE
from irsim.cli import app
from irsim.io.clinical_data import read_clinical_data
from irsim.protocols import OGTT, Clamp, Fasting, Meal
from irsim.simulation import Simulation

runner = CliRunner()


def _index_name(measure: str) -> str | None:
    """The clinical index a summary measure is (its name, or its name with the unit appended)."""
    return max((c for c in COLUMNS if measure == c or measure.startswith(f"{c}_")), key=len, default=None)


@pytest.mark.parametrize("patient, glucose_g", [("healthy_lean", 75), ("t2d", 75), ("igt", 75), ("obese_insulin_resistant", 100)])
def test_simulate_indices_and_python_agree_on_every_index(tmp_path, patient, glucose_g):
    out = tmp_path / f"{patient}.csv"
    r = runner.invoke(app, ["simulate", "--patient", patient, "--protocol", "ogtt", "--glucose-g", str(glucose_g),
                            "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    simulated = json.loads(r.stdout)
    r = runner.invoke(app, ["indices", str(out), "--json"])
    assert r.exit_code == 0, r.output
    from_file = json.loads(r.stdout)["subjects"][0]
    python = Simulation("integrated", patient, OGTT(glucose_g)).solve().summary().iloc[0]
    direct = compute_indices(read_clinical_data(out, warn=False).frame).iloc[0]

    reported = {m: _index_name(m) for m in simulated if _index_name(m)}
    assert set(reported) == set(FROM_FASTING_SAMPLE)  # every OGTT index the simulator reports is checked
    for measure, index in reported.items():
        values = [simulated[measure], from_file[index], python[measure], direct[index]]
        np.testing.assert_allclose(values, values[0], rtol=1e-8, err_msg=f"{measure} vs {index}")


def test_a_test_after_a_meal_gives_no_fasting_index_and_counts_its_own_times():
    protocol = Meal(50).then(OGTT(), at_min=240)
    result = Simulation("dalla-man-2007", "t2d", protocol).solve()
    summary = result.summary()
    assert not set(FROM_FASTING_SAMPLE) & set(summary.columns)
    (why,) = summary.attrs["notes"].values()
    assert "240 min" in why and "not a fasting sample" in why
    # the OGTT's 2-h sample is 2 h after its own start; the meal's peak is counted from the meal
    assert summary["glucose_2h_mg_dl"].iloc[0] == pytest.approx(result["G"][result.time_min == 360.0][0, 0])
    assert 0 < summary["time_to_peak_glucose_min"].iloc[0] < 240
    # the CLI's JSON says why, too
    r = runner.invoke(app, ["simulate", "--patient", "t2d", "--protocol", "fasting", "--json"])
    assert "notes" not in json.loads(r.stdout)


def test_a_test_after_rest_is_the_same_test():
    """Steady state stays steady: an OGTT after 2 h of fasting gives the indices and times of an OGTT at 0."""
    alone = Simulation("integrated", "igt", OGTT()).solve().summary().iloc[0]
    later = Simulation("integrated", "igt", Fasting(120).then(OGTT())).solve().summary()
    assert later.attrs["notes"] == {}
    later = later.iloc[0]
    for measure in (*FROM_FASTING_SAMPLE, "glucose_2h_mg_dl", "time_to_peak_glucose_min"):
        assert later[measure] == pytest.approx(alone[measure], rel=1e-5), measure


def test_airg_is_one_number_whatever_the_output_step_and_in_fit_minimal(tmp_path):
    """The FSIGT's AIRg reads its schedule's samples: the same at every output step, and the same
    from ``fit-minimal`` on the exported minute-by-minute samples."""
    reported = []
    for step in ("1", "5"):
        out = tmp_path / f"fsigt_{step}.csv"
        r = runner.invoke(app, ["simulate", "--subject", "normal", "--protocol", "ivgtt", "--step-min", step,
                                "--out", str(out), "--json"])
        assert r.exit_code == 0, r.output
        reported.append(json.loads(r.stdout)["airg_uU_ml"])
    r = runner.invoke(app, ["fit-minimal", str(tmp_path / "fsigt_1.csv"), "--json"])
    assert r.exit_code == 0, r.output
    reported.append(json.loads(r.stdout)["airg_uU_ml"])
    np.testing.assert_allclose(reported, reported[0], rtol=1e-8)


def test_a_clamp_followed_by_a_meal_keeps_its_own_m_value():
    alone = Simulation("dalla-man-2007", "normal", Clamp()).solve(step_min=5.0).summary().iloc[0]
    then = Simulation("dalla-man-2007", "normal", Clamp().then(Meal())).solve(step_min=5.0).summary().iloc[0]
    for measure in ("m_value_mg_kg_min", "clamp_insulin_pmol_l", "m_over_i_x100"):
        assert then[measure] == pytest.approx(alone[measure], rel=1e-6), measure
    assert 0 < then["time_to_peak_glucose_min"] < 180  # the meal's excursion, counted from the meal
