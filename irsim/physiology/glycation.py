"""HbA1c as a slow state that follows mean glucose through red-cell turnover.

The steady-state relation is the ADAG regression (Nathan et al. 2008, Diabetes Care 31:1473):
estimated average glucose eAG = 28.7·A1c − 46.7 mg/dL, so a sustained mean glucose G gives
A1c∞ = (G + 46.7)/28.7 %. The approach to it is first order,

    dA1c/dt = (A1c∞(G) − A1c)/τ,

a documented simplification of red-cell kinetics: cells live ~120 days and glycate in proportion to
the glucose they meet, so recent weeks weigh most. Tahara & Shima 1995 (Diabetes Care 18:440)
found the last 30 days carry ~50 % of HbA1c, days 30–60 ~25 % and days 60–120 ~25 %; an
exponential memory with half-life 30 days (τ = 30/ln 2 = 43.3 days) gives 50 %, 25 %, 19 % (and 6 %
older than 120 days). A step in glucose is thus 90 % expressed after ~100 days, as clinical
practice assumes (HbA1c reflects the last 2–3 months). Because A1c∞ is affine in G, the filter of
minute-by-minute glucose equals the filter of its daily mean: the block may read any glucose.
"""

from __future__ import annotations

from irsim.core.block import Block, Parameter, Rates, State
from irsim.units import MIN_PER_DAY

ADAG = "Nathan et al. 2008 (ADAG), eAG = 28.7·A1c − 46.7 mg/dL"
ADAG_SLOPE, ADAG_INTERCEPT = 28.7, 46.7  # mg/dL per %, mg/dL


def adag_hba1c(mean_glucose, slope=ADAG_SLOPE, intercept=ADAG_INTERCEPT):
    """HbA1c (%) that a sustained mean glucose (mg/dL) leads to: the ADAG relation, read backwards.
    The one place irsim computes it (summaries of daily life, the slow state, progression)."""
    return (mean_glucose + intercept) / slope


class Glycation(Block):
    """HbA1c (%) relaxing towards the ADAG value of the glucose it reads."""

    name = "glycation"
    states = (State("HbA1c", "%", "glycated haemoglobin A1c (NGSP)"),)
    parameters = (
        Parameter("adag_slope", ADAG_SLOPE, "mg/dL/%", "ADAG slope of average glucose on HbA1c", ADAG, 1.0, 100.0),
        Parameter("adag_intercept", ADAG_INTERCEPT, "mg/dL", "ADAG intercept (subtracted)", ADAG, 0.0, 200.0),
        Parameter("tau_A1c", 43.3, "day", "time constant of HbA1c after a step in mean glucose",
                  "half-life 30 days: Tahara & Shima 1995, weights of preceding glucose (see module)", 1.0, 365.0),
    )
    reads = ("G",)
    citations = ("Nathan2008", "TaharaShima1995")

    def rates(self, v, xp):
        target = adag_hba1c(v["G"], v["adag_slope"], v["adag_intercept"])
        return Rates({"HbA1c": (target - v["HbA1c"]) / (v["tau_A1c"] * MIN_PER_DAY)})

    def initial_guess(self, v):
        return {"HbA1c": adag_hba1c(v.get("G", 100.0), v["adag_slope"], v["adag_intercept"])}
