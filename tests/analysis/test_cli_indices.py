"""The `indices` command on the shipped example, in its three output modes, and its user errors."""

import json
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from irsim.analysis.cli_indices import register

EXAMPLE = Path(__file__).parents[2] / "examples" / "ogtt.csv"


@pytest.fixture(scope="module")
def app():
    app = typer.Typer()
    register(app)

    @app.command()
    def version() -> None:  # a second command, so `indices` is a sub-command as in irsim's CLI
        typer.echo("0")

    return app


def run(app, *args):
    return CliRunner().invoke(app, ["indices", *map(str, args)])


def test_readable_table_has_labels_units_and_categories(app):
    result = run(app, EXAMPLE)
    assert result.exit_code == 0, result.output
    for text in ("HOMA1 insulin resistance [1]", "OGIS glucose clearance [mL/min/m2]", "IFG+IGT", "diabetes",
                 "T2D-F-badcell: stumvoll_isi: no glucose_90"):
        assert text in result.stdout
    assert "'n/a-haemolysed' is not a number" in result.stderr


def test_json_output(app):
    result = run(app, EXAMPLE, "--json", "--criteria", "WHO")
    payload = json.loads(result.stdout)
    assert payload["criteria"] == "WHO" and payload["units"]["ogis"] == "mL/min/m2"
    subjects = {s["subject_id"]: s for s in payload["subjects"]}
    assert subjects["T2D-M"]["glycaemic_category"] == "diabetes"
    assert subjects["T2D-F-badcell"]["ogis"] is None
    assert len(payload["import_warnings"]) == 2


def test_csv_output_has_the_documented_column_names(app, tmp_path):
    out = tmp_path / "indices.csv"
    result = run(app, EXAMPLE, "--out", out)
    assert result.exit_code == 0 and "wrote 6 subjects" in result.stdout
    table = pd.read_csv(out)
    expected = ["subject_id", "homa1_ir", "homa1_b", "quicki", "matsuda", "matsuda_auc", "stumvoll_first_phase",
                "stumvoll_second_phase", "stumvoll_isi", "insulinogenic_index", "oral_di", "tyg", "ogis",
                "glycaemic_category", "metabolic_syndrome_ncep", "metabolic_syndrome_idf"]
    assert [c for c in table.columns if not c.startswith("homa2") and c != "notes"] == expected
    # the ordering the example was written to show: insulin sensitivity falls from lean NGT to T2D
    by_id = table.set_index("subject_id")
    assert by_id.loc["NGT-lean-F", "matsuda"] > by_id.loc["IGT-F", "matsuda"] > by_id.loc["IFG-IGT-M", "matsuda"]
    assert by_id.loc["NGT-lean-F", "oral_di"] > 5 * by_id.loc["T2D-M", "oral_di"]


@pytest.mark.parametrize("args, message", [
    (["missing.csv"], "no such file"),
    ([EXAMPLE, "--criteria", "NICE"], "unknown criteria 'NICE'"),
])
def test_user_errors_exit_2_with_one_line(app, args, message):
    result = run(app, *args)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_json_has_null_for_every_empty_cell_and_out_still_writes(app, tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("subject_id,glucose_0_mg_dl,insulin_0_pmol_l,hba1c_pct\na,95,60,\nb,,60,\n")
    out = tmp_path / "table.csv"
    result = run(app, path, "--json", "--out", out)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    b = next(s for s in payload["subjects"] if s["subject_id"] == "b")
    assert b["glycaemic_category"] is None and b["homa1_ir"] is None
    assert "glycaemic_category: no glucose_0" in b["notes"]
    assert pd.read_csv(out, index_col="subject_id").loc["a", "homa1_ir"] == pytest.approx(95 / 18.0156 * 10 / 22.5)
    assert "wrote 2 subjects" in result.stderr


def test_a_file_with_no_usable_value_exits_2_with_the_reasons(app, tmp_path):
    path = tmp_path / "allbad.csv"
    path.write_text("subject_id,glucose_0_mmol_l\nA,abc\nB,xyz\n")
    result = run(app, path)
    assert result.exit_code == 2 and "'abc' is not a number" in result.stderr
    assert "no index or diagnosis could be computed for any of the 2 subjects" in result.stderr
    long = tmp_path / "longbad.csv"
    long.write_text("subject_id,time_min,analyte,value,unit\nA,0,insulin,10,kg\n")
    result = run(app, long)
    assert result.exit_code == 2 and "'kg' cannot express insulin" in result.stderr
