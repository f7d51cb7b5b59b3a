"""Insulin kinetics in liver and plasma, with hepatic extraction that falls as secretion rises."""

from __future__ import annotations

from irsim.core.block import Block, Input, Output, Parameter, Rates, State

T1 = "Dalla Man 2007, Table 1 (normal subject)"


class InsulinKinetics(Block):
    """Liver (Il) and plasma (Ip) insulin masses (Dalla Man 2007, eqs. 4-8).

    Secretion reaching the liver is S = γ·Ipo, from the portal insulin of the β-cell block.
    Hepatic extraction HE = −m5·S + m6 falls when secretion S rises, so more of a secretory burst
    escapes the liver; m3 = HE·m1/(1 − HE) is the hepatic degradation rate.

    ``extraction_floor`` (documented assumption, not in the paper): HE is a fraction, so it is
    held at ≥ 0. The published linear form goes negative once S > m6/m5 (≈ 21 pmol/kg/min for the
    normal subject: an IV glucose bolus, or a meal of several hundred grams), and a negative m3
    would make the liver *create* insulin (≈ 10 % of the insulin secreted in an FSIGT).
    ``extraction_floor=False`` gives the published form (and the curated BioModels encoding).
    """

    name = "insulin"
    states = (
        State("Il", "pmol/kg", "insulin mass in the liver"),
        State("Ip", "pmol/kg", "insulin mass in plasma"),
    )
    parameters = (
        Parameter("VI", 0.05, "L/kg", "distribution volume of insulin", T1, 0.005, 1.0),
        Parameter("m1", 0.190, "1/min", "rate constant from liver to plasma insulin", T1, 0.0, 10.0),
        Parameter("m2", 0.484, "1/min", "rate constant from plasma to liver insulin", T1, 0.0, 10.0),
        Parameter("m4", 0.194, "1/min", "peripheral insulin degradation rate", T1, 0.0, 10.0),
        Parameter("m5", 0.0304, "min·kg/pmol", "fall of hepatic extraction per unit secretion", T1, -1.0, 1.0),
        Parameter("m6", 0.6471, "1", "hepatic extraction at zero secretion", T1, 0.0, 0.99),
    )
    reads = ("Ipo", "gamma", "insulin_infusion")
    inputs = (Input("insulin_infusion", "pmol/kg/min", "intravenous insulin infusion rate"),)
    outputs = (
        Output("I", "pmol/L", "plasma insulin concentration"),
        Output("HE", "fraction", "hepatic insulin extraction (fraction of the insulin reaching the liver)"),
        Output("S", "pmol/kg/min", "insulin secretion reaching the liver from the portal vein"),
    )
    doses = ("iv_insulin_pmol_kg",)
    citations = ("DallaMan2007",)

    def __init__(self, extraction_floor: bool = True):
        self.extraction_floor = extraction_floor

    def rates(self, v, xp):
        secretion = v["gamma"] * v["Ipo"]
        he = -v["m5"] * secretion + v["m6"]
        if self.extraction_floor:  # structural option
            he = xp.maximum(he, 0.0)
        m3 = he * v["m1"] / (1.0 - he)
        dil = -(v["m1"] + m3) * v["Il"] + v["m2"] * v["Ip"] + secretion
        dip = -(v["m2"] + v["m4"]) * v["Ip"] + v["m1"] * v["Il"] + v["insulin_infusion"]
        return Rates({"Il": dil, "Ip": dip}, {"I": v["Ip"] / v["VI"], "HE": he, "S": secretion})

    def apply_dose(self, kind, amount, v):
        return {"Ip": v["Ip"] + amount}

    def initial_guess(self, v):
        ip = 25.0 * v["VI"]
        return {"Ip": ip, "Il": (v["m2"] + v["m4"]) * ip / v["m1"]}
