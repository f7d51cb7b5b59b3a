"""``irsim explain`` (mechanism attribution of a patient) and ``irsim graph`` (a model's causal graph).

Kept apart from :mod:`irsim.cli` so the commands register on any Typer app with one call. A user's
mistake prints one line on stderr and exits with code 2.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from irsim.errors import InputError, IrsimError

if TYPE_CHECKING:
    from irsim.analysis.attribution import Attribution


def _groups(items: list[str]) -> dict[str, list[str]]:
    """``["liver=kp1,kp2", …]`` → ``{"liver": ["kp1", "kp2"]}``."""
    groups: dict[str, list[str]] = {}
    for item in items:
        name, sep, members = item.partition("=")
        names = [m.strip() for m in members.split(",") if m.strip()]
        if not sep or not name.strip() or not names:
            raise InputError("--group", item, allowed="NAME=PARAM,PARAM,…, e.g. liver=kp1,kp2,kp3,kp4")
        if name.strip() in groups:
            raise InputError("--group", item, reason=f"group {name.strip()} is given twice")
        groups[name.strip()] = names
    return groups


def _readable(a: Attribution) -> str:
    k = len(a.drivers)
    lines = [f"Mechanism attribution on {a.model}: {a.patient} vs reference {a.reference}",
             f"exact Shapley values over {k} driver{'s' * (k != 1)} ({2 ** k} coalitions solved as one batched "
             "population); each measure's shares sum to its change", ""]
    width = max([len("driver"), *(len(d) for d in a.drivers)])
    for measure, total in a.totals.iterrows():
        unit = "" if total["unit"] == "1" else f" {total['unit']}"
        lines.append(f"{total['label']} [{measure}]: {a.reference} {total['reference']:.4g} → {a.patient} "
                     f"{total['patient']:.4g}{unit}, change {total['change']:+.4g}{unit}")
        share_unit = f"share [{total['unit']}]" if unit else "share"
        lines.append(f"  {'driver':<{width}} {share_unit:>{max(10, len(share_unit))}}  {'% of change':>11}")
        rows = a.shares[a.shares["measure"] == measure]
        for _, row in rows.iterrows():
            percent = "" if math.isnan(row["share_percent"]) else f"{row['share_percent'] + 0.0:.1f} %"  # no -0.0
            lines.append(f"  {row['driver']:<{width}} {row['share'] + 0.0:>+{max(10, len(share_unit))}.4g}  {percent:>11}")
        lines.append("")
    grouped = [f"{d} = {', '.join(members)}" for d, members in a.drivers.items() if members != (d,)]
    if grouped:
        lines.append("groups: " + "; ".join(grouped))
    if "m_value" in a.totals.index:
        lines.append(f"M-value from a {a.protocol}")
    lines += [f"note: {note}" for note in a.notes]
    return "\n".join(lines)


def _as_json(a: Attribution) -> str:
    def number(x):
        return float(x) if math.isfinite(x) else None

    measures = []
    for measure, total in a.totals.iterrows():
        rows = a.shares[a.shares["measure"] == measure]
        measures.append({"measure": measure, "label": total["label"], "unit": total["unit"],
                         "reference": number(total["reference"]), "patient": number(total["patient"]),
                         "change": number(total["change"]),
                         "shares": {r["driver"]: {"share": number(r["share"]),
                                                  "share_percent": number(r["share_percent"])}
                                    for _, r in rows.iterrows()}})
    return json.dumps({"model": a.model, "patient": a.patient, "reference": a.reference, "protocol": a.protocol,
                       "method": "exact Shapley values over all coalitions of drivers",
                       "drivers": {d: list(members) for d, members in a.drivers.items()},
                       "coalitions": len(a.coalitions), "measures": measures, "notes": list(a.notes)}, indent=2)


def explain_command(
    patient: Annotated[str, typer.Option(help="patient preset to explain (irsim patients)")],
    reference: Annotated[str | None, typer.Option(help="reference preset [default: the model's healthy one]")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="PARAM=VALUE: change the patient")] = None,
    measure: Annotated[list[str] | None, typer.Option(
        help="m_value | fasting_egp | homa_ir | fasting_glucose | fasting_insulin (repeat) "
             "[default: the first three]")] = None,
    group: Annotated[list[str] | None, typer.Option(help="NAME=PARAM,PARAM,…: one driver made of several "
                                                        "parameters (repeat)")] = None,
    plot: Annotated[Path | None, typer.Option(help="write a bar chart of the shares (.png/.pdf/.svg)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Share of each mechanism (driver) in a patient's change of clamp M, fasting EGP and HOMA-IR."""
    from irsim.analysis.attribution import DEFAULT_MEASURES, attribute
    from irsim.cli import _pairs, check_figure
    from irsim.models import get_model
    from irsim.patients import get_patient

    try:
        check_figure(plot, "--plot")
        known = get_model(get_patient(patient).model).parameters
        result = attribute(patient, reference, measure or DEFAULT_MEASURES,
                           overrides=_pairs(set_ or [], "--set", known), groups=_groups(group or []))
        if plot is not None:
            result.plot(plot)
    except IrsimError as exc:
        typer.echo(f"irsim: error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(_as_json(result) if as_json else _readable(result))
    if plot is not None and not as_json:
        typer.echo(f"wrote figure: {plot}")


def graph_command(
    out: Annotated[Path, typer.Option(help="figure file (.png/.pdf/.svg)")],
    model: Annotated[str, typer.Option(help="model name (irsim models)")] = "dalla-man-2007",
    parameters: Annotated[str | None, typer.Option(help="parameters to show as a left column (comma list, "
                                                        "or 'all')")] = None,
) -> None:
    """Draw a model's causal graph from its blocks' wiring, and write its edge list beside the figure
    (``FILE.edges.json``: commit both, and a changed wiring shows in the diff)."""
    from irsim.cli import check_figure
    from irsim.models import get_model
    from irsim.plotting_graph import causal_graph, draw_causal_graph

    try:
        check_figure(out, "--out")
        m = get_model(model)
        shown = list(m.parameters) if parameters == "all" else [p.strip() for p in (parameters or "").split(",")
                                                                 if p.strip()]
        draw_causal_graph(m, out, parameters=shown)
        edges = causal_graph(m, shown).write_edge_list(out.with_suffix(".edges.json"))
    except IrsimError as exc:
        typer.echo(f"irsim: error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"wrote causal graph of {model}: {out} (edges: {edges})")


def register(app: typer.Typer) -> None:
    """Add the ``explain`` and ``graph`` commands to a Typer app (the main ``irsim`` CLI calls this)."""
    app.command("explain")(explain_command)
    app.command("graph")(graph_command)
