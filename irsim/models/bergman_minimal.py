"""Bergman's minimal model (glucose: Bergman et al. 1979; insulin: Bergman, Phillips & Cobelli 1981).

The model clinical measurement fits to an FSIGT; here it also simulates one, with the parameter
set attributed to the classic Pacini & Bergman 1986 example.
"""

from __future__ import annotations

from irsim.core.model import Model
from irsim.core.parameters import ParameterSet
from irsim.physiology.minimal_model import MinimalModelGlucose, MinimalModelInsulin

NAME = "bergman-minimal"


def bergman_minimal() -> Model:
    return Model(NAME, [MinimalModelGlucose(), MinimalModelInsulin()], ("Bergman1979", "Bergman1981"),
                 description="Bergman minimal model")


PACINI_BERGMAN = ParameterSet(
    "normal", NAME, "The normal subject of the Pacini & Bergman 1986 MINMOD example (parameters as attributed)",
    citations=("PaciniBergman1986",),
)
PARAMETER_SETS = {PACINI_BERGMAN.name: PACINI_BERGMAN}
