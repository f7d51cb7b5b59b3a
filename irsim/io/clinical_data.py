"""Read real clinical data (CSV or Excel, wide or long) into one tidy per-subject table.

Wide layout: one row per subject, a ``subject_id`` column and measurement columns named
``<analyte>[_<time min>]_<unit>``, e.g. ``glucose_0_mmol_l``, ``insulin_30_uu_ml``,
``hba1c_pct``, ``waist_cm``, plus optional ``sex`` (M/F) and ``ethnicity`` (IDF groups).
Long layout: columns ``subject_id, time_min, analyte, value, unit``, one measurement a row.
The layout is detected from the header. Every value is converted to irsim's canonical unit by
:func:`irsim.units.to_canonical`; the result is indexed by ``subject_id`` with columns
``glucose_0`` (mg/dL), ``insulin_30`` (pmol/L), ``hba1c`` (%), ... (units in
:data:`irsim.units.CANONICAL_UNIT`).

A bad cell (not a number, implausible value, unknown sex code) never stops the import: it is
left empty and reported with its row, column, value and reason in :class:`ImportReport`, so the
good values of that row and every other row are still used. Only problems with the file as a
whole (missing, unreadable, no ``subject_id``, a unit that cannot express its analyte) raise
:class:`ClinicalDataError`.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from irsim.analysis.diagnosis import IDF_WAIST_CM
from irsim.errors import InputError, IrsimError
from irsim.units import CANONICAL_UNIT, UNIT_ALIASES, to_canonical


class ClinicalDataError(IrsimError):
    """The file as a whole cannot be read as clinical data (the message says why and what is expected)."""


class ClinicalDataWarning(UserWarning):
    """A cell or column was skipped on import; the rest of the data is used."""


#: analyte names accepted in files → analyte whose unit conversion applies (irsim.units)
ANALYTES = {
    "glucose": "glucose", "insulin": "insulin", "specific_insulin": "specific_insulin", "cpeptide": "cpeptide",
    "clamp_insulin": "insulin", "gir": "gir", "hba1c": "hba1c", "triglycerides": "triglycerides", "hdl": "hdl",
    "cholesterol": "cholesterol", "waist": "waist", "weight": "weight", "height": "height",
    "systolic_bp": "systolic_bp", "diastolic_bp": "diastolic_bp", "glucose_dose": "glucose_dose",
}
#: analytes sampled over time: their columns must carry a time in minutes (``fasting`` = 0)
TIMED = {"glucose", "insulin", "specific_insulin", "cpeptide", "clamp_insulin", "gir"}

#: plausibility limits in canonical units (irsim convention, wide enough for any adult
#: measurement incl. severe hyperglycaemia; values outside are almost surely unit or typing errors)
PLAUSIBLE = {
    "glucose": (10.0, 2000.0), "insulin": (0.0, 20000.0), "specific_insulin": (0.0, 20000.0),
    "cpeptide": (0.0, 30.0), "clamp_insulin": (0.0, 50000.0), "gir": (0.0, 40.0), "hba1c": (3.0, 20.0),
    "triglycerides": (10.0, 10000.0), "hdl": (5.0, 200.0), "cholesterol": (50.0, 1000.0),
    "waist": (30.0, 250.0), "weight": (2.0, 400.0), "height": (40.0, 250.0), "systolic_bp": (50.0, 300.0),
    "diastolic_bp": (20.0, 200.0), "glucose_dose": (1.0, 200.0),
}
SEX_CODES = {"m": "M", "male": "M", "man": "M", "f": "F", "female": "F", "woman": "F"}
MISSING_TOKENS = {"", "na", "n/a", "nan", "none", "null", "-", "."}
LONG_COLUMNS = ("subject_id", "analyte", "value", "unit")

_UNIT_ALT = "|".join(sorted(map(re.escape, UNIT_ALIASES), key=len, reverse=True))
_ANALYTE_ALT = "|".join(sorted(map(re.escape, ANALYTES), key=len, reverse=True))
_WIDE = re.compile(rf"^(?P<analyte>{_ANALYTE_ALT})(?:_(?P<time>\d+|fasting))?_(?P<unit>{_UNIT_ALT})$")


@dataclass(frozen=True)
class CellIssue:
    """One skipped cell: where (file row, header row = 1; subject), what was there, and why."""

    row: int
    column: str
    value: object
    reason: str
    subject_id: str | None = None

    def __str__(self) -> str:  # the line a user reads: where, what, why, and what irsim did
        who = f" (subject {self.subject_id})" if self.subject_id else ""
        return f"row {self.row}{who}, column '{self.column}': {self.value!r} {self.reason}; left empty"


@dataclass
class ImportReport:
    """Everything the import skipped, with reasons; ``messages()`` gives one line each."""

    layout: str = "wide"
    issues: list[CellIssue] = field(default_factory=list)
    ignored_columns: dict[str, str] = field(default_factory=dict)

    def messages(self) -> list[str]:
        cols = [f"column '{c}' ignored: {why}" for c, why in self.ignored_columns.items()]
        return cols + [str(i) for i in sorted(self.issues, key=lambda i: i.row)]

    def warn(self) -> None:
        for message in self.messages():
            warnings.warn(message, ClinicalDataWarning, stacklevel=3)


@dataclass(frozen=True)
class ClinicalData:
    """The canonical per-subject table and the report of what was skipped to make it."""

    frame: pd.DataFrame
    report: ImportReport


def _is_missing(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip().lower() in MISSING_TOKENS


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-/.]+", "_", str(name).strip().lower()).strip("_")


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise ClinicalDataError(f"{path}: no such file")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            return pd.read_excel(path, dtype=object)
        return pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ClinicalDataError(f"{path}: cannot be read as a CSV or Excel table ({exc})") from exc


def read_clinical_data(path: str | Path, *, warn: bool = True) -> ClinicalData:
    """Read a CSV/Excel file (wide or long layout, auto-detected) into canonical units.

    With ``warn`` every skipped cell or column is also issued as a :class:`ClinicalDataWarning`.
    """
    path = Path(path)
    data = from_dataframe(_read(path), source=str(path))
    if warn:
        data.report.warn()
    return data


def from_dataframe(raw: pd.DataFrame, *, source: str = "table") -> ClinicalData:
    """Same as :func:`read_clinical_data` for a table already in memory (cells as read, not converted)."""
    raw = raw.rename(columns=_normalise)
    if "subject_id" not in raw.columns:
        raise ClinicalDataError(
            f"{source}: no 'subject_id' column (found: {', '.join(map(str, raw.columns)) or 'none'}); "
            "expected a wide table (subject_id, glucose_0_mmol_l, ...) or a long one "
            "(subject_id, time_min, analyte, value, unit)")
    if all(c in raw.columns for c in LONG_COLUMNS):
        return _from_long(raw, source)
    return _from_wide(raw, source)


def _subject_ids(raw: pd.DataFrame, report: ImportReport) -> pd.Series:
    """Subject ids as text; rows without one, or repeating an earlier one, are dropped with an issue."""
    ids = raw["subject_id"].map(lambda v: None if _is_missing(v) else str(v).strip())
    for pos in np.flatnonzero(ids.isna().to_numpy()):
        report.issues.append(CellIssue(int(pos) + 2, "subject_id", raw["subject_id"].iloc[pos],
                                       "is missing: the row cannot be assigned to a subject, whole row skipped"))
    return ids


def _numbers(raw_values: pd.Series, rows: np.ndarray, column: str, ids, report: ImportReport) -> np.ndarray:
    """Numeric values of one column; non-numeric, non-missing cells become NaN with an issue."""
    numeric = pd.to_numeric(raw_values, errors="coerce").to_numpy(dtype=float)
    missing = raw_values.map(_is_missing).to_numpy(dtype=bool)
    for k in np.flatnonzero(np.isnan(numeric) & ~missing):
        report.issues.append(CellIssue(int(rows[k]), column, raw_values.iloc[k], "is not a number", ids[k]))
    return numeric


def _plausible(values: np.ndarray, raw_values: pd.Series, analyte: str, rows, column: str, ids,
               report: ImportReport) -> np.ndarray:
    """Canonical values outside :data:`PLAUSIBLE` become NaN, each reported with the cell as written."""
    low, high = PLAUSIBLE[analyte]
    unit = CANONICAL_UNIT[ANALYTES[analyte]]
    with np.errstate(invalid="ignore"):
        bad = (values < low) | (values > high)
    for k in np.flatnonzero(bad):
        report.issues.append(CellIssue(
            int(rows[k]), column, raw_values.iloc[k],
            f"(= {values[k]:.4g} {unit}) is outside the plausible range {low:g}-{high:g} {unit}", ids[k]))
    return np.where(bad, np.nan, values)


def _convert(values: np.ndarray, unit: str, analyte: str, column: str, source: str) -> np.ndarray:
    try:
        return np.asarray(to_canonical(values, unit, ANALYTES[analyte], field=column), dtype=float)
    except InputError as exc:
        raise ClinicalDataError(f"{source}: column '{column}': {exc}") from exc


def _text(raw_values: pd.Series, kind: str, rows, ids, report: ImportReport) -> np.ndarray:
    """Sex as M/F or ethnicity as an IDF group key; unknown codes become missing with an issue."""
    out = np.full(len(raw_values), None, dtype=object)
    for k, v in enumerate(raw_values):
        if _is_missing(v):
            continue
        key = _normalise(v)
        if kind == "sex" and key in SEX_CODES:
            out[k] = SEX_CODES[key]
        elif kind == "ethnicity" and key in IDF_WAIST_CM:
            out[k] = key
        else:
            allowed = "M or F (male/female)" if kind == "sex" else ", ".join(IDF_WAIST_CM)
            report.issues.append(CellIssue(int(rows[k]), kind, v, f"is not a known {kind} (allowed: {allowed})", ids[k]))
    return out


def _merge(columns: dict[str, list[tuple[str, np.ndarray]]], rows, ids, report: ImportReport) -> dict[str, np.ndarray]:
    """One array per canonical key; a second column for the same key fills gaps, and disagrees loudly."""
    merged = {}
    for key, candidates in columns.items():
        first_name, values = candidates[0]
        values = values.copy()
        for name, other in candidates[1:]:
            with np.errstate(invalid="ignore"):
                clash = np.isfinite(values) & np.isfinite(other) & ~np.isclose(values, other, rtol=0.02)
            for k in np.flatnonzero(clash):
                report.issues.append(CellIssue(int(rows[k]), name, other[k],
                                               f"disagrees with '{first_name}' ({values[k]:.4g} canonical)", ids[k]))
            values = np.where(np.isfinite(values), values, other)
        merged[key] = values
    return merged


def _frame(merged: dict[str, np.ndarray], ids: np.ndarray, report: ImportReport, rows, source: str) -> pd.DataFrame:
    keep = np.array([i is not None for i in ids])
    frame = pd.DataFrame({k: v[keep] for k, v in merged.items()}, index=pd.Index(ids[keep], name="subject_id"))
    duplicated = frame.index.duplicated()
    for k in np.flatnonzero(duplicated):
        report.issues.append(CellIssue(int(rows[keep][k]), "subject_id", frame.index[k],
                                       "repeats an earlier subject_id: whole row skipped"))
    frame = frame[~duplicated]
    if not any(c not in ("sex", "ethnicity") for c in frame.columns):
        raise ClinicalDataError(f"{source}: no measurement column could be read "
                                "(expected names like glucose_0_mmol_l, insulin_30_pmol_l, hba1c_pct)")
    return frame


def _from_wide(raw: pd.DataFrame, source: str) -> ClinicalData:
    report = ImportReport(layout="wide")
    ids = _subject_ids(raw, report).to_numpy(dtype=object)
    rows = np.arange(len(raw)) + 2
    columns: dict[str, list[tuple[str, np.ndarray]]] = {}
    for name in raw.columns:
        if name == "subject_id":
            continue
        if name in ("sex", "ethnicity"):
            columns[name] = [(name, _text(raw[name], name, rows, ids, report))]
            continue
        m = _WIDE.match(name)
        if not m:
            report.ignored_columns[name] = "not a known measurement (expected <analyte>[_<time>]_<unit>)"
            continue
        analyte, time, unit = m["analyte"], m["time"], m["unit"]
        if (analyte in TIMED) != (time is not None):
            report.ignored_columns[name] = (f"{analyte} needs a time in minutes, e.g. {analyte}_0_{unit}"
                                            if analyte in TIMED else f"{analyte} takes no time")
            continue
        values = _numbers(raw[name], rows, name, ids, report)
        values = _plausible(_convert(values, unit, analyte, name, source), raw[name], analyte, rows, name, ids,
                            report)
        key = analyte if time is None else f"{analyte}_{0 if time == 'fasting' else int(time)}"
        columns.setdefault(key, []).append((name, values))
    merged = _merge(columns, rows, ids, report)
    return ClinicalData(_frame(merged, ids, report, rows, source), report)


def _from_long(raw: pd.DataFrame, source: str) -> ClinicalData:
    report = ImportReport(layout="long")
    ids = _subject_ids(raw, report).to_numpy(dtype=object)
    rows = np.arange(len(raw)) + 2
    analyte = raw["analyte"].map(lambda v: _normalise(v) if not _is_missing(v) else "").to_numpy(dtype=object)
    has_time = "time_min" in raw.columns
    times = _numbers(raw["time_min"], rows, "time_min", ids, report) if has_time else np.full(len(raw), np.nan)
    units = raw["unit"].map(lambda v: "" if _is_missing(v) else str(v).strip()).to_numpy(dtype=object)
    records: dict[tuple[str, str], object] = {}

    def put(k: int, key: str, value) -> None:
        if (ids[k], key) in records:
            report.issues.append(CellIssue(int(rows[k]), "value", raw["value"].iloc[k],
                                           f"repeats {key} of this subject: skipped", ids[k]))
        else:
            records[ids[k], key] = value

    for name in np.unique(analyte):
        sel = np.flatnonzero(analyte == name)
        sel = sel[np.array([ids[k] is not None for k in sel], dtype=bool)]
        if name in ("sex", "ethnicity"):
            for k, v in zip(sel, _text(raw["value"].iloc[sel], name, rows[sel], ids[sel], report)):
                if v is not None:
                    put(k, name, v)
            continue
        if name not in ANALYTES:
            for k in sel:
                report.issues.append(CellIssue(int(rows[k]), "analyte", raw["analyte"].iloc[k],
                                               f"is not a known analyte (known: {', '.join(ANALYTES)})", ids[k]))
            continue
        values = _numbers(raw["value"].iloc[sel], rows[sel], "value", ids[sel], report)
        for unit in np.unique(units[sel]):
            part = units[sel] == unit
            idx = sel[part]
            converted = _convert(values[part], unit, name, f"unit of {name}", source)
            converted = _plausible(converted, raw["value"].iloc[idx], name, rows[idx], "value", ids[idx], report)
            for k, v in zip(idx, converted):
                if not np.isfinite(v):
                    continue
                if name not in TIMED:
                    put(k, name, v)
                elif np.isfinite(times[k]) and times[k] == round(times[k]):
                    put(k, f"{name}_{int(times[k])}", v)
                else:
                    report.issues.append(CellIssue(int(rows[k]), "time_min", raw["time_min"].iloc[k] if has_time
                                                   else None, f"{name} needs a whole number of minutes", ids[k]))
    by_key: dict[str, dict[str, object]] = {}
    for (sid, key), value in records.items():
        by_key.setdefault(key, {})[sid] = value
    subjects = pd.Index(pd.unique(np.array([i for i in ids if i is not None], dtype=object)), name="subject_id")
    frame = pd.DataFrame(by_key, index=subjects)
    if frame.shape[1] == 0 or all(c in ("sex", "ethnicity") for c in frame.columns):
        raise ClinicalDataError(f"{source}: no measurement could be read from the long table "
                                f"(analytes known: {', '.join(ANALYTES)})")
    return ClinicalData(frame, report)
