"""Glucose utilisation: insulin-independent (brain, erythrocytes) and insulin-dependent (muscle, fat)."""

from __future__ import annotations

import math

from irsim.core.block import Block, Output, Parameter, Rates, State

T1 = "Dalla Man 2007, Table 1 (normal subject)"


class GlucoseUtilisation(Block):
    """Uii = Fcns; Uid = (Vm0 + Vmx·X)·Gt / (Km0 + Gt), with remote insulin action X.

    X is interstitial insulin above its basal value, following plasma insulin with rate p2U: the
    peripheral insulin action that insulin resistance blunts (low Vmx). ``Ib`` is the subject's own
    fasting insulin (set by the steady state). ``uptake_scale`` multiplies Uid; it is 1 in the paper
    and 0.8 in the curated BioModels encoding (its ``part = 0.2``).
    """

    name = "utilisation"
    states = (State("X", "pmol/L", "insulin in the interstitial fluid, above basal", lower=-math.inf),)
    parameters = (
        Parameter("Fcns", 1.0, "mg/kg/min", "insulin-independent utilisation (brain, erythrocytes)", T1, 0.0, 10.0),
        Parameter("Vm0", 2.50, "mg/kg/min", "basal maximal insulin-dependent utilisation", T1, 0.0, 50.0),
        Parameter("Vmx", 0.047, "mg/kg/min per pmol/L", "insulin action on maximal utilisation", T1, 0.0, 5.0),
        Parameter("Km0", 225.59, "mg/kg", "Michaelis constant of insulin-dependent utilisation", T1, 1.0, 5000.0),
        Parameter("p2U", 0.0331, "1/min", "rate constant of remote insulin action", T1, 1e-5, 1.0),
        Parameter("Ib", 25.56, "pmol/L", "basal plasma insulin (the subject's fasting value)",
                  "steady state of Dalla Man 2007 eqs. 4-9 with Table 1 values", 0.0, 5000.0),
    )
    reads = ("Gt", "I")
    outputs = (
        Output("Uii", "mg/kg/min", "insulin-independent glucose utilisation"),
        Output("Uid", "mg/kg/min", "insulin-dependent glucose utilisation"),
        Output("U", "mg/kg/min", "total glucose utilisation"),
    )
    basal = {"Ib": "I"}
    citations = ("DallaMan2007",)

    def __init__(self, uptake_scale: float = 1.0):
        self.uptake_scale = uptake_scale

    def rates(self, v, xp):
        vm = self.uptake_scale * (v["Vm0"] + v["Vmx"] * v["X"])
        uid = vm * v["Gt"] / (v["Km0"] + v["Gt"])
        uii = v["Fcns"] + 0.0 * uid
        return Rates({"X": -v["p2U"] * v["X"] + v["p2U"] * (v["I"] - v["Ib"])}, {"Uii": uii, "Uid": uid, "U": uii + uid})
