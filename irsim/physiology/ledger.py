"""Running totals of every glucose flux, so that mass balance can be checked to solver precision.

Each total is a quadrature state (d total/dt = flux, from 0 at the start of a run); the
steady-state solver leaves them alone (``memory``). Stores change by exactly
production + appearance + infusion − utilisation − excretion: ``Gp + Gt − (Gp + Gt)(0)`` equals
``EGP_total + Ra_total + infused_total − U_total − E_total`` up to the integrator's tolerance.
The totals have no physiological floor (``lower`` −∞): their fluxes are what is physiological, and a
total that starts from 0 may dip by a step's error, as Dormand–Prince weighs one stage negatively
(E_total reached −1.5e-6 mg/kg when glucosuria began during an OGTT).
"""

from __future__ import annotations

import math

from irsim.core.block import Block, Rates, State


class GlucoseLedger(Block):
    name = "glucose_ledger"
    states = (
        State("EGP_total", "mg/kg", "endogenous glucose produced since the start", memory=True, lower=-math.inf),
        State("Ra_total", "mg/kg", "ingested glucose appeared in plasma since the start", memory=True,
              lower=-math.inf),
        State("infused_total", "mg/kg", "glucose infused intravenously since the start (boluses excluded)",
              memory=True, lower=-math.inf),
        State("U_total", "mg/kg", "glucose utilised since the start", memory=True, lower=-math.inf),
        State("E_total", "mg/kg", "glucose excreted in urine since the start", memory=True, lower=-math.inf),
    )
    reads = ("EGP", "Ra", "glucose_infusion", "U", "E")

    def rates(self, v, xp):
        return Rates({"EGP_total": v["EGP"], "Ra_total": v["Ra"], "infused_total": v["glucose_infusion"],
                      "U_total": v["U"], "E_total": v["E"]})
