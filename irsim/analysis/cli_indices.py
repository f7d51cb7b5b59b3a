"""``irsim indices FILE``: every clinical index and diagnosis a data file allows, per subject.

Kept apart from :mod:`irsim.cli` so the command can be registered on any Typer app (and tested
on its own). User mistakes print one line on stderr and exit with code 2.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from irsim.errors import IrsimError

if TYPE_CHECKING:  # pandas is imported by the command itself, keeping `irsim --help` fast
    import pandas as pd

#: subjects per printed block, so a terminal 100 characters wide stays readable
_BLOCK = 5


def _label(name: str) -> str:
    from irsim.analysis.indices import COLUMNS

    column = COLUMNS[name]
    return f"{column.label} [{column.unit}]" if column.unit else column.label


def _readable(table: pd.DataFrame) -> str:
    """Indices as rows (with label and unit), subjects as columns, in blocks of a few subjects."""
    shown = table.drop(columns="notes")
    body = shown.T.map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else
                       (f"{v:.4g}" if isinstance(v, float) else str(v)))
    body.index = [f"{name:<24} {_label(name)}" for name in body.index]
    blocks = [body.iloc[:, k:k + _BLOCK].to_string() for k in range(0, body.shape[1], _BLOCK)]
    notes = [f"  {sid}: {note}" for sid, note in table["notes"].items() if note]
    criteria = table.attrs.get("criteria", "ADA")
    footer = [f"glycaemic_category by {criteria} criteria; metabolic syndrome by NCEP ATP III (Grundy 2005) "
              "and IDF (Alberti 2005); units in [ ], [1] = dimensionless"]
    if notes:
        footer += ["notes (why a cell is empty, or what a result rests on):", *notes]
    return "\n\n".join(blocks) + "\n\n" + "\n".join(footer)


def _as_json(table: pd.DataFrame, messages: list[str]) -> str:
    from irsim.analysis.indices import COLUMNS

    subjects = []
    for sid, row in table.iterrows():
        entry = {"subject_id": str(sid)}
        for name, v in row.items():
            entry[name] = None if isinstance(v, float) and not math.isfinite(v) else v
        subjects.append(entry)
    columns = [c for c in table.columns if c != "notes"]
    return json.dumps({
        "subjects": subjects,
        "units": {c: COLUMNS[c].unit for c in columns},
        "labels": {c: COLUMNS[c].label for c in columns},
        "sources": {c: COLUMNS[c].source for c in columns},
        "criteria": table.attrs.get("criteria"),
        "import_warnings": messages,
    }, indent=2)


def indices_command(
    file: Path = typer.Argument(..., help="CSV or Excel file, wide (one row per subject) or long layout."),
    out: Path | None = typer.Option(None, "--out", help="Write the table to this CSV file (instead of printing it, unless --json)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object: subjects, units, notes."),
    criteria: str = typer.Option("ADA", "--criteria", help="Glycaemic criteria: ADA (IFG from 100 mg/dL) or WHO "
                                 "(IFG from 110 mg/dL)."),
) -> None:
    """Compute HOMA, QUICKI, Matsuda, Stumvoll, IGI, oral DI, TyG, OGIS, clamp M and diagnoses per subject."""
    from irsim.analysis.indices import compute_indices
    from irsim.io.clinical_data import read_clinical_data

    try:
        data = read_clinical_data(file, warn=False)
        table = compute_indices(data.frame, criteria=criteria.upper())
    except IrsimError as exc:
        from irsim.cli import FLAGS

        typer.echo(f"error: {exc.typed_as(FLAGS)}", err=True)
        raise typer.Exit(2) from exc
    messages = data.report.messages()
    for message in messages:
        typer.echo(f"warning: {message}", err=True)
    if table.columns.drop("notes").empty:
        typer.echo(f"error: {file}: no index or diagnosis could be computed for any of the {len(table)} subjects "
                   "(every usable value is missing; see the warnings above)", err=True)
        raise typer.Exit(2)
    if out is not None:
        try:
            table.to_csv(out)
        except OSError as exc:
            typer.echo(f"error: cannot write {out}: {exc.strerror}", err=True)
            raise typer.Exit(2) from exc
        units = ", ".join(f"{c} [{_label(c).rsplit('[', 1)[-1]}" for c in table.columns if c != "notes"
                          and "[" in _label(c))
        # with --json too, stdout stays pure JSON and this line goes to stderr
        typer.echo(f"wrote {len(table)} subjects x {table.shape[1] - 1} columns to {out}; units: {units}",
                   err=as_json)
    if as_json:
        typer.echo(_as_json(table, messages))
    elif out is None:
        typer.echo(_readable(table))


def register(app: typer.Typer) -> None:
    """Add the ``indices`` command to a Typer app (the main ``irsim`` CLI calls this)."""
    app.command("indices")(indices_command)
