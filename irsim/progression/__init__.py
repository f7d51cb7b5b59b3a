"""Years of progression on the integrated model: the multi-rate course (:mod:`.course`) and its slow
states (:mod:`.slow`)."""

from irsim.progression.course import Visit, cycle_count, diagnosis_year, simulate_course, yearly_visits

__all__ = ["Visit", "cycle_count", "diagnosis_year", "simulate_course", "yearly_visits"]
