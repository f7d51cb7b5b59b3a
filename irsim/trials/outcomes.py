"""From per-patient-visit rows to a trial's outcomes: time to diabetes, changes from baseline, per-arm summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from irsim.trials.spec import ENDPOINTS, TrialSpec
from irsim.trials.statistics import cox_fit, incidence, kaplan_meier


def patient_outcomes(visits: pd.DataFrame, endpoints: tuple[str, ...]) -> pd.DataFrame:
    """One row per patient: arm, diabetes at baseline, event and its time (or follow-up), and per
    measured endpoint its baseline, final value and change — read, as trials report them, from what
    the visits measured (``<column>_measured``) where the visit table has it, else the model's value.

    Diabetes is detected at a visit (``diabetes_confirmed``: ADA thresholds on what that visit
    measured, confirmed; :mod:`irsim.trials.measurement`) and dated at the visit: the event happened
    in the interval before it. Follow-up without an event ends at the last visit.
    """
    visits = visits.sort_values(["patient", "time_years"])
    by_patient = visits.groupby("patient", sort=True)
    diabetic = visits["diabetes_confirmed"].astype(bool)
    first_diabetes = visits.loc[diabetic].groupby("patient")["time_years"].min()
    out = pd.DataFrame({"arm": by_patient["arm"].first(), "last_visit_years": by_patient["time_years"].max()})
    out["diabetes_at_baseline"] = first_diabetes.reindex(out.index).eq(0.0).to_numpy()
    out["event"] = first_diabetes.reindex(out.index).gt(0.0).to_numpy()
    out["time_years"] = first_diabetes.reindex(out.index).where(out["event"], out["last_visit_years"])
    for endpoint in endpoints:
        column = ENDPOINTS[endpoint]
        if endpoint == "diabetes" or column not in visits:
            continue
        read = f"{column}_measured" if f"{column}_measured" in visits else column  # what the visit measured
        measured = visits.dropna(subset=[read]).groupby("patient")
        baseline = measured.first()
        out[f"{column}_baseline"] = baseline[read].where(baseline["time_years"].eq(0.0)).reindex(out.index)
        out[f"{column}_final"] = measured[read].last().reindex(out.index)
        out[f"{column}_change"] = out[f"{column}_final"] - out[f"{column}_baseline"]
    return out


def _json_number(x) -> float | None:
    """A JSON number, or null where the quantity is undefined (no events, one patient, …)."""
    return float(x) if np.isfinite(x) else None


def _mean_ci(values: pd.Series) -> dict[str, float | int | None]:
    x = values.dropna().to_numpy(dtype=float)
    mean = x.mean() if x.size else np.nan
    half = norm.ppf(0.975) * x.std(ddof=1) / np.sqrt(x.size) if x.size > 1 else np.nan
    return {"mean": _json_number(mean), "lower": _json_number(mean - half), "upper": _json_number(mean + half), "n": int(x.size)}


def _cumulative_incidence(members: pd.DataFrame) -> dict[str, float | None]:
    """1 − Kaplan–Meier survival at the end of follow-up, %, with its 95 % interval."""
    if members.empty:
        return {"estimate": None, "lower": None, "upper": None}
    end = kaplan_meier(members["time_years"], members["event"]).iloc[-1]
    return {"estimate": _json_number(100 * (1 - end.survival)), "lower": _json_number(100 * (1 - end.upper)),
            "upper": _json_number(100 * (1 - end.lower))}


def summarize_trial(outcomes: pd.DataFrame, spec: TrialSpec) -> dict:
    """``summary.json``'s content: per arm n, events, person-years, incidence per 100 person-years
    (exact 95 % CI), Cox hazard ratio vs control (Breslow ties, Wald 95 % CI) and mean changes."""
    at_risk = outcomes[~outcomes["diabetes_at_baseline"]]
    control = at_risk[at_risk["arm"] == spec.control]
    arms = {}
    for arm in spec.arms:
        members = at_risk[at_risk["arm"] == arm.name]
        rate = incidence(members["event"], members["time_years"])
        entry = {
            "n": int((outcomes["arm"] == arm.name).sum()),
            "n_at_risk": len(members),
            "diabetes_at_baseline": int(outcomes.loc[outcomes["arm"] == arm.name, "diabetes_at_baseline"].sum()),
            "events": rate.events,
            "person_years": rate.person_years,
            "incidence_per_100_person_years": _json_number(rate.per_100_person_years),
            "incidence_95ci": [_json_number(rate.lower), _json_number(rate.upper)],
            "cumulative_incidence_percent": _cumulative_incidence(members),
            "hazard_ratio_vs_control": None,
            "mean_change": {c[: -len("_change")]: _mean_ci(outcomes.loc[outcomes["arm"] == arm.name, c])
                            for c in outcomes.columns if c.endswith("_change")},
        }
        if arm.name != spec.control:
            both = pd.concat([control, members])
            fit = cox_fit(both["time_years"], both["event"], (both["arm"] == arm.name).to_numpy(dtype=float))
            lower, upper = fit.ci
            entry["hazard_ratio_vs_control"] = {
                "estimate": _json_number(fit.hazard_ratio[0]), "lower": _json_number(lower[0]), "upper": _json_number(upper[0]),
                "risk_reduction_percent": _json_number(100.0 * (1.0 - fit.hazard_ratio[0])), "converged": fit.converged}
        arms[arm.name] = entry
    return {"trial": spec.name, "description": spec.description, "population": spec.population.name,
            "n_patients": spec.n_patients, "seed": spec.seed, "duration_years": spec.duration_years,
            "control": spec.control, "criteria": spec.criteria.as_json(),
            "arms": arms,
            "measurement": spec.measurement.record(),
            "method": "Diabetes (ADA thresholds on the visit's measured values, with day-to-day variation, "
                      "confirmed by a repeat test or a second test) detected at a visit and dated at it; patients with diabetes at "
                      "baseline excluded from incidence and hazard ratios; Cox model with Breslow ties, Wald CI; "
                      "exact Poisson CI for incidence; changes = last measured visit − baseline"}
