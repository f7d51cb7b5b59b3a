"""Read real clinical data (CSV or Excel) into one tidy table of samples in canonical units.

This module is the one place where irsim parses clinical files, their units and their bad cells;
``irsim indices`` (:func:`read_clinical_data`) and ``irsim fit-minimal``
(:func:`irsim.analysis.minimal_model_fit.read_fsigt`) both read through :func:`read_samples`.

Three layouts, told apart by the header (column names are compared in lower case):

* **wide**, one row per subject: ``subject_id`` and measurement columns named
  ``<analyte>[_<time min>]_<unit>``, e.g. ``glucose_0_mmol_l``, ``insulin_30_uu_ml``, ``hba1c_pct``,
  ``waist_cm``, plus optional ``sex`` (M/F) and ``ethnicity`` (IDF groups);
* **wide by time**, one row per sample time: a ``time_<unit>`` column (``time_min``, ``time_h``)
  and columns ``<analyte>_<unit>`` (``glucose_mg_dl``, ``insulin_pmol_l``) timed by that row;
* **long**, one measurement a row: ``analyte``, ``value``, ``unit``, optional ``time_<unit>``.

``subject_id`` is needed unless the caller names a default subject (an FSIGT file of one person).
Every value is converted to irsim's canonical unit by :func:`irsim.units.to_canonical` and becomes
one row of :attr:`ClinicalSamples.samples`: ``subject_id, time_min, analyte, value`` (time NaN for
analytes not sampled over time), with ``row``, ``column`` and ``cell`` saying where it came from.
:func:`read_clinical_data` turns that into the per-subject table (``glucose_0`` mg/dL,
``insulin_30`` pmol/L, ``hba1c`` %, ...; units in :data:`irsim.units.CANONICAL_UNIT`).

A bad cell (not a number, implausible value, unknown sex code, a long-layout unit that cannot
express its analyte, a sample without a usable time, the same quantity given twice with values
more than 2 % apart) never stops the import: it is left out and reported with its row, column,
value and reason in :class:`ImportReport`, so the good values of that row and every other row
are still used. Only problems with the file as a whole (missing, unreadable, no ``subject_id``, a
column unit that cannot express its analyte, nothing readable) raise :class:`ClinicalDataError`.
"""

from __future__ import annotations

import csv
import re
import warnings
from dataclasses import dataclass, field, replace
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
#: other spellings of an analyte in lab exports (after normalising: lower case, separators → "_")
ANALYTE_ALIASES = {"c_peptide": "cpeptide", "hdl_c": "hdl", "hdl_cholesterol": "hdl", "tg": "triglycerides",
                   "a1c": "hba1c", "hb_a1c": "hba1c"}
#: analytes sampled over time: each sample needs a time in minutes (``fasting`` = 0 in wide names)
TIMED = {"glucose", "insulin", "specific_insulin", "cpeptide", "clamp_insulin", "gir"}
#: text columns describing a subject rather than a sample
ATTRIBUTES = ("sex", "ethnicity")

#: plausibility limits in canonical units (irsim convention, wide enough for any adult
#: measurement incl. severe hyperglycaemia; values outside are almost surely unit or typing errors)
PLAUSIBLE = {
    "glucose": (10.0, 2000.0), "insulin": (0.0, 20000.0), "specific_insulin": (0.0, 20000.0),
    "cpeptide": (0.0, 30.0), "clamp_insulin": (0.0, 50000.0), "gir": (0.0, 40.0), "hba1c": (3.0, 20.0),
    "triglycerides": (10.0, 10000.0), "hdl": (5.0, 200.0), "cholesterol": (50.0, 1000.0),
    "waist": (30.0, 250.0), "weight": (2.0, 400.0), "height": (40.0, 250.0), "systolic_bp": (50.0, 300.0),
    "diastolic_bp": (20.0, 200.0), "glucose_dose": (1.0, 200.0),
}
#: two values of the same quantity closer than this (relative) are the same measurement
SAME_VALUE_RTOL = 0.02
SEX_CODES = {"m": "M", "male": "M", "man": "M", "f": "F", "female": "F", "woman": "F"}
MISSING_TOKENS = {"", "na", "n/a", "nan", "none", "null", "-", "."}
LONG_COLUMNS = ("analyte", "value", "unit")
#: columns of :attr:`ClinicalSamples.samples`
SAMPLE_COLUMNS = ("subject_id", "time_min", "analyte", "value", "row", "column", "cell")
LAYOUTS = ("wide: subject_id, glucose_0_mmol_l, insulin_30_uu_ml, hba1c_pct, ...; "
           "wide by time: [subject_id,] time_min, glucose_<unit>, insulin_<unit>; "
           "long: [subject_id,] [time_min,] analyte, value, unit")

_UNIT_ALT = "|".join(sorted(map(re.escape, UNIT_ALIASES), key=len, reverse=True))
_ANALYTE_ALT = "|".join(sorted(map(re.escape, [*ANALYTES, *ANALYTE_ALIASES]), key=len, reverse=True))
_TIME_ALT = r"\d+|minus\d+|fasting"  # minutes from the load; "minus10" is 10 min before it
_WIDE = re.compile(rf"^(?P<analyte>{_ANALYTE_ALT})(?:_(?P<time>{_TIME_ALT})(?:_?min)?)?_(?P<unit>{_UNIT_ALT})$")
_TIME = re.compile(r"^time_(?P<unit>.+)$")
#: a known analyte (and time) followed by something that is not a known unit spelling
_LOOSE = re.compile(rf"^(?:{_ANALYTE_ALT})(?:_(?:{_TIME_ALT})(?:_?min)?)?_(?P<unit>[^_]+(?:_[^_]+)?)$")


@dataclass(frozen=True)
class CellIssue:
    """One skipped cell: where (file row, header row = 1; subject), what was there, and why."""

    row: int
    column: str
    value: object
    reason: str
    subject_id: str | None = None

    @classmethod
    def of_sample(cls, sample, reason: str) -> CellIssue:
        """The issue of a row of :attr:`ClinicalSamples.samples` (a usable value that is left out after all)."""
        return cls(int(sample["row"]), sample["column"], sample["cell"], reason, sample["subject_id"])

    def __str__(self) -> str:  # the line a user reads: where, what, why, and what irsim did
        who = f" (subject {self.subject_id})" if self.subject_id else ""
        return f"row {self.row}{who}, column '{self.column}': {self.value!r} {self.reason}; not used"


@dataclass
class ImportReport:
    """Everything the import skipped, with reasons; ``messages()`` gives one line each."""

    layout: str = "wide"
    issues: list[CellIssue] = field(default_factory=list)
    ignored_columns: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # about the file as a whole (e.g. sheets not read)

    def messages(self) -> list[str]:
        """The file notes, one line per reason a column was ignored (naming every such column), then one per bad cell."""
        by_reason: dict[str, list[str]] = {}
        for column, why in self.ignored_columns.items():
            by_reason.setdefault(why, []).append(column)
        cols = [f"column '{c[0]}' ignored: {why}" if len(c) == 1 else
                f"{len(c)} columns ignored ({', '.join(c)}): {why}" for why, c in by_reason.items()]
        return self.notes + cols + [str(i) for i in sorted(self.issues, key=lambda i: i.row)]

    def warn(self) -> None:
        """Issue every message as a :class:`ClinicalDataWarning`."""
        for message in self.messages():
            warnings.warn(message, ClinicalDataWarning, stacklevel=3)


@dataclass(frozen=True)
class ClinicalSamples:
    """The tidy table of every usable sample, the subjects it covers, and the report of what was skipped.

    ``samples``: one row per (subject, analyte, time) with columns :data:`SAMPLE_COLUMNS`; ``value``
    in the canonical unit of the analyte, ``time_min`` in minutes (NaN for untimed analytes), ``row``,
    ``column`` and ``cell`` the file cell it was read from. ``subjects``: indexed by ``subject_id`` in
    file order (every subject with a row, usable values or not), with ``sex``/``ethnicity`` columns
    when the file gives them.
    """

    samples: pd.DataFrame
    subjects: pd.DataFrame
    report: ImportReport
    source: str = "table"


@dataclass(frozen=True)
class ClinicalData:
    """The canonical per-subject table and the report of what was skipped to make it."""

    frame: pd.DataFrame
    report: ImportReport


@dataclass(frozen=True)
class _Rows:
    """The rows of a table that belong to a subject, with what every layout parser needs."""

    raw: pd.DataFrame
    rows: np.ndarray  # file row numbers (header = 1)
    ids: np.ndarray  # subject id text
    times: np.ndarray  # the row's time in minutes (NaN: no time column, or missing or bad cell)
    time_column: str | None
    report: ImportReport
    source: str
    written: dict[str, str]  # normalised column name → the name as written in the file


def _is_missing(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip().lower() in MISSING_TOKENS


def _normalise(name: str) -> str:
    """Header or analyte text → lower case, separators → "_"; a minus before a number (a time before
    the load, ``Glucose -10 mmol/L``) becomes ``minus`` so it is not lost with the separators."""
    text = re.sub(r"(?<![a-z0-9])-(?=\d)", "minus", str(name).strip().lower())
    return re.sub(r"[\s\-/.,()\[\]]+", "_", text).strip("_")


def _analyte(name: str) -> str:
    return ANALYTE_ALIASES.get(name, name)


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV as text cells. The delimiter is the commonest of ``,``, ``;`` and tab in the header; a
    ``;`` file is a European spreadsheet export, so its decimal commas become points. Empty fields
    past the header's width (trailing delimiters) are dropped; a value there stops the import."""
    with path.open(newline="", encoding="utf-8-sig") as f:
        header = f.readline()
        sep = max((",", ";", "\t"), key=header.count)
        f.seek(0)
        rows = [[cell.strip() for cell in row] for row in csv.reader(f, delimiter=sep)]
    if not rows:
        raise ClinicalDataError(f"{path}: the file is empty; expected {LAYOUTS}")
    width = len(rows[0])
    for k, row in enumerate(rows[1:], start=2):
        if any(row[width:]):
            raise ClinicalDataError(f"{path}: row {k} has {len(row)} fields but the header has {width} "
                                    f"(extra: {', '.join(repr(c) for c in row[width:] if c)})")
    body = [(row + [""] * (width - len(row)))[:width] for row in rows[1:]]
    raw = pd.DataFrame(body, columns=rows[0], dtype=object)
    if sep == ";":
        raw = raw.apply(lambda col: col.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True))
    return raw


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise ClinicalDataError(f"{path}: no such file")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            with pd.ExcelFile(path) as book:
                raw = pd.read_excel(book, sheet_name=0, dtype=object)
                if len(book.sheet_names) > 1:
                    raw.attrs["notes"] = [f"only the first sheet, '{book.sheet_names[0]}', was read; not read: "
                                          + ", ".join(f"'{n}'" for n in book.sheet_names[1:])]
        else:
            raw = _read_csv(path)
    except ImportError as exc:  # .xls needs xlrd, which irsim does not install
        raise ClinicalDataError(f"{path}: reading this Excel format needs an extra package ({exc}); "
                                "save it as .xlsx or .csv") from exc
    except (ValueError, OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ClinicalDataError(f"{path}: cannot be read as a CSV or Excel table ({exc})") from exc
    # pandas' Excel reader renames a repeated header "x" to "x.1": restore it, so the repeat is reported
    names = [str(c) for c in raw.columns]
    raw.columns = [re.sub(r"\.\d+$", "", c) if re.sub(r"\.\d+$", "", c) in names[:k] else c
                   for k, c in enumerate(names)]
    return raw


def read_samples(path: str | Path, *, default_subject: str | None = None) -> ClinicalSamples:
    """Read a CSV/Excel file in any of the three layouts into the tidy table of samples (canonical units).

    ``default_subject`` is the subject of every row when the file has no ``subject_id`` column.
    Nothing is issued as a warning here: callers that add checks of their own warn once at the end.
    """
    path = Path(path)
    return samples_from_dataframe(_read(path), source=str(path), default_subject=default_subject)


def read_clinical_data(path: str | Path, *, warn: bool = True) -> ClinicalData:
    """Read a CSV/Excel file (layout auto-detected) into the canonical per-subject table.

    A file without a ``subject_id`` column holds one subject, named after the file (e.g. the CSV
    that ``irsim simulate --out`` writes); a wide table of several rows needs the column. With
    ``warn`` every skipped cell or column is also issued as a :class:`ClinicalDataWarning`.
    """
    path = Path(path)
    data = from_dataframe(_read(path), source=str(path), default_subject=path.stem)
    if warn:
        data.report.warn()
    return data


def from_dataframe(raw: pd.DataFrame, *, source: str = "table", default_subject: str | None = None) -> ClinicalData:
    """Same as :func:`read_clinical_data` for a table already in memory (cells as read, not converted)."""
    samples = samples_from_dataframe(raw, source=source, default_subject=default_subject)
    return ClinicalData(_per_subject(samples), samples.report)


def samples_from_dataframe(raw: pd.DataFrame, *, source: str = "table",
                           default_subject: str | None = None) -> ClinicalSamples:
    """Same as :func:`read_samples` for a table already in memory (cells as read, not converted)."""
    notes = list(raw.attrs.get("notes", []))
    normalised = [_normalise(c) for c in raw.columns]
    repeated = sorted({n for n in normalised if normalised.count(n) > 1})
    if repeated:
        same = [[str(c).strip() for c, n in zip(raw.columns, normalised) if n == r] for r in repeated]
        raise ClinicalDataError(f"{source}: the same column is given more than once: "
                                + "; ".join(" and ".join(f"'{c}'" for c in group) for group in same)
                                + " (keep one, or give the second under another unit)")
    written = {n: str(c).strip() for n, c in zip(normalised, raw.columns)}
    raw = raw.set_axis(normalised, axis=1)
    blank = raw.astype(str).apply(lambda col: col.str.strip().str.lower().isin(MISSING_TOKENS)).all(axis=1).to_numpy()
    if len(raw) == 0 or blank.all():
        raise ClinicalDataError(f"{source}: no data rows (only a header); expected {LAYOUTS}")
    if "subject_id" not in raw.columns and "patient" in raw.columns:  # a population irsim simulated
        raw = raw.rename(columns={"patient": "subject_id"})
        written["subject_id"] = written.pop("patient")
    report = ImportReport(notes=notes)
    time_column, time_unit = _time_column(raw, report, source)
    long = all(c in raw.columns for c in LONG_COLUMNS)
    report.layout = "long" if long else "wide" if time_column is None else "wide_by_time"
    if "subject_id" not in raw.columns:
        # one subject's file (long, wide by time, or a single wide row) needs no id; several wide rows do
        if default_subject is None or (report.layout == "wide" and len(raw) > 1):
            raise ClinicalDataError(f"{source}: no 'subject_id' column (found: "
                                    f"{', '.join(map(str, raw.columns)) or 'none'}); expected {LAYOUTS}")
        raw = raw.assign(subject_id=str(default_subject))
    rows = np.arange(len(raw)) + 2  # file rows: the header is row 1
    raw, rows = raw[~blank], rows[~blank]  # empty lines (",,,," or formatted Excel rows) are not data
    keep = _subject_rows(raw, rows, report, one_row_each=report.layout == "wide")
    raw, rows = raw[keep], rows[keep]
    times = (np.full(len(raw), np.nan) if time_column is None else
             to_canonical(_finite(raw[time_column]), time_unit, "time"))
    table = _Rows(raw, rows, raw["subject_id"].map(lambda v: str(v).strip()).to_numpy(dtype=object),
                  np.asarray(times, dtype=float), time_column, report, source, written)
    numeric, text = (_long_parts if long else _wide_parts)(table)
    samples = _first_of_each(_timed_need_time(_entries(numeric, float), table), report,
                             lambda a, b: np.isclose(a, b, rtol=SAME_VALUE_RTOL))
    if long and samples.empty:
        shown = report.messages()[:3]
        raise ClinicalDataError(f"{source}: no measurement could be read from the long table "
                                f"(analytes known: {', '.join(ANALYTES)})"
                                + ("; first problems: " + " | ".join(shown) if shown else ""))
    attributes = _first_of_each(_entries(text, object), report, lambda a, b: a == b)
    subjects = pd.DataFrame(index=pd.Index(pd.unique(table.ids), name="subject_id"))
    for name, part in attributes.groupby("analyte", sort=False):
        subjects[name] = part.set_index("subject_id")["value"]
    subjects = subjects.infer_objects()  # text columns as pandas strings, as any table of text reads
    report.issues[:] = [replace(i, column=written.get(i.column, i.column)) for i in report.issues]
    report.ignored_columns = {written.get(c, c): why for c, why in report.ignored_columns.items()}
    return ClinicalSamples(samples.reset_index(drop=True), subjects, report, source)


def _time_column(raw: pd.DataFrame, report: ImportReport, source: str) -> tuple[str | None, str | None]:
    """The one ``time_<unit>`` column whose unit is a unit of time; others are ignored with a reason."""
    found = []
    for name in raw.columns:
        m = _TIME.match(name)
        if m:
            try:
                to_canonical(1.0, m["unit"], "time")
                found.append((name, m["unit"]))
            except InputError:
                report.ignored_columns[name] = f"'{m['unit']}' is not a unit of time (expected e.g. time_min, time_h)"
    if len(found) > 1:
        raise ClinicalDataError(f"{source}: more than one time column ({', '.join(n for n, _ in found)}); "
                                "expected one, e.g. time_min")
    return found[0] if found else (None, None)


def _subject_rows(raw: pd.DataFrame, rows: np.ndarray, report: ImportReport, *, one_row_each: bool) -> np.ndarray:
    """Rows that belong to a subject; one without an id (or, ``one_row_each``, repeating one) is skipped whole."""
    ids = raw["subject_id"]
    keep = ~ids.map(_is_missing).to_numpy(dtype=bool)
    for k in np.flatnonzero(~keep):
        report.issues.append(CellIssue(int(rows[k]), "subject_id", ids.iloc[k],
                                       "is missing (the row belongs to no subject): whole row"))
    if one_row_each:
        repeated = ids.map(lambda v: str(v).strip()).duplicated().to_numpy() & keep
        for k in np.flatnonzero(repeated):
            report.issues.append(CellIssue(int(rows[k]), "subject_id", ids.iloc[k],
                                           "repeats an earlier subject_id (one row per subject in a wide "
                                           "table): whole row"))
        keep &= ~repeated
    return keep


def _finite(raw_values: pd.Series) -> np.ndarray:
    """The cells as floats; NaN where a cell is missing, not a number, or infinite."""
    numeric = pd.to_numeric(raw_values, errors="coerce").to_numpy(dtype=float)
    return np.where(np.isfinite(numeric), numeric, np.nan)


def _numbers(raw_values: pd.Series, rows: np.ndarray, column: str, ids, report: ImportReport) -> np.ndarray:
    """Numeric values of one column; non-numeric, non-missing cells become NaN with an issue."""
    numeric = _finite(raw_values)
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


def _text_part(t: _Rows, at: np.ndarray, kind: str, column: str) -> dict:
    """Sex as M/F or ethnicity as an IDF group key from the cells ``at`` of ``column``; unknown codes are reported."""
    known, values = [], []
    for k, v in zip(at, t.raw[column].to_numpy(dtype=object)[at]):
        if _is_missing(v):
            continue
        key = _normalise(v)
        code = SEX_CODES.get(key) if kind == "sex" else key if key in IDF_WAIST_CM else None
        if code is None:
            allowed = "M or F (male/female)" if kind == "sex" else ", ".join(IDF_WAIST_CM)
            t.report.issues.append(CellIssue(int(t.rows[k]), kind, v, f"is not a known {kind} (allowed: {allowed})",
                                             t.ids[k]))
            continue
        known.append(k)
        values.append(code)
    return _part(t, np.asarray(known, dtype=int), kind, np.nan, np.asarray(values, dtype=object), column)


def _part(t: _Rows, at: np.ndarray, analyte: str, time, values: np.ndarray, column: str) -> dict:
    """The accepted cells ``at`` (positions in ``t``) of ``column`` as rows of the samples table.

    ``time``: one time for all, or the time of every row of ``t``; ``values``: those of the cells ``at``.
    """
    n = len(at)
    return {"subject_id": t.ids[at], "time_min": np.broadcast_to(np.asarray(time, dtype=float), len(t.rows))[at],
            "analyte": np.full(n, analyte, dtype=object), "value": values, "row": t.rows[at],
            "column": np.full(n, t.written.get(column, column), dtype=object),
            "cell": t.raw[column].to_numpy(dtype=object)[at]}


def _entries(parts: list[dict], dtype) -> pd.DataFrame:
    empty = {"time_min": float, "value": dtype, "row": int}
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=empty.get(c, object)) for c in SAMPLE_COLUMNS})
    return pd.DataFrame({c: np.concatenate([p[c] for p in parts]) for c in SAMPLE_COLUMNS}).astype({"value": dtype})


def _measured(t: _Rows, at: np.ndarray, analyte: str, unit: str, column: str) -> np.ndarray:
    """Canonical, plausible values of the cells ``at`` of ``column`` (one analyte, one unit); NaN where bad.

    A unit that cannot express the analyte raises :class:`InputError`: the caller decides whether
    that is the file's fault (a column name) or one cell's (a long-layout unit cell).
    """
    cells, rows, ids = t.raw[column].iloc[at], t.rows[at], t.ids[at]
    values = to_canonical(_numbers(cells, rows, column, ids, t.report), unit, ANALYTES[analyte],
                          field=t.written.get(column, column))
    return _plausible(np.asarray(values, dtype=float), cells, analyte, rows, column, ids, t.report)


def _wide_parts(t: _Rows) -> tuple[list[dict], list[dict]]:
    numeric, text = [], []
    everyone = np.arange(len(t.raw))
    for name in t.raw.columns:
        if name in ("subject_id", t.time_column) or name in t.report.ignored_columns:
            continue
        if name in ATTRIBUTES:
            text.append(_text_part(t, everyone, name, name))
            continue
        m = _WIDE.match(name)
        if not m:
            loose = _LOOSE.match(name)
            t.report.ignored_columns[name] = (
                f"'{loose['unit']}' is not a unit spelling irsim knows (known: {', '.join(UNIT_ALIASES)})" if loose
                else "not a known measurement (expected <analyte>[_<time>]_<unit>)")
            continue
        analyte, time, unit = _analyte(m["analyte"]), m["time"], m["unit"]
        if analyte in TIMED and time is None and t.time_column is None:
            t.report.ignored_columns[name] = (f"{analyte} needs a time in minutes, e.g. {analyte}_0_{unit}, "
                                              "or a time_min column")
            continue
        if analyte not in TIMED and time is not None:
            t.report.ignored_columns[name] = f"{analyte} takes no time"
            continue
        try:
            values = _measured(t, everyone, analyte, unit, name)
        except InputError as exc:
            raise ClinicalDataError(f"{t.source}: {exc}") from exc
        when = (np.nan if analyte not in TIMED else t.times if time is None else 0.0 if time == "fasting"
                else float(time.replace("minus", "-")))
        at = np.flatnonzero(np.isfinite(values))
        numeric.append(_part(t, at, analyte, when, values[at], name))
    if not numeric:
        raise ClinicalDataError(f"{t.source}: no measurement column could be read "
                                "(expected names like glucose_0_mmol_l, insulin_30_pmol_l, hba1c_pct, "
                                "or time_min with glucose_mg_dl, insulin_pmol_l)")
    return numeric, text


def _long_parts(t: _Rows) -> tuple[list[dict], list[dict]]:
    numeric, text = [], []
    analyte = t.raw["analyte"].map(lambda v: _analyte(_normalise(v)) if not _is_missing(v) else "").to_numpy(dtype=object)
    units = t.raw["unit"].map(lambda v: "" if _is_missing(v) else str(v).strip()).to_numpy(dtype=object)
    for name in pd.unique(analyte):
        sel = np.flatnonzero(analyte == name)
        if name in ATTRIBUTES:
            text.append(_text_part(t, sel, name, "value"))
            continue
        if name not in ANALYTES:
            for k in sel:
                t.report.issues.append(CellIssue(int(t.rows[k]), "analyte", t.raw["analyte"].iloc[k],
                                                 f"is not a known analyte (known: {', '.join(ANALYTES)})", t.ids[k]))
            continue
        for unit in pd.unique(units[sel]):
            at = sel[units[sel] == unit]
            try:
                values = _measured(t, at, name, unit, "value")
            except InputError:
                for k in at:
                    t.report.issues.append(CellIssue(
                        int(t.rows[k]), "unit", unit, f"cannot express {name} (allowed: units convertible to "
                        f"{CANONICAL_UNIT[ANALYTES[name]]})", t.ids[k]))
                continue
            ok = np.isfinite(values)
            numeric.append(_part(t, at[ok], name, t.times if name in TIMED else np.nan, values[ok], "value"))
    return numeric, text


def _timed_need_time(entries: pd.DataFrame, t: _Rows) -> pd.DataFrame:
    """Samples of a timed analyte on a row without a usable time are dropped, reported once per row."""
    lost = entries["analyte"].isin(TIMED).to_numpy() & np.isnan(entries["time_min"].to_numpy(dtype=float))
    cells = None if t.time_column is None else pd.Series(t.raw[t.time_column].to_numpy(), index=t.rows)
    for row, part in entries[lost].groupby("row", sort=True):
        what = " and ".join(pd.unique(part["analyte"]))
        if cells is None:
            issue = ("time_min", None, f"is absent: {what} needs a time in minutes (a time_min column)")
        else:
            why = "is missing" if _is_missing(cells[row]) else "is not a number"
            issue = (t.time_column, cells[row], f"{why}: the {what} of this row cannot be timed")
        t.report.issues.append(CellIssue(int(row), *issue, part["subject_id"].iloc[0]))
    return entries[~lost]


def _quantity(analyte: str, time: float) -> str:
    """``glucose at 30 min`` for a timed analyte, ``hba1c`` for an untimed one (in messages)."""
    return analyte if np.isnan(time) else f"{analyte} at {time + 0.0:g} min"


def _first_of_each(entries: pd.DataFrame, report: ImportReport, same) -> pd.DataFrame:
    """One value per subject, analyte and time: the first one given.

    A later one that is ``same`` (numbers within :data:`SAME_VALUE_RTOL`) is the same measurement
    given twice, e.g. in two units, and is dropped silently; one that differs is reported.
    """
    if entries.empty:
        return entries
    key = entries[["subject_id", "analyte"]].assign(t=entries["time_min"].fillna(-np.inf))
    group = key.groupby(list(key.columns), sort=False).ngroup().to_numpy()
    first = np.unique(group, return_index=True)[1][group]  # ngroup numbers groups by first appearance
    later = np.flatnonzero(first != np.arange(len(entries)))
    value = entries["value"].to_numpy()
    differs = later[~np.asarray(same(value[later], value[first[later]]), dtype=bool)]
    for k in differs:
        e, f = entries.iloc[k], entries.iloc[first[k]]
        report.issues.append(CellIssue.of_sample(e, f"repeats {_quantity(e['analyte'], e['time_min'])} of this "
                                                 f"subject (row {f['row']}, column '{f['column']}': {f['cell']!r}) "
                                                 "with a different value"))
    return entries[first == np.arange(len(entries))]


def _per_subject(data: ClinicalSamples) -> pd.DataFrame:
    """The samples as one row per subject, one column per analyte and whole minute (``glucose_30``)."""
    s = data.samples
    t = s["time_min"].to_numpy(dtype=float)
    whole = np.isnan(t) | (t == np.round(t))
    for k in np.flatnonzero(~whole):
        data.report.issues.append(CellIssue.of_sample(s.iloc[k], f"is at {t[k]:g} min: a per-subject table takes "
                                                      f"whole minutes only ({s['analyte'].iloc[k]}_<min> columns)"))
    s = s[whole]
    timed = np.isfinite(s["time_min"].to_numpy(dtype=float))
    labels = s["analyte"].copy()
    labels[timed] = labels[timed] + "_" + s["time_min"][timed].astype(int).astype(str)
    measured = pd.DataFrame({"subject_id": s["subject_id"], "key": labels, "value": s["value"]}).pivot(
        index="subject_id", columns="key", values="value")
    measured = measured[pd.unique(labels)].rename_axis(columns=None)
    return data.subjects.join(measured)
