"""Renal glucose excretion above the renal threshold (Dalla Man 2007, eq. 27)."""

from __future__ import annotations

from irsim.core.block import Block, Output, Parameter, Rates

T1 = "Dalla Man 2007, Table 1"


class RenalExcretion(Block):
    """Glucosuria: linear in plasma glucose mass above a threshold ke2 (≈180 mg/dL for VG 1.88).

    ``enabled=False`` removes it, as the curated BioModels encoding does (E fixed at 0).
    """

    name = "kidney"
    parameters = (
        Parameter("ke1", 0.0005, "1/min", "glomerular filtration rate constant", T1, 0.0, 1.0),
        Parameter("ke2", 339.0, "mg/kg", "renal threshold of glucose", T1, 0.0, 5000.0),
    )
    reads = ("Gp",)
    outputs = (Output("E", "mg/kg/min", "renal glucose excretion"),)
    citations = ("DallaMan2007",)

    def __init__(self, enabled: bool = True):
        self.enabled = enabled

    def rates(self, v, xp):
        if not self.enabled:  # a structural option, fixed when the model is built
            return Rates({}, {"E": 0.0 * v["Gp"]})
        return Rates({}, {"E": v["ke1"] * xp.maximum(v["Gp"] - v["ke2"], 0.0)})
