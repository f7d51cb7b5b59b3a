"""irsim — a mechanistic simulator of insulin resistance and type 2 diabetes.

    from irsim import Simulation, OGTT
    result = Simulation("dalla-man-2007", "t2d", OGTT(glucose_g=75)).solve()
    result.summary(); result.plot("ogtt.png"); result.to_csv("ogtt.csv")
"""

from irsim.core.parameters import ParameterSet, Variation
from irsim.errors import InputError, IrsimError, SolverError, UnknownNameError
from irsim.protocols import IVGTT, OGTT, Clamp, DailyLife, Fasting, Meal, Protocol
from irsim.result import Result
from irsim.simulation import Simulation, simulate

__version__ = "0.1.0"

__all__ = ["Simulation", "simulate", "Result", "ParameterSet", "Variation", "Protocol", "Fasting", "OGTT", "Meal",
           "DailyLife", "IVGTT", "Clamp", "IrsimError", "InputError", "SolverError", "UnknownNameError"]
