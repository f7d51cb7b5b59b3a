"""β-cell insulin secretion: static (glucose level) and dynamic (glucose rate of rise) components."""

from __future__ import annotations

import math

from irsim.core.block import Block, Output, Parameter, Rates, State

T1 = "Dalla Man 2007, Table 1 (normal subject)"


class BetaCellSecretion(Block):
    """Portal insulin Ipo and the provision of new insulin Y (Dalla Man 2007, eqs. 23-26).

    Spo = Y + K·max(dG/dt, 0) + Sb: the derivative term is the first phase, released only while
    glucose rises; Y, which follows β·(G − Gb) with rate α, is the second phase. Below the threshold
    β(G − Gb) < −Sb, Y decays towards −Sb so that secretion cannot become negative.
    ``positive_derivative=False`` and ``threshold=False`` give the curated BioModels form.
    Gb is the subject's own fasting glucose (set by the steady state).
    """

    name = "beta_cell"
    states = (
        State("Ipo", "pmol/kg", "insulin in the portal vein"),
        State("Y", "pmol/kg/min", "provision of new insulin (second-phase secretion above basal)", lower=-math.inf),
    )
    parameters = (
        Parameter("gamma", 0.5, "1/min", "transfer rate from portal vein to liver", T1, 1e-3, 10.0),
        Parameter("K", 2.30, "pmol/kg per mg/dL", "β-cell responsivity to the glucose rate of change", T1, 0.0, 100.0),
        Parameter("alpha", 0.050, "1/min", "delay of second-phase secretion", T1, 1e-4, 10.0),
        Parameter("beta", 0.11, "pmol/kg/min per mg/dL", "β-cell responsivity to glucose", T1, 0.0, 10.0),
        Parameter("Sb", 1.549, "pmol/kg/min", "basal insulin secretion, (m6 − HEb)/m5",
                  "Dalla Man 2007, eq. 6 with Table 1 m5, m6 and HEb = 0.6", 0.0, 100.0),
        Parameter("Gb", 91.0, "mg/dL", "basal plasma glucose (the subject's fasting value)",
                  "steady state of Dalla Man 2007 with Table 1 values", 10.0, 1000.0),
    )
    reads = ("G", "dGdt", "at_rest")
    outputs = (Output("Spo", "pmol/kg/min", "insulin secretion into the portal vein"),)
    basal = {"Gb": "G"}
    citations = ("DallaMan2007",)

    def __init__(self, positive_derivative: bool = True, threshold: bool = True):
        self.positive_derivative = positive_derivative
        self.threshold = threshold

    def rates(self, v, xp):
        drive = v["beta"] * (v["G"] - v["Gb"])
        if self.threshold:  # structural option
            drive = xp.maximum(drive, -v["Sb"])
        rise = xp.maximum(v["dGdt"], 0.0) if self.positive_derivative else v["dGdt"]
        rise = rise * (1.0 - v["at_rest"])  # zero at steady state anyway; removes the kink for Newton
        spo = v["Y"] + v["K"] * rise + v["Sb"]
        return Rates(
            {"Ipo": -v["gamma"] * v["Ipo"] + spo, "Y": -v["alpha"] * (v["Y"] - drive)},
            {"Spo": spo},
        )

    def initial_guess(self, v):
        return {"Ipo": v["Sb"] / v["gamma"], "Y": 0.0}
