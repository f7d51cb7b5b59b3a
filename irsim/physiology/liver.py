"""Endogenous (hepatic) glucose production, suppressed by glucose, delayed insulin and portal insulin."""

from __future__ import annotations

from irsim.core.block import Block, Output, Parameter, Rates, State

T1 = "Dalla Man 2007, Table 1 (normal subject)"


class EndogenousGlucoseProduction(Block):
    """EGP = kp1 − kp2·Gp − kp3·Id − kp4·Ipo (Dalla Man 2007, eq. 10).

    Id is plasma insulin passed through two first-order delays (rate ki), the slow insulin signal
    that suppresses glycogenolysis and gluconeogenesis; Ipo (portal insulin) carries the fast one.
    The paper constrains EGP ≥ 0 (``floor=True``); the curated BioModels file does not.
    """

    name = "liver"
    states = (
        State("I1", "pmol/L", "first delay compartment of insulin action on the liver"),
        State("Id", "pmol/L", "delayed insulin signal acting on the liver"),
    )
    parameters = (
        Parameter("kp1", 2.70, "mg/kg/min", "extrapolated EGP at zero glucose and insulin", T1, 0.0, 20.0),
        Parameter("kp2", 0.0021, "1/min", "liver glucose effectiveness", T1, 0.0, 1.0),
        Parameter("kp3", 0.009, "mg/kg/min per pmol/L", "suppression of EGP by delayed insulin", T1, 0.0, 1.0),
        Parameter("kp4", 0.0618, "mg/kg/min per pmol/kg", "suppression of EGP by portal insulin", T1, 0.0, 5.0),
        Parameter("ki", 0.0079, "1/min", "rate of the delay between insulin and its hepatic action", T1, 1e-5, 1.0),
    )
    reads = ("Gp", "Ipo", "I")
    outputs = (Output("EGP", "mg/kg/min", "endogenous glucose production"),)
    citations = ("DallaMan2007",)

    def __init__(self, floor: bool = True):
        self.floor = floor

    def rates(self, v, xp):
        egp = v["kp1"] - v["kp2"] * v["Gp"] - v["kp3"] * v["Id"] - v["kp4"] * v["Ipo"]
        if self.floor:  # structural option
            egp = xp.maximum(egp, 0.0)
        return Rates(
            {"I1": -v["ki"] * (v["I1"] - v["I"]), "Id": -v["ki"] * (v["Id"] - v["I1"])},
            {"EGP": egp},
        )

    def initial_guess(self, v):
        return {"I1": 25.0, "Id": 25.0}
