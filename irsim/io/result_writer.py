"""Writing a population's trajectories as they are computed, chunk by chunk.

Large runs never hold every trajectory: each solved chunk is appended to the CSV or Parquet file
(``Simulation.solve(reduce=writer.write)``) and dropped, so a crash loses at most the chunks in
flight and memory stays flat in population size.
"""

from __future__ import annotations

import threading
from pathlib import Path

from irsim.errors import InputError


class ChunkWriter:
    """Append each chunk's :class:`~irsim.Result` to ``path`` (.csv or .parquet) as it finishes.

    Chunks run on worker threads and are appended in the order they finish (the ``patient`` column
    says whose rows they are). ``write`` returns the chunk's summary table, so it can serve as
    ``reduce`` directly.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.kind = self.path.suffix.lower()
        if self.kind not in (".csv", ".parquet"):
            raise InputError("out", str(path), reason="unknown file type", allowed=".csv or .parquet")
        self._lock = threading.Lock()
        self._started = False
        self._parquet = None

    def write(self, result):
        frame = result.to_pandas()
        summary = result.summary()
        with self._lock:
            self._append(frame)
            self._started = True
        return summary

    def _append(self, frame) -> None:
        if self.kind == ".csv":
            frame.to_csv(self.path, mode="a" if self._started else "w", header=not self._started, index=False,
                         float_format="%.10g")
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.path, table.schema)
        self._parquet.write_table(table)

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None

    def __enter__(self) -> ChunkWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
