"""``irsim trial SPEC --out DIR``: run an in-silico trial from a TOML spec."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def trial(
        spec: Annotated[Path, typer.Argument(help="trial spec (.toml), e.g. examples/trials/diabetes-prevention.toml")],
        out: Annotated[Path, typer.Option(help="folder for visits/, patients/, summary.json, figures, report.md")],
        population: Annotated[int | None, typer.Option(help="number of patients (overrides the spec's n)")] = None,
        workers: Annotated[int | None, typer.Option(help="local worker processes (default: one per core)")] = None,
        scheduler: Annotated[str | None, typer.Option(help="dask.distributed scheduler address (instead of "
                                                           "--workers)")] = None,
        resume: Annotated[bool, typer.Option(help="continue a trial in --out, simulating only missing parts")] = False,
        quiet: Annotated[bool, typer.Option(help="no progress bar")] = False,
    ) -> None:
        """Run an in-silico trial: virtual population, arms, visits, endpoints → Parquet, summary.json, report."""
        from irsim.trials.runner import run_trial
        from irsim.trials.spec import load_spec

        trial_spec = load_spec(spec)
        if population is not None:
            trial_spec = trial_spec.with_patients(population)
        summary = run_trial(trial_spec, out, workers=workers, scheduler=scheduler, resume=resume,
                            progress=False if quiet else None)
        typer.echo(f"{summary['trial']}: {summary['n_patients']} patients, {summary['duration_years']:g} years")
        for name, arm in summary["arms"].items():
            hr = arm["hazard_ratio_vs_control"]
            rate = arm["incidence_per_100_person_years"]
            if name == summary["control"]:
                versus = "control"
            elif hr is None or hr["estimate"] is None:
                versus = "HR not estimable (no events in an arm)"
            else:
                versus = f"HR {hr['estimate']:.2f} ({hr['lower']:.2f}–{hr['upper']:.2f})"
            typer.echo(f"  {name:<12} {arm['events']:>5} events / {arm['person_years']:.0f} person-years = "
                       f"{rate if rate is None else round(rate, 2)} per 100 PY; {versus}")
        typer.echo(f"  wrote {out / 'summary.json'}, {out / 'report.md'}, figures and visits/*.parquet")
