"""A population streamed to one file by the writer thread holds exactly the in-memory result; a write
that fails is raised (never a hang) and leaves a readable file of the chunks written before it."""

import errno
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from irsim import OGTT, InputError, Simulation, Variation
from irsim.cli import app
from irsim.io.result_writer import ChunkWriter, check_output_suffix

N_PATIENTS, CHUNK = 50, 5  # 10 chunks: more than the writer's queue and two workers hold


def population():
    return Simulation("dalla-man-2007", "normal", OGTT(), variation=Variation(N_PATIENTS, {"Vmx": 0.3}, seed=3))


def read(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path) if path.suffix == ".csv" else pd.read_parquet(path)
    return frame.sort_values([c for c in ("patient", "time_min") if c in frame]).reset_index(drop=True)


def hand_over(writer: ChunkWriter, chunks, n_workers: int = 2, timeout_s: float = 120.0) -> list[BaseException]:
    """Solved chunks handed to ``writer`` by ``n_workers`` threads at once, faster than they are
    written; returns the errors the threads met, and fails the test (instead of hanging it) if one
    of them never returns."""
    errors = []

    def work(share):
        try:
            for chunk in share:
                writer.write(chunk)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(chunks[i::n_workers],), daemon=True) for i in range(n_workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout_s)
    assert not any(thread.is_alive() for thread in threads), "handing chunks to the writer hung"
    return errors


def solve_chunks(sim, reduce, **kwargs):
    return sim.solve(step_min=10.0, variables=["G", "I"], chunk_size=CHUNK, reduce=reduce, **kwargs)


@pytest.fixture
def slow_disk(monkeypatch):
    """Each append waits 50 ms first, so solved chunks fill the writer's queue and workers wait on it."""
    append = ChunkWriter._append

    def slow_append(self, *args):
        threading.Event().wait(0.05)
        append(self, *args)

    monkeypatch.setattr(ChunkWriter, "_append", slow_append)


@pytest.mark.parametrize("suffix,full_precision", [(".parquet", False), (".parquet", True), (".csv", False)])
def test_a_streamed_file_holds_exactly_the_in_memory_result(tmp_path, slow_disk, suffix, full_precision):
    """Chunks reach the file through the writer thread, in whatever order they finish, while the
    workers go on; a slow disk (the writer sleeping) makes workers wait on the full queue. Read
    back, the file is the in-memory result's tidy table: float32 in compact Parquet is exactly the
    rounding of each float64 value, CSV its 10 significant digits."""
    sim = population()
    whole = sim.solve(step_min=10.0, variables=["G", "I"])
    path = tmp_path / f"pop{suffix}"
    with ChunkWriter(path, full_precision) as writer:
        frames = solve_chunks(sim, writer.write)
    assert len(frames) == 10

    streamed, expected = read(path), whole.to_pandas()
    assert list(streamed.columns) == list(expected.columns)
    np.testing.assert_array_equal(streamed.patient, expected.patient)
    np.testing.assert_array_equal(streamed.time_min, expected.time_min)
    for column in ("glucose_mg_dl", "insulin_pmol_l"):
        if suffix == ".csv":
            np.testing.assert_allclose(streamed[column], expected[column], rtol=5e-10)
        else:
            dtype = np.float64 if full_precision else np.float32
            assert streamed[column].dtype == dtype
            np.testing.assert_array_equal(streamed[column], expected[column].astype(dtype))
    # the patients file holds what each chunk's write returned (the summary of a chunk may differ from
    # the whole population's in the last bit: its sums run over other array shapes)
    patients, returned = read(writer.patients_path), pd.concat(frames).sort_index().reset_index()
    assert list(patients.columns) == list(returned.columns)
    np.testing.assert_allclose(patients.to_numpy(), returned.to_numpy(), rtol=5e-10 if suffix == ".csv" else 0)
    np.testing.assert_allclose(patients.to_numpy(), whole.patients().reset_index().to_numpy(), rtol=1e-9)


def fill_disk(monkeypatch, from_append: int) -> list[int]:
    """Parquet appends of trajectories fail from the ``from_append``-th on, as on a full disk; the
    returned list holds the rows of every append tried."""
    write_table, calls = pq.ParquetWriter.write_table, []

    def failing(self, table, *args, **kwargs):
        if "time_min" in table.column_names:
            calls.append(table.num_rows)
            if len(calls) >= from_append:
                raise OSError(errno.ENOSPC, "No space left on device")
        return write_table(self, table, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", failing)
    return calls


def test_a_failed_write_is_raised_and_the_file_keeps_the_chunks_before_it(tmp_path, monkeypatch, slow_disk):
    """Workers may be waiting on the full queue when an append fails: they must not wait for ever."""
    chunks = solve_chunks(population(), reduce=lambda result: result)
    appends = fill_disk(monkeypatch, from_append=3)
    writer = ChunkWriter(tmp_path / "pop.parquet")
    errors = hand_over(writer, chunks)
    assert all(error.errno == errno.ENOSPC for error in errors)  # workers see it if they still hand chunks over
    with pytest.raises(OSError, match="No space left"):  # close raises it in any case
        writer.close()
    written = read(writer.path)  # a valid file: closed after the failure
    assert len(written) == sum(appends[:2]) > 0  # the two chunks appended before the failure, nothing after
    assert (written.groupby("patient").size() == written.time_min.nunique()).all()  # each patient whole
    assert set(read(writer.patients_path).patient) == set(written.patient)


def test_a_write_that_fails_on_the_last_chunk_is_raised_by_close(tmp_path, monkeypatch):
    appends = fill_disk(monkeypatch, from_append=3)
    sim = Simulation("dalla-man-2007", "normal", OGTT(), variation=Variation(3 * CHUNK, {"Vmx": 0.3}, seed=3))
    writer = ChunkWriter(tmp_path / "pop.parquet")
    for lo in range(0, 3 * CHUNK, CHUNK):  # one chunk after another: the failing one is the last
        solve_chunks(sim, writer.write, chunks=[(lo, lo + CHUNK)])
    with pytest.raises(OSError, match="No space left"):
        writer.close()
    assert len(read(writer.path)) == sum(appends[:2])


def test_the_cli_reports_a_failed_write_as_the_out_option(tmp_path, monkeypatch):
    fill_disk(monkeypatch, from_append=1)
    out = tmp_path / "pop.parquet"
    r = CliRunner().invoke(app, ["simulate", "--protocol", "ogtt", "--population", "20", "--vary", "Vmx=0.3",
                                 "--seed", "1", "--step-min", "10", "--out", str(out)])
    assert isinstance(r.exception, InputError)
    assert str(r.exception) == f"--out = {out}: cannot be written (No space left on device)"


def test_a_closed_writer_refuses_a_chunk_instead_of_waiting(tmp_path):
    sim = population()
    writer = ChunkWriter(tmp_path / "pop.parquet")
    writer.close()
    writer.close()  # twice is harmless
    with pytest.raises(ValueError, match="closed"):
        solve_chunks(sim, writer.write, chunks=[(0, CHUNK)])


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcXYZ.-_ 0", min_size=1, max_size=12), st.sampled_from(["", ".csv", ".CSV", ".parquet",
                                                                                  ".xlsx", ".json", ".parq"]))
def test_only_csv_and_parquet_files_are_accepted(stem, suffix):
    path = Path(stem + suffix)
    if path.suffix.lower() in (".csv", ".parquet"):
        check_output_suffix(path)
    else:
        with pytest.raises(InputError) as refused:
            check_output_suffix(path)
        assert refused.value.field == "out" and ".csv or .parquet" in str(refused.value)
