"""irsim — a mechanistic simulator of insulin resistance and type 2 diabetes.

    from irsim import Simulation, OGTT
    result = Simulation("dalla-man-2007", "t2d", OGTT(glucose_g=75)).solve()
    result.summary(); result.plot("ogtt.png"); result.to_csv("ogtt.csv")

What this module exports is the public API's core: the facade (``Simulation``, ``simulate``,
``Result``), parameter sets and population variation, the ready-made protocols, and the errors
every deliberate failure derives from. docs/api.md lists it, with the analysis and import
functions, by signature; a test keeps that page equal to the code.
"""

from irsim.core.parameters import ParameterSet, Variation
from irsim.errors import InputError, IrsimError, SolverError, UnknownNameError
from irsim.protocols import IVGTT, OGTT, Clamp, DailyLife, Fasting, Meal, Protocol
from irsim.result import Result
from irsim.simulation import Simulation, simulate

__version__ = "0.1.0"  # `irsim --version`; a test keeps it equal to pyproject.toml

__all__ = ["Simulation", "simulate", "Result", "ParameterSet", "Variation", "Protocol", "Fasting", "OGTT", "Meal",
           "DailyLife", "IVGTT", "Clamp", "IrsimError", "InputError", "SolverError", "UnknownNameError"]
