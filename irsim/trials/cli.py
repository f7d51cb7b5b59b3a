"""``irsim trial SPEC --out DIR``: run an in-silico trial from a TOML spec; ``irsim screen``: baseline measures as predictors of incident diabetes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

#: execution options shared by `irsim trial` and `irsim screen` (both run resumable patient chunks)
Workers = Annotated[int | None, typer.Option(help="local worker processes (default: one per core)")]
Scheduler = Annotated[str | None, typer.Option(help="dask.distributed scheduler address (instead of --workers)")]
Quiet = Annotated[bool, typer.Option(help="no progress bar")]


def register(app: typer.Typer) -> None:
    @app.command()
    def trial(
        spec: Annotated[Path, typer.Argument(help="trial spec (.toml), e.g. examples/trials/diabetes-prevention.toml")],
        out: Annotated[Path, typer.Option(help="folder for visits/, patients/, summary.json, figures, report.md")],
        population: Annotated[int | None, typer.Option(help="number of patients (overrides the spec's n)")] = None,
        workers: Workers = None,
        scheduler: Scheduler = None,
        resume: Annotated[bool, typer.Option(help="continue a trial in --out, simulating only missing parts")] = False,
        quiet: Quiet = False,
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

    @app.command()
    def screen(
        population: Annotated[str, typer.Option(help="virtual population (us_adults, dpp_igt) with its own "
                                                     "inclusion criteria")] = "us_adults",
        n: Annotated[int, typer.Option(help="people screened at baseline")] = 2000,
        years: Annotated[float, typer.Option(help="untreated follow-up, years (a visit every year)")] = 5.0,
        seed: Annotated[int, typer.Option(help="seed of the cohort and of the visits' day-to-day variation")] = 1,
        screening: Annotated[str, typer.Option(help="what glucose inclusion criteria read: the screening OGTT as "
                                                    "measured (day-to-day variation) or the model's values")
                             ] = "measured",
        out: Annotated[Path | None, typer.Option(help="folder for screen.json, patients/ and visits/ parts, "
                                                      "summary.json (resumable)")] = None,
        plot: Annotated[Path | None, typer.Option(help="figure of the ROC curves (.png, .pdf, .svg)")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
        workers: Workers = None,
        scheduler: Scheduler = None,
        resume: Annotated[bool, typer.Option(help="continue a run in --out, simulating only missing parts")] = False,
        quiet: Quiet = False,
    ) -> None:
        """How well each baseline measure predicts incident diabetes: ROC AUC (DeLong 95 % CI), Youden cut-off."""
        import json

        from irsim.cli import check_figure
        from irsim.errors import IrsimError
        from irsim.patients.population import get_population
        from irsim.trials.screening import ScreeningSpec, plot_roc, run_screen

        check_figure(plot, "--plot")
        try:
            spec = ScreeningSpec(get_population(population), n, years, seed, screening=screening)
        except IrsimError as exc:
            raise exc.typed_as({"n_patients": "--n", "years": "--years", "seed": "--seed",
                                "population": "--population", "screening": "--screening"}) from None
        result = run_screen(spec, out, workers=workers, scheduler=scheduler, resume=resume,
                            progress=False if quiet else None)
        summary = result.summary
        if plot is not None and result.rocs:
            plot_roc(result.rocs, summary, plot)
        if as_json:
            typer.echo(json.dumps(summary, ensure_ascii=False))
            return
        typer.echo(f"{spec.name}: {summary['n_patients']} screened, {summary['diabetes_at_baseline']} with diabetes "
                   f"at baseline excluded; {summary['incident_diabetes']} of {summary['n_at_risk']} reached diabetes "
                   f"within {years:g} years")
        if not result.rocs:
            typer.echo("  no ROC analysis: it needs people who reached diabetes and people who did not")
            return
        typer.echo(f"  {'measure':<27}{'AUC':>6}  {'95 % CI':<13}  {'cut-off':<24}{'sens.':>6}{'spec.':>7}")
        for m in summary["measures"]:
            sign = "≥" if m["direction"] == "high" else "≤"
            lower, upper = m["auc_95ci"]
            cutoff = f"{sign} {m['cutoff']:.3g} {m['unit'] if m['unit'] != '1' else ''}".rstrip()
            typer.echo(f"  {m['label']:<27}{m['auc']:>6.3f}  {lower:.3f}–{upper:.3f}    {cutoff:<24}"
                       f"{m['sensitivity']:>6.2f}{m['specificity']:>7.2f}")
        if out is not None:
            typer.echo(f"  wrote {out / 'summary.json'} and patients/, visits/ parts")
        if plot is not None:
            typer.echo(f"  wrote {plot}")
