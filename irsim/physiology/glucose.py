"""Plasma and tissue glucose: the two-compartment glucose kinetics of Dalla Man 2007."""

from __future__ import annotations

from irsim.core.block import Block, Input, Output, Parameter, Rates, State

T1 = "Dalla Man 2007, Table 1 (normal subject)"


class GlucoseKinetics(Block):
    """Glucose mass in plasma/rapidly equilibrating tissues (Gp) and slowly equilibrating tissues (Gt).

    Gp gains endogenous production, meal appearance and any intravenous glucose, and loses
    insulin-independent utilisation (brain, erythrocytes) and renal excretion; Gt loses the
    insulin-dependent utilisation of muscle and adipose tissue.
    """

    name = "glucose"
    states = (
        State("Gp", "mg/kg", "glucose mass in plasma and rapidly equilibrating tissues"),
        State("Gt", "mg/kg", "glucose mass in slowly equilibrating tissues"),
    )
    parameters = (
        Parameter("VG", 1.88, "dL/kg", "distribution volume of glucose", T1, 0.1, 10.0),
        Parameter("k1", 0.065, "1/min", "rate constant from plasma to tissue glucose", T1, 0.0, 10.0),
        Parameter("k2", 0.079, "1/min", "rate constant from tissue to plasma glucose", T1, 0.0, 10.0),
    )
    reads = ("EGP", "Ra", "Uii", "Uid", "E", "glucose_infusion")
    inputs = (Input("glucose_infusion", "mg/kg/min", "intravenous glucose infusion rate"),)
    outputs = (
        Output("G", "mg/dL", "plasma glucose concentration"),
        Output("dGdt", "mg/dL/min", "rate of change of plasma glucose"),
    )
    doses = ("iv_glucose_mg_kg",)
    citations = ("DallaMan2007",)

    def rates(self, v, xp):
        dgp = v["EGP"] + v["Ra"] + v["glucose_infusion"] - v["Uii"] - v["E"] - v["k1"] * v["Gp"] + v["k2"] * v["Gt"]
        dgt = -v["Uid"] + v["k1"] * v["Gp"] - v["k2"] * v["Gt"]
        return Rates({"Gp": dgp, "Gt": dgt}, {"G": v["Gp"] / v["VG"], "dGdt": dgp / v["VG"]})

    def apply_dose(self, kind, amount, v):
        return {"Gp": v["Gp"] + amount}

    def initial_guess(self, v):
        gp = 95.0 * v["VG"]
        return {"Gp": gp, "Gt": v["k1"] * gp / v["k2"] * 0.8}
