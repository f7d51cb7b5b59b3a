"""Bergman minimal-model fit of a frequently sampled IV glucose tolerance test (FSIGT/IVGTT).

Why: SI (insulin sensitivity) and SG (glucose effectiveness) from an FSIGT are the classic clinical
measures of insulin resistance (Bergman et al. 1979; MINMOD, Pacini & Bergman 1986). The glucose
equations are :func:`irsim.physiology.minimal_model.minimal_glucose_rates`; measured insulin is the
forcing function (linear interpolation of the samples, the model using I(t) − Ib). SG, SI, p2 and
G0 are fitted by nonlinear least squares to the glucose samples at t ≥ ``exclude_before_min``
(8 min by default: MINMOD leaves out the first minutes, when the bolus is still mixing).

Standard errors come from the Jacobian J of the (weighted) residuals at the optimum:
``cov = s² · (JᵀJ)⁻¹`` with ``s² = wSSR / (n − p)`` (residual variance estimated a posteriori,
n fitted samples, p = 4 parameters). The fit runs in log-parameters, so the covariance is mapped
back with the delta method, ``cov_θ = diag(θ) · cov_logθ · diag(θ)``. 95 % intervals are Wald
intervals ``θ ± t(0.975, n − p) · SE`` by default; ``intervals="profile"`` gives profile-likelihood
intervals instead: the parameter values at which the re-optimised wSSR reaches
``wSSR_min · (1 + F(0.95; 1, n − p) / (n − p))`` (Bates & Watts 1988, Nonlinear Regression Analysis,
§6.1). Why: SG and p2 lie along a long curved valley, where the linearised (Wald) interval is too
narrow; the profile follows the valley and is not symmetric.
"""

from __future__ import annotations

import math
import types
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy import optimize, stats

from irsim.analysis.indices import AIRG_WINDOW_MIN, acute_insulin_response
from irsim.errors import InputError
from irsim.physiology.minimal_model import minimal_glucose_rates
from irsim.units import insulin_pmol_l_to_uU_ml

if TYPE_CHECKING:  # the reader (and pandas) is imported only when a file is read
    from irsim.io.clinical_data import ClinicalSamples

PARAMETERS = ("sg", "si", "p2", "g0")
#: analytes an FSIGT fit reads: glucose is fitted, insulin forces the model
FSIGT_ANALYTES = ("glucose", "insulin")
UNITS = {"sg": "per_min", "si": "per_min_per_uU_ml", "p2": "per_min", "g0": "mg_dl"}

#: Initial guesses: the values attributed to the Pacini & Bergman 1986 example (SG 0.026 /min,
#: SI 5.0e-4 /min per µU/mL, p2 0.025 /min; ../shared/refs/clinical/minimal_model.json); G0 is
#: started at the highest glucose sample. The SG–p2 valley is long and flat (correlation ≈ −0.96
#: on that example), so the fit also starts from p2 a factor 3 either side and keeps the best.
START = {"sg": 0.026, "si": 5.0e-4, "p2": (0.025, 0.008, 0.08)}
#: Search bounds (numerical guards, not physiology): SG, p2 in /min, SI in /min per µU/mL, G0 in
#: mg/dL. Each spans ≥ 2 decades around reported human values (SG 0.005–0.05, SI 0.5–20 × 1e-4,
#: p2 0.005–0.1; Bergman et al. 1987, Diabetes Care 10:24); p2 ≤ 0.5 keeps the fixed-step
#: integrator below a step·rate of 0.25. A fit that ends on a bound is flagged in ``warnings``.
BOUNDS = {"sg": (1e-5, 1.0), "si": (1e-8, 1e-1), "p2": (1e-4, 0.5), "g0": (10.0, 5000.0)}
#: Largest integrator step (min). RK4 on a grid holding every sample time, so the insulin forcing is
#: exactly linear within each step; local error ~ (h·rate)⁵/120 < 1e-5 relative at p2 = 0.5.
MAX_STEP_MIN = 0.5
#: Fewest glucose samples at t ≥ exclude_before_min: 4 parameters + 2 degrees of freedom for s².
MIN_FITTED_SAMPLES = 6
#: Condition number of JᵀJ (log-parameters) above which the SEs are flagged as unreliable: the
#: forward-difference Jacobian has relative error ~√ε ≈ 1.5e-8, so JᵀJ ~3e-8, and its inverse may
#: then be off by more than cond · 3e-8 > 10 %. (The Pacini & Bergman example has cond ≈ 7e3.)
MAX_CONDITION = 3e6


@dataclass(frozen=True, eq=False)
class MinimalModelFit:
    """Fitted minimal-model parameters of one FSIGT, their uncertainty, and the data behind them.

    Units: sg, p2 /min; si /min per µU/mL; g0, gb, rmse mg/dL; ib, airg µU/mL; airg_auc µU/mL·min;
    di /min; cv_* %. AIRg as in :func:`irsim.analysis.indices.acute_insulin_response`.
    """

    sg: float
    si: float
    p2: float
    g0: float
    se_sg: float
    se_si: float
    se_p2: float
    se_g0: float
    correlation: np.ndarray  # 4×4, order PARAMETERS
    gb: float
    ib: float
    airg: float | None
    airg_auc: float | None
    di: float | None
    rmse: float
    r2: float
    weighted_ssr: float
    aic: float
    n_fitted: int
    dof: int
    weighting: str
    exclude_before_min: float
    time_min: np.ndarray
    glucose_mg_dl: np.ndarray
    insulin_uU_ml: np.ndarray
    residuals: np.ndarray  # observed − model, mg/dL, at the fitted samples
    warnings: tuple[str, ...] = ()
    profile_ci95: dict[str, tuple[float, float]] | None = None  # set by intervals="profile"

    def cv(self, name: str) -> float:
        """Coefficient of variation of a parameter, % (SE / estimate)."""
        return 100.0 * getattr(self, f"se_{name}") / getattr(self, name)

    @property
    def interval_method(self) -> str:
        """``profile`` if the fit computed profile-likelihood intervals, else ``wald``."""
        return "wald" if self.profile_ci95 is None else "profile"

    def ci95(self, name: str) -> tuple[float, float]:
        """95 % interval of a parameter: profile likelihood if the fit computed it, else Wald (Student t, n − p)."""
        if self.profile_ci95 is not None:
            return self.profile_ci95[name]
        return _wald(getattr(self, name), getattr(self, f"se_{name}"), self.dof)

    def predict(self, time_min) -> np.ndarray:
        """Model glucose (mg/dL) at the given times (min, ≥ 0, within the sampled span)."""
        t = np.atleast_1d(np.asarray(time_min, dtype=float))
        for i, v in enumerate(t):
            if not 0 <= v <= self.time_min[-1]:
                raise InputError(f"time_min[{i}]", v, unit="min", allowed=f"0 to {self.time_min[-1]:g} min (the sampled span)")
        grid = _grid(np.union1d(self.time_min[self.time_min > 0], t))
        glucose = _simulate((self.sg, self.si, self.p2, self.g0), grid, self.time_min, self.insulin_uU_ml, self.gb, self.ib)
        return glucose[np.searchsorted(grid, t)]

    def to_dict(self) -> dict:
        """Plain, JSON-ready numbers; every key names its unit; null where not estimable (see warnings)."""
        out = {}
        for name in PARAMETERS:
            unit = UNITS[name]
            out[f"{name}_{unit}"] = getattr(self, name)
            out[f"se_{name}_{unit}"] = _finite(getattr(self, f"se_{name}"))
            out[f"cv_{name}_percent"] = _finite(self.cv(name))
            out[f"ci95_{name}_{unit}"] = [_finite(v) for v in self.ci95(name)]
        out["correlation"] = {a: dict(zip(PARAMETERS, map(_finite, row))) for a, row in zip(PARAMETERS, self.correlation)}
        out |= {
            "gb_mg_dl": self.gb,
            "ib_uU_ml": self.ib,
            "airg_uU_ml": self.airg,
            "airg_auc_uU_ml_min": self.airg_auc,
            "di": self.di,
            "rmse_mg_dl": self.rmse,
            "r2": _finite(self.r2),
            "weighted_ssr": self.weighted_ssr,
            "aic": _finite(self.aic),
            "n_fitted": self.n_fitted,
            "weighting": self.weighting,
            "interval_method": self.interval_method,
            "exclude_before_min": self.exclude_before_min,
            "residuals_mg_dl": self.residuals.tolist(),
            "warnings": list(self.warnings),
        }
        return out

    def plot(self, path) -> Path:
        """Glucose data vs fit, insulin forcing, and residuals, written to ``path`` (PNG, PDF, …)."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        t, g, ins = self.time_min, self.glucose_mg_dl, self.insulin_uU_ml
        fitted = t >= self.exclude_before_min
        dense = np.linspace(0.0, t[-1], 400)
        fig, (ax_g, ax_i, ax_r) = plt.subplots(3, 1, figsize=(7, 9), sharex=True, height_ratios=(3, 2, 1.5))
        ax_g.plot(t[fitted], g[fitted], "o", color="C0", label="glucose, fitted")
        ax_g.plot(t[~fitted], g[~fitted], "o", mfc="none", color="C0", label=f"not fitted (basal, or t < {self.exclude_before_min:g} min)")
        ax_g.plot(dense, self.predict(dense), "-", color="C1",
                  label=f"minimal model: SI {self.si:.3g} /min per µU/mL, SG {self.sg:.3g} /min")
        ax_g.axhline(self.gb, ls=":", color="grey", label=f"Gb {self.gb:.0f} mg/dL")
        ax_g.set_ylabel("plasma glucose (mg/dL)")
        ax_g.legend(fontsize="small")
        ax_i.plot(t, ins, "o-", color="C2", label="insulin (forcing, linear interpolation)")
        ax_i.axhline(self.ib, ls=":", color="grey", label=f"Ib {self.ib:.1f} µU/mL")
        ax_i.set_ylabel("plasma insulin (µU/mL)")
        ax_i.legend(fontsize="small")
        ax_r.axhline(0.0, color="grey", lw=0.8)
        ax_r.plot(t[fitted], self.residuals, "o", color="C3")
        ax_r.set_ylabel("residual (mg/dL)")
        ax_r.set_xlabel("time after glucose bolus (min)")
        ax_g.set_title(f"FSIGT minimal-model fit (RMSE {self.rmse:.2f} mg/dL, R² {self.r2:.3f})")
        fig.tight_layout()
        path = Path(path)
        fig.savefig(path, dpi=120)
        plt.close(fig)
        return path


def _wald(value: float, se: float, dof: int) -> tuple[float, float]:
    """95 % Wald interval, Student t with ``dof`` degrees of freedom."""
    half = float(stats.t.ppf(0.975, dof)) * se
    return value - half, value + half


def _r_squared(residuals: np.ndarray, observed: np.ndarray) -> float:
    """1 − SSR/SST; NaN for a flat curve (SST = 0), which leaves nothing to explain."""
    total = float(np.sum((observed - observed.mean()) ** 2))
    return 1.0 - float(np.sum(residuals**2)) / total if total > 0 else math.nan


def _finite(value) -> float | None:
    """JSON has no inf or NaN: a value that could not be estimated becomes null."""
    return float(value) if math.isfinite(value) else None


@dataclass(frozen=True, eq=False)
class FsigtData:
    """One subject's FSIGT samples in the minimal model's units: min, mg/dL, µU/mL."""

    time_min: np.ndarray
    glucose_mg_dl: np.ndarray
    insulin_uU_ml: np.ndarray


def _grid(sample_times: np.ndarray) -> np.ndarray:
    """Integration grid from 0 holding every sample time exactly, with steps ≤ MAX_STEP_MIN."""
    knots = np.union1d([0.0], sample_times)
    pieces = [np.linspace(a, b, max(1, math.ceil((b - a) / MAX_STEP_MIN)) + 1)[:-1] for a, b in zip(knots[:-1], knots[1:])]
    grid = np.concatenate([*pieces, knots[-1:]])
    return grid


def _rk4_python(sg, si, p2, g0, steps, ins_at, ins_mid, gb, ib, out):
    """Classic RK4 of the minimal model on a fixed grid, G(0) = G0, X(0) = 0; ``out`` gets G."""
    g, x = g0, 0.0
    out[0] = g
    for k in range(steps.size):
        h, i0, im, i1 = steps[k], ins_at[k], ins_mid[k], ins_at[k + 1]
        dg1, dx1 = _rates(g, x, i0, sg, si, p2, gb, ib)
        dg2, dx2 = _rates(g + 0.5 * h * dg1, x + 0.5 * h * dx1, im, sg, si, p2, gb, ib)
        dg3, dx3 = _rates(g + 0.5 * h * dg2, x + 0.5 * h * dx2, im, sg, si, p2, gb, ib)
        dg4, dx4 = _rates(g + h * dg3, x + h * dx3, i1, sg, si, p2, gb, ib)
        g += h / 6.0 * (dg1 + 2 * dg2 + 2 * dg3 + dg4)
        x += h / 6.0 * (dx1 + 2 * dx2 + 2 * dx3 + dx4)
        out[k + 1] = g
    return out


_rates = minimal_glucose_rates
try:  # the ``fast`` extra: the same loop compiled around the compiled rates, ≈ 65× faster, which
    # matters for profile intervals (thousands of simulations per subject); cached on disk.
    from numba import njit

    _rk4 = njit(cache=True)(types.FunctionType(_rk4_python.__code__, globals() | {"_rates": njit(minimal_glucose_rates)},
                                               "_rk4_compiled"))
except ImportError:  # pragma: no cover - exercised where numba is absent
    _rk4 = _rk4_python


def _simulate(params, grid, time_min, insulin, gb, ib, *, kernel=None) -> np.ndarray:
    """Glucose on ``grid`` (RK4, linearly interpolated insulin); ``kernel`` defaults to the fastest available."""
    sg, si, p2, g0 = (float(p) for p in params)
    mid = 0.5 * (grid[:-1] + grid[1:])
    out = np.empty(grid.size)
    return (kernel or _rk4)(sg, si, p2, g0, np.diff(grid), np.interp(grid, time_min, insulin),
                            np.interp(mid, time_min, insulin), float(gb), float(ib), out)


def _check_value(field: str, value: float, unit: str, positive: bool | None) -> float:
    """A finite number; ``positive`` True: > 0, False: ≥ 0, None: any sign."""
    value = float(value)
    allowed = {True: f"finite, > 0 {unit}", False: f"finite, ≥ 0 {unit}", None: "finite numbers"}[positive]
    if not math.isfinite(value):
        raise InputError(field, value, unit=unit, allowed=allowed, reason="not a finite number")
    if positive is not None and (value < 0 or (positive and value == 0)):
        raise InputError(field, value, unit=unit, allowed=allowed, reason="out of range")
    return value


def _check_array(name: str, values, unit: str, positive: bool | None) -> np.ndarray:
    """1-D array whose every element passes :func:`_check_value` (errors name the index)."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise InputError(name, f"array of shape {arr.shape}", reason="must be one-dimensional", allowed="a 1-D sequence")
    for i, v in enumerate(arr):
        _check_value(f"{name}[{i}]", v, unit, positive)
    return arr


def fit_minimal_model(
    time_min,
    glucose_mg_dl,
    insulin_uU_ml,
    *,
    exclude_before_min: float = 8.0,
    basal_glucose_mg_dl: float | None = None,
    basal_insulin_uU_ml: float | None = None,
    weighting: str = "uniform",
    intervals: str = "wald",
) -> MinimalModelFit:
    """Fit SG, SI, p2 and G0 of the minimal model to one FSIGT.

    Times are minutes from the glucose bolus, strictly increasing, starting with a basal sample at
    t ≤ 0; Gb and Ib are the means of the samples at t ≤ 0 unless given. ``weighting`` is
    ``"uniform"`` (every glucose sample weight 1) or ``"relative"`` (constant-CV error, residuals
    divided by the observed glucose). ``intervals`` is ``"wald"`` (from the SEs, instant) or
    ``"profile"`` (profile likelihood, ≈ 0.2 s more with numba, 2 s without; better where the fit
    is curved, as for SG and p2).
    An insulin-modified FSIGT needs nothing extra: the insulin dose is in the measured insulin that
    forces the model.
    """
    t = _check_array("time_min", time_min, "min", None)
    g = _check_array("glucose_mg_dl", glucose_mg_dl, "mg/dL", True)
    ins = _check_array("insulin_uU_ml", insulin_uU_ml, "µU/mL", False)
    if not (len(t) == len(g) == len(ins)):
        raise InputError("glucose_mg_dl, insulin_uU_ml", f"lengths {len(g)}, {len(ins)}",
                         reason=f"must match time_min (length {len(t)})")
    bad = np.flatnonzero(np.diff(t) <= 0)
    if bad.size:
        i = int(bad[0]) + 1
        raise InputError(f"time_min[{i}]", t[i], unit="min", reason=f"not after the previous sample ({t[i - 1]:g} min)",
                         allowed="strictly increasing times")
    if len(t) == 0 or t[0] > 0:
        raise InputError("time_min[0]", t[0] if len(t) else "none", unit="min",
                         reason="the first sample must be the basal one, before or at the bolus", allowed="≤ 0 min")
    exclude = _check_value("exclude_before_min", exclude_before_min, "min", False)
    fitted = (t > 0) & (t >= exclude)
    n = int(fitted.sum())
    if n < MIN_FITTED_SAMPLES:
        raise InputError("time_min", f"{n} samples at t ≥ {exclude:g} min", allowed=f"≥ {MIN_FITTED_SAMPLES} samples",
                         reason="too few glucose samples to fit 4 parameters with their standard errors")
    if weighting not in ("uniform", "relative"):
        raise InputError("weighting", weighting, allowed="'uniform' or 'relative'", reason="unknown weighting")
    if intervals not in ("wald", "profile"):
        raise InputError("intervals", intervals, allowed="'wald' or 'profile'", reason="unknown interval method")
    basal = t <= 0
    gb = g[basal].mean() if basal_glucose_mg_dl is None else _check_value("basal_glucose_mg_dl", basal_glucose_mg_dl, "mg/dL", True)
    ib = ins[basal].mean() if basal_insulin_uU_ml is None else _check_value("basal_insulin_uU_ml", basal_insulin_uU_ml, "µU/mL", False)

    grid = _grid(t[t > 0])
    at = np.searchsorted(grid, t[fitted])
    observed = g[fitted]
    weight = np.ones(n) if weighting == "uniform" else 1.0 / observed

    def residuals(log_theta):
        return weight * (observed - _simulate(np.exp(log_theta), grid, t, ins, gb, ib)[at])

    lower, upper = np.log([BOUNDS[k] for k in PARAMETERS]).T
    result = min(
        (optimize.least_squares(residuals, np.clip(np.log([START["sg"], START["si"], p2_start, g.max()]), lower, upper),
                                bounds=(lower, upper), xtol=1e-10, ftol=1e-12, gtol=1e-10)
         for p2_start in START["p2"]),
        key=lambda r: r.cost,
    )
    theta = np.exp(result.x)
    p = len(PARAMETERS)
    dof = n - p
    wssr = float(np.sum(result.fun**2))
    information = result.jac.T @ result.jac
    warnings = [f"{k} ended on its search bound {BOUNDS[k]}" for k, v, lo, hi in zip(PARAMETERS, result.x, lower, upper)
                if min(v - lo, hi - v) < 1e-6]
    if not result.success:
        warnings.append(f"optimizer did not converge: {result.message}")
    if np.linalg.cond(information) > MAX_CONDITION:
        warnings.append("parameters not identifiable from these data (JᵀJ near singular): standard errors unreliable")
    try:
        cov = np.linalg.inv(information) * wssr / dof * np.outer(theta, theta)
    except np.linalg.LinAlgError:
        cov = np.full((p, p), np.inf)
    se = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore"):
        corr = cov / np.outer(se, se)
    resid = result.fun / weight
    airg, airg_auc = (None if np.isnan(v) else float(v) for v in acute_insulin_response(t, ins, ib))
    lo, hi = AIRG_WINDOW_MIN
    if airg is None:
        warnings.append(f"no insulin sample in {lo:g}-{hi:g} min: AIRg and DI not computed")
    if airg_auc is None:
        warnings.append(f"no insulin samples spanning 0-{hi:g} min: the AIRg area is not computed")
    profile = None
    if intervals == "profile":
        threshold = wssr * (1.0 + float(stats.f.ppf(0.95, 1, dof)) / dof)
        profile = {}
        for j, name in enumerate(PARAMETERS):
            low, high, open_end = _profile_interval(residuals, result.x, j, lower, upper, threshold)
            profile[name] = (float(np.exp(low)), float(np.exp(high)))
            if open_end:
                bound = BOUNDS[name][0] if open_end == "low" else BOUNDS[name][1] if open_end == "high" else BOUNDS[name]
                warnings.append(f"{name}: the data do not bound its 95 % profile interval at the {open_end} end "
                                f"(it runs to the search bound {bound} {UNITS[name]})")
    else:  # every parameter is a positive rate or concentration: a Wald interval reaching 0 is not an interval
        for name, value, error in zip(PARAMETERS, theta, se):
            low, high = _wald(value, error, dof)
            if low <= 0:
                warnings.append(f"{name}: its 95 % Wald interval ({low:.3g} to {high:.3g}) reaches "
                                "below 0, outside the parameter's admissible range (> 0): the linearisation fails "
                                "here; use profile-likelihood intervals (intervals=\"profile\", CLI --intervals "
                                "profile)")
    sg, si, p2, g0 = map(float, theta)
    return MinimalModelFit(
        sg=sg, si=si, p2=p2, g0=g0,
        se_sg=float(se[0]), se_si=float(se[1]), se_p2=float(se[2]), se_g0=float(se[3]),
        correlation=corr, gb=float(gb), ib=float(ib),
        airg=airg, airg_auc=airg_auc, di=None if airg is None else si * airg,
        rmse=float(np.sqrt(np.mean(resid**2))),
        r2=_r_squared(resid, observed),
        weighted_ssr=wssr,
        aic=float(n * math.log(wssr / n) + 2 * p) if wssr > 0 else -math.inf,  # an exact fit has no finite AIC
        n_fitted=n, dof=dof, weighting=weighting, exclude_before_min=exclude,
        time_min=t, glucose_mg_dl=g, insulin_uU_ml=ins, residuals=resid, warnings=tuple(warnings),
        profile_ci95=profile,
    )


def _profile_interval(residuals, x_hat, j, lower, upper, threshold) -> tuple[float, float, str]:
    """Where the profile wSSR of log-parameter ``j`` crosses ``threshold`` on each side of ``x_hat[j]``.

    The other parameters are re-fitted at each trial value, warm-started from the nearest profile
    point. Each side steps outward (doubling from 0.05 in log units) until the threshold is passed,
    then Brent's method closes in to 1e-3 in log units (0.1 % of the parameter). Returns (low, high, open end), the
    open end naming a side that reached the search bound instead ("" if none).
    """
    others = np.array([k for k in range(x_hat.size) if k != j])

    def profile(value, start):
        def fixed(z):
            x = x_hat.copy()
            x[others], x[j] = z, value
            return residuals(x)

        fit = optimize.least_squares(fixed, start, bounds=(lower[others], upper[others]), xtol=1e-10, ftol=1e-12)
        return 2.0 * fit.cost, fit.x

    ends, open_end = [], []
    for direction, bound in ((-1.0, lower[j]), (1.0, upper[j])):
        inside, start, step = x_hat[j], x_hat[others], 0.05
        while True:
            trial = x_hat[j] + direction * step
            if direction * (trial - bound) >= 0:
                trial = bound
            ssr, solution = profile(trial, start)
            if ssr > threshold:
                outside = trial
                break
            inside, start = trial, solution
            if trial == bound:
                outside = None
                break
            step *= 2.0
        if outside is None:
            ends.append(bound)
            open_end.append("low" if direction < 0 else "high")
            continue
        warm = {"start": start}

        def excess(value, warm=warm):
            ssr, solution = profile(value, warm["start"])
            warm["start"] = solution
            return ssr - threshold

        ends.append(optimize.brentq(excess, inside, outside, xtol=1e-3))
    return ends[0], ends[1], " and ".join(open_end)


def read_fsigt(path, *, warn: bool = True) -> dict[str, FsigtData]:
    """Read FSIGT samples from CSV or Excel, one entry per subject (the file stem without subject_id).

    Any layout of :mod:`irsim.io.clinical_data`; for an FSIGT usually wide by time (``time_min``,
    ``glucose_<unit>``, ``insulin_<unit>``, e.g. ``glucose_mmol_L``, ``insulin_pmol_L``) or long
    (``time_<unit>``, ``analyte``, ``value``, ``unit``), with an optional ``subject_id`` column. Rows
    may come in any order. A bad cell is skipped and, with ``warn``, issued as a
    :class:`~irsim.io.clinical_data.ClinicalDataWarning` naming its row, column, value and why (see
    :func:`fsigt_from_samples` for what is kept and when the import stops).
    """
    from irsim.io.clinical_data import read_samples

    path = Path(path)
    data = read_samples(path, default_subject=path.stem)
    try:
        return fsigt_from_samples(data)
    finally:
        if warn:
            data.report.warn()


def fsigt_from_samples(data: ClinicalSamples) -> dict[str, FsigtData]:
    """Each subject's paired glucose and insulin samples, by time, in the model's units (mg/dL, µU/mL).

    Only times with both a glucose and an insulin sample are kept: a sample whose partner was a bad
    cell or absent is added to ``data.report`` as not used. A subject left with no basal sample
    (t ≤ 0) or fewer than ``MIN_FITTED_SAMPLES`` after the bolus is skipped and reported the same
    way, so the others are still fitted; :class:`InputError` only if no subject is left.
    """
    from irsim.io.clinical_data import LAYOUTS, CellIssue

    if len(data.subjects) == 0:
        raise InputError("file", data.source, reason="no data rows", allowed=LAYOUTS)
    samples = data.samples[data.samples["analyte"].isin(FSIGT_ANALYTES)]
    by_subject = dict(iter(samples.groupby("subject_id", sort=False)))
    out, short = {}, {}
    for subject in data.subjects.index:
        own = by_subject.get(subject, samples.iloc[:0])
        table = own.pivot(index="time_min", columns="analyte", values="value").reindex(columns=list(FSIGT_ANALYTES))
        table = table[table.notna().all(axis=1)].sort_index()
        unpaired = own[~own["time_min"].isin(table.index)]
        for analyte, part in unpaired.groupby("analyte", sort=False):
            other = next(a for a in FSIGT_ANALYTES if a != analyte)
            if not (own["analyte"] == other).any():  # the other analyte is absent: one line, not one per sample
                data.report.issues.append(CellIssue.of_sample(
                    part.iloc[0], f"and the subject's {len(part) - 1} other {analyte} samples have no {other} "
                                  f"samples at all to pair with"))
                continue
            for _, e in part.iterrows():
                data.report.issues.append(CellIssue.of_sample(e, f"has no {other} sample at {e['time_min']:g} min "
                                                              "to pair with"))
        t = table.index.to_numpy(dtype=float)
        basal, after = int((t <= 0).sum()), int((t > 0).sum())
        if basal < 1 or after < MIN_FITTED_SAMPLES:
            short[subject] = f"{basal} + {after}"
            first = own.iloc[0] if len(own) else None
            data.report.issues.append(CellIssue(
                int(first["row"]) if first is not None else 0, "subject_id", subject,
                f"has {basal} basal + {after} post-bolus paired glucose and insulin samples (needs ≥ 1 at t ≤ 0 "
                f"and ≥ {MIN_FITTED_SAMPLES} after): subject not fitted", subject))
            continue
        out[subject] = FsigtData(time_min=t, glucose_mg_dl=table["glucose"].to_numpy(),
                                 insulin_uU_ml=insulin_pmol_l_to_uU_ml(table["insulin"].to_numpy()))
    if not out:
        raise InputError(f"subject {', '.join(short)}", ", ".join(short.values()),
                         unit="paired glucose and insulin samples (basal + after the bolus)",
                         reason="too few usable samples left after skipping bad cells",
                         allowed=f"≥ 1 at t ≤ 0 min and ≥ {MIN_FITTED_SAMPLES} at t > 0 min per subject")
    return out
