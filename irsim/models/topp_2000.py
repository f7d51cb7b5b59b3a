"""Topp et al. 2000: β-cell mass, insulin and glucose over months to years (the βIG model).

Parameter sets: ``normal`` (the paper's Table 1, starting at its own physiological steady state,
G = 100 mg/dL, I = 10 µU/mL, β = 300 mg) and ``biomodels`` (the same values started where the
curated SBML BIOMD0000000341 starts, G = 250 mg/dL, I = 2.8 µU/mL, β = 37 mg: just below the
saddle, so the mass recovers slowly). Run them with :func:`irsim.protocols.Progression`.
"""

from __future__ import annotations

from irsim.core.model import Model
from irsim.core.parameters import ParameterSet
from irsim.physiology.beta_cell_mass import BetaCellMass, ToppGlucoseInsulin

NAME = "topp-2000"


def topp_2000() -> Model:
    # the glucose-insulin block first: it guesses the steady-state β-cell mass (see BetaCellMass)
    return Model(NAME, [ToppGlucoseInsulin(), BetaCellMass()], ("Topp2000",),
                 description="Topp 2000 β-cell mass, insulin and glucose (time scale: days to years)")


NORMAL = ParameterSet("normal", NAME, "Topp 2000 Table 1 values, at the physiological steady state",
                      citations=("Topp2000",))
BIOMODELS = ParameterSet(
    "biomodels", NAME, "Topp 2000 Table 1 values from the initial state of BioModels BIOMD0000000341",
    citations=("Topp2000", "BIOMD0000000341"), initial_state={"G": 250.0, "Iuu": 2.8, "beta": 37.0},
)
PARAMETER_SETS = {s.name: s for s in (NORMAL, BIOMODELS)}
