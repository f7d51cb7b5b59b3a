"""A finished trial's results: ``summary.json``, Kaplan–Meier and trajectory figures, ``report.md``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm

from irsim import citations
from irsim.trials.outcomes import patient_outcomes, summarize_trial
from irsim.trials.spec import TrialSpec
from irsim.trials.statistics import kaplan_meier

TRAJECTORIES = (("hba1c_pct", "HbA1c (%)"), ("fasting_glucose_mg_dl", "fasting glucose (mg/dL)"),
                ("weight_kg", "body weight (kg)"))


def plot_kaplan_meier(outcomes: pd.DataFrame, spec: TrialSpec, path: Path) -> None:
    """Cumulative incidence of diabetes (1 − Kaplan–Meier) per arm, with 95 % bands, as steps."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    at_risk = outcomes[~outcomes["diabetes_at_baseline"]]
    for arm in spec.arms:
        members = at_risk[at_risk["arm"] == arm.name]
        km = kaplan_meier(members["time_years"], members["event"])
        t = np.r_[km["time"], 1.02 * spec.duration_years]  # past the last visit, so its step shows
        incidence = np.r_[1 - km["survival"], 1 - km["survival"].iloc[-1]]
        label = f"{arm.name} ({int(members['event'].sum())} events / {len(members)})"
        line, = ax.step(t, 100 * incidence, where="post", label=label)
        ax.fill_between(t, 100 * np.r_[1 - km["upper"], 1 - km["upper"].iloc[-1]],
                        100 * np.r_[1 - km["lower"], 1 - km["lower"].iloc[-1]], step="post", alpha=0.15,
                        color=line.get_color(), linewidth=0)
    ax.set(xlabel="years since randomisation", ylabel="cumulative incidence of diabetes (%)",
           title=f"{spec.name}: time to diabetes (confirmed at visits)", xlim=(0, 1.02 * spec.duration_years))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_trajectories(visits: pd.DataFrame, spec: TrialSpec, path: Path) -> None:
    """Mean HbA1c, fasting glucose and weight per arm at each visit, with 95 % confidence intervals."""
    import matplotlib.pyplot as plt

    shown = [(c, label) for c, label in TRAJECTORIES if c in visits and visits[c].notna().any()]
    fig, axes = plt.subplots(1, len(shown), figsize=(4.2 * len(shown), 3.8), squeeze=False)
    z = norm.ppf(0.975)
    for ax, (column, label) in zip(axes[0], shown):
        for arm in spec.arms:
            stats = visits.loc[visits["arm"] == arm.name].groupby("time_years")[column].agg(["mean", "std", "count"])
            stats = stats[stats["count"] > 0]
            half = z * stats["std"].fillna(0.0) / np.sqrt(stats["count"])
            line, = ax.plot(stats.index, stats["mean"], marker="o", markersize=3, label=arm.name)
            ax.fill_between(stats.index, stats["mean"] - half, stats["mean"] + half, alpha=0.2,
                            color=line.get_color(), linewidth=0)
        ax.set(xlabel="years", ylabel=label)
    axes[0][0].legend(frameon=False)
    fig.suptitle(f"{spec.name}: mean per arm (95 % CI)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _fmt(x, digits: int = 2) -> str:
    return "–" if x is None or (isinstance(x, float) and not math.isfinite(x)) else f"{x:.{digits}f}"


def _interval(estimate, lower, upper, digits: int = 2) -> str:
    return f"{_fmt(estimate, digits)} [{_fmt(lower, digits)}, {_fmt(upper, digits)}]"


def _published_table(summary: dict, spec: TrialSpec) -> list[str]:
    """Simulated beside published results: a check of the mechanisms, nothing was fitted to it."""
    published = spec.published
    lines = ["", f"## Check against the published trial ({published.source})", "",
             "Reported beside the simulation as a check; no parameter was set from these outcomes.", "",
             "| arm | incidence /100 PY: simulated | published | risk reduction %: simulated | published |",
             "|---|---|---|---|---|"]
    for arm in spec.arms:
        a = summary["arms"][arm.name]
        hr = a["hazard_ratio_vs_control"] or {}
        lines.append(f"| {arm.name} | {_fmt(a['incidence_per_100_person_years'])} | "
                     f"{_fmt(published.incidence_per_100_person_years.get(arm.name))} | "
                     f"{_fmt(hr.get('risk_reduction_percent'), 0)} | "
                     f"{_fmt(published.risk_reduction_percent.get(arm.name), 0)} |")
    return lines


def markdown_report(summary: dict, patients: pd.DataFrame, spec: TrialSpec) -> str:
    lines = [f"# {spec.name}", "", spec.description, "",
             f"Population `{spec.population.name}` ({spec.population.description}), {spec.n_patients} patients, "
             f"seed {spec.seed}; inclusion: "
             + (", ".join(f"{k} ≥ {lo:g}" if hi == np.inf else f"{k} {lo:g}–{hi:g}"
                          for k, (lo, hi) in spec.criteria.ranges().items()) or "none")
             + f". Duration {spec.duration_years:g} years; visits at "
             + ", ".join(f"{t:g} y ({'+'.join(tests)})" for t, tests in spec.visits) + ".", "",
             "## Baseline (mean ± SD)", "",
             "| arm | n | age (y) | women (%) | BMI (kg/m²) | FPG (mg/dL) | 2-h glucose (mg/dL) |",
             "|---|---|---|---|---|---|---|"]
    for arm in spec.arms:
        p = patients[patients["arm"] == arm.name]
        cells = [f"{p[c].mean():.1f} ± {p[c].std():.1f}" if c in p else "–"
                 for c in ("age_years", "bmi_kg_m2", "fasting_glucose_mg_dl", "glucose_2h_mg_dl")]
        lines.append(f"| {arm.name} | {len(p)} | {cells[0]} | {100 * (1 - p['sex'].mean()):.0f} | "
                     + " | ".join(cells[1:]) + " |")
    lines += ["", "## Diabetes", "",
              "| arm | interventions | events / at risk | person-years | incidence /100 PY (95 % CI) | "
              f"cumulative incidence at {spec.duration_years:g} y, % (95 % CI) | hazard ratio vs control (95 % CI) |",
              "|---|---|---|---|---|---|---|"]
    for arm in spec.arms:
        a = summary["arms"][arm.name]
        hr = a["hazard_ratio_vs_control"]
        hr_text = "control" if hr is None else "not estimable (no events in an arm)" if hr["estimate"] is None \
            else _interval(hr["estimate"], hr["lower"], hr["upper"])
        cumulative = a["cumulative_incidence_percent"]
        what = ", ".join(i if isinstance(i, str) else json.dumps(i, ensure_ascii=False) for i in arm.interventions)
        lines.append(f"| {arm.name} | {what or '–'} | {a['events']} / {a['n_at_risk']} | {a['person_years']:.1f} | "
                     f"{_interval(a['incidence_per_100_person_years'], *a['incidence_95ci'])} | "
                     f"{_interval(cumulative['estimate'], cumulative['lower'], cumulative['upper'], 1)} | {hr_text} |")
    if spec.published is not None:
        lines += _published_table(summary, spec)
    changes = sorted({k for a in summary["arms"].values() for k in a["mean_change"]})
    if changes:
        lines += ["", "## Mean change from baseline to the last visit (95 % CI)", "",
                  "| arm | " + " | ".join(changes) + " |", "|---" * (len(changes) + 1) + "|"]
        for arm in spec.arms:
            cells = [summary["arms"][arm.name]["mean_change"].get(c, {}) for c in changes]
            lines.append(f"| {arm.name} | " + " | ".join(_interval(c["mean"], c["lower"], c["upper"]) if c else "–" for c in cells) + " |")
    lines += ["", "## Figures", "", "![Kaplan–Meier](kaplan_meier.png)", "", "![Trajectories](trajectories.png)",
              "", "## Method", "", summary["method"] + ".", "", "Population sources:", "",
              *(f"- {citations.get(k)}" for k in spec.population.sources), "",
              "Per-patient-visit rows: `visits/*.parquet`; baseline characteristics and drivers: "
              "`patients/*.parquet` (read each folder whole with `pandas.read_parquet`).", ""]
    return "\n".join(lines)


def write_results(spec: TrialSpec, folder: Path, patients: pd.DataFrame, visits: pd.DataFrame) -> dict:
    """Outcomes, ``summary.json``, figures and ``report.md`` in ``folder``; returns the summary."""
    outcomes = patient_outcomes(visits, spec.endpoints)
    summary = summarize_trial(outcomes, spec)
    (folder / "summary.json").write_text(json.dumps(summary, indent=1, allow_nan=False, ensure_ascii=False))
    plot_kaplan_meier(outcomes, spec, folder / "kaplan_meier.png")
    plot_trajectories(visits, spec, folder / "trajectories.png")
    (folder / "report.md").write_text(markdown_report(summary, patients, spec), encoding="utf-8")
    return summary
