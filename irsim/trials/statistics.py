"""Survival statistics of a trial: Kaplan–Meier, incidence per 100 person-years, Cox hazard ratio.

Events found at a visit are interval-censored between the previous visit and this one; like the
trials they are compared with, they are analysed as occurring at the visit. Ties are therefore
common, and the Cox model handles them by Breslow's approximation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm

from irsim.errors import InputError


def _survival_data(time, event) -> tuple[np.ndarray, np.ndarray]:
    time, event = np.asarray(time, dtype=float), np.asarray(event, dtype=bool)
    if time.ndim != 1 or time.shape != event.shape:
        raise InputError("time/event", f"{time.shape}/{event.shape}", reason="shapes differ",
                         allowed="one time and one event flag per patient")
    if not np.all(np.isfinite(time)) or np.any(time < 0):
        raise InputError("time", time[~np.isfinite(time) | (time < 0)][0], unit="years", allowed="finite, ≥ 0")
    return time, event


def kaplan_meier(time, event, confidence: float = 0.95) -> pd.DataFrame:
    """Kaplan–Meier survival at each event time with Greenwood's variance and a log–log CI.

    Rows: ``time, at_risk, events, survival, lower, upper`` (a first row at time 0, survival 1).
    Patients censored at an event time count as at risk at it.
    """
    time, event = _survival_data(time, event)
    times = np.unique(time[event])
    at_risk = (time[None, :] >= times[:, None]).sum(axis=1)
    events = ((time[None, :] == times[:, None]) & event[None, :]).sum(axis=1)
    survival = np.cumprod(1.0 - events / at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = np.cumsum(events / (at_risk * (at_risk - events)))
        z = norm.ppf(0.5 + confidence / 2)
        log_log = np.log(-np.log(survival))
        half = z * np.sqrt(greenwood) / np.abs(np.log(survival))
        lower, upper = np.exp(-np.exp(log_log + half)), np.exp(-np.exp(log_log - half))
    undefined = (survival <= 0) | (survival >= 1)
    lower, upper = np.where(undefined, survival, lower), np.where(undefined, survival, upper)
    table = pd.DataFrame({"time": times, "at_risk": at_risk, "events": events, "survival": survival,
                          "lower": lower, "upper": upper})
    start = pd.DataFrame({"time": [0.0], "at_risk": [time.size], "events": [0], "survival": [1.0],
                          "lower": [1.0], "upper": [1.0]})
    return table if times.size and times[0] == 0 else pd.concat([start, table], ignore_index=True)


@dataclass(frozen=True)
class Rate:
    """Events per 100 person-years with an exact (Poisson, Garwood) confidence interval."""

    events: int
    person_years: float
    per_100_person_years: float
    lower: float
    upper: float


def incidence(event, person_years, confidence: float = 0.95) -> Rate:
    """Incidence per 100 person-years of ``event`` over each patient's follow-up ``person_years``."""
    d = int(np.sum(np.asarray(event, dtype=bool)))
    py = float(np.sum(person_years))
    if not py > 0:
        return Rate(d, py, float("nan"), float("nan"), float("nan"))
    alpha = 1.0 - confidence
    lower = chi2.ppf(alpha / 2, 2 * d) / 2 if d > 0 else 0.0
    upper = chi2.ppf(1 - alpha / 2, 2 * (d + 1)) / 2
    return Rate(d, py, 100.0 * d / py, 100.0 * lower / py, 100.0 * upper / py)


@dataclass(frozen=True)
class CoxFit:
    """Cox proportional-hazards fit of one or more covariates: coefficients, Wald SEs and CIs."""

    coef: np.ndarray
    se: np.ndarray
    log_likelihood: float
    converged: bool
    confidence: float = 0.95

    @property
    def hazard_ratio(self) -> np.ndarray:
        return np.exp(self.coef)

    @property
    def ci(self) -> tuple[np.ndarray, np.ndarray]:
        z = norm.ppf(0.5 + self.confidence / 2)
        return np.exp(self.coef - z * self.se), np.exp(self.coef + z * self.se)


def _breslow_terms(beta, x, starts, ends, d, s):
    """Log partial likelihood, score and information at ``beta`` (rows sorted by descending time)."""
    eta = x @ beta
    w = np.exp(eta - eta.max())  # the shift cancels in every ratio below; restored in the likelihood
    s0 = np.cumsum(w)[ends]
    s1 = np.cumsum(w[:, None] * x, axis=0)[ends] / s0[:, None]
    s2 = np.cumsum(w[:, None, None] * x[:, :, None] * x[:, None, :], axis=0)[ends] / s0[:, None, None]
    loglik = float((s @ beta).sum() - d @ (np.log(s0) + eta.max()))
    score = (s - d[:, None] * s1).sum(axis=0)
    info = (d[:, None, None] * (s2 - s1[:, :, None] * s1[:, None, :])).sum(axis=0)
    return loglik, score, info


def cox_fit(time, event, covariates, confidence: float = 0.95, max_iter: int = 50) -> CoxFit:
    """Cox partial-likelihood fit by Newton–Raphson with step halving; Breslow ties; Wald SEs.

    ``covariates``: ``(n,)`` or ``(n, p)``. Without events, or when a covariate separates the
    events perfectly (the estimate diverges), the fit reports ``converged=False`` and NaN.
    """
    time, event = _survival_data(time, event)
    x = np.asarray(covariates, dtype=float).reshape(time.size, -1)
    order = np.argsort(-time, kind="stable")
    t, x, e = time[order], x[order], event[order].astype(float)
    ends = np.r_[np.nonzero(np.diff(t))[0], t.size - 1] if t.size else np.array([], dtype=int)
    starts = np.r_[0, ends[:-1] + 1] if t.size else ends
    d = np.add.reduceat(e, starts) if t.size else np.zeros(0)
    s = np.add.reduceat(x * e[:, None], starts, axis=0) if t.size else np.zeros((0, x.shape[1]))
    keep = d > 0
    starts, ends, d, s = starts[keep], ends[keep], d[keep], s[keep]
    nan = np.full(x.shape[1], np.nan)
    if d.size == 0:
        return CoxFit(nan, nan, float("nan"), False, confidence)
    beta = np.zeros(x.shape[1])
    loglik, score, info = _breslow_terms(beta, x, starts, ends, d, s)
    for _ in range(max_iter):
        try:
            step = np.linalg.solve(info, score)
        except np.linalg.LinAlgError:
            break
        for _halving in range(30):
            trial = _breslow_terms(beta + step, x, starts, ends, d, s)
            if trial[0] >= loglik - 1e-12:
                break
            step = step / 2
        beta = beta + step
        previous, (loglik, score, info) = loglik, trial
        if np.max(np.abs(step)) < 1e-9 and abs(loglik - previous) < 1e-10:
            if np.max(np.abs(beta)) > 20:  # separation: the likelihood keeps rising towards infinity
                break
            se = np.sqrt(np.diag(np.linalg.inv(info)))
            return CoxFit(beta, se, loglik, True, confidence)
    return CoxFit(nan, nan, loglik, False, confidence)
