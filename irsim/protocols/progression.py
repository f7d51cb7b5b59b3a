"""Progression over days to years: the slow states (β-cell mass, HbA1c, body weight) evolve under
a sustained change of lifestyle, or none.

irsim's clock stays in minutes; this protocol only lifts the one-year plausibility bound of
minute-scale protocols and counts its duration in days. Sample the result daily or coarser
(``solve(step_min=MIN_PER_DAY)``): the slow models it is meant for describe fasting or
day-averaged levels, not meal excursions.
"""

from __future__ import annotations

from irsim.errors import InputError
from irsim.protocols.base import Infusion, Protocol, check_positive
from irsim.units import MIN_PER_DAY

#: a human lifetime: longer horizons are almost surely a unit mistake (minutes typed as days)
MAX_PROGRESSION_DAYS = 100 * 365.25
#: plausibility bounds of sustained lifestyle changes: ±3000 kcal/day of intake (a very-low-calorie
#: diet cuts ~1500–2000), 150 MET-h/week of added exercise (~20 h/week of running)
MAX_INTAKE_CHANGE_KCAL_DAY = 3000.0
MAX_EXERCISE_MET_H_WEEK = 150.0


def Progression(days: float = 365.25, intake_change_kcal_day: float = 0.0, exercise_met_h_week: float = 0.0
                ) -> Protocol:
    """``days`` of progression (default one year), optionally with a sustained change of energy
    intake (kcal/day, negative for a diet) and added exercise (MET-h/week) from day 0."""
    span = check_positive("days", days, "days", upper=MAX_PROGRESSION_DAYS)
    try:
        intake = float(intake_change_kcal_day)
    except (TypeError, ValueError):
        raise InputError("intake_change_kcal_day", intake_change_kcal_day, unit="kcal/day",
                         reason="not a number") from None
    if not abs(intake) <= MAX_INTAKE_CHANGE_KCAL_DAY:  # also refuses NaN
        raise InputError("intake_change_kcal_day", intake, unit="kcal/day",
                         allowed=f"-{MAX_INTAKE_CHANGE_KCAL_DAY:g} to {MAX_INTAKE_CHANGE_KCAL_DAY:g} kcal/day")
    exercise = check_positive("exercise_met_h_week", exercise_met_h_week, "MET-h/week", allow_zero=True,
                              upper=MAX_EXERCISE_MET_H_WEEK)
    changes = (("intake_change", intake, f"intake {intake:+g} kcal/day"),
               ("exercise", exercise, f"exercise {exercise:g} MET-h/week"))
    infusions = tuple(Infusion(0.0, span * MIN_PER_DAY, name, rate, label) for name, rate, label in changes if rate)
    text = "; ".join([f"{span:g} days of progression", *(i.label for i in infusions)])
    return Protocol("progression", text, span * MIN_PER_DAY, infusions=infusions,
                    settings={"days": span, "intake_change_kcal_day": intake, "exercise_met_h_week": exercise},
                    max_duration_min=MAX_PROGRESSION_DAYS * MIN_PER_DAY)
