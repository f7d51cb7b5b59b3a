"""Ha, Satin & Sherman 2016: the pathogenesis of type 2 diabetes as slow adaptation of β-cell
function (σ, γ) and mass (β) to insulin resistance that worsens over years.

Parameter sets: ``progressor`` (the paper's Figure 7 human: SI falls from 0.8 towards 0.18
mL/µU/day with rate 0.00756/day, without intervention) and ``stable`` (the same subject whose
insulin sensitivity stays at 0.8). Both start at the steady state of their initial SI; run them
with :func:`irsim.protocols.Progression`.
"""

from __future__ import annotations

from irsim.core.model import Model
from irsim.core.parameters import ParameterSet
from irsim.physiology.beta_cell_adaptation import BetaCellAdaptation, HaGlucoseInsulin, InsulinResistanceProgression

NAME = "ha-2016"


def ha_2016() -> Model:
    return Model(NAME, [InsulinResistanceProgression(), HaGlucoseInsulin(), BetaCellAdaptation()], ("Ha2016",),
                 description="Ha, Satin & Sherman 2016 β-cell function and mass over years (time scale: years)")


PROGRESSOR = ParameterSet("progressor", NAME, "Ha 2016 Fig. 7 human, insulin resistance progressing, no intervention",
                          citations=("Ha2016",))
STABLE = PROGRESSOR.updated("stable", "the same subject with insulin sensitivity held at its start",
                            {"SI_decline_rate": 0.0}, "scenario: no progression of insulin resistance")
PARAMETER_SETS = {s.name: s for s in (PROGRESSOR, STABLE)}
