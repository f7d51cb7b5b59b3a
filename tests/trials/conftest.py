"""A stand-in for the progression engine (irsim.progression.course, irsim.interventions), for trial tests only.

It has the interface's signature and columns and is deterministic and fast: fasting glucose starts
from the β-cell capacity and adiposity and drifts up by a rate that interventions scale down. It
is not physiology; it lets the trial machinery (sampling, randomisation, parts, resume, statistics,
report) be tested without the years-long engine, which is tested on its own branch.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from irsim.core.parameters import population_size
from irsim.errors import InputError, UnknownNameError

#: per intervention: multiplier on the yearly glucose drift, fractional weight change after a year
#: at full adherence (the example's lifestyle arm is four: multipliers multiply, weight changes add, each
#: weighted by its adherence)
EFFECTS = {"metformin": (0.7, -0.02), "caloric_restriction": (0.55, -0.06), "exercise": (0.75, -0.01),
           "pioglitazone": (0.3, 0.03)}


@dataclass(frozen=True)
class Visit:
    time_years: float
    tests: tuple[str, ...] = ("fpg", "ogtt", "hba1c")


@dataclass(frozen=True)
class Intervention:
    name: str
    dose: float = 0.0
    start_years: float = 0.0
    stop_years: float = float("inf")
    adherence: float = 1.0


def make(name: str, dose: float = 0.0, *, adherence: float = 1.0, **when) -> Intervention:
    if name not in EFFECTS:
        raise UnknownNameError("intervention", name, EFFECTS)
    return Intervention(name, float(dose), adherence=float(adherence))


def parse(text: str) -> Intervention:
    """``name[:dose][@start-stop][,adherence=A]``; the time window is ignored (the stand-in has no time course)."""
    head, _, options = text.partition(",")
    name, _, dose = head.partition("@")[0].partition(":")
    adherence = float(options.partition("=")[2]) if options else 1.0
    try:
        return make(name, float(dose) if dose else 0.0, adherence=adherence)
    except ValueError:
        raise InputError(f"intervention {name} dose", dose, reason="not a number") from None


CALLS: list[int] = []  # patients per simulate_course call, to see what a resumed run recomputes


def simulate_course(params, years, interventions=(), visits=None, *, cycle_days=28.0, progress=None):
    n = population_size(params)
    CALLS.append(n)
    value = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in params.items()}
    capacity = value["beta_cell_mass"] * value["beta_cell_function"] * value["genetic_tcf7l2"]
    adiposity = value["total_fat_kg"] / value["BW"]
    fpg0 = 88.0 + 25.0 * adiposity + 12.0 / np.sqrt(capacity)
    drift, weight_change = np.full(n, 6.0) / np.sqrt(capacity), np.zeros(n)
    for item in interventions:
        slow, weight = EFFECTS[item.name]
        drift, weight_change = drift * slow ** item.adherence, weight_change + weight * item.adherence
    rows = []
    for visit in visits or [Visit(0.0), Visit(float(years))]:
        t = visit.time_years
        fpg = fpg0 + drift * t
        measured = {
            "fasting_glucose_mg_dl": fpg if "fpg" in visit.tests or "ogtt" in visit.tests else np.nan,
            "glucose_2h_mg_dl": 1.5 * fpg if "ogtt" in visit.tests else np.nan,
            "hba1c_pct": (1.05 * fpg + 46.7) / 28.7 if "hba1c" in visit.tests else np.nan,
        }
        frame = pd.DataFrame({"patient": np.arange(n), "time_years": t, **measured})
        frame["fasting_insulin_pmol_l"] = 60.0 * value["BW"] / 80.0
        frame["homa1_ir"] = fpg * frame["fasting_insulin_pmol_l"] / 6.0 / 405.0
        frame["weight_kg"] = value["BW"] * (1.0 + weight_change * min(t, 1.0))
        frame["bmi_kg_m2"] = np.nan
        frame["beta_cell_mass"], frame["beta_cell_function"] = value["beta_cell_mass"], value["beta_cell_function"]
        diabetes = (frame.fasting_glucose_mg_dl >= 126) | (frame.glucose_2h_mg_dl >= 200) | (frame.hba1c_pct >= 6.5)
        pre = (frame.fasting_glucose_mg_dl >= 100) | (frame.glucose_2h_mg_dl >= 140) | (frame.hba1c_pct >= 5.7)
        frame["ada_category"] = np.where(diabetes, "diabetes", np.where(pre, "prediabetes", "normal"))
        rows.append(frame)
    return pd.concat(rows, ignore_index=True)


@pytest.fixture
def standin(monkeypatch):
    """Install the stand-in as irsim.progression.course and irsim.interventions for one test."""
    progression = types.ModuleType("irsim.progression")
    course = types.ModuleType("irsim.progression.course")
    course.Visit, course.simulate_course = Visit, simulate_course
    progression.course = course
    interventions = types.ModuleType("irsim.interventions")
    interventions.make, interventions.parse, interventions.INTERVENTIONS = make, parse, EFFECTS
    for name, module in (("irsim.progression", progression), ("irsim.progression.course", course),
                         ("irsim.interventions", interventions)):
        monkeypatch.setitem(sys.modules, name, module)
    CALLS.clear()
    return CALLS
