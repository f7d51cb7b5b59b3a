"""Results: tidy export (CSV, Parquet, pandas), units in names, citations, plots."""

import numpy as np
import pandas as pd
import pytest

from irsim import OGTT, InputError, Meal, Simulation, Variation
from irsim.result import unit_suffix


@pytest.mark.parametrize("unit,suffix", [("mg/dL", "mg_dl"), ("pmol/kg/min", "pmol_kg_min"), ("1/min", "per_min"),
                                         ("1", ""), ("µU/mL", "uu_ml")])
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


@pytest.mark.parametrize("suffix,full_precision,rtol", [(".csv", False, 1e-9), (".parquet", True, 1e-15),
                                                         (".parquet", False, 2 ** -24)])
def test_population_written_chunk_by_chunk_equals_the_whole(tmp_path, suffix, full_precision, rtol):
    """Streaming output (chunks written as they are solved) holds exactly the full run's rows; a
    population's Parquet file keeps float32 (rounding 2⁻²⁴) unless asked for full precision."""
    import pandas as pd

    from irsim.io.result_writer import ChunkWriter

    sim = Simulation("dalla-man-2007", "normal", OGTT(), variation=Variation(50, {"Vmx": 0.3}, seed=3))
    whole = sim.solve(step_min=10.0, variables=["G", "I"])
    path = tmp_path / f"pop{suffix}"
    with ChunkWriter(path, full_precision) as writer:
        summaries = sim.solve(step_min=10.0, variables=["G", "I"], chunk_size=16, reduce=writer.write)
    streamed = (pd.read_csv(path) if suffix == ".csv" else pd.read_parquet(path)).sort_values(["patient", "time_min"])
    expected = whole.to_pandas()
    assert len(summaries) == 4 and sorted(pd.concat(summaries).index) == list(range(50))
    np.testing.assert_allclose(streamed.glucose_mg_dl.to_numpy(), expected.glucose_mg_dl.to_numpy(), rtol=rtol)
    if suffix == ".parquet":
        assert streamed.glucose_mg_dl.dtype == (np.float64 if full_precision else np.float32)
    np.testing.assert_array_equal(streamed.patient.to_numpy(), expected.patient.to_numpy())
