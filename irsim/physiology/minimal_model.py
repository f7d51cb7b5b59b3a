"""Bergman's minimal model: glucose effectiveness, remote insulin action X, and insulin kinetics.

The glucose equations (Bergman et al. 1979) are what clinical measurement fits to an FSIGT, with
measured insulin as a forcing function; :func:`minimal_glucose_rates` is that one shared formula,
used both by these blocks and by :mod:`irsim.analysis.minimal_model_fit`.
Units are the minimal model's own: glucose mg/dL, insulin µU/mL (converted to pmol/L with 6.0 for
reporting), SI per min per µU/mL.
"""

from __future__ import annotations

import math

from irsim.core.block import Block, Input, Output, Parameter, Rates, State
from irsim.units import INSULIN_PMOL_PER_UU

PB86 = "Pacini & Bergman 1986 example FSIGT, as attributed in ../shared/refs/clinical/minimal_model.json"


def minimal_glucose_rates(G, X, I, SG, SI, p2, Gb, Ib):
    """dG/dt and dX/dt of the minimal model: dG = −(SG + X)·G + SG·Gb, dX = −p2·X + p2·SI·(I − Ib)."""
    return -(SG + X) * G + SG * Gb, -p2 * X + p2 * SI * (I - Ib)


class MinimalModelGlucose(Block):
    """Plasma glucose G with glucose effectiveness SG and remote insulin action X (Bergman 1979)."""

    name = "minimal_glucose"
    states = (
        State("G", "mg/dL", "plasma glucose concentration"),
        State("X", "1/min", "remote insulin action on glucose disappearance", lower=-math.inf),
    )
    parameters = (
        Parameter("SG", 0.026, "1/min", "glucose effectiveness", PB86, 0.0, 1.0),
        Parameter("SI", 5.0e-4, "1/min per µU/mL", "insulin sensitivity (p3/p2)", PB86, 0.0, 1.0),
        Parameter("p2", 0.025, "1/min", "rate constant of remote insulin action", PB86, 1e-5, 1.0),
        Parameter("Gb", 92.0, "mg/dL", "basal plasma glucose", PB86, 10.0, 1000.0),
        Parameter("VG", 1.6, "dL/kg", "glucose distribution volume",
                  "implied by the Pacini & Bergman 1986 example: 0.3 g/kg raises glucose from 92 to ≈279 mg/dL",
                  0.1, 10.0),
    )
    reads = ("Iuu", "Ib", "glucose_infusion")
    inputs = (Input("glucose_infusion", "mg/kg/min", "intravenous glucose infusion rate"),)
    doses = ("iv_glucose_mg_kg",)
    citations = ("Bergman1979", "PaciniBergman1986")

    def rates(self, v, xp):
        dg, dx = minimal_glucose_rates(v["G"], v["X"], v["Iuu"], v["SG"], v["SI"], v["p2"], v["Gb"], v["Ib"])
        return Rates({"G": dg + v["glucose_infusion"] / v["VG"], "X": dx})

    def apply_dose(self, kind, amount, v):
        return {"G": v["G"] + amount / v["VG"]}

    def initial_guess(self, v):
        return {"G": v["Gb"], "X": 0.0}


class MinimalModelInsulin(Block):
    """Plasma insulin of the minimal model (Bergman, Phillips & Cobelli 1981).

    dI/dt = −n·(I − Ib) + γ·max(G − h, 0)·t, with t the time since the glucose bolus (t = 0).
    The paper writes −n·I; relaxing towards Ib instead keeps the fasting state steady, and h is
    taken equal to Gb — both documented assumptions, since the fasting state is outside the FSIGT.
    """

    name = "minimal_insulin"
    states = (State("Iuu", "µU/mL", "plasma insulin concentration"),)
    parameters = (
        Parameter("n", 0.29, "1/min", "fractional insulin clearance", PB86, 0.0, 10.0),
        Parameter("gamma_mm", 0.0055, "µU/mL per min² per mg/dL", "second-phase β-cell sensitivity to glucose", PB86, 0.0, 1.0),
        Parameter("Ib", 11.0, "µU/mL", "basal plasma insulin", PB86, 0.0, 1000.0),
        Parameter("VI", 0.05, "L/kg", "insulin distribution volume (for insulin doses)",
                  "Dalla Man 2007, Table 1 (normal subject)", 0.005, 1.0),
    )
    reads = ("G", "Gb", "t")
    outputs = (Output("I", "pmol/L", "plasma insulin concentration"),)
    doses = ("iv_insulin_pmol_kg",)
    citations = ("Bergman1981", "PaciniBergman1986")

    def rates(self, v, xp):
        drive = v["gamma_mm"] * xp.maximum(v["G"] - v["Gb"], 0.0) * xp.maximum(v["t"], 0.0)
        return Rates({"Iuu": -v["n"] * (v["Iuu"] - v["Ib"]) + drive}, {"I": INSULIN_PMOL_PER_UU * v["Iuu"]})

    def apply_dose(self, kind, amount, v):
        return {"Iuu": v["Iuu"] + amount / v["VI"] / INSULIN_PMOL_PER_UU}

    def initial_guess(self, v):
        return {"Iuu": v["Ib"]}
