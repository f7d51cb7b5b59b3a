"""Assembled models and their parameter sets, by registry name."""

from __future__ import annotations

from collections.abc import Callable

from irsim.core.model import Model
from irsim.core.parameters import ParameterSet
from irsim.errors import UnknownNameError
from irsim.models import bergman_minimal, brannmark_2013, dalla_man_2007, ha_2016, integrated, topp_2000

MODELS: dict[str, tuple[Callable[[], Model], dict[str, ParameterSet], str]] = {
    "dalla-man-2007": (dalla_man_2007.dalla_man_2007, dalla_man_2007.PARAMETER_SETS,
                       "Dalla Man, Rizza & Cobelli 2007 meal model, as published"),
    "dalla-man-2007-biomodels": (lambda: dalla_man_2007.dalla_man_2007("biomodels"), dalla_man_2007.PARAMETER_SETS,
                                 "the same, structured as the curated SBML BIOMD0000000379"),
    "integrated": (integrated.integrated, integrated.PARAMETER_SETS,
                   "mechanisms of insulin resistance (signalling, liver, adipose, inflammation, lipids, mitochondria, "
                   "adaptive β-cell) on the Dalla Man 2007 whole body"),
    "bergman-minimal": (bergman_minimal.bergman_minimal, bergman_minimal.PARAMETER_SETS,
                        "Bergman minimal model of glucose and insulin (IVGTT)"),
    "topp-2000": (topp_2000.topp_2000, topp_2000.PARAMETER_SETS,
                  "Topp et al. 2000 β-cell mass, insulin and glucose over years (run with Progression)"),
    "ha-2016": (ha_2016.ha_2016, ha_2016.PARAMETER_SETS,
                "Ha, Satin & Sherman 2016 β-cell function and mass under rising insulin resistance (years)"),
    "brannmark-2013": (brannmark_2013.brannmark_2013, brannmark_2013.PARAMETER_SETS,
                       "Brännmark et al. 2013 human adipocyte insulin signalling (normal, T2D)"),
}


def get_model(name: str) -> Model:
    """The model registered as ``name`` (irsim models); suggests the nearest name if unknown."""
    if name not in MODELS:
        raise UnknownNameError("model", name, MODELS)
    return MODELS[name][0]()


def get_parameter_set(model_name: str, set_name: str) -> ParameterSet:
    """A published parameter set (subject) of a model, e.g. ``normal`` or ``t2d``."""
    if model_name not in MODELS:
        raise UnknownNameError("model", model_name, MODELS)
    sets = MODELS[model_name][1]
    if set_name not in sets:
        raise UnknownNameError(f"subject (parameter set) of model {model_name}", set_name, sets)
    return sets[set_name]
