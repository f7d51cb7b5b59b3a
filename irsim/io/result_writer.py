"""Writing a population's trajectories as they are computed, chunk by chunk.

Large runs never hold every trajectory: each solved chunk is appended to the CSV or Parquet file
(``Simulation.solve(reduce=writer.write)``) and dropped, so a crash loses at most the chunks in
flight and memory stays flat in population size.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from irsim.errors import InputError

#: file types a result is written as (a folder, without extension, is a resumable run)
OUTPUT_SUFFIXES = (".csv", ".parquet")


def check_output_suffix(path: str | Path) -> None:
    if Path(path).suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputError("out", str(path), reason="unknown file type",
                         allowed=".csv or .parquet (a folder name has no extension)")


def patients_path(path: str | Path) -> Path:
    """Where the per-patient table of a run written to ``path`` goes: ``pop.csv`` → ``pop.patients.csv``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.patients{path.suffix}")


def write_patients(table, path: str | Path) -> Path:
    """A :meth:`~irsim.Result.patients` table as CSV or Parquet (by extension), ``patient`` a column."""
    path = Path(path)
    frame = table.reset_index()
    if path.suffix.lower() == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False, float_format="%.10g")
    return path


#: Parquet settings of population files. Variables as float32 (7 significant digits, far below the
#: solver's 1e-6 tolerance), floats with byte-stream-split encoding, lz4 throughout: a 100,000-patient
#: meal's file is ≈ 220 MB instead of 715 MB. No dictionaries: hashing 1.7 million floats per chunk
#: cost more than the rest of the write, and ``time_min`` byte-stream-split is smaller than as a
#: dictionary (docs/performance.md). ``full_precision`` keeps float64.
PARQUET = {"compression": "lz4", "use_dictionary": False}


def parquet_table(result, full_precision: bool = False):
    """``(table, options)``: the result's tidy table as Arrow and the write options for it.

    Columns are declared non-null (a result holds no missing value: the solver refuses non-finite
    ones), which spares the writer a definition level per row: half the cost of a column."""
    import numpy as np
    import pyarrow as pa

    columns = result.columns(dtype=np.float64 if full_precision else np.float32)
    schema = pa.schema([pa.field(name, pa.from_numpy_dtype(values.dtype), nullable=False)
                        for name, values in columns.items()])
    floats = [name for name, values in columns.items() if values.dtype.kind == "f"]
    return pa.Table.from_arrays(list(columns.values()), schema=schema), {**PARQUET, "use_byte_stream_split": floats}


class ChunkWriter:
    """Append each chunk's :class:`~irsim.Result` to ``path`` (.csv or .parquet) as it finishes.

    Chunks run on worker threads; ``write`` builds a chunk's tables there and hands them to one
    writer thread, so encoding and writing the file overlap the integration of the next chunks
    (pyarrow and the compiled kernel release the GIL) and no worker waits for the file. Chunks are
    appended in the order they finish (the ``patient`` column says whose rows they are); at most
    :attr:`queued` wait, which bounds memory. Each chunk's :meth:`~irsim.Result.patients` table
    (parameters set or varied, summary measures) is appended likewise to :func:`patients_path`
    beside it. ``write`` returns the chunk's patients table, so it can serve as ``reduce`` directly.
    Trajectories in Parquet are written compact (:data:`PARQUET`) unless ``full_precision``.

    A failed append (a full disk, say) is raised by the next ``write`` and by :meth:`close`; later
    chunks are dropped, and the files are closed on what was written before the failure.
    """

    #: chunks handed over but not yet written before ``write`` waits for the writer thread
    queued = 2

    def __init__(self, path: str | Path, full_precision: bool = False):
        self.path = Path(path)
        check_output_suffix(self.path)
        self.kind = self.path.suffix.lower()
        self.full_precision = full_precision
        self.patients_path = patients_path(self.path)
        self._sinks: dict[Path, object] = {}  # open ParquetWriter or CSV file per path
        self._failure: BaseException | None = None
        self._pending: queue.Queue = queue.Queue(maxsize=self.queued)
        self._thread = threading.Thread(target=self._drain, name=f"irsim-writer-{self.path.name}", daemon=True)
        self._thread.start()

    def write(self, result):
        patients = result.patients()
        if self.kind == ".csv":
            tables = {self.path: (result.to_pandas(), {}), self.patients_path: (patients.reset_index(), {})}
        else:
            import pyarrow as pa

            tables = {self.path: parquet_table(result, self.full_precision),
                      self.patients_path: (pa.Table.from_pandas(patients.reset_index(), preserve_index=False),
                                           {"compression": "lz4"})}
        self._raise_failure()
        if not self._thread.is_alive():
            raise ValueError(f"{self.path} is closed: no chunk can be appended")
        self._pending.put(tables)
        return patients

    def _drain(self) -> None:
        """The writer thread: append each handed-over chunk; after a failure, only empty the queue."""
        while (tables := self._pending.get()) is not None:
            if self._failure is None:
                try:
                    for path, (table, options) in tables.items():
                        self._append(path, table, options)
                except BaseException as exc:  # handed to the caller by write and close
                    self._failure = exc

    def _append(self, path: Path, table, options) -> None:
        if self.kind == ".csv":
            first = path not in self._sinks
            if first:
                self._sinks[path] = open(path, "w", newline="")  # closed by close()
            table.to_csv(self._sinks[path], header=first, index=False, float_format="%.10g")
            return
        import pyarrow.parquet as pq

        if path not in self._sinks:
            self._sinks[path] = pq.ParquetWriter(path, table.schema, **options)
        self._sinks[path].write_table(table)

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def close(self) -> None:
        """Wait for the queued chunks, close the files, and raise a failed append's error."""
        if self._thread.is_alive():
            self._pending.put(None)
            self._thread.join()
        for sink in self._sinks.values():
            try:
                sink.close()
            except Exception as exc:  # the first failure is the one to report
                self._failure = self._failure or exc
        self._sinks.clear()
        self._raise_failure()

    def __enter__(self) -> ChunkWriter:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        try:
            self.close()
        except BaseException:
            if exc_type is None:  # else the error already on its way out is the one to report
                raise


#: what a folder run holds per chunk, one subfolder each
PARTS = ("trajectories", "patients")


class DatasetWriter:
    """A population run written to a folder, one Parquet part per chunk, and resumable.

    The folder holds ``run.json`` (what was run), and per chunk of patients ``[first, stop)`` the
    trajectories ``trajectories/part-<first>-<stop>.parquet`` and the patients table (parameters set
    or varied, summary measures; :meth:`~irsim.Result.patients`) ``patients/part-<first>-<stop>.parquet``
    (read either folder whole with ``pandas.read_parquet``),
    each written to a temporary name and renamed, so a part exists whole or not at all. Running the
    same command again solves only the chunks that are missing; a folder that holds a different run
    is refused rather than mixed. Trajectories are compact (:data:`PARQUET`) unless ``full_precision``.
    """

    def __init__(self, folder: str | Path, run: dict, n_patients: int, chunk_size: int, full_precision: bool = False):
        import json

        self.folder = Path(folder)
        self.full_precision = full_precision
        for sub in PARTS:
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        manifest = self.folder / "run.json"
        run = {**run, "n_patients": int(n_patients), "chunk_size": int(chunk_size)}
        if manifest.exists():
            previous = json.loads(manifest.read_text())
            if previous != run:
                changed = sorted(k for k in set(previous) | set(run) if previous.get(k) != run.get(k))
                raise InputError("out", str(folder), reason=f"holds a different run (differs in {', '.join(changed)})",
                                 allowed="the same command to resume it, or a new folder")
        else:
            manifest.write_text(json.dumps(run, indent=1, sort_keys=True))
        edges = list(range(0, n_patients, chunk_size)) + [n_patients]
        self.chunks = list(zip(edges[:-1], edges[1:]))

    @staticmethod
    def recorded(folder: str | Path, key: str):
        """What an earlier run in ``folder`` recorded under ``key`` (None without a run there)."""
        import json

        manifest = Path(folder) / "run.json"
        return json.loads(manifest.read_text()).get(key) if manifest.is_file() else None

    def _path(self, kind: str, lo: int, hi: int) -> Path:
        return self.folder / kind / f"part-{lo:09d}-{hi:09d}.parquet"

    def missing(self) -> list[tuple[int, int]]:
        """Chunks not yet written completely."""
        return [(lo, hi) for lo, hi in self.chunks
                if not all(self._path(kind, lo, hi).exists() for kind in PARTS)]

    def write(self, result):
        import os

        lo, hi = int(result.patient_ids[0]), int(result.patient_ids[-1]) + 1
        import pyarrow.parquet as pq

        patients = result.patients()
        for kind in PARTS:
            final = self._path(kind, lo, hi)
            tmp = self.folder / f".{kind}-{final.name}.tmp"  # outside the part folders, which stay readable whole
            if kind == "patients":
                patients.reset_index().to_parquet(tmp, index=False)
            else:
                table, options = parquet_table(result, self.full_precision)
                pq.write_table(table, tmp, **options)
            os.replace(tmp, final)
        return patients

    def patients(self):
        """Every chunk's patients table, in patient order (after all chunks are written)."""
        import pandas as pd

        parts = [pd.read_parquet(self._path("patients", lo, hi)) for lo, hi in self.chunks]
        return pd.concat(parts).set_index("patient")
