"""Figures a clinician can read: glucose and insulin panels with the protocol's inputs marked."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from irsim.units import glucose_mg_dl_to_mmol_l, insulin_pmol_l_to_uU_ml


def plot_result(result, path=None, *, patients=None, title=None, compare=None, labels=None):
    """Glucose (mg/dL, with mmol/L on the right) and insulin (pmol/L, µU/mL on the right) over time.

    Meals and boluses are marked with dashed lines, infusions shaded, clinical sampling times dotted; ``compare`` overlays a second result
    (e.g. a type 2 diabetic subject after the same meal). Populations show the median and 5–95 % band.
    """
    import matplotlib

    matplotlib.use("Agg", force=False) if path is not None else None
    import matplotlib.pyplot as plt

    hours = result.protocol.duration_min > 600
    scale, tunit = (60.0, "h") if hours else (1.0, "min")
    fig, (ax_g, ax_i) = plt.subplots(2, 1, figsize=(8, 6.5), sharex=True, constrained_layout=True)
    runs = [(result, labels[0] if labels else result.parameter_set.name if result.parameter_set else "subject", "C0")]
    if compare is not None:
        runs.append((compare, labels[1] if labels else compare.parameter_set.name if compare.parameter_set else "other", "C3"))
    for res, label, color in runs:
        t = res.time_min / scale
        for ax, key in ((ax_g, "G"), (ax_i, "I")):
            values = res[key] if patients is None else res[key][:, list(patients)]
            if values.shape[1] == 1:
                ax.plot(t, values[:, 0], color=color, lw=2, label=label)
                samples = np.asarray(res.protocol.sample_times_min, dtype=float)
                if 0 < samples.size <= 40:  # the clinical sampling times, as a clinician would see them
                    ax.plot(samples / scale, np.interp(samples, res.time_min, values[:, 0]), "o", color=color,
                            ms=4)
            else:
                lo, med, hi = np.percentile(values, [5, 50, 95], axis=1)
                ax.fill_between(t, lo, hi, color=color, alpha=0.2, lw=0)
                ax.plot(t, med, color=color, lw=2, label=f"{label} (median, 5–95 %, n={values.shape[1]})")
    ax_g.axhspan(70, 140, color="0.92", zorder=0)
    ax_g.axhline(200, color="0.6", ls=":", lw=1)
    ax_g.text(0.995, 140, "70–140 mg/dL ", transform=ax_g.get_yaxis_transform(), ha="right", va="top",
              fontsize=7, color="0.45")
    ax_g.text(0.995, 200, "200 mg/dL: diabetic 2-h OGTT ", transform=ax_g.get_yaxis_transform(), ha="right",
              va="bottom", fontsize=7, color="0.45")
    ax_g.set_ylabel("plasma glucose (mg/dL)")
    ax_i.set_ylabel("plasma insulin (pmol/L)")
    ax_i.set_xlabel(f"time ({tunit})")
    for ax, factor, unit in ((ax_g, float(glucose_mg_dl_to_mmol_l(1.0)), "mmol/L"),
                             (ax_i, float(insulin_pmol_l_to_uU_ml(1.0)), "µU/mL")):
        sec = ax.secondary_yaxis("right", functions=(lambda x, f=factor: x * f, lambda x, f=factor: x / f))
        sec.set_ylabel(unit)
        ax.grid(alpha=0.3)
    proto = result.protocol
    for d in proto.doses:
        for ax in (ax_g, ax_i):
            ax.axvline(d.time_min / scale, color="0.5", lw=0.8, ls="--")
        ax_g.annotate(d.label, (d.time_min / scale, 1.0), xycoords=("data", "axes fraction"), rotation=90,
                      va="top", ha="right", fontsize=8, color="0.3")
    for inf in proto.infusions:
        ax_i.axvspan(inf.start_min / scale, min(inf.stop_min, proto.duration_min) / scale, color="C2", alpha=0.06)
    ax_g.legend(loc="best", fontsize=9)
    ax_g.set_title(title or f"{result.model.description}: {proto.description}", fontsize=10)
    if path is not None:
        fig.savefig(Path(path), dpi=120)
        plt.close(fig)
    return fig
