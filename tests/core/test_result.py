"""Results: tidy export (CSV, Parquet, pandas), units in names, citations, plots."""

import numpy as np
import pandas as pd
import pytest

from irsim import OGTT, InputError, Meal, Simulation, Variation
from irsim.result import unit_suffix


@pytest.mark.parametrize("unit,suffix", [("mg/dL", "mg_dl"), ("pmol/kg/min", "pmol_kg_min"), ("1/min", "per_min"),
                                         ("1", ""), ("µU/mL", "uu_ml"), ("%", "pct"), ("fold", "fold")])
def test_unit_suffixes(unit, suffix):
    assert unit_suffix(unit) == suffix


def test_csv_and_parquet_round_trip(tmp_path):
    r = Simulation("dalla-man-2007", "normal", OGTT()).solve(step_min=5.0)
    r.save(tmp_path / "a.csv")
    r.save(tmp_path / "a.parquet")
    a, b = pd.read_csv(tmp_path / "a.csv"), pd.read_parquet(tmp_path / "a.parquet")
    np.testing.assert_allclose(a.glucose_mg_dl, r["G"][:, 0], rtol=1e-9)
    np.testing.assert_allclose(b.insulin_pmol_l, r["I"][:, 0])
    assert "EGP_mg_kg_min" in a.columns and "X_pmol_l" in a.columns
    with pytest.raises(InputError, match="out"):
        r.save(tmp_path / "a.json")


def test_no_nan_and_citations_of_everything_used():
    r = Simulation("dalla-man-2007", "t2d", OGTT()).solve()
    assert all(np.all(np.isfinite(v)) for v in r.data.values())
    assert "DallaMan2007" in r.citations
    assert "Meal simulation model of the glucose-insulin system" in r.references()


def test_population_plot_has_band(tmp_path):
    r = Simulation("dalla-man-2007", "normal", Meal(), variation=Variation(20, {"Vmx": 0.3}, seed=0)).solve(
        variables=["G", "I"])
    fig = r.plot(tmp_path / "p.png")
    assert (tmp_path / "p.png").stat().st_size > 10_000
    assert any("median" in t.get_text() for t in fig.axes[0].get_legend().get_texts())


def test_every_integrated_model_column_carries_its_unit():
    from irsim import Fasting

    r = Simulation("integrated", "healthy_lean", Fasting(duration_min=1.0)).solve()
    columns = {name: r.column_name(name) for name in r.data}
    assert set(r.to_pandas().columns) == {"time_min", *columns.values()}
    assert len(columns) == len(r.model.variable_names()) + len(r.model.inputs)
    bare = {name for name, column in columns.items() if column == name}
    assert not bare, f"columns without a unit: {sorted(bare)}"
    for name, column in columns.items():
        suffix = unit_suffix(r.units[name])
        assert name in ("G", "I") or column.endswith(f"_{suffix}"), (name, r.units[name], column)
    assert {columns["GLUT4_membrane"], columns["ikk_beta"], columns["liver_fat"]} == {
        "GLUT4_membrane_fraction", "ikk_beta_fold", "liver_fat_pct"}
