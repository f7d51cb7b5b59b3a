"""Early recognition of type 2 diabetes: how well each baseline measure predicts incident diabetes.

A cohort drawn from a virtual population (and its inclusion criteria) takes a baseline 75 g OGTT
on the integrated model, glucose and insulin sampled at 0, 30, 60 and 120 min, from which the
baseline measures are computed by :mod:`irsim.analysis.indices`; HbA1c is the progression
course's own at baseline. The cohort is then followed untreated for ``years`` on the progression
engine with a yearly visit (OGTT and HbA1c), measured and diagnosed exactly as a trial's visits
are (:mod:`irsim.trials.measurement`: day-to-day variation, a diabetic value confirmed) and dated
as trials date events (:func:`irsim.trials.outcomes.patient_outcomes`). People with diabetes at
baseline are left out; each measure's ROC analysis (:mod:`irsim.trials.roc`) asks how well it
separates those who reach diabetes during follow-up from those who do not.

People enter the cohort as a trial's do: the population's inclusion criteria read the screening
OGTT as one day measures it (``screening``, :meth:`irsim.patients.population.PopulationSpec.sample`);
those values are kept as ``screening_*_measured``.

The baseline measures are the model's values — the person's usual level, without a single test
day's variation — so their AUCs are what the physiology allows, an upper bound for a one-off test.
Fasting and 2-h glucose and HbA1c are also analysed as the baseline visit measured them, with
the trial's day-to-day variation (:data:`ONE_TEST`).

The cohort runs in chunks of patients written as Parquet parts as they finish (the trial runner's
folder, resumable); patient ``i`` depends only on (seed, i), so results are identical for any
chunk size and worker count.
"""

from __future__ import annotations

import json
import math
import tempfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from irsim.citations import Citation, register
from irsim.errors import InputError
from irsim.patients.population import SCREENED, InclusionCriteria, PopulationSpec, Screening, screening_mode
from irsim.trials.measurement import Measurement, measure
from irsim.trials.roc import Roc, roc
from irsim.trials.runner import CHUNK_PATIENTS, TrialFolder, check_execution, progression_engine, run_chunks

register(Citation("AbdulGhani2008", "Abdul-Ghani MA, Abdul-Ghani T, Ali N, DeFronzo RA", 2008, "One-hour plasma "
                  "glucose concentration and the metabolic syndrome identify subjects at high risk for future type 2 "
                  "diabetes", "Diabetes Care 31:1650-1655", "10.2337/dc08-0225"))

#: the baseline OGTT's samples (min): glucose and insulin at each
OGTT_TIMES_MIN = (0.0, 30.0, 60.0, 120.0)
#: visit tests of the follow-up: a yearly OGTT (fasting and 2-h glucose) and HbA1c
FOLLOW_UP_TESTS = ("fpg", "ogtt", "hba1c")
MAX_YEARS = 50.0
MAX_PATIENTS = 10_000_000


@dataclass(frozen=True)
class Predictor:
    """A baseline measure: its column, how it is shown, and whether high or low values predict diabetes."""

    name: str
    column: str
    label: str
    unit: str
    direction: str  # "high" or "low" (irsim.trials.roc)
    source: str


PREDICTORS = (
    Predictor("fpg", "fasting_glucose_mg_dl", "fasting glucose", "mg/dL", "high", "ADA2024"),
    Predictor("glucose_1h", "glucose_1h_mg_dl", "1-h glucose", "mg/dL", "high", "AbdulGhani2008"),
    Predictor("glucose_2h", "glucose_2h_mg_dl", "2-h glucose", "mg/dL", "high", "ADA2024"),
    Predictor("hba1c", "hba1c_pct", "HbA1c", "%", "high", "ADA2024"),
    Predictor("homa_ir", "homa1_ir", "HOMA-IR", "1", "high", "Matthews1985"),
    Predictor("matsuda", "matsuda_index", "Matsuda index", "1", "low", "Matsuda1999"),
    Predictor("insulinogenic_index", "insulinogenic_index", "insulinogenic index", "pmol/L per mmol/L", "low",
              "Seltzer1967"),
    Predictor("disposition_index", "oral_disposition_index", "oral disposition index", "L/mmol", "low",
              "Utzschneider2009"),
)
#: the same measures as one baseline visit records them (with the day-to-day variation of
#: irsim.trials.measurement): what a single test day costs against the person's usual level
ONE_TEST = tuple(Predictor(f"{p.name}_one_test", f"{p.column}_measured", f"{p.label}, one test", p.unit, p.direction,
                           p.source) for p in PREDICTORS if p.name in ("fpg", "glucose_2h", "hba1c"))


@dataclass(frozen=True)
class ScreeningSpec:
    """Who is screened (population, size, seed, criteria: default the population's own, read on the
    measured screening test or the model's values), for how long they are followed, how visits
    measure, and the progression engine's cycle length."""

    population: PopulationSpec
    n_patients: int
    years: float
    seed: int
    criteria: InclusionCriteria | None = None
    measurement: Measurement = field(default_factory=Measurement)
    cycle_days: float = 28.0
    screening: Screening = "measured"

    def __post_init__(self) -> None:
        n, years, seed = self.n_patients, self.years, self.seed
        screening_mode(self.screening)
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_PATIENTS:
            raise InputError("n_patients", n, unit="patients", allowed=f"an integer from 1 to {MAX_PATIENTS:,}")
        if isinstance(years, bool) or not isinstance(years, (int, float)) or not 0.0 < years <= MAX_YEARS:
            raise InputError("years", years, unit="years", allowed=f"> 0 and ≤ {MAX_YEARS:g}")
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
            raise InputError("seed", seed, allowed="an integer, 0 ≤ seed < 2^63")
        if self.criteria is None:
            object.__setattr__(self, "criteria", self.population.criteria)

    @property
    def name(self) -> str:
        """A label for progress bars and summaries."""
        return f"screen {self.population.name}"

    def visit_times(self) -> list[float]:
        """Baseline, every whole year, and the end of follow-up."""
        return sorted({*map(float, range(int(math.floor(self.years)) + 1)), float(self.years)})

    def record(self) -> dict:
        """What identifies the run (``screen.json``; a resumed run must match it)."""
        return {"population": self.population.name, "n_patients": self.n_patients, "seed": self.seed,
                "years": self.years, "criteria": self.criteria.as_json(), "visits": self.visit_times(),
                "tests": list(FOLLOW_UP_TESTS), "measurement": self.measurement.record(), "cycle_days": self.cycle_days,
                "screening": self.screening}


@dataclass(frozen=True)
class Screen:
    """A finished screening run: ``summary`` (what ``summary.json`` holds), each measure's ROC
    (in order of AUC, best first; empty without both cases and non-cases) and one row per patient
    at risk with the baseline measures and ``event`` (incident diabetes)."""

    summary: dict
    rocs: dict[str, Roc]
    cohort: pd.DataFrame


def baseline_ogtt(patients: pd.DataFrame) -> pd.DataFrame:
    """Glucose and insulin of a 75 g OGTT at :data:`OGTT_TIMES_MIN` on the integrated model (all
    patients in one batched run) and the OGTT's measures, computed by :mod:`irsim.analysis.indices`."""
    from irsim.analysis.indices import homa1_ir, insulinogenic_index, matsuda, oral_disposition_index
    from irsim.models.integrated import integrated
    from irsim.patients.population import driver_values
    from irsim.protocols import OGTT
    from irsim.simulation import Simulation

    result = Simulation(integrated(), None, OGTT(glucose_g=75.0), overrides=driver_values(patients)).solve(
        t_eval=list(OGTT_TIMES_MIN), variables=["G", "I"])
    g, i = result["G"].T, result["I"].T  # patient × sample
    table = pd.DataFrame(index=patients.index)
    for k, t in enumerate(OGTT_TIMES_MIN):
        table[f"glucose_{t:g}_mg_dl"], table[f"insulin_{t:g}_pmol_l"] = g[:, k], i[:, k]
    g0, g30, i0, i30 = g[:, 0], g[:, 1], i[:, 0], i[:, 1]
    table["fasting_glucose_mg_dl"], table["glucose_1h_mg_dl"], table["glucose_2h_mg_dl"] = g0, g[:, 2], g[:, 3]
    table["homa1_ir"] = homa1_ir(g0, i0)
    table["matsuda_index"] = matsuda(OGTT_TIMES_MIN, g, i)
    table["insulinogenic_index"] = insulinogenic_index(g0, g30, i0, i30)
    table["oral_disposition_index"] = oral_disposition_index(g0, g30, i0, i30)
    return table


def screen_chunk(spec: ScreeningSpec, first: int, stop: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Patients ``first … stop-1``: their baseline table (characteristics, drivers, OGTT samples,
    measures) and their follow-up visits, measured as a trial's are."""
    engine = progression_engine()
    patients = spec.population.sample(stop - first, spec.seed, spec.criteria, first=first, screening=spec.screening,
                                      within_person_cv=spec.measurement.within_person_cv)
    # a population with glucose criteria screened on the same OGTT: its model values are the baseline test's own
    columns = SCREENED.values()
    patients = patients.drop(columns=[c for c in columns if c in patients]).rename(
        columns={f"{c}_measured": f"screening_{c}_measured" for c in columns})
    baseline = baseline_ogtt(patients)
    visits = [engine.visit(t, FOLLOW_UP_TESTS) for t in spec.visit_times()]
    course = engine.follow(patients, spec.years, [], visits, spec.cycle_days)
    course = course.sort_values(["patient", "time_years"], kind="stable").reset_index(drop=True)
    at_start = course[course["time_years"] == 0.0].set_index("patient")
    baseline["hba1c_pct"] = at_start["hba1c_pct"].reindex(baseline.index)
    return patients.join(baseline).reset_index(), measure(course, spec.seed, spec.measurement)


def cohort_outcomes(patients: pd.DataFrame, visits: pd.DataFrame) -> pd.DataFrame:
    """One row per patient without diabetes at baseline: the baseline measures (and the baseline
    visit's measured values, :data:`ONE_TEST`) and ``event`` (diabetes confirmed at a follow-up
    visit), dated as in trials."""
    from irsim.trials.outcomes import patient_outcomes

    outcomes = patient_outcomes(visits.assign(arm="untreated"), ("diabetes",))
    one_test = visits[visits["time_years"] == 0.0].set_index("patient")[[p.column for p in ONE_TEST]]
    cohort = patients.set_index("patient").join([one_test, outcomes[["diabetes_at_baseline", "event", "time_years"]]])
    return cohort[~cohort["diabetes_at_baseline"]]


def predictions(cohort: pd.DataFrame) -> dict[str, Roc]:
    """Each measure's ROC analysis against ``event``, best AUC first; empty without both outcomes."""
    event = cohort["event"].to_numpy(dtype=bool)
    if event.all() or not event.any():
        return {}
    found = {}
    for p in (*PREDICTORS, *ONE_TEST):
        measured = cohort[p.column].notna().to_numpy()
        if event[measured].any() and not event[measured].all():
            found[p.name] = roc(cohort[p.column].to_numpy()[measured], event[measured], p.direction)
    return dict(sorted(found.items(), key=lambda item: -item[1].auc))


def _number(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def summarize(spec: ScreeningSpec, cohort: pd.DataFrame, rocs: dict[str, Roc], n_baseline_diabetes: int) -> dict:
    """``summary.json``'s content: the cohort, its incident cases and each measure's ROC figures."""
    by_name = {p.name: p for p in (*PREDICTORS, *ONE_TEST)}
    measures = [{"name": name, "label": by_name[name].label, "unit": by_name[name].unit,
                 "direction": r.direction, "auc": r.auc, "auc_95ci": [r.lower, r.upper], "auc_se": r.se,
                 "cutoff": _number(r.cutoff), "sensitivity": r.sensitivity, "specificity": r.specificity,
                 "youden_j": r.youden_j, "n_cases": r.n_cases, "n_controls": r.n_controls,
                 "source": by_name[name].source} for name, r in rocs.items()]
    return {"population": spec.population.name, "n_patients": spec.n_patients, "seed": spec.seed,
            "years": spec.years, "criteria": spec.criteria.as_json(), "screening": spec.screening,
            "visits": spec.visit_times(),
            "diabetes_at_baseline": n_baseline_diabetes, "n_at_risk": len(cohort),
            "incident_diabetes": int(cohort["event"].sum()), "measures": measures,
            "measurement": spec.measurement.record(),
            "method": "Baseline measures from a 75 g OGTT (0, 30, 60, 120 min) on the integrated model, without "
                      "day-to-day variation; HbA1c the course's baseline value ('one test': FPG, 2-h glucose and "
                      "HbA1c as the baseline visit measured them, with day-to-day variation). Untreated follow-up on the "
                      "progression engine, yearly OGTT and HbA1c measured with day-to-day variation; incident "
                      "diabetes = ADA thresholds confirmed by a repeat or a second test (as in trials); diabetes at "
                      "baseline excluded. AUC = Mann–Whitney; 95 % CI = AUC ± 1.96 SE, DeLong 1988 variance, "
                      "clipped to [0, 1]; cut-off = maximum Youden J (positive at or above the cut-off, at or "
                      "below it for measures that predict when low)."}


def plot_roc(rocs: dict[str, Roc], summary: dict, path: Path) -> None:
    """Every measure's empirical ROC curve on one axes (points joined by straight lines, as the
    Mann–Whitney area counts ties), the legend giving AUC and 95 % CI. A measure keeps its colour
    in every run; its one-test version (:data:`ONE_TEST`) is a thin dotted line of the same colour."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 6.0), constrained_layout=True)
    styles = ("-", "--", "-.")
    look = {p.name: {"color": f"C{k}", "ls": styles[k % len(styles)], "lw": 1.6} for k, p in enumerate(PREDICTORS)}
    look |= {p.name: {**look[p.name.removesuffix("_one_test")], "ls": ":", "lw": 1.2} for p in ONE_TEST}
    labels = {p.name: p.label for p in (*PREDICTORS, *ONE_TEST)}
    for name, r in rocs.items():
        ax.plot(1.0 - r.curve["specificity"], r.curve["sensitivity"], **look[name],
                label=f"{labels[name]}: {r.auc:.2f} ({r.lower:.2f}–{r.upper:.2f})")
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls=":")
    ax.set(xlim=(0, 1), ylim=(0, 1.005), aspect="equal", xlabel="1 − specificity (false-positive fraction)",
           ylabel="sensitivity (true-positive fraction)",
           title=f"Baseline measures predicting diabetes within {summary['years']:g} years\n"
                 f"{summary['population']}: {summary['incident_diabetes']} cases / {summary['n_at_risk']} at risk")
    ax.legend(title="AUC (95 % CI, DeLong)", loc="lower right", fontsize=8, title_fontsize=8)
    fig.savefig(path, dpi=150)
    plt.close(fig)


def run_screen(spec: ScreeningSpec, out: str | Path | None = None, *, workers: int | None = None,
               scheduler: str | None = None, resume: bool = False, chunk_size: int = CHUNK_PATIENTS,
               progress: bool | None = None) -> Screen:
    """Run ``spec``: baseline tests, follow-up and ROC analysis. With ``out``, the folder keeps
    ``screen.json``, ``patients/`` and ``visits/`` parts (``resume`` continues it) and
    ``summary.json``; without, the parts go to a temporary folder. Workers and progress as
    :func:`irsim.trials.runner.run_trial`."""
    check_execution(workers, scheduler, chunk_size)
    if out is None and resume:
        raise InputError("--resume", True, reason="needs the folder of the run to continue", allowed="--out DIR")
    with tempfile.TemporaryDirectory(prefix="irsim-screen-") as scratch:
        folder = TrialFolder(Path(out or scratch), spec.record(), spec.n_patients, chunk_size, resume, kind="screen")
        run_chunks(folder, partial(screen_chunk, spec), spec.name, workers=workers, scheduler=scheduler,
                   progress=progress)
        patients, visits = folder.read("patients"), folder.read("visits")
    cohort = cohort_outcomes(patients, visits)
    rocs = predictions(cohort)
    summary = summarize(spec, cohort, rocs, spec.n_patients - len(cohort))
    if out is not None:
        (Path(out) / "summary.json").write_text(json.dumps(summary, indent=1))
    return Screen(summary, rocs, cohort)
