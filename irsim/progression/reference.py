"""Brute-force reference for the multi-rate course: the same slow β-cell ODEs integrated minute by
minute, coupled to the integrated model through days of meals (:class:`~.slow.SlowBetaCell`).

Costs a minute-level simulation of every day, so it serves to measure the multi-rate error over
weeks (docs/progression.md), not to run courses. Body fat is left out: its energy balance does not
read the fast model except through glucosuria, which moves weight by grams in a month.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from irsim.core.model import Model
from irsim.progression import slow
from irsim.progression.course import _Course, _solver


def coupled_model() -> Model:
    """The integrated model with the slow β-cell states as minute-scale states."""
    from irsim.models.integrated import integrated

    base = integrated()
    return Model("integrated+slow_beta_cell", [*base.blocks, slow.SlowBetaCell()], base.citations,
                 description="integrated model with β-cell mass, function and HbA1c as states (brute force)",
                 rules=base.rules)


def brute_force(params: Mapping[str, float], days: int) -> dict[str, np.ndarray]:
    """β-cell mass, function and HbA1c after ``days`` of daily life, integrated minute by minute from
    the same start as :func:`~irsim.progression.course.simulate_course` (one patient or more)."""
    from irsim.protocols import DailyLife
    from irsim.simulation import Simulation

    course = _Course(params, days / 365.25, (), 28.0)  # the start: F_cap, day-mean glucose, HbA1c
    drivers = {**course.params, **course.p, "beta_function_capacity": course.capacity,
               "glucose_day_mean_start": course.averages["glucose"]}
    model = coupled_model()
    r = Simulation(model, None, DailyLife(days), overrides=drivers, solver=_solver(model)).solve(
        step_min=1440.0, variables=["mass_slow", "function_slow", "hba1c_slow"])
    return {"beta_cell_mass": r["mass_slow"][-1], "beta_cell_function": r["function_slow"][-1],
            "hba1c_pct": r["hba1c_slow"][-1]}
