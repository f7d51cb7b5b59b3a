"""The README's bounded-memory route through a folder run (columns, patient filters, streaming)
gives what reading everything gives."""

import pandas as pd
import pyarrow.dataset as ds
from typer.testing import CliRunner

from irsim.cli import app


def test_columns_filters_and_streaming_agree_with_the_whole_folder(tmp_path):
    folder = tmp_path / "big_run"
    done = CliRunner().invoke(app, ["simulate", "--protocol", "ogtt", "--population", "300", "--vary", "Vmx=0.3",
                                    "--seed", "2", "--step-min", "10", "--out", str(folder)])
    assert done.exit_code == 0, done.output
    run = str(folder / "trajectories")
    whole = pd.read_parquet(run)

    glucose = pd.read_parquet(run, columns=["patient", "time_min", "glucose_mg_dl"])
    pd.testing.assert_frame_equal(glucose, whole[["patient", "time_min", "glucose_mg_dl"]])

    some = pd.read_parquet(run, filters=[("patient", ">=", 100), ("patient", "<", 200)])
    assert sorted(set(some.patient)) == list(range(100, 200))
    pd.testing.assert_frame_equal(some.reset_index(drop=True),
                                  whole[whole.patient.between(100, 199)].reset_index(drop=True))

    batches = list(ds.dataset(run).to_batches(columns=["patient", "glucose_mg_dl"], batch_size=1000))
    assert len(batches) > 1  # really streamed
    peaks = pd.concat(batch.to_pandas().groupby("patient").glucose_mg_dl.max() for batch in batches)
    peaks = peaks.groupby(level=0).max()
    pd.testing.assert_series_equal(peaks, whole.groupby("patient").glucose_mg_dl.max())
