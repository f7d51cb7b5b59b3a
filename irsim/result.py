"""Simulation results: time × patient × variable, with units, exports, plots and citations."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from irsim.errors import DIMENSIONLESS, UnknownNameError
from irsim.io.result_writer import check_output_suffix

if TYPE_CHECKING:  # pandas loads on first export: a single simulation starts faster without it
    import pandas as pd

#: column names of the two variables every user reads first
PRIMARY_COLUMNS = {"G": "glucose_mg_dl", "I": "insulin_pmol_l"}


def unit_suffix(unit: str) -> str:
    """``"pmol/kg/min"`` → ``"pmol_kg_min"``; ``"1/min"`` → ``"per_min"``; ``"%"`` → ``"pct"``; a pure number
    (``"1"``) → ``""``. Relative quantities declare ``"fold"`` (of the lean reference) or ``"fraction"``
    (of maximal or of total) instead of ``"1"``, so their columns say which they are."""
    if unit in DIMENSIONLESS:
        return ""
    text = unit.replace("µ", "u").replace("²", "2").replace("·", "_").replace(" per ", "_per_").replace("%", "pct")
    text = re.sub(r"^1/", "per_", text)
    return re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()


def _with_unit(name: str, unit: str) -> str:
    """The name with its unit appended, unless the name already ends with it (``glut4_membrane_fraction``)."""
    suffix = unit_suffix(unit)
    return f"{name}_{suffix}" if suffix and not name.lower().endswith(f"_{suffix}") else name


def parameter_column(model, name: str) -> str:
    """``"Vmx"`` → ``"Vmx_mg_kg_min_per_pmol_l"``: a parameter's column, its unit in the name."""
    return _with_unit(name, model.parameters[name].unit)


def chosen_parameters(overrides: Mapping[str, Any], variation) -> list[str]:
    """The parameters a run set (``overrides``) or varied (``variation``), in that order."""
    varied = variation.fractions if variation is not None else {}
    return list(dict.fromkeys([*overrides, *sorted(varied)]))


class Result:
    """What a :class:`~irsim.Simulation` returns.

    ``data[name]`` has shape ``(n_times, n_patients)``; ``units[name]`` its unit. ``params`` are the
    per-patient parameter values actually used (basal values included). :meth:`patients` links each
    patient's outcomes to the parameters that produced them: what was set or varied, and the summary.
    """

    def __init__(self, model, protocol, time_min: np.ndarray, data: Mapping[str, np.ndarray],
                 params: Mapping[str, Any], parameter_set=None, overrides=None, variation=None,
                 patient_ids: np.ndarray | None = None):
        self.model, self.protocol = model, protocol
        self.time_min = np.asarray(time_min)
        self.data = dict(data)
        self.params = dict(params)
        self.parameter_set, self.overrides, self.variation = parameter_set, dict(overrides or {}), variation
        self.units = {k: model.unit_of(k) for k in self.data}
        #: each column's patient number in the whole population (a chunk of it may start anywhere)
        self.patient_ids = np.arange(self.n_patients) if patient_ids is None else np.asarray(patient_ids)
        self.population_size = variation.n_patients if variation is not None else self.n_patients

    @property
    def n_patients(self) -> int:
        """How many patients the result holds (1 for one subject)."""
        return next(iter(self.data.values())).shape[1]

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.data:
            raise UnknownNameError("variable in this result", name, self.data)
        return self.data[name]

    @property
    def glucose_mg_dl(self) -> np.ndarray:
        """Plasma glucose, mg/dL, time × patient."""
        return self["G"]

    @property
    def insulin_pmol_l(self) -> np.ndarray:
        """Plasma insulin, pmol/L, time × patient."""
        return self["I"]

    @property
    def citations(self) -> tuple[str, ...]:
        """Keys of the papers this run rests on (model, parameter set, protocol); see irsim.citations."""
        from irsim.citations import used_by

        return used_by(self.model, self.parameter_set, self.protocol)

    def references(self) -> str:
        """The numbered reference list of every paper this run used (models, parameters, protocol)."""
        from irsim.citations import format_citations

        return format_citations(self.citations)

    def column_name(self, name: str) -> str:
        """The file column of a variable: its name with its unit (``G`` → ``glucose_mg_dl``, ``EGP`` → ``EGP_mg_kg_min``)."""
        if name in PRIMARY_COLUMNS:
            return PRIMARY_COLUMNS[name]
        return _with_unit(name, self.units[name])

    # --- provenance ---------------------------------------------------------------------------
    def patients(self) -> pd.DataFrame:
        """One row per patient (index ``patient``): each set or varied parameter's value with its unit
        in the column name, then every summary measure — what ``--out`` writes to ``*.patients.csv``."""
        import pandas as pd

        summary = self.summary()
        chosen = {parameter_column(self.model, k): np.broadcast_to(np.asarray(self.params[k], dtype=float),
                                                                   (self.n_patients,))
                  for k in chosen_parameters(self.overrides, self.variation)}
        table = pd.concat([pd.DataFrame(chosen, index=summary.index), summary], axis=1)
        table.attrs = dict(summary.attrs)
        return table

    # --- export -------------------------------------------------------------------------------
    def to_pandas(self, patients: Sequence[int] | None = None) -> pd.DataFrame:
        """Tidy table: one row per (patient, time); ``patient`` column only with several patients."""
        import pandas as pd

        return pd.DataFrame(self.columns(patients), copy=False)

    def columns(self, patients: Sequence[int] | None = None, dtype=np.float64) -> dict[str, np.ndarray]:
        """The tidy table's columns as NumPy arrays (what :meth:`to_pandas` and file writers share);
        ``dtype`` of the variables' columns (float32 halves a population file)."""
        idx = slice(None) if patients is None else np.asarray(patients)  # a slice keeps the arrays' layout
        ids = self.patient_ids[idx]
        order = [k for k in PRIMARY_COLUMNS if k in self.data] + [k for k in self.data if k not in PRIMARY_COLUMNS]
        n_t = self.time_min.size
        columns: dict[str, Any] = {}
        if self.population_size > 1:
            columns["patient"] = np.repeat(ids, n_t)
        columns["time_min"] = np.tile(self.time_min, ids.size)
        for k in order:  # patient-major: each patient's times together (free for patient-major storage)
            columns[self.column_name(k)] = self.data[k][:, idx].T.astype(dtype, order="C").ravel()  # one pass
        return columns

    def to_csv(self, path: str | Path, **kwargs) -> Path:
        """Write the tidy table (:meth:`to_pandas`) as CSV; extra keywords go to pandas."""
        path = Path(path)
        self.to_pandas().to_csv(path, index=False, float_format="%.10g", **kwargs)
        return path

    def to_parquet(self, path: str | Path) -> Path:
        """Write the tidy table (:meth:`to_pandas`) as Parquet."""
        path = Path(path)
        self.to_pandas().to_parquet(path, index=False)
        return path

    def save(self, path: str | Path) -> Path:
        """CSV or Parquet, by the file's extension."""
        check_output_suffix(path)
        return self.to_parquet(path) if Path(path).suffix.lower() == ".parquet" else self.to_csv(path)

    # --- analysis -----------------------------------------------------------------------------
    def summary(self) -> pd.DataFrame:
        """The protocol's summary measures, one row per patient (see :mod:`irsim.analysis.summary`)."""
        from irsim.analysis.summary import summarize

        return summarize(self)

    def plot(self, path: str | Path | None = None, patients: Sequence[int] | None = None, *, title: str | None = None,
             compare: Result | None = None, labels: tuple[str, str] | None = None):
        """Glucose and insulin over time, doses and sampling times marked; the matplotlib figure, also written to ``path`` if given."""
        from irsim.plotting import plot_result

        return plot_result(self, path, patients=patients, title=title, compare=compare, labels=labels)

    def __repr__(self) -> str:
        return (f"Result(model={self.model.name!r}, protocol={self.protocol.name!r}, patients={self.n_patients}, "
                f"times={self.time_min.size}, variables={list(self.data)})")
