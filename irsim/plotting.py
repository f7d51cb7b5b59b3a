"""Figures a clinician can read: glucose and insulin panels with the protocol's inputs marked, and
only the reference lines that apply to the protocol drawn (the 2-h OGTT criteria on an OGTT, the
target on a clamp)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np

from irsim.units import glucose_mg_dl_to_mmol_l, insulin_pmol_l_to_uU_ml

#: ADA 2024 (Standards of Care, Table 2.1/2.2) plasma glucose criteria, mg/dL, by when they apply
OGTT_2H_CRITERIA = ((140.0, "140 mg/dL: impaired glucose tolerance at 2 h"), (200.0, "200 mg/dL: diabetes at 2 h"))
FASTING_CRITERIA = ((100.0, "100 mg/dL: impaired fasting glucose"), (126.0, "126 mg/dL: diabetes (fasting)"))
#: the band the daily summary's time in range counts (``time_in_range_70_180_pct``)
TIME_IN_RANGE_MG_DL = (70.0, 180.0)
#: display band around a clamp's target: a clamp holds glucose within about ±5 % of it (coefficient
#: of variation of clamp glucose below 5 %, DeFronzo, Tobin & Andres 1979) — a drawing choice
CLAMP_BAND = 0.05
#: dose labels closer than this (points) to the previous labelled one are left out: they would overlap
MIN_LABEL_GAP_PT = 10.0

#: smallest y span of a panel, relative to its level
MIN_SPAN = 0.2

PANELS = {"G": "plasma glucose (mg/dL)", "I": "plasma insulin (pmol/L)",
          "glucose_infusion": "glucose infusion\n(mg/kg/min)"}


def plot_result(result, path=None, *, patients=None, title=None, compare=None, labels=None):
    """Glucose (mg/dL, with mmol/L on the right) and insulin (pmol/L, µU/mL on the right) over time;
    on a clamp a third panel shows the glucose infusion rate, with the M-value window shaded.

    Meals and boluses are marked with dashed lines (labelled above the plot), infusions shaded,
    clinical sampling times dotted; ``compare`` overlays a second result (e.g. a type 2 diabetic
    subject after the same meal). Populations show the median and 5–95 % band.
    """
    import matplotlib

    matplotlib.use("Agg", force=False) if path is not None else None
    import matplotlib.pyplot as plt

    proto = result.protocol
    hours = proto.duration_min > 600
    scale, tunit = (60.0, "h") if hours else (1.0, "min")
    keys = ["G", "I"] + (["glucose_infusion"] if proto.controllers and "glucose_infusion" in result.data else [])
    fig, axes = plt.subplots(len(keys), 1, figsize=(8, 2.6 + 2.3 * len(keys)), sharex=True, layout="constrained",
                             height_ratios=[1.2, 1, 0.8][:len(keys)])
    panels = dict(zip(keys, axes))
    runs = [(result, labels[0] if labels else result.parameter_set.name if result.parameter_set else "subject", "C0")]
    if compare is not None:
        runs.append((compare, labels[1] if labels else compare.parameter_set.name if compare.parameter_set else "other", "C3"))
    for res, label, color in runs:
        t = res.time_min / scale
        for key, ax in panels.items():
            values = res[key] if patients is None else res[key][:, list(patients)]
            if values.shape[1] == 1:
                ax.plot(t, values[:, 0], color=color, lw=2, label=label)
                samples = np.asarray(res.protocol.sample_times_min, dtype=float)
                if key != "glucose_infusion" and 0 < samples.size <= 40:  # the clinical sampling times
                    ax.plot(samples / scale, np.interp(samples, res.time_min, values[:, 0]), "o", color=color, ms=4)
            else:
                lo, med, hi = np.percentile(values, [5, 50, 95], axis=1)
                ax.fill_between(t, lo, hi, color=color, alpha=0.2, lw=0)
                ax.plot(t, med, color=color, lw=2, label=f"{label} (median, 5–95 %, n={values.shape[1]})")
    ax_g, ax_i = panels["G"], panels["I"]
    _reference_lines(ax_g, proto, scale)
    for key, ax in panels.items():
        ax.set_ylabel(PANELS[key])
        ax.grid(alpha=0.3)
        lo, hi = ax.get_ylim()
        middle = 0.5 * (lo + hi)
        if hi - lo < MIN_SPAN * abs(middle):  # a flat curve (a steady state) stays flat, not magnified rounding
            ax.set_ylim(middle * (1 - MIN_SPAN / 2), middle * (1 + MIN_SPAN / 2))
    for ax, factor, unit in ((ax_g, float(glucose_mg_dl_to_mmol_l(1.0)), "mmol/L"),
                             (ax_i, float(insulin_pmol_l_to_uU_ml(1.0)), "µU/mL")):
        sec = ax.secondary_yaxis("right", functions=(lambda x, f=factor: x * f, lambda x, f=factor: x / f))
        sec.set_ylabel(unit)
    axes[-1].set_xlabel(f"time ({tunit})")
    if "glucose_infusion" in panels:
        window = float(proto.settings.get("m_window_min", 30.0))
        gir = panels["glucose_infusion"]
        stop = min(max(c.stop_min for c in proto.controllers), proto.duration_min)  # the clamp's end
        band = gir.axvspan((stop - window) / scale, stop / scale, color="C1", alpha=0.12, lw=0,
                           label=f"M-value: mean over the last {window:g} min")
        gir.set_ylim(bottom=0.0)
        gir.legend(handles=[band], loc="best", fontsize=8)
    _mark_doses(fig, ax_g, axes, proto, scale)
    for inf in proto.infusions:
        ax_i.axvspan(inf.start_min / scale, min(inf.stop_min, proto.duration_min) / scale, color="C2", alpha=0.06)
    ax_g.legend(loc="best", fontsize=7)
    fig.suptitle(textwrap.fill(title or f"{result.model.description}: {proto.description}", 90), fontsize=10)
    if path is not None:
        fig.savefig(Path(path), dpi=120)
        plt.close(fig)
    return fig


def _reference_lines(ax, protocol, scale) -> None:
    """The thresholds and targets that apply to this protocol, and only those (named in the legend,
    so no label sits on a curve)."""
    end = protocol.duration_min / scale
    lines = []  # (y, from, label)
    if "ogtt" in protocol.measures:  # the 2-h criteria, drawn over the OGTT itself
        start = protocol.origins.get("ogtt", 0.0)
        ax.axvline((start + 120.0) / scale, color="0.6", ls=":", lw=1)
        lines += [(y, start / scale, text) for y, text in OGTT_2H_CRITERIA]
    if protocol.measures == ("fasting",):
        lines += [(y, 0.0, text) for y, text in FASTING_CRITERIA]
    for (y, x0, text), color in zip(lines, ("C1", "C3")):
        ax.hlines(y, x0, end, color=color, ls=":", lw=1.2, label=text)
    if "daily" in protocol.measures:
        lo, hi = TIME_IN_RANGE_MG_DL
        ax.axhspan(lo, hi, color="0.92", zorder=0, label=f"{lo:g}–{hi:g} mg/dL: time in range")
    if "target_mg_dl" in protocol.settings and protocol.controllers:
        target = float(protocol.settings["target_mg_dl"])
        for c in protocol.controllers:  # over the clamp only
            x = np.array([c.start_min, min(c.stop_min, protocol.duration_min)]) / scale
            ax.fill_between(x, target * (1 - CLAMP_BAND), target * (1 + CLAMP_BAND), color="C2", alpha=0.15, lw=0,
                            zorder=0)
            ax.hlines(target, *x, color="C2", ls="--", lw=1,
                      label=f"clamp target {target:g} mg/dL (band ±{100 * CLAMP_BAND:g} %)")


def _mark_doses(fig, ax_g, axes, protocol, scale) -> None:
    """Dashed lines at each dose; labels above the glucose panel, leaving out any that would overlap."""
    width_pt = ax_g.get_position().width * fig.get_figwidth() * 72.0
    span = protocol.duration_min / scale
    last = -np.inf
    for d in sorted(protocol.doses, key=lambda d: d.time_min):
        x = d.time_min / scale
        for ax in axes:
            ax.axvline(x, color="0.5", lw=0.8, ls="--")
        at_pt = x / span * width_pt
        if at_pt - last >= MIN_LABEL_GAP_PT:
            ax_g.annotate(d.label, (x, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 3),
                          textcoords="offset points", rotation=90, ha="center", va="bottom", fontsize=7, color="0.3")
            last = at_pt
