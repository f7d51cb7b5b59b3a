"""Summary measures of a simulated protocol, per patient, named with their units.

Each protocol declares which groups of measures make sense for it (``Protocol.measures``):
``fasting``, ``excursion``, ``ogtt``, ``daily``, ``ivgtt``, ``clamp``. Samples are read off the
trajectory at the protocol's clinical times (left limit at a dose time: the sample drawn before it).
In a composed protocol (``Meal().then(OGTT(), at_min=240)``) each group counts its times from its
own test's start (``Protocol.origins``), and the excursion and the clamp span their own test
only, up to the next test's start. Indices that read the 0-min sample as a fasting one are left out, with a note
(:func:`notes`), when something was given before that test began.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from irsim.analysis import indices
from irsim.errors import InputError
from irsim.physiology.glycation import adag_hba1c
from irsim.units import INSULIN_PMOL_PER_UU


def _at(result, key, t):
    """Value at time ``t`` (linear interpolation between output times), per patient."""
    time = result.time_min
    if t < time[0] or t > time[-1]:
        return np.full(result.n_patients, np.nan)
    j = int(np.searchsorted(time, t))
    if time[j] == t:
        return result[key][j]
    w = (t - time[j - 1]) / (time[j] - time[j - 1])
    return (1 - w) * result[key][j - 1] + w * result[key][j]


def _auc(y, t):
    """Trapezoidal area under each patient's curve, as one matrix–vector product (weights · y)."""
    w = np.zeros_like(t, dtype=float)
    dt = np.diff(t)
    w[:-1] += dt / 2
    w[1:] += dt / 2
    return w @ y


def _fasting(r):
    return {"fasting_glucose_mg_dl": r["G"][0], "fasting_insulin_pmol_l": r["I"][0],
            "max_abs_drift_glucose_mg_dl": np.max(np.abs(r["G"] - r["G"][0]), axis=0)} if r.protocol.name == "fasting" \
        else {"fasting_glucose_mg_dl": r["G"][0], "fasting_insulin_pmol_l": r["I"][0]}


def _span(protocol, group) -> tuple[float, float]:
    """From a group's test start to the next test's start (or the end of the run)."""
    start = protocol.origins.get(group, 0.0)
    later = [t for t in protocol.origins.values() if t > start]
    return start, min(later, default=protocol.duration_min)


def _excursion(r):
    start, stop = _span(r.protocol, "excursion")
    inside = (r.time_min >= start) & (r.time_min <= stop)
    t, g, i = r.time_min[inside] - start, r["G"][inside], r["I"][inside]
    patients = np.arange(r.n_patients)
    g_peak, i_peak = g.argmax(axis=0), i.argmax(axis=0)
    return {
        "peak_glucose_mg_dl": g[g_peak, patients],
        "time_to_peak_glucose_min": t[g_peak],
        "peak_insulin_pmol_l": i[i_peak, patients],
        "time_to_peak_insulin_min": t[i_peak],
        "nadir_glucose_mg_dl": g.min(axis=0),
        "auc_glucose_mg_dl_min": _auc(g, t),
        "iauc_glucose_mg_dl_min": _auc(np.maximum(g - g[0], 0.0), t),
        "auc_insulin_pmol_l_min": _auc(i, t),
    }


def _ogtt(r):
    """2-h and 30-min values, and the clinical indices computed from the simulated OGTT samples
    exactly as from a patient's (:mod:`irsim.analysis.indices`), so simulation and clinic compare."""

    start = r.protocol.origins.get("ogtt", 0.0)  # minutes from the OGTT's load
    times = [t for t in (0.0, 30.0, 60.0, 90.0, 120.0) if start + t <= r.time_min[-1]]
    g = np.stack([_at(r, "G", start + t) for t in times], axis=1)  # patient × sample
    i = np.stack([_at(r, "I", start + t) for t in times], axis=1)
    g0, i0 = g[:, 0], i[:, 0]
    out = {
        "glucose_2h_mg_dl": _at(r, "G", start + 120.0),
        "insulin_2h_pmol_l": _at(r, "I", start + 120.0),
        "glucose_30_mg_dl": _at(r, "G", start + 30.0),
        "insulin_30_pmol_l": _at(r, "I", start + 30.0),
        "homa1_ir": indices.homa1_ir(g0, i0),
        "homa1_b_pct": indices.homa1_b(g0, i0),
        "quicki": indices.quicki(g0, i0),
        "matsuda": indices.matsuda(times, g, i),
        "matsuda_auc": indices.matsuda(times, g, i, mean="trapezoid"),
    }
    if 30.0 in times:
        g30, i30 = g[:, times.index(30.0)], i[:, times.index(30.0)]
        out |= {
            "insulinogenic_index_pmol_l_per_mmol_l": indices.insulinogenic_index(g0, g30, i0, i30),
            "oral_di_l_per_mmol": indices.oral_disposition_index(g0, g30, i0, i30),
            "stumvoll_first_phase_pmol_l": indices.stumvoll_first_phase(g30, i0, i30),
            "stumvoll_second_phase_pmol_l": indices.stumvoll_second_phase(g30, i0, i30),
        }
    return out


def _daily(r):
    """Mean glucose, variability, time in range, and the HbA1c that mean glucose predicts (ADAG:
    HbA1c % = (mean glucose mg/dL + 46.7)/28.7, Nathan et al. 2008) — an estimate for weeks of the
    same days, not a simulation of glycation."""
    g = r["G"]
    return {
        "mean_glucose_mg_dl": g.mean(axis=0),
        "estimated_hba1c_pct": adag_hba1c(g.mean(axis=0)),
        "sd_glucose_mg_dl": g.std(axis=0),
        "time_in_range_70_180_pct": 100.0 * np.mean((g >= 70) & (g <= 180), axis=0),
        "time_above_140_pct": 100.0 * np.mean(g > 140, axis=0),
    }


def _ivgtt(r):
    """AIRg as mean (2–10 min, µU/mL) and area (0–10 min, µU/mL·min) above basal; Kg from ln G 10–19 min."""
    start = r.protocol.origins.get("ivgtt", 0.0)  # minutes from the glucose bolus
    t = r.time_min - start
    basal = _at(r, "I", start) / INSULIN_PMOL_PER_UU
    airg, airg_auc = indices.acute_insulin_response(t, r["I"] / INSULIN_PMOL_PER_UU, basal)
    window = (t >= 10) & (t <= 19)
    if window.sum() >= 2:
        slope = np.polyfit(t[window], np.log(np.maximum(r["G"][window], 1e-9)), 1)[0]
    else:
        slope = np.full(r.n_patients, np.nan)
    return {"airg_uU_ml": airg, "airg_auc_uU_ml_min": airg_auc, "kg_pct_per_min": -100.0 * slope}


def _clamp(r):
    """M, M/I and the clamp's glucose and insulin over its last window, by the same functions as for
    a patient's clamp record (:mod:`irsim.analysis.indices`)."""

    start, stop = _span(r.protocol, "clamp")
    inside = (r.time_min >= start) & (r.time_min <= stop)  # the window is the clamp's last, not the run's
    t = r.time_min[inside]
    window = float(r.protocol.settings.get("m_window_min", 30.0))
    m = indices.m_value(t, r["glucose_infusion"][inside].T, window_min=window)
    insulin = indices.window_mean(t, r["I"][inside].T, window)
    return {
        "m_value_mg_kg_min": m,
        "clamp_glucose_mg_dl": indices.window_mean(t, r["G"][inside].T, window),
        "clamp_insulin_pmol_l": insulin,
        "m_over_i_x100": indices.m_over_i(m, insulin),
    }


#: OGTT indices that read the test's 0-min sample as the fasting one (each is defined on an OGTT
#: after an overnight fast: Matthews 1985, Katz 2000, Matsuda 1999, Seltzer 1967, Stumvoll 2000)
FROM_FASTING_SAMPLE = ("homa1_ir", "homa1_b_pct", "quicki", "matsuda", "matsuda_auc",
                       "insulinogenic_index_pmol_l_per_mmol_l", "oral_di_l_per_mmol", "stumvoll_first_phase_pmol_l",
                       "stumvoll_second_phase_pmol_l")


def notes(protocol) -> dict[str, str]:
    """``{measures: why they are absent}`` for this protocol's summary (empty when nothing is left out)."""
    if "ogtt" not in protocol.measures:
        return {}
    start = protocol.origins.get("ogtt", 0.0)
    before = [d.label for d in protocol.doses if d.time_min < start]
    before += [x.label for x in (*protocol.infusions, *protocol.controllers) if x.start_min < start]
    if not before:
        return {}
    return {", ".join(FROM_FASTING_SAMPLE): f"not computed: the OGTT's 0-min sample (at {start:g} min) follows "
            f"{', '.join(dict.fromkeys(before))}, so it is not a fasting sample"}


MEASURES: dict[str, Callable] = {"fasting": _fasting, "excursion": _excursion, "ogtt": _ogtt, "daily": _daily,
                                 "ivgtt": _ivgtt, "clamp": _clamp}

#: the variables each group needs kept in a result
NEEDS = {"clamp": ("G", "I", "glucose_infusion")}


def needed_variables(protocol) -> list[str]:
    """Glucose, insulin and every variable the protocol's summary measures read."""
    names = ["G", "I"]
    for group in protocol.measures:
        names += [v for v in NEEDS.get(group, ()) if v not in names]
    return names


def summarize(result) -> pd.DataFrame:
    """One row per patient, one column per summary measure of the result's protocol;
    ``frame.attrs["notes"]`` says why a measure the protocol would give is absent (:func:`notes`).

    The result must hold outputs at 0 (the fasting state) and at the protocol's sample times, as
    every default ``solve`` does; a custom ``t_eval`` without them is refused, not interpolated.
    """
    protocol = result.protocol
    needed = sorted({0.0, *(float(t) for t in protocol.sample_times_min if t <= protocol.duration_min)})
    missing = [t for t in needed if not np.any(np.isclose(result.time_min, t))]
    if missing:
        raise InputError("t_eval", f"{len(result.time_min)} output times",
                         reason=f"the summary reads the samples at {', '.join(f'{t:g}' for t in missing)} min",
                         allowed=f"output times that include 0 and the {protocol.name} sample times")
    absent = [v for v in needed_variables(protocol) if v not in result.data]
    if absent:
        raise InputError("variables", sorted(result.data), reason=f"the {protocol.name} summary needs "
                         f"{', '.join(absent)} kept", allowed=f"variables including {', '.join(needed_variables(protocol))}")
    columns: dict[str, np.ndarray] = {}
    for group in result.protocol.measures:
        columns.update(MEASURES[group](result))
    absent = notes(protocol)
    for name in FROM_FASTING_SAMPLE if absent else ():
        columns.pop(name, None)
    frame = pd.DataFrame({k: np.broadcast_to(v, (result.n_patients,)) for k, v in columns.items()},
                         index=result.patient_ids)
    frame.index.name = "patient"
    frame.attrs["notes"] = absent
    return frame


def population_summary(frame: pd.DataFrame) -> dict[str, object]:
    """``n_patients`` and, per measure, its mean and 5th/50th/95th percentiles."""
    out: dict[str, object] = {"n_patients": int(len(frame))}
    for col in frame.columns:
        values = frame[col].to_numpy(dtype=float)
        p5, p50, p95 = np.percentile(values, [5, 50, 95])
        out[col] = {"mean": float(values.mean()), "p5": float(p5), "p50": float(p50), "p95": float(p95)}
    return out
