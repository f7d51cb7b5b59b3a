"""``irsim drivers``: the integrated model's named upstream drivers, as a table or JSON."""

from __future__ import annotations

import json
import math
from typing import Annotated

import typer


def driver_table() -> list[dict]:
    """Each driver: name, unit, normal value, allowed range, meaning and source."""
    from irsim.models.integrated import DRIVERS, integrated

    declared = integrated().parameters
    return [{"name": n, "unit": declared[n].unit, "normal": declared[n].value, "min": declared[n].lower,
             "max": declared[n].upper if math.isfinite(declared[n].upper) else None,
             "description": declared[n].description, "source": declared[n].source} for n in DRIVERS]


def register(app: typer.Typer) -> None:
    @app.command()
    def drivers(as_json: Annotated[bool, typer.Option("--json", help="print a JSON list of objects")] = False) -> None:
        """List the integrated model's drivers (set them with --set NAME=VALUE, vary them with --vary)."""
        rows = driver_table()
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False))
            return
        for r in rows:
            typer.echo(f"{r['name']:30s} {r['normal']:>8g} {r['unit']:12s} [{r['min']:g}, {r['max']:g}]  {r['description']}")
