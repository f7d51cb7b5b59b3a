"""Running a trial: patients in chunks, each chunk written as it finishes, resumable, local or on dask.

A chunk of patients ``[first, stop)`` is sampled (with its screening test), randomised, simulated
arm by arm — regimen by regimen where adherence is per person (:mod:`irsim.trials.adherence`) —
with the progression engine and measured at its visits (:mod:`irsim.trials.measurement`); its
baseline table and per-patient-visit rows are written atomically as
``DIR/patients/part-<first>-<stop>.parquet`` and ``DIR/visits/part-….parquet``. Since patient
``i`` depends only on (seed, i), the result is the same for any chunk size, worker count or
scheduler, and ``--resume`` simulates only the parts missing. ``DIR/trial.json`` records
the run; a folder holding another run is refused. The folder and its chunk loop
(:class:`TrialFolder`, :func:`run_chunks`) also run screening cohorts (:mod:`irsim.trials.screening`).
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

from irsim.errors import InputError
from irsim.patients.streams import Purpose, stream
from irsim.trials.adherence import adherence_draws, regimens
from irsim.trials.measurement import measure
from irsim.trials.spec import Arm, TrialSpec

CHUNK_PATIENTS = 500  # patients per part: ~1.5 s of fixed work per part (screening, per-cycle calls) stays under 10 %
SCHEDULER_TIMEOUT_S = 10  # how long to try reaching a dask scheduler


@dataclass(frozen=True)
class Engine:
    """The progression engine a trial runs on (``irsim.progression.course``, ``irsim.interventions``)."""

    simulate_course: Callable
    visit: type
    interventions: ModuleType

    def follow(self, patients: pd.DataFrame, years: float, interventions: list, visits: list,
               cycle_days: float) -> pd.DataFrame:
        """``patients`` (a sampled population, indexed by patient id) followed for ``years``: one row
        per patient × visit, ``patient`` holding their ids."""
        from irsim.core.parameters import resolve
        from irsim.models.integrated import integrated
        from irsim.patients.population import driver_values

        params = resolve(integrated(), None, driver_values(patients))
        course = self.simulate_course(params, years, interventions, visits, cycle_days=cycle_days)
        course["patient"] = patients.index.to_numpy()[course["patient"].to_numpy(dtype=int)]
        return course

    def build(self, arm: Arm) -> list:
        """An arm's intervention objects: strings through ``interventions.parse``, tables through ``make``."""
        return [self.interventions.parse(item) if isinstance(item, str) else self.interventions.make(**item)
                for item in arm.interventions]


def progression_engine() -> Engine:
    """The years-long course simulator and the interventions it applies (tests swap in a stand-in)."""
    import irsim.interventions as interventions
    from irsim.progression.course import Visit, simulate_course

    return Engine(simulate_course, Visit, interventions)


def randomise(patients: np.ndarray, seed: int, n_arms: int) -> np.ndarray:
    """Arm index of each patient: permuted blocks of 2 × arms, block ``b`` shuffled by its own stream.

    Equal allocation within every block; a patient's arm depends only on (seed, patient).
    """
    patients = np.asarray(patients)
    size = 2 * n_arms
    arms = np.empty(patients.size, dtype=int)
    blocks = patients // size
    for b in np.unique(blocks):
        rng = stream(seed, b, Purpose.ARM)
        order = rng.permutation(np.repeat(np.arange(n_arms), 2))
        here = blocks == b
        arms[here] = order[patients[here] % size]
    return arms


def run_chunk(spec: TrialSpec, first: int, stop: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Patients ``first … stop-1``: their baseline table and per-patient-visit rows (with ``arm``)."""
    engine = progression_engine()
    patients = spec.population.sample(stop - first, spec.seed, spec.criteria, first=first, screening=spec.screening,
                                      within_person_cv=spec.measurement.within_person_cv)
    patients.insert(0, "arm", [spec.arms[k].name for k in randomise(patients.index.to_numpy(), spec.seed,
                                                                      len(spec.arms))])
    if spec.adherence == "person":
        patients["adherence_draw"] = draws = adherence_draws(patients.index.to_numpy(), spec.seed)
    else:
        draws = np.zeros(len(patients))  # read as the mean: nobody's draw matters
    visits = [engine.visit(t, tests) for t, tests in spec.visits]
    frames = []
    for arm in spec.arms:
        here = (patients["arm"] == arm.name).to_numpy()
        members = patients[here]
        for interventions, who in regimens(engine.build(arm), draws[here], spec.adherence):
            if who.any():
                course = engine.follow(members[who], spec.duration_years, interventions, visits, spec.cycle_days)
                course.insert(1, "arm", arm.name)
                frames.append(course)
    rows = pd.concat(frames).sort_values(["patient", "time_years"], kind="stable").reset_index(drop=True)
    enrolled_on = patients.filter(like="_measured") if spec.screening == "measured" else None
    return patients.reset_index(), measure(rows, spec.seed, spec.measurement, enrolled_on)


class TrialFolder:
    """``DIR`` of a run in patient chunks (a trial, a screening cohort): ``<kind>.json`` recording
    what was run, ``patients/`` and ``visits/`` parts, results."""

    PARTS = ("patients", "visits")

    def __init__(self, folder: Path, record: dict, n_patients: int, chunk_size: int, resume: bool,
                 kind: str = "trial"):
        self.folder = Path(folder)
        if self.folder.exists() and not self.folder.is_dir():
            raise InputError("--out", str(folder), reason="is a file", allowed="a folder")
        manifest = self.folder / f"{kind}.json"
        record = {**record, "chunk_size": chunk_size}
        if manifest.exists():
            if not resume:
                raise InputError("--out", str(folder), reason=f"holds a {kind} already",
                                 allowed="--resume to continue it, or a new folder")
            previous = json.loads(manifest.read_text())
            if previous != record:
                changed = sorted(k for k in set(previous) | set(record) if previous.get(k) != record.get(k))
                raise InputError("--out", str(folder), reason=f"holds a different {kind} (differs in "
                                 f"{', '.join(changed)})", allowed="the same spec and options to resume it")
        for part in self.PARTS:
            (self.folder / part).mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps(record, indent=1, sort_keys=True))
        edges = [*range(0, n_patients, chunk_size), n_patients]
        self.chunks = list(zip(edges[:-1], edges[1:]))

    @staticmethod
    def recorded_seed(folder: Path) -> int | None:
        """The seed a previous run in ``folder`` recorded, if any (a resumed run reuses it)."""
        manifest = Path(folder) / "trial.json"
        return json.loads(manifest.read_text()).get("seed") if manifest.is_file() else None

    def _path(self, part: str, first: int, stop: int) -> Path:
        return self.folder / part / f"part-{first:09d}-{stop:09d}.parquet"

    def missing(self) -> list[tuple[int, int]]:
        """The chunks whose parts are not all written yet."""
        return [c for c in self.chunks if not all(self._path(p, *c).exists() for p in self.PARTS)]

    def write(self, first: int, stop: int, tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
        """Write a chunk's parts atomically (a temporary name, then renamed)."""
        for part, table in zip(self.PARTS, tables):
            final = self._path(part, first, stop)
            tmp = self.folder / f".{part}-{final.name}.tmp"  # outside the part folders, which stay readable whole
            table.to_parquet(tmp, index=False)
            os.replace(tmp, final)

    def read(self, part: str) -> pd.DataFrame:
        """One kind of part (e.g. ``visits``), all chunks in order."""
        return pd.concat([pd.read_parquet(self._path(part, *c)) for c in self.chunks], ignore_index=True)


#: a chunk's work: patients [first, stop) → the tables of TrialFolder.PARTS (picklable, for other processes)
Work = Callable[[int, int], tuple[pd.DataFrame, pd.DataFrame]]


def _local(work: Work, chunks: list[tuple[int, int]], workers: int) -> Iterable:
    if workers <= 1 or len(chunks) <= 1:
        for first, stop in chunks:
            yield first, stop, work(first, stop)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(work, *c): c for c in chunks}
        for future in as_completed(futures):
            yield *futures[future], future.result()


def _dask(work: Work, chunks: list[tuple[int, int]], address: str) -> Iterable:
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise InputError("--scheduler", address, reason="needs dask.distributed, which is not installed",
                         allowed="pip install 'dask[distributed]', or --workers N to run locally") from None
    try:
        client = Client(address, timeout=f"{SCHEDULER_TIMEOUT_S}s")
    except OSError as exc:
        raise InputError("--scheduler", address, reason=f"cannot be reached ({exc})",
                         allowed="a running dask scheduler's address, e.g. tcp://host:8786") from None
    with client:
        futures = {client.submit(work, *c, pure=False): c for c in chunks}
        for future in as_completed(futures):
            yield *futures[future], future.result()


def check_execution(workers: int | None, scheduler: str | None, chunk_size: int) -> None:
    """Refuse impossible ``--workers``/``--scheduler``/chunk-size choices before any folder is made."""
    if workers is not None and scheduler is not None:
        raise InputError("--workers", workers, reason="give either --workers or --scheduler, not both")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise InputError("--workers", workers, allowed="an integer ≥ 1")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InputError("chunk_size", chunk_size, unit="patients", allowed="an integer ≥ 1")


def run_chunks(folder: TrialFolder, work: Work, name: str, *, workers: int | None = None,
               scheduler: str | None = None, progress: bool | None = None) -> None:
    """Run ``work`` on the chunks ``folder`` misses and write each as it finishes: locally in
    ``workers`` processes (default one per core), or on a dask scheduler. ``progress`` (default:
    when stderr is a terminal) shows a bar of patients done, labelled ``name``."""
    from tqdm import tqdm

    todo = folder.missing()
    total = folder.chunks[-1][1] if folder.chunks else 0
    done = total - sum(stop - first for first, stop in todo)
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=total, initial=done, unit="patient", desc=name, file=sys.stderr, disable=not show) as bar:
        results = _dask(work, todo, scheduler) if scheduler else _local(work, todo, workers or os.cpu_count() or 1)
        for first, stop, tables in results:
            folder.write(first, stop, tables)
            bar.update(stop - first)


def run_trial(spec: TrialSpec, out: str | Path, *, workers: int | None = None, scheduler: str | None = None,
              resume: bool = False, chunk_size: int = CHUNK_PATIENTS, progress: bool | None = None) -> dict:
    """Run ``spec`` into folder ``out`` and return the summary (also ``out/summary.json``).

    Local by default: ``workers`` processes (default: one per core; 1 runs in this process);
    ``scheduler`` sends chunks to a dask.distributed scheduler instead. ``progress`` (default: when
    stderr is a terminal) shows a bar of patients done.
    """
    from irsim.trials.report import write_results

    check_execution(workers, scheduler, chunk_size)
    engine = progression_engine()
    for arm in spec.arms:  # unknown interventions and bad doses fail before any work
        engine.build(arm)
    if spec.seed is None:
        recorded = TrialFolder.recorded_seed(out) if resume else None
        spec = spec.with_seed(secrets.randbits(32) if recorded is None else recorded)
    folder = TrialFolder(Path(out), spec.record(), spec.n_patients, chunk_size, resume)
    run_chunks(folder, partial(run_chunk, spec), spec.name, workers=workers, scheduler=scheduler, progress=progress)
    return write_results(spec, folder.folder, folder.read("patients"), folder.read("visits"))
