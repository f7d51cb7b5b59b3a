"""The ``irsim`` command line: simulate, list what exists, compute clinical indices.

A user's mistake (unknown name, bad value, wrong unit) prints one line on stderr and exits with
code 2 — never a traceback.
"""

from __future__ import annotations

import json
import math
import secrets
import sys
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Annotated

import typer

from irsim.analysis.cli_explain import register as register_explain
from irsim.analysis.cli_indices import register as register_indices
from irsim.analysis.cli_minimal import register as register_fit_minimal
from irsim.errors import InputError, IrsimError, UnknownNameError
from irsim.io.result_writer import check_output_suffix
from irsim.models.cli_drivers import register as register_drivers
from irsim.progression.cli import register as register_progress
from irsim.trials.cli import register as register_trial

CHUNK_PATIENTS = 4096  # patients per part file of a resumable run (--out FOLDER)

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="irsim: simulate insulin resistance and type 2 diabetes, from mechanisms to clinical tests.")


#: the ready-made protocols (irsim.protocols.PROTOCOLS, the names Python uses; a test keeps them equal)
PROTOCOL_NAMES = ("fasting", "ogtt", "meal", "day", "ivgtt", "clamp")

#: the flag a user types for each protocol option (Python keyword of irsim.protocols → CLI flag)
PROTOCOL_FLAGS = {"carbs_g": "--carbs-g", "times_min": "--meal-times-min", "glucose_g": "--glucose-g",
                  "glucose_g_per_kg": "--glucose-g-per-kg", "insulin_modified": "--insulin-modified",
                  "insulin_mU_m2_min": "--insulin-mU-m2-min", "target_mg_dl": "--target-mg-dl", "days": "--days",
                  "duration_min": "--duration-min"}
#: every Python name an error may carry → the flag the user typed; errors are translated once, in main()
FLAGS = {**PROTOCOL_FLAGS, "model": "--model", "subject": "--subject", "patient": "--patient",
         "protocol": "--protocol", "solver": "--solver", "variable": "--variables", "population": "--population",
         "step_min": "--step-min", "criteria": "--criteria", "intervals": "--intervals",
         "exclude_before_min": "--exclude-before-min"}


def _version(value: bool) -> None:
    if value:
        from irsim import __version__

        typer.echo(f"irsim {__version__}")
        raise typer.Exit()


@app.callback()
def _options(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                   help="print irsim's version and exit")] = False) -> None:
    """Options before the command (``irsim --version``)."""


def _fail(message: str) -> None:
    typer.echo(f"irsim: error: {message}", err=True)
    raise typer.Exit(2)


def _pairs(items: list[str], option: str, known: dict) -> dict[str, float]:
    """``["Vmx=0.3", …]`` → ``{"Vmx": 0.3}``, names checked against ``known``, errors naming the option."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(option, item, allowed="NAME=VALUE, e.g. Vmx=0.3")
        if name.strip() not in known:
            raise UnknownNameError("parameter", name.strip(), known).typed_as({"parameter": option})
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise InputError(f"{option} {name.strip()}", value, reason="not a number") from None
    return out


def _floats(text: str | None, option: str) -> list[float] | None:
    if text is None:
        return None
    try:
        return [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise InputError(option, text, allowed="numbers separated by commas, e.g. 45,70,70") from None


DEFAULT_MODEL = "dalla-man-2007"
#: extensions matplotlib writes (``--plot``)
FIGURE_SUFFIXES = (".png", ".pdf", ".svg", ".jpg", ".jpeg", ".eps", ".ps", ".tif", ".tiff", ".webp")


def _subject(model_name: str | None, subject: str | None, patient: str | None):
    from irsim.models import get_parameter_set
    from irsim.patients import get_patient

    if patient and subject:
        raise InputError("--patient", patient, reason="give either --patient or --subject, not both")
    if patient:
        p = get_patient(patient)
        if model_name not in (None, p.model):
            raise InputError("--model", model_name, reason=f"patient {patient} is a subject of model {p.model}",
                             allowed=f"{p.model}, or --subject with --model {model_name}")
        return p.model, p.parameter_set
    from irsim.models import MODELS

    model_name = model_name or DEFAULT_MODEL
    sets = MODELS[model_name][1] if model_name in MODELS else {}
    return model_name, get_parameter_set(model_name, subject or ("normal" if "normal" in sets else next(iter(sets), "normal")))


def check_figure(path: Path | None, option: str) -> None:
    """Fail before any work on a figure a command could not write (every command's ``--plot``)."""
    if path is None:
        return
    if path.suffix.lower() not in FIGURE_SUFFIXES:
        raise InputError(option, str(path), reason="not a figure format", allowed=", ".join(FIGURE_SUFFIXES))
    if not path.parent.is_dir():
        raise InputError(option, str(path), reason=f"its folder {path.parent} does not exist")


def _check_paths(out: Path | None, plot: Path | None) -> None:
    """Fail before any simulation on an output the run could not write."""
    if out is not None:
        if not out.suffix:  # a folder
            if out.exists() and not out.is_dir():
                raise InputError("--out", str(out), reason="is an existing file, not a folder",
                                 allowed="a folder (no extension), or a .csv/.parquet file")
        else:
            check_output_suffix(out)
            if not out.parent.is_dir():
                raise InputError("--out", str(out), reason=f"its folder {out.parent} does not exist")
    check_figure(plot, "--plot")
    if plot is not None:
        if out is not None and not out.suffix:
            raise InputError("--plot", str(plot), reason="a folder run (--out FOLDER) is not plotted; plot a part "
                             "of it, or write a .csv/.parquet")


@app.command()
def simulate(
    protocol: Annotated[str, typer.Option(metavar="NAME", help=f"what to simulate: {' | '.join(PROTOCOL_NAMES)}")] = "meal",
    model: Annotated[str | None, typer.Option(help="model name (irsim models) [default: dalla-man-2007]")] = None,
    subject: Annotated[str | None, typer.Option(help="the model's parameter set (irsim models) [default: normal]")] = None,
    patient: Annotated[str | None, typer.Option(help="a patient preset (irsim patients); instead of --subject")] = None,
    carbs_g: Annotated[str | None, typer.Option(metavar="G[,G…]", help="meal carbohydrate, g (comma list for several meals)")] = None,
    meal_times_min: Annotated[str | None, typer.Option(metavar="MIN[,MIN…]", help="meal times, min from start (comma list) [default: 0]")] = None,
    glucose_g: Annotated[float | None, typer.Option(help="OGTT glucose dose, g")] = None,
    glucose_g_per_kg: Annotated[float | None, typer.Option(help="IVGTT glucose dose, g/kg")] = None,
    insulin_modified: Annotated[bool, typer.Option("--insulin-modified", help="IVGTT: insulin bolus (0.03 U/kg) at 20 min")] = False,
    insulin_mu_m2_min: Annotated[float | None, typer.Option("--insulin-mU-m2-min", help="clamp insulin rate, mU/m²/min")] = None,
    target_mg_dl: Annotated[float | None, typer.Option(help="clamp glucose target, mg/dL")] = None,
    days: Annotated[int | None, typer.Option(help="daily life: number of days")] = None,
    duration_min: Annotated[float | None, typer.Option(help="duration, min (default: the protocol's)")] = None,
    step_min: Annotated[float, typer.Option(help="output every STEP minutes")] = 1.0,
    out: Annotated[Path | None, typer.Option(help="write the time series: .csv, .parquet, or a folder "
                                                     "(Parquet parts per chunk; rerun to resume)")] = None,
    plot: Annotated[Path | None, typer.Option(help="write a figure (.png/.pdf/.svg)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print summary measures as one JSON object")] = False,
    population: Annotated[int | None, typer.Option(help="simulate N patients in one batched call")] = None,
    vary: Annotated[list[str] | None, typer.Option(metavar="PARAM=FRACTION", help="draw PARAM uniformly within ±FRACTION of its value (repeatable)")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", metavar="PARAM=VALUE", help="fix a parameter (repeatable; irsim parameters)")] = None,
    intervention: Annotated[list[str] | None, typer.Option(metavar="NAME[:DOSE]", help="an intervention's steady effect on the mechanisms (repeatable; irsim interventions)")] = None,
    seed: Annotated[int | None, typer.Option(help="random seed for --population")] = None,
    solver: Annotated[str, typer.Option(help="batched | rosenbrock | scipy | jax")] = "batched",
    variables: Annotated[str | None, typer.Option(metavar="NAME[,NAME…]", help="variables to write (comma list, or 'all') [default: all for one patient; glucose and insulin, plus what the measures need, for a population]")] = None,
    full_precision: Annotated[bool, typer.Option(help="population Parquet as float64 (default float32: 7 digits, "
                                                      "a third of the size)")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar on stderr")] = False,
) -> None:
    """Simulate a protocol on one subject or a virtual population."""
    from irsim.analysis.summary import needed_variables, notes, population_summary
    from irsim.core.parameters import Variation
    from irsim.models import get_model
    from irsim.protocols import protocol_from_name
    from irsim.result import Result, chosen_parameters, parameter_column
    from irsim.simulation import Simulation

    _check_paths(out, plot)
    if seed is not None and population is None:
        raise InputError("--seed", seed, reason="draws a population: give --population N too")
    if full_precision and (out is None or out.suffix.lower() == ".csv"):
        raise InputError("--full-precision", True, reason="applies to Parquet output",
                         allowed="with --out FILE.parquet or --out FOLDER")
    model_name, pset = _subject(model, subject, patient)
    options = dict(carbs_g=_floats(carbs_g, "--carbs-g"), times_min=_floats(meal_times_min, "--meal-times-min"),
                   glucose_g=glucose_g, glucose_g_per_kg=glucose_g_per_kg, insulin_modified=insulin_modified or None,
                   insulin_mU_m2_min=insulin_mu_m2_min, target_mg_dl=target_mg_dl, days=days,
                   duration_min=duration_min)
    if options["times_min"] is not None and options["carbs_g"] is None:
        raise InputError("--meal-times-min", meal_times_min, reason="needs --carbs-g for each meal")
    if options["carbs_g"] is not None and options["times_min"] is None:
        if len(options["carbs_g"]) > 1:
            raise InputError("--carbs-g", carbs_g, reason="several meals need --meal-times-min")
        options["times_min"] = [0.0]
    proto = protocol_from_name(protocol, **options)
    folder = out is not None and not out.suffix
    if folder and seed is None and (population is not None or vary):
        # a resumable run must draw the same patients when resumed: draw a seed once and record it
        from irsim.io.result_writer import DatasetWriter

        seed = DatasetWriter.recorded(out, "seed")
        seed = secrets.randbits(32) if seed is None else seed
    variation = None
    parameters = get_model(model_name).parameters
    if population is not None or vary:
        variation = Variation(population if population is not None else 1, _pairs(vary or [], "--vary", parameters),
                              seed)
    overrides = _pairs(set_ or [], "--set", parameters)
    if intervention:
        from irsim.interventions import parse, steady_overrides

        overrides = steady_overrides(get_model(model_name), pset, overrides, [parse(t) for t in intervention])
    sim = Simulation(model_name, pset, proto, overrides=overrides, variation=variation, solver=solver)
    if variables == "all":
        keep = None
    elif variables:
        keep = [v.strip() for v in variables.split(",") if v.strip()]
    else:
        keep = None if sim.n_patients == 1 else needed_variables(proto)
    if keep is not None:
        keep = sim.check_variables(list(dict.fromkeys([*needed_variables(proto), *keep])))
    # what was set, as run.json records it and --json echoes it
    run = {"model": model_name, "subject": pset.name, "protocol": proto.description,
           "duration_min": proto.duration_min, "settings": {k: v for k, v in proto.settings.items()},
           "overrides": sim.overrides, "vary": dict(variation.fractions) if variation else {}, "seed": seed,
           "step_min": step_min, "variables": keep, "solver": solver, "full_precision": full_precision}
    if folder:  # chunk by chunk, resumable
        from irsim.io.result_writer import DatasetWriter

        dataset = DatasetWriter(out, run, sim.n_patients, chunk_size=CHUNK_PATIENTS, full_precision=full_precision)
        todo = dataset.missing()
        if todo:
            with _progress(sim.n_patients, quiet, done=sim.n_patients - sum(hi - lo for lo, hi in todo)) as bar:
                sim.solve(step_min=step_min, variables=keep, reduce=dataset.write, chunks=todo, progress=bar.update)
        table, patients_file = dataset.patients(), out / "patients"
    elif sim.n_patients > 1 and plot is None:  # stream: each chunk is summarised (and written) as it is solved
        import pandas as pd

        from irsim.io.result_writer import ChunkWriter

        with _writing("--out", out), ChunkWriter(out, full_precision) if out is not None else nullcontext() as writer, \
                _progress(sim.n_patients, quiet) as bar:
            frames = sim.solve(step_min=step_min, variables=keep, reduce=writer.write if writer else Result.patients,
                               progress=bar.update)
        table, patients_file = pd.concat(frames), writer.patients_path if writer else None
    else:
        from irsim.io.result_writer import patients_path, write_patients

        with _progress(sim.n_patients, quiet or sim.n_patients == 1) as bar:
            result = sim.solve(step_min=step_min, variables=keep, progress=bar.update)
        table = result.patients()
        patients_file = patients_path(out) if out is not None else None
        for option, path, write in (("--out", out, result.save), ("--out", patients_file,
                                                                   lambda p: write_patients(table, p)),
                                    ("--plot", plot, result.plot)):
            if path is not None:
                with _writing(option, path):
                    write(path)
    chosen = [parameter_column(sim.model, k) for k in chosen_parameters(sim.overrides, variation)]
    summary = table.drop(columns=chosen)
    if as_json:
        if sim.n_patients == 1:
            payload = {k: float(v) for k, v in summary.iloc[0].items()}
        else:
            payload = population_summary(summary)
        echo = {"model": model_name, **({"patient": patient} if patient else {}), "subject": pset.name,
                "protocol": proto.name, "set": sim.overrides, "vary": dict(variation.fractions) if variation else {},
                "seed": variation.seed if variation else None}
        if patients_file is not None:
            echo["patients_file"] = str(patients_file)
        absent = notes(proto)
        payload = {**echo, **payload, **({"notes": absent} if absent else {}), "run": run,
                   "citations": list(sim.citations)}
        typer.echo(json.dumps(_finite_or_null(payload), allow_nan=False))
    else:
        _print_summary(sim, patient, summary, out, plot, patients_file)


@contextmanager
def _writing(option: str, path: Path | None):
    """A file that cannot be written (no permission, a full disk) is the user's ``option``, not a traceback."""
    try:
        yield
    except OSError as exc:
        raise InputError(option, str(path), reason=f"cannot be written ({exc.strerror or exc})") from exc


def _progress(total: int, quiet: bool, done: int = 0):
    """A progress bar of patients on stderr (done, rate, time left); silent with ``--quiet`` or when
    stderr is not a terminal, so pipes and logs stay clean."""
    from tqdm import tqdm

    return tqdm(total=total, initial=done, unit="patient", unit_scale=True, file=sys.stderr, dynamic_ncols=True,
                disable=quiet or not sys.stderr.isatty())


def _finite_or_null(value):
    """JSON has no NaN: an undefined measure (e.g. HOMA-%B at very low glucose) becomes null."""
    if isinstance(value, dict):
        return {k: _finite_or_null(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite_or_null(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _print_summary(sim, patient, summary, out, plot, patients_file) -> None:
    from irsim.analysis.summary import notes, population_summary

    subject = sim.parameter_set.name if sim.parameter_set else "subject"
    who = f"patient {patient} (parameter set {subject})" if patient else subject
    typer.echo(f"{sim.model.description} — {who} — {sim.protocol.description}")
    if sim.n_patients == 1:
        for k, v in summary.iloc[0].items():
            typer.echo(f"  {k:<34} {v:10.4g}")
    else:
        stats = population_summary(summary)
        typer.echo(f"  {stats.pop('n_patients')} patients: mean [5th, 50th, 95th percentile]")
        for k, s in stats.items():
            typer.echo(f"  {k:<34} {s['mean']:10.4g} [{s['p5']:.4g}, {s['p50']:.4g}, {s['p95']:.4g}]")
    for names, why in notes(sim.protocol).items():
        typer.echo(f"  {names}: {why}")
    for label, path in (("time series", out), ("patients (parameters, summary)", patients_file), ("figure", plot)):
        if path is not None:
            typer.echo(f"  wrote {label}: {path}")


@app.command()
def demo(out_dir: Annotated[Path, typer.Option(help="folder for the CSV and figure")] = Path("irsim-demo"),
         carbs_g: Annotated[float, typer.Option(help="meal carbohydrate, g")] = 78.0) -> None:
    """Normal vs type 2 diabetic subject (Dalla Man 2007) after the same meal: table, CSV and figure."""
    import pandas as pd

    from irsim.protocols import Meal
    from irsim.simulation import Simulation

    out_dir.mkdir(parents=True, exist_ok=True)
    meal = Meal(carbs_g, duration_min=420.0)
    normal = Simulation("dalla-man-2007", "normal", meal).solve()
    t2d = Simulation("dalla-man-2007", "t2d", meal).solve()
    table = pd.concat({"normal": normal.summary().iloc[0], "t2d": t2d.summary().iloc[0]}, axis=1)
    typer.echo(f"Dalla Man 2007 model, {carbs_g:g} g meal: average normal vs type 2 diabetic subject\n")
    typer.echo(table.round(1).to_string())
    frame = pd.concat({"normal": normal.to_pandas(), "t2d": t2d.to_pandas()}, names=["subject"]).reset_index(0)
    frame.to_csv(out_dir / "meal_normal_vs_t2d.csv", index=False, float_format="%.6g")
    normal.plot(out_dir / "meal_normal_vs_t2d.png", compare=t2d, labels=("normal subject", "type 2 diabetic subject"),
                title=f"Same {carbs_g:g} g meal: normal vs type 2 diabetes (Dalla Man 2007)")
    typer.echo(f"\nwrote {out_dir / 'meal_normal_vs_t2d.csv'} and {out_dir / 'meal_normal_vs_t2d.png'}")


@app.command()
def patients() -> None:
    """List the patient presets."""
    from irsim.patients import PATIENTS

    for p in PATIENTS.values():
        typer.echo(f"{p.name:<18} {p.description}")


@app.command()
def protocols() -> None:
    """List the ready-made protocols and what they measure."""
    from irsim.protocols import PROTOCOLS, protocol_from_name

    for name, (_, text) in PROTOCOLS.items():
        measures = ", ".join(protocol_from_name(name).measures)
        typer.echo(f"{name:<8} {text} [measures: {measures}]")


@app.command()
def models() -> None:
    """List the models and their parameter sets (subjects)."""
    from irsim.models import MODELS

    for name, (_, sets, text) in MODELS.items():
        typer.echo(f"{name:<26} {text}; subjects: {', '.join(sets)}")


@app.command()
def parameters(model: Annotated[str | None, typer.Option(help="model name (default: the patient's, else dalla-man-2007)")] = None,
               subject: Annotated[str | None, typer.Option(help="parameter set")] = None,
               patient: Annotated[str | None, typer.Option(help="patient preset")] = None) -> None:
    """Every parameter with value, unit, meaning and source."""
    import numpy as np

    from irsim.core.parameters import resolve
    from irsim.core.steady_state import fasting_steady_state
    from irsim.models import get_model

    model_name, pset = _subject(model, subject, patient)
    m = get_model(model_name)
    basal = set() if pset.initial_state else {name for b in m.blocks for name in b.basal}
    # the subject's own fasting values, as every simulation of it computes them
    values = fasting_steady_state(m, resolve(m, pset), 1)[1] if basal else pset.values
    for name, p in m.parameters.items():
        value = float(np.ravel(values.get(name, p.value))[0])
        source = pset.sources.get(name, p.source)
        note = " (computed: this subject's fasting steady state)" if name in basal else ""
        typer.echo(f"{name:<6} {value:<12.6g} {p.unit:<22} {p.description}{note} — {source}")


@app.command()
def citations(model: Annotated[str | None, typer.Option(help="only what this model uses")] = None,
              patient: Annotated[str | None, typer.Option(help="… with this patient preset")] = None,
              subject: Annotated[str | None, typer.Option(help="… with this parameter set")] = None,
              protocol: Annotated[str | None, typer.Option(metavar="NAME", help="… and this protocol")] = None) -> None:
    """The papers behind irsim, or only those a given run would use."""
    from irsim import citations as cit

    if model is None and patient is None and subject is None and protocol is None:
        for c in cit.all_citations():
            typer.echo(f"{c.key:<20} {c}")
        return
    from irsim.models import get_model
    from irsim.protocols import protocol_from_name

    model_name, pset = _subject(model if patient else (model or "dalla-man-2007"), subject, patient)
    keys = [*get_model(model_name).citations, *pset.citations]
    if protocol is not None:
        keys += list(protocol_from_name(protocol).citations)
    typer.echo(cit.format_citations(keys))


register_indices(app)
register_explain(app)
register_fit_minimal(app)
register_drivers(app)
register_trial(app)
register_progress(app)


def main() -> None:
    """Entry point: run the app, turning irsim's own errors into one-line messages with exit code 2."""
    try:
        code = app(standalone_mode=False)  # click returns a command's typer.Exit code here
        sys.exit(code if isinstance(code, int) else 0)
    except IrsimError as exc:
        typer.echo(f"irsim: error: {exc.typed_as(FLAGS)}", err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(1)
    except Exception as exc:  # click's usage errors arrive here in non-standalone mode
        # duck-typed: recent typer bundles its own copy of click, so ``click`` may not be importable
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
