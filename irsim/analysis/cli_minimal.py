"""``irsim fit-minimal``: the minimal-model FSIGT fit from the command line.

The main CLI (``irsim/cli.py``) calls :func:`register`; a user's mistake becomes a one-line message
on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from irsim.errors import IrsimError

_LINES = (
    ("SI", "si", "/min per µU/mL"),
    ("SG", "sg", "/min"),
    ("p2", "p2", "/min"),
    ("G0", "g0", "mg/dL"),
)


def _describe(subject: str, fit) -> str:
    """Human-readable summary of one fit."""
    lines = [f"subject {subject}: {fit.n_fitted} glucose samples fitted (t ≥ {fit.exclude_before_min:g} min), "
             f"Gb {fit.gb:.1f} mg/dL, Ib {fit.ib:.1f} µU/mL"]
    for label, name, unit in _LINES:
        value, se = getattr(fit, name), getattr(fit, f"se_{name}")
        lo, hi = fit.ci95(name)
        lines.append(f"  {label:<3}= {value:.4g} {unit}  (SE {se:.2g}, CV {fit.cv(name):.0f} %; "
                     f"95 % {fit.interval_method} interval {lo:.3g} to {hi:.3g})")
    if fit.airg is not None:
        area = "" if fit.airg_auc is None else f" (area 0-10 min {fit.airg_auc:.0f} µU/mL·min)"
        lines.append(f"  AIRg = {fit.airg:.1f} µU/mL{area}, DI = SI × AIRg = {fit.di:.3g} /min")
    lines.append(f"  RMSE {fit.rmse:.2f} mg/dL, R² {fit.r2:.3f}, AIC {fit.aic:.1f}")
    lines += [f"  warning: {w}" for w in fit.warnings]
    return "\n".join(lines)


def _echo_warnings(report) -> list[str]:
    """What the import skipped, one line each on stderr; returned for the JSON output."""
    messages = [] if report is None else report.messages()
    for message in messages:
        typer.echo(f"warning: {message}", err=True)
    return messages


def register(app: typer.Typer) -> None:
    """Add the ``fit-minimal`` command to ``app``."""

    @app.command("fit-minimal")
    def fit_minimal(
        file: Path = typer.Argument(..., help="FSIGT samples: CSV or Excel, wide by time (time_min, "
                                               "glucose_<unit>, insulin_<unit>) or long (time_min, analyte, "
                                               "value, unit); optional subject_id column; bad cells are "
                                               "reported and skipped"),
        as_json: bool = typer.Option(False, "--json", help="print one JSON object instead of text"),
        plot: Path | None = typer.Option(None, "--plot", help="write data-vs-fit figure(s) to this PNG file"),
        exclude_before_min: float = typer.Option(8.0, "--exclude-before-min",
                                                 help="leave out glucose samples before this time (min), as MINMOD"),
        intervals: str = typer.Option("wald", "--intervals",
                                      help="95 % intervals: wald (from the SEs) or profile (profile likelihood, "
                                           "0.2 s per subject with numba, 2-3 s without; asymmetric where the "
                                           "fit is curved, as for SG)"),
    ) -> None:
        """Fit Bergman's minimal model to an FSIGT/IVGTT: SI, SG, p2 with standard errors."""
        from irsim.analysis.minimal_model_fit import fit_minimal_model, fsigt_from_samples
        from irsim.io.clinical_data import read_samples

        report = None
        try:
            samples = read_samples(file, default_subject=file.stem)
            report = samples.report
            fits = {
                subject: fit_minimal_model(d.time_min, d.glucose_mg_dl, d.insulin_uU_ml,
                                           exclude_before_min=exclude_before_min, intervals=intervals.lower())
                for subject, d in fsigt_from_samples(samples).items()
            }
            for subject, fit in fits.items() if plot is not None else ():
                fit.plot(plot if len(fits) == 1 else plot.with_name(f"{plot.stem}_{subject}{plot.suffix}"))
        except (IrsimError, OSError) as exc:
            from irsim.cli import FLAGS

            _echo_warnings(report)
            typer.echo(f"error: {exc.typed_as(FLAGS) if isinstance(exc, IrsimError) else exc}", err=True)
            raise typer.Exit(2) from None
        messages = _echo_warnings(report)
        if as_json:
            if len(fits) == 1:
                ((subject, fit),) = fits.items()
                payload = {"subject_id": subject, **fit.to_dict()}
            else:
                payload = {"subjects": {subject: fit.to_dict() for subject, fit in fits.items()}}
            typer.echo(json.dumps(payload | {"import_warnings": messages}))
        else:
            typer.echo("\n".join(_describe(subject, fit) for subject, fit in fits.items()))
