"""Surrogate indices of insulin sensitivity and β-cell function from fasting, OGTT and clamp data.

Every function is vectorised over subjects (one array entry per subject) and takes values in
the units its argument names say (irsim's canonical units: glucose mg/dL, insulin pmol/L), so
that no caller has to remember which paper wanted µU/mL. NaN in means "not measured" and gives
NaN out; a value no body can have (negative insulin, zero glucose, infinity) raises
:class:`~irsim.errors.InputError`. Where a formula itself is undefined for a valid value
(HOMA1-%B at G0 ≤ 3.5 mmol/L, IGI when glucose did not change) the result is NaN and
:func:`compute_indices` says why in its ``notes`` column.

Conventions shared by all formulas (see ``docs/clinical.md``):

* glucose mmol/L = mg/dL / 18.0156 (molar mass 180.156 g/mol, :mod:`irsim.units`);
* insulin µU/mL = pmol/L / 6.0 (Heinemann 2010, :mod:`irsim.units`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from irsim.analysis.homa2 import homa2, range_error, range_problems
from irsim.citations import Citation, register
from irsim.errors import InputError
from irsim.units import glucose_mg_dl_to_mmol_l as _mmol
from irsim.units import insulin_pmol_l_to_uU_ml as _uu

#: sources of the formulas below: (key, authors, year, title, journal, doi); clamp M cites DeFronzo1979
SOURCES = (
    ("Matthews1985", "Matthews DR, Hosker JP, Rudenski AS, Naylor BA, Treacher DF, Turner RC", 1985,
     "Homeostasis model assessment: insulin resistance and beta-cell function from fasting plasma glucose and "
     "insulin concentrations in man", "Diabetologia 28:412-419", "10.1007/BF00280883"),
    ("Katz2000", "Katz A, Nambi SS, Mather K, et al.", 2000, "Quantitative insulin sensitivity check index: a "
     "simple, accurate method for assessing insulin sensitivity in humans", "J Clin Endocrinol Metab 85:2402-2410",
     "10.1210/jcem.85.7.6661"),
    ("Matsuda1999", "Matsuda M, DeFronzo RA", 1999, "Insulin sensitivity indices obtained from oral glucose "
     "tolerance testing: comparison with the euglycemic insulin clamp", "Diabetes Care 22:1462-1470",
     "10.2337/diacare.22.9.1462"),
    ("Stumvoll2000", "Stumvoll M, Mitrakou A, Pimenta W, et al.", 2000, "Use of the oral glucose tolerance test "
     "to assess insulin release and insulin sensitivity", "Diabetes Care 23:295-301", "10.2337/diacare.23.3.295"),
    ("Seltzer1967", "Seltzer HS, Allen EW, Herron AL Jr, Brennan MT", 1967, "Insulin secretion in response to "
     "glycemic stimulus: relation of delayed initial release to carbohydrate intolerance in mild diabetes "
     "mellitus", "J Clin Invest 46:323-335", "10.1172/JCI105534"),
    ("Utzschneider2009", "Utzschneider KM, Prigeon RL, Faulenbach MV, et al.", 2009, "Oral disposition index "
     "predicts the development of future diabetes above and beyond fasting and 2-h glucose levels",
     "Diabetes Care 32:335-341", "10.2337/dc08-1478"),
    ("SimentalMendia2008", "Simental-Mendia LE, Rodriguez-Moran M, Guerrero-Romero F", 2008, "The product of "
     "fasting glucose and triglycerides as surrogate for identifying insulin resistance in apparently healthy "
     "subjects", "Metab Syndr Relat Disord 6:299-304", "10.1089/met.2008.0034"),
    ("Mari2001", "Mari A, Pacini G, Murphy E, Ludvik B, Nolan JJ", 2001, "A model-based method for assessing "
     "insulin sensitivity from the oral glucose tolerance test", "Diabetes Care 24:539-548",
     "10.2337/diacare.24.3.539"),
    ("Aono2018", "Aono D, Oka R, Kometani M, et al.", 2018, "Insulin secretion and risk for future diabetes in "
     "subjects with a nonpositive insulinogenic index", "J Diabetes Res 2018:5107589", "10.1155/2018/5107589"),
    ("GehanGeorge1970", "Gehan EA, George SL", 1970, "Estimation of human body surface area from height and "
     "weight", "Cancer Chemother Rep 54:225-235", None),
)
for _source in SOURCES:
    register(Citation(*_source))


def _checked(field: str, values, unit: str, *, positive: bool = False) -> np.ndarray:
    """Float array of ``values``; NaN (not measured) passes, impossible values raise InputError."""
    arr = np.asarray(values, dtype=float)
    bad = np.isinf(arr) | ((arr <= 0) if positive else (arr < 0))
    if bad.any():
        first = arr[bad].flat[0]
        allowed = f"> 0 {unit}" if positive else f">= 0 {unit}"
        raise InputError(field, float(first), unit=unit, allowed=allowed, reason="not a possible concentration or size")
    return arr




# --- fasting indices -------------------------------------------------------------------------


def homa1_ir(glucose_0_mg_dl, insulin_0_pmol_l) -> np.ndarray:
    """HOMA1-IR = G0[mmol/L]·I0[µU/mL]/22.5 (Matthews 1985; 22.5 makes a 'normal' 4.5 × 5 equal 1)."""
    g = _mmol(_checked("glucose_0", glucose_0_mg_dl, "mg/dL", positive=True))
    i = _uu(_checked("insulin_0", insulin_0_pmol_l, "pmol/L"))
    return g * i / 22.5


def homa1_b(glucose_0_mg_dl, insulin_0_pmol_l) -> np.ndarray:
    """HOMA1-%B = 20·I0[µU/mL]/(G0[mmol/L] − 3.5) (Matthews 1985); NaN where G0 ≤ 3.5 mmol/L (undefined)."""
    g = _mmol(_checked("glucose_0", glucose_0_mg_dl, "mg/dL", positive=True))
    i = _uu(_checked("insulin_0", insulin_0_pmol_l, "pmol/L"))
    excess = g - 3.5
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(excess > 0, 20.0 * i / excess, np.nan)


def quicki(glucose_0_mg_dl, insulin_0_pmol_l) -> np.ndarray:
    """QUICKI = 1/(log10 I0[µU/mL] + log10 G0[mg/dL]) (Katz 2000); NaN where I0·G0 ≤ 1 (no finite positive value)."""
    g = _checked("glucose_0", glucose_0_mg_dl, "mg/dL", positive=True)
    i = _uu(_checked("insulin_0", insulin_0_pmol_l, "pmol/L"))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_sum = np.log10(np.where(i > 0, i, np.nan)) + np.log10(g)
        return np.where(log_sum > 0, 1.0 / log_sum, np.nan)


def tyg(triglycerides_mg_dl, glucose_0_mg_dl) -> np.ndarray:
    """TyG = ln(TG[mg/dL]·FPG[mg/dL]/2) (Simental-Mendía 2008): insulin resistance without insulin."""
    tg = _checked("triglycerides", triglycerides_mg_dl, "mg/dL", positive=True)
    g = _checked("glucose_0", glucose_0_mg_dl, "mg/dL", positive=True)
    return np.log(tg * g / 2.0)


# --- OGTT indices ----------------------------------------------------------------------------


def _samples(times_min, glucose_mg_dl, insulin_pmol_l) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(times, G, I) as 2-D arrays (subject × sample); fasting sample must be among the times."""
    t = np.asarray(times_min, dtype=float)
    g = np.atleast_2d(_checked("glucose", glucose_mg_dl, "mg/dL", positive=True))
    i = np.atleast_2d(_checked("insulin", insulin_pmol_l, "pmol/L"))
    if t.ndim != 1 or g.shape[-1] != t.size or i.shape != g.shape:
        raise InputError("times_min", list(t), unit="min", allowed="one time per column of glucose and insulin",
                         reason=f"shape mismatch with glucose {g.shape} / insulin {i.shape}")
    if 0.0 not in t:
        raise InputError("times_min", list(t), unit="min", allowed="must include 0 (fasting sample)",
                         reason="no fasting sample")
    return t, g, i


def _trapezoid_means(t: np.ndarray, values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Time-averaged value (trapezoidal AUC / span) over each subject's own measured samples."""
    out = np.full(values.shape[0], np.nan)
    patterns, inverse = np.unique(present, axis=0, return_inverse=True)
    for k, pattern in enumerate(patterns):  # few missingness patterns, each fully vectorised
        if pattern.sum() < 2:
            continue
        rows = inverse.ravel() == k
        tt = t[pattern]
        out[rows] = np.trapezoid(values[np.ix_(rows, pattern)], tt, axis=1) / (tt[-1] - tt[0])
    return out


#: the sampling of Matsuda & DeFronzo 1999 (min); fewer samples change the index (DeFronzo & Matsuda 2010)
MATSUDA_TIMES_MIN = (0.0, 30.0, 60.0, 90.0, 120.0)


def schedule_samples(times_min, schedule: tuple[float, ...], window: tuple[float, float]) -> np.ndarray:
    """Which samples an index reads: those at its standard ``schedule`` when every one is there,
    else every sample in ``window`` (a reduced schedule). Why: denser samples (a simulation's every
    minute) change a mean over samples, and the index is defined on its schedule."""
    t = np.asarray(times_min, dtype=float)
    if np.isin(schedule, t).all():
        return np.isin(t, schedule)
    return (t >= window[0]) & (t <= window[1])


def matsuda_samples(times_min) -> np.ndarray:
    """The Matsuda index's samples: its 0-120 min schedule, else every sample from the load to 2 h."""
    return schedule_samples(times_min, MATSUDA_TIMES_MIN, (0.0, 120.0))


def matsuda(times_min, glucose_mg_dl, insulin_pmol_l, *, mean: str = "arithmetic") -> np.ndarray:
    """Matsuda composite ISI = 10 000/√(G0·I0·Ḡ·Ī), G mg/dL, I µU/mL (Matsuda & DeFronzo 1999).

    ``mean="arithmetic"`` averages the measured samples (0–120 min), as written in the 1999
    paper; ``mean="trapezoid"`` uses AUC/duration, which is what the authors' online calculator
    returns (≈8 % lower on the reference example: 3.716 vs 3.431). A subject needs the fasting
    sample and at least one later one; missing samples are left out of that subject's means.
    When the times include the whole schedule of the index (:data:`MATSUDA_TIMES_MIN`), only those
    samples count: extra ones (15 min, or every minute of a simulation) would change the means, so
    a simulated OGTT and its exported minute-by-minute samples give the same index.
    """
    t, g, i = _samples(times_min, glucose_mg_dl, insulin_pmol_l)
    keep = matsuda_samples(t)
    t, g, i = t[keep], g[:, keep], _uu(i[:, keep])
    order = np.argsort(t)
    t, g, i = t[order], g[:, order], i[:, order]
    present = np.isfinite(g) & np.isfinite(i)
    usable = present[:, 0] & (present.sum(axis=1) >= 2)
    if mean == "arithmetic":
        with np.errstate(invalid="ignore"):
            g_mean = np.where(present, g, 0).sum(axis=1) / present.sum(axis=1)
            i_mean = np.where(present, i, 0).sum(axis=1) / present.sum(axis=1)
    elif mean == "trapezoid":
        g_mean, i_mean = _trapezoid_means(t, g, present), _trapezoid_means(t, i, present)
    else:
        raise InputError("mean", mean, allowed="'arithmetic' or 'trapezoid'", reason="unknown mean convention")
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 10_000.0 / np.sqrt(g[:, 0] * i[:, 0] * g_mean * i_mean)
    return np.where(usable & np.isfinite(value), value, np.nan)


def stumvoll_first_phase(glucose_30_mg_dl, insulin_0_pmol_l, insulin_30_pmol_l) -> np.ndarray:
    """Estimated 1st-phase insulin release, pmol/L = 1283 + 1.829·I30 − 138.7·G30 + 3.772·I0 (Stumvoll 2000)."""
    g30 = _mmol(_checked("glucose_30", glucose_30_mg_dl, "mg/dL", positive=True))
    i0 = _checked("insulin_0", insulin_0_pmol_l, "pmol/L")
    i30 = _checked("insulin_30", insulin_30_pmol_l, "pmol/L")
    return 1283.0 + 1.829 * i30 - 138.7 * g30 + 3.772 * i0


def stumvoll_second_phase(glucose_30_mg_dl, insulin_0_pmol_l, insulin_30_pmol_l) -> np.ndarray:
    """Estimated 2nd-phase insulin release, pmol/L = 287 + 0.4164·I30 − 26.07·G30 + 0.9226·I0 (Stumvoll 2000)."""
    g30 = _mmol(_checked("glucose_30", glucose_30_mg_dl, "mg/dL", positive=True))
    i0 = _checked("insulin_0", insulin_0_pmol_l, "pmol/L")
    i30 = _checked("insulin_30", insulin_30_pmol_l, "pmol/L")
    return 287.0 + 0.4164 * i30 - 26.07 * g30 + 0.9226 * i0


def stumvoll_isi(bmi_kg_m2, glucose_90_mg_dl, insulin_120_pmol_l) -> np.ndarray:
    """Estimated ISI, µmol·kg⁻¹·min⁻¹·pmol⁻¹·L = 0.226 − 0.0032·BMI − 0.0000645·I120 − 0.00375·G90 (Stumvoll 2000)."""
    bmi = _checked("bmi", bmi_kg_m2, "kg/m2", positive=True)
    g90 = _mmol(_checked("glucose_90", glucose_90_mg_dl, "mg/dL", positive=True))
    i120 = _checked("insulin_120", insulin_120_pmol_l, "pmol/L")
    return 0.226 - 0.0032 * bmi - 0.0000645 * i120 - 0.00375 * g90


def insulinogenic_index(glucose_0_mg_dl, glucose_30_mg_dl, insulin_0_pmol_l, insulin_30_pmol_l) -> np.ndarray:
    """IGI = ΔI(0–30)/ΔG(0–30), pmol/L per mmol/L (Seltzer 1967); NaN where glucose did not change."""
    g0 = _mmol(_checked("glucose_0", glucose_0_mg_dl, "mg/dL", positive=True))
    g30 = _mmol(_checked("glucose_30", glucose_30_mg_dl, "mg/dL", positive=True))
    i0 = _checked("insulin_0", insulin_0_pmol_l, "pmol/L")
    i30 = _checked("insulin_30", insulin_30_pmol_l, "pmol/L")
    dg = g30 - g0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(dg != 0, (i30 - i0) / dg, np.nan)


def oral_disposition_index(glucose_0_mg_dl, glucose_30_mg_dl, insulin_0_pmol_l, insulin_30_pmol_l) -> np.ndarray:
    """DIo = IGI × 1/I0, L/mmol (Utzschneider 2009): secretion scaled by fasting insulin as a sensitivity proxy.

    Insulin cancels, so DIo does not depend on the insulin unit; NaN where I0 = 0 or IGI is undefined.
    """
    igi = insulinogenic_index(glucose_0_mg_dl, glucose_30_mg_dl, insulin_0_pmol_l, insulin_30_pmol_l)
    i0 = np.asarray(insulin_0_pmol_l, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(i0 > 0, igi / i0, np.nan)


#: OGIS constants (Mari 2001, 2-h version) as implemented by the authors' online calculator and
#: its public ports: p1–p6 fitted to clamp clearance; V glucose volume mL/m²; Gclamp mg/dL
OGIS_CONSTANTS = {"p1": 650.0, "p2": 325.0, "p3": 81300.0, "p4": 132.0, "p5": 0.000652, "p6": 173.0,
                  "V_mL_m2": 10000.0, "Gclamp_mg_dl": 90.0}


def body_surface_area_gehan_george(height_cm, weight_kg) -> np.ndarray:
    """BSA m² = 0.0235·H[cm]^0.42246·W[kg]^0.51456 (Gehan & George 1970), the BSA behind the OGIS dose/m²."""
    h = _checked("height", height_cm, "cm", positive=True)
    w = _checked("weight", weight_kg, "kg", positive=True)
    return 0.0235 * h**0.42246 * w**0.51456


def ogis(glucose_0_mg_dl, glucose_90_mg_dl, glucose_120_mg_dl, insulin_0_pmol_l, insulin_90_pmol_l,
         *, height_cm, weight_kg, dose_g=75.0) -> np.ndarray:
    """OGIS, mL·min⁻¹·m⁻²: model-based glucose clearance from a 2-h OGTT (Mari 2001).

    Inputs at 0/90/120 min; the dose is divided by body surface area (Gehan-George). Published
    group means: lean 440, obese 362, T2D 239 mL/min/m².
    """
    c = OGIS_CONSTANTS
    g0 = _checked("glucose_0", glucose_0_mg_dl, "mg/dL", positive=True)
    g90 = _checked("glucose_90", glucose_90_mg_dl, "mg/dL", positive=True)
    g120 = _checked("glucose_120", glucose_120_mg_dl, "mg/dL", positive=True)
    i0 = _uu(_checked("insulin_0", insulin_0_pmol_l, "pmol/L"))
    i90 = _uu(_checked("insulin_90", insulin_90_pmol_l, "pmol/L"))
    dose = _checked("dose", dose_g, "g", positive=True) / body_surface_area_gehan_george(height_cm, weight_kg)
    x1 = c["p4"] * (((c["p1"] * dose - c["V_mL_m2"] * (g120 - g90) / 30.0) / g90 + c["p3"] / g0)
                    / (i90 - i0 + c["p2"]))
    excess = g90 - c["Gclamp_mg_dl"]
    x2 = (c["p5"] * excess + 1.0) * x1
    with np.errstate(invalid="ignore"):
        return 0.5 * (x2 + np.sqrt(x2**2 + 4.0 * c["p5"] * c["p6"] * excess * x1))


# --- IVGTT ----------------------------------------------------------------------------------
#: First-phase window after an IV glucose bolus, min: Kahn et al. 1993 (Diabetes 42:1663) average
#: the incremental insulin from 2 to 10 min; Bergman's minimal-model tables describe AIRg as the
#: insulin area above basal over 0-10 min (µU/mL × min).
AIRG_WINDOW_MIN = (2.0, 10.0)
#: the FSIGT schedule's samples in that window (irsim.protocols.standard.FSIGT_SAMPLES): with all of
#: them present AIRg reads only these
AIRG_SAMPLES_MIN = (2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def acute_insulin_response(times_min, insulin_uU_ml, basal_uU_ml) -> tuple[np.ndarray, np.ndarray]:
    """AIRg two ways: (mean incremental insulin over 2-10 min, µU/mL; incremental area 0-10 min, µU/mL·min).

    Why both: the Kahn 1993 mean feeds the disposition index DI = SI × AIRg; MINMOD-style reports
    give the area, ≈ 10 × the mean when the samples are dense. ``insulin_uU_ml`` is
    (n_times,) or (n_times, n_subjects); the area starts at basal at t = 0 (the bolus) and is
    NaN without a sample at or after 10 min to close it. Samples at the schedule's times only, when
    every one is there (:func:`schedule_samples`): a simulation's every minute gives the same AIRg.
    """
    t = np.asarray(times_min, dtype=float)
    rise = np.asarray(insulin_uU_ml, dtype=float) - np.asarray(basal_uU_ml, dtype=float)
    lo, hi = AIRG_WINDOW_MIN
    keep = schedule_samples(t, AIRG_SAMPLES_MIN, (-np.inf, np.inf)) | (t > hi)
    t, rise = t[keep], rise[keep]
    early = (t >= lo) & (t <= hi)
    mean = rise[early].mean(axis=0) if early.any() else np.full(rise.shape[1:], np.nan)
    after = (t > 0) & (t <= hi)
    if not (t >= hi).any() or not after.any():
        return mean, np.full(rise.shape[1:], np.nan)
    tt = np.concatenate([[0.0], t[after]])
    area = np.trapezoid(np.concatenate([np.zeros((1, *rise.shape[1:])), rise[after]]), tt, axis=0)
    if tt[-1] < hi:  # close the window by interpolating to the next sample
        k = np.flatnonzero(t > hi)[0]
        end = rise[after][-1] + (rise[k] - rise[after][-1]) * (hi - tt[-1]) / (t[k] - tt[-1])
        area = area + 0.5 * (rise[after][-1] + end) * (hi - tt[-1])
    return mean, area


# --- clamp ----------------------------------------------------------------------------------


def window_mean(times_min, values, window_min: float) -> np.ndarray:
    """Time-averaged value of each subject over the last ``window_min`` minutes of its own samples.

    The window ends at each subject's last measured sample; a window holding one sample gives it.
    """
    t = np.asarray(times_min, dtype=float)
    v = np.atleast_2d(np.asarray(values, dtype=float))
    present = np.isfinite(v)
    end = np.where(present, t, -np.inf).max(axis=1, initial=-np.inf)
    in_window = present & (t >= end[:, None] - window_min)
    out = _trapezoid_means(t, v, in_window)
    single = in_window.sum(axis=1) == 1
    out[single] = v[single][in_window[single]]
    return out


def m_value(times_min, gir_mg_kg_min, *, window_min: float = 30.0) -> np.ndarray:
    """Clamp M, mg·kg⁻¹·min⁻¹: mean glucose infusion rate over the final steady state (DeFronzo 1979).

    Plain M (no glucose-space or urinary-loss correction); ``window_min`` is the steady-state
    period at the end of the clamp (DeFronzo used its last 20–40 min).
    """
    _checked("gir", gir_mg_kg_min, "mg/kg/min")
    return window_mean(times_min, gir_mg_kg_min, window_min)


def m_over_i(m_mg_kg_min, steady_insulin_pmol_l) -> np.ndarray:
    """M/I × 100, (mg·kg⁻¹·min⁻¹ per µU/mL) × 100: M normalised to the insulin level reached (DeFronzo 1979)."""
    insulin = _uu(_checked("clamp_insulin", steady_insulin_pmol_l, "pmol/L"))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(insulin > 0, 100.0 * np.asarray(m_mg_kg_min, dtype=float) / insulin, np.nan)


# --- the table the CLI prints ---------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One output column: what it is, its unit, the source, and the inputs it needs."""

    label: str
    unit: str
    source: str
    needs: tuple[str, ...]  # canonical columns ("a|b": either; a timed analyte alone: any of its times)
    undefined: str = "not defined at these values"  # the note when every input is there


COLUMNS: dict[str, Column] = {
    "homa1_ir": Column("HOMA1 insulin resistance", "1", "Matthews 1985", ("glucose_0", "insulin_0")),
    "homa1_b": Column("HOMA1 beta-cell function", "%", "Matthews 1985", ("glucose_0", "insulin_0")),
    "homa2_b": Column("HOMA2 beta-cell function", "%", "Levy 1998 (HOMA2 v2.2)", ("glucose_0", "insulin_0|cpeptide_0")),
    "homa2_s": Column("HOMA2 insulin sensitivity", "%", "Levy 1998 (HOMA2 v2.2)", ("glucose_0", "insulin_0|cpeptide_0")),
    "homa2_ir": Column("HOMA2 insulin resistance", "1", "Levy 1998 (HOMA2 v2.2)", ("glucose_0", "insulin_0|cpeptide_0")),
    "quicki": Column("QUICKI insulin sensitivity", "1", "Katz 2000", ("glucose_0", "insulin_0")),
    "matsuda": Column("Matsuda ISI, arithmetic means", "1", "Matsuda 1999", ("glucose_0", "insulin_0"),
                      "needs a glucose and insulin pair after 0 min (to 120 min) and positive values"),
    "matsuda_auc": Column("Matsuda ISI, AUC means (calculator)", "1", "Matsuda 1999", ("glucose_0", "insulin_0"),
                          "needs a glucose and insulin pair after 0 min (to 120 min) and positive values"),
    "stumvoll_first_phase": Column("Stumvoll 1st-phase secretion", "pmol/L", "Stumvoll 2000",
                                   ("glucose_30", "insulin_0", "insulin_30")),
    "stumvoll_second_phase": Column("Stumvoll 2nd-phase secretion", "pmol/L", "Stumvoll 2000",
                                    ("glucose_30", "insulin_0", "insulin_30")),
    "stumvoll_isi": Column("Stumvoll insulin sensitivity", "umol/kg/min per pmol/L", "Stumvoll 2000",
                           ("weight", "height", "glucose_90", "insulin_120")),
    "insulinogenic_index": Column("Insulinogenic index (0-30 min)", "pmol/L per mmol/L", "Seltzer 1967",
                                  ("glucose_0", "glucose_30", "insulin_0", "insulin_30")),
    "oral_di": Column("Oral disposition index", "L/mmol", "Utzschneider 2009",
                      ("glucose_0", "glucose_30", "insulin_0", "insulin_30")),
    "tyg": Column("Triglyceride-glucose index", "1", "Simental-Mendia 2008", ("triglycerides", "glucose_0")),
    "ogis": Column("OGIS glucose clearance", "mL/min/m2", "Mari 2001",
                   ("glucose_0", "glucose_90", "glucose_120", "insulin_0", "insulin_90", "height", "weight")),
    "m_value": Column("Clamp M (last 30 min)", "mg/kg/min", "DeFronzo 1979", ("gir",)),
    "m_over_i": Column("Clamp M/I x 100", "mg/kg/min per uU/mL x 100", "DeFronzo 1979", ("gir", "clamp_insulin")),
    "glycaemic_category": Column("Glycaemic category", "", "ADA 2024 / WHO 2006", ("glucose_0|glucose_120|hba1c",)),
    "metabolic_syndrome_ncep": Column("Metabolic syndrome, NCEP ATP III", "", "Grundy 2005", ()),
    "metabolic_syndrome_idf": Column("Metabolic syndrome, IDF", "", "Alberti 2005; IDF 2006 waist table", ()),
}


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(dtype=float) if name in frame else np.full(len(frame), np.nan)


def _timed(frame: pd.DataFrame, analyte: str) -> dict[float, np.ndarray]:
    """{time_min: values} of the columns ``<analyte>_<t>`` of a canonical frame."""
    out = {}
    for name in frame.columns:
        prefix, _, t = str(name).rpartition("_")
        if prefix == analyte and t.lstrip("-").isdigit():
            out[float(t)] = frame[name].to_numpy(dtype=float)
    return dict(sorted(out.items()))


def _homa2(g0: np.ndarray, i0: np.ndarray, c0: np.ndarray) -> tuple[dict[str, np.ndarray], list[str]]:
    """HOMA2 %B, %S, IR per subject (C-peptide preferred), with a note for each subject the model rejects.

    One vectorised solve per secretion measure over the subjects inside the calculator's range.
    """
    out = {k: np.full(g0.size, np.nan) for k in ("homa2_b", "homa2_s", "homa2_ir")}
    notes = [""] * g0.size
    g_mmol = _mmol(g0)
    use_c = np.isfinite(c0)
    for name, hormone, chosen in (("cpeptide_nmol_l", c0, use_c), ("insulin_pmol_l", i0, ~use_c & np.isfinite(i0))):
        chosen = chosen & np.isfinite(g_mmol)
        problems = {field: range_problems(field, v) for field, v in (("glucose_mmol_l", g_mmol), (name, hormone))}
        valid = chosen & (problems["glucose_mmol_l"] == "") & (problems[name] == "")
        for k in np.flatnonzero(chosen & ~valid):
            field = "glucose_mmol_l" if problems["glucose_mmol_l"][k] else name
            value = (g_mmol if field == "glucose_mmol_l" else hormone)[k]
            notes[k] = f"homa2: {range_error(field, value, str(problems[field][k]))}"
        if valid.any():
            r = homa2(g_mmol[valid], **{name: hormone[valid]})
            out["homa2_b"][valid], out["homa2_s"][valid], out["homa2_ir"][valid] = r.percent_b, r.percent_s, r.ir
    return out, notes


def _why_missing(frame: pd.DataFrame, k: int, column: Column) -> str:
    """Which inputs a subject lacks for a column, or why the formula is undefined at its values."""
    row = frame.iloc[k]

    def measured(name: str) -> bool:
        names = [name] if name in frame.columns else [c for c in frame.columns if str(c).startswith(f"{name}_")]
        return any(pd.notna(row[c]) for c in names)

    absent = [need.replace("|", " or ") for need in column.needs if not any(map(measured, need.split("|")))]
    return ("no " + ", ".join(absent)) if absent else column.undefined


def compute_indices(frame: pd.DataFrame, *, criteria: str = "ADA") -> pd.DataFrame:
    """Every index and diagnosis the data allow, one row per subject, plus a ``notes`` column.

    ``frame`` is the canonical per-subject table of :func:`irsim.io.clinical_data.read_clinical_data`
    (index ``subject_id``; ``glucose_<t>`` mg/dL, ``insulin_<t>`` pmol/L, ...). A column is left
    out when no subject gets a value; a subject missing an input of a kept column gets an empty
    cell and a note naming what is missing. ``table.attrs["criteria"]`` names the glycaemic criteria.
    """
    from irsim.analysis.diagnosis import glycaemic_category, metabolic_syndrome

    n = len(frame)
    glucose, insulin = _timed(frame, "glucose"), _timed(frame, "insulin")
    nan = np.full(n, np.nan)
    g = {t: glucose.get(t, nan) for t in (0.0, 30.0, 90.0, 120.0)}
    i = {t: insulin.get(t, nan) for t in (0.0, 30.0, 90.0, 120.0)}
    height, weight = _col(frame, "height"), _col(frame, "weight")
    bmi = weight / (height / 100.0) ** 2
    values: dict[str, np.ndarray] = {"homa1_ir": homa1_ir(g[0], i[0]), "homa1_b": homa1_b(g[0], i[0])}
    homa2_values, homa2_notes = _homa2(g[0], i[0], _timed(frame, "cpeptide").get(0.0, nan))
    values.update(homa2_values)
    values["quicki"] = quicki(g[0], i[0])
    ogtt_times = sorted(set(glucose) & set(insulin))
    if 0.0 in ogtt_times:
        gs = np.column_stack([glucose[t] for t in ogtt_times])
        ins = np.column_stack([insulin[t] for t in ogtt_times])
        values["matsuda"] = matsuda(ogtt_times, gs, ins, mean="arithmetic")
        values["matsuda_auc"] = matsuda(ogtt_times, gs, ins, mean="trapezoid")
        window = matsuda_samples(ogtt_times)
        paired = np.isfinite(gs) & np.isfinite(ins) & window
        standard = np.isin(ogtt_times, MATSUDA_TIMES_MIN)
        lacks_standard = (paired[:, standard].sum(axis=1) < len(MATSUDA_TIMES_MIN))
        partial = np.flatnonzero(np.isfinite(values["matsuda"]) & lacks_standard)
        t = np.asarray(ogtt_times)
        left_out = int(np.sum((t > 0) & (t <= 120) & ~window))
    values["stumvoll_first_phase"] = stumvoll_first_phase(g[30], i[0], i[30])
    values["stumvoll_second_phase"] = stumvoll_second_phase(g[30], i[0], i[30])
    values["stumvoll_isi"] = stumvoll_isi(bmi, g[90], i[120])
    values["insulinogenic_index"] = insulinogenic_index(g[0], g[30], i[0], i[30])
    values["oral_di"] = oral_disposition_index(g[0], g[30], i[0], i[30])
    values["tyg"] = tyg(_col(frame, "triglycerides"), g[0])
    dose = _col(frame, "glucose_dose")
    values["ogis"] = ogis(g[0], g[90], g[120], i[0], i[90], height_cm=height, weight_kg=weight,
                          dose_g=np.where(np.isfinite(dose), dose, 75.0))
    gir, clamp_insulin = _timed(frame, "gir"), _timed(frame, "clamp_insulin")
    if gir:
        values["m_value"] = m_value(list(gir), np.column_stack(list(gir.values())))
    if gir and clamp_insulin:
        steady = window_mean(list(clamp_insulin), np.column_stack(list(clamp_insulin.values())), 30.0)
        values["m_over_i"] = m_over_i(values["m_value"], steady)

    table = pd.DataFrame(index=frame.index.copy())
    notes: list[list[str]] = [[] for _ in range(n)]
    for name, v in values.items():
        if np.isfinite(v).any():
            table[name] = v
            for k in np.flatnonzero(~np.isfinite(v)):
                if not name.startswith("homa2") or not homa2_notes[k]:
                    notes[k].append(f"{name}: {_why_missing(frame, k, COLUMNS[name])}")
                elif name == "homa2_b":  # one note for the three HOMA2 columns
                    notes[k].append(homa2_notes[k])

    for k in np.flatnonzero(np.isfinite(values["insulinogenic_index"]) & ~(g[30] > g[0])):
        notes[k].append("insulinogenic_index, oral_di: glucose fell over 0–30 min, so the ratio does not "
                        "measure secretion (a nonpositive glucose response, Aono 2018)")
    if "matsuda" in table:
        for k in partial:
            used = ", ".join(f"{t:g}" for t, ok in zip(ogtt_times, paired[k]) if ok)
            notes[k].append(f"matsuda, matsuda_auc: from the samples at {used} min only")
        for k in np.flatnonzero(np.isfinite(values["matsuda"])) if left_out else ():
            notes[k].append(f"matsuda, matsuda_auc: from the 0, 30, 60, 90, 120 min samples, the index's schedule "
                            f"({left_out} other samples within 2 h left out)")
    glyc = glycaemic_category(fpg_mg_dl=g[0], ogtt_2h_mg_dl=g[120], hba1c_pct=_col(frame, "hba1c"), criteria=criteria)
    if (glyc.category != "").any():
        table["glycaemic_category"] = np.where(glyc.category == "", None, glyc.category)
        for k in np.flatnonzero(glyc.incomplete):
            notes[k].append(f"glycaemic_category from {glyc.basis[k]} only")
        for k in np.flatnonzero(glyc.category == ""):
            notes[k].append(f"glycaemic_category: {_why_missing(frame, k, COLUMNS['glycaemic_category'])}")
    sex = frame["sex"].to_numpy(dtype=object) if "sex" in frame else None
    ethnicity = frame["ethnicity"].to_numpy(dtype=object) if "ethnicity" in frame else None
    components = dict(sex=sex, waist_cm=_col(frame, "waist"), triglycerides_mg_dl=_col(frame, "triglycerides"),
                      hdl_mg_dl=_col(frame, "hdl"), systolic_bp_mmhg=_col(frame, "systolic_bp"),
                      diastolic_bp_mmhg=_col(frame, "diastolic_bp"), fpg_mg_dl=g[0])
    for name, result in (
        ("metabolic_syndrome_ncep", metabolic_syndrome(definition="NCEP", **components)),
        ("metabolic_syndrome_idf", metabolic_syndrome(definition="IDF", ethnicity=ethnicity, bmi_kg_m2=bmi,
                                                      **components)),
    ):
        if (result.status != "undetermined").any():
            table[name] = result.status
            for k in np.flatnonzero(result.missing != ""):
                notes[k].append(f"{name}: {result.missing[k]} not assessable")
    table = table[[c for c in COLUMNS if c in table]]
    table["notes"] = ["; ".join(x) for x in notes]
    table.attrs["criteria"] = criteria
    return table


#: unit of each output column (empty for categories), for --json and printed headers
UNITS = {name: c.unit for name, c in COLUMNS.items()}
