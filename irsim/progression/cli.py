"""``irsim progress`` (one person's course over years) and ``irsim interventions`` (the registry).

Kept apart from :mod:`irsim.cli` so the commands register on any Typer app; user mistakes print
one line on stderr and exit with code 2 (through the app's ``main``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

COLUMNS = (("time_years", "year", "{:.2f}"), ("fasting_glucose_mg_dl", "FPG mg/dL", "{:.1f}"),
           ("glucose_2h_mg_dl", "2-h mg/dL", "{:.1f}"), ("hba1c_pct", "HbA1c %", "{:.2f}"),
           ("fasting_insulin_pmol_l", "insulin pmol/L", "{:.1f}"), ("beta_cell_mass", "β mass", "{:.3f}"),
           ("beta_cell_function", "β function", "{:.3f}"), ("weight_kg", "weight kg", "{:.1f}"),
           ("ada_category", "ADA", "{}"))


def _visits(years: float):
    import numpy as np

    from irsim.progression import Visit
    from irsim.progression.course import VISIT_TESTS

    step = 0.25 if years <= 3 else 1.0
    times = sorted({*np.round(np.arange(0.0, years + 1e-9, step), 6).tolist(), years})
    return [Visit(float(t), VISIT_TESTS) for t in times]


def plot_course(course, path: Path, title: str) -> None:
    """Glucose, HbA1c, insulin, β-cell mass and function, weight; the ADA category as background."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = course["time_years"]
    colours = {"normal": "#e8f5e9", "prediabetes": "#fff3e0", "diabetes": "#ffebee"}
    panels = [("glucose (mg/dL)", [("fasting_glucose_mg_dl", "fasting"), ("glucose_2h_mg_dl", "2-h OGTT")],
               [(126, "FPG diabetes"), (200, "2-h diabetes")]),
              ("HbA1c (%)", [("hba1c_pct", "HbA1c")], [(5.7, "prediabetes"), (6.5, "diabetes")]),
              ("fasting insulin (pmol/L)", [("fasting_insulin_pmol_l", "insulin")], []),
              ("β-cell (fold of lean)", [("beta_cell_mass", "mass"), ("beta_cell_function", "function")], []),
              ("body weight (kg)", [("weight_kg", "weight")], [])]
    fig, axes = plt.subplots(1, len(panels), figsize=(4.0 * len(panels), 3.6), constrained_layout=True)
    edges = [*((t.iloc[:-1].to_numpy() + t.iloc[1:].to_numpy()) / 2.0), t.iloc[-1]]
    for ax, (label, series, lines) in zip(axes, panels):
        start = t.iloc[0]
        for stop, category in zip(edges, course["ada_category"]):
            ax.axvspan(start, stop, color=colours.get(category, "white"), lw=0)
            start = stop
        for column, name in series:
            ax.plot(t, course[column], marker="o", ms=3, label=name)
        for y, name in lines:
            ax.axhline(y, color="grey", ls=":", lw=1)
            ax.annotate(name, (t.iloc[0], y), fontsize=7, color="grey", va="bottom")
        ax.set_xlabel("years")
        ax.set_title(label, fontsize=10)
        if len(series) > 1:
            ax.legend(fontsize=8)
    fig.suptitle(title + "  (background: ADA category — green normal, orange prediabetes, red diabetes)", fontsize=10)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def register(app: typer.Typer) -> None:
    @app.command()
    def progress(
        patient: Annotated[str, typer.Option(help="patient preset (irsim patients)")] = "obese_insulin_resistant",
        years: Annotated[float, typer.Option(help="length of the course, years")] = 10.0,
        intervention: Annotated[list[str], typer.Option(
            help="NAME[:DOSE][@START[-STOP]][,adherence=A], repeatable (irsim interventions)")] = [],  # noqa: B006
        set_: Annotated[list[str], typer.Option("--set", help="NAME=VALUE: a driver or slow parameter, e.g. "
                                                 "beta_function_decline=0.1")] = [],  # noqa: B006
        cycle_days: Annotated[float, typer.Option(help="length of a multi-rate cycle, days")] = 28.0,
        plot: Annotated[Path | None, typer.Option(help="figure file (.png, .pdf, .svg)")] = None,
        out: Annotated[Path | None, typer.Option(help="CSV file of the visits")] = None,
    ) -> None:
        """One person's course over years: glucose, HbA1c, insulin, β-cell mass and function, weight, ADA category."""
        from irsim.cli import _pairs, check_figure
        from irsim.interventions import parse
        from irsim.models import get_model
        from irsim.patients import get_patient
        from irsim.progression import diagnosis_year, simulate_course
        from irsim.progression.slow import PARAMETERS as SLOW

        check_figure(plot, "--plot")  # before years of simulation, not after
        preset = get_patient(patient)
        known = {**get_model(preset.model).parameters, **SLOW}  # drivers and the slow layer's parameters
        drivers = {**preset.parameter_set.values, **_pairs(set_, "--set", known)}
        courses = [parse(text) for text in intervention]
        course = simulate_course(drivers, years, courses, _visits(years), cycle_days=cycle_days)
        title = f"{patient}: {years:g} years" + "".join(f"; {c}" for c in courses) + "".join(f"; {x}" for x in set_)
        typer.echo(title)
        typer.echo("  ".join(f"{label:>14}" for _, label, _ in COLUMNS))
        for _, row in course.iterrows():
            typer.echo("  ".join(f"{fmt.format(row[col]):>14}" for col, _, fmt in COLUMNS))
        year = diagnosis_year(course).iloc[0]
        typer.echo(f"diabetes diagnosed (ADA) at year {year:g}" if year == year else
                   f"no diabetes (ADA) within {years:g} years")
        if out is not None:
            course.to_csv(out, index=False)
        if plot is not None:
            plot_course(course, plot, title)

    @app.command()
    def interventions(as_json: Annotated[bool, typer.Option("--json", help="print a JSON list")] = False) -> None:
        """List the interventions: dose unit and reference dose, time course, mechanism effects and sources."""
        from irsim.interventions import INTERVENTIONS

        rows = [{"name": k.name, "unit": k.unit, "reference_dose": k.reference_dose, "max_dose": k.max_dose,
                 "onset_days": k.onset_days, "offset_days": k.offset_days, "description": k.description,
                 "effects": [{"target": e.target, "how": e.how, "size_at_reference": e.size, "source": e.source}
                             for e in k.effects]} for k in INTERVENTIONS.values()]
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False))
            return
        for r in rows:
            typer.echo(f"{r['name']} [{r['unit']}; reference {r['reference_dose']:g}, max {r['max_dose']:g}; "
                       f"onset {r['onset_days']:g} d, offset {r['offset_days']:g} d]: {r['description']}")
            for e in r["effects"]:
                change = f"×{1 + e['size_at_reference']:g}" if e["how"] == "scale" else f"{e['size_at_reference']:+g}"
                typer.echo(f"    {e['target']} {change}  ({e['source']})")
