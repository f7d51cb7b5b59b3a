"""What makes a course fast changes none of its numbers: the representative day integrated from the first
meal (the night is the fasting steady state) against a whole day from midnight, and the compiled
steady state of one patient against the NumPy one."""

from dataclasses import replace

import numpy as np
import pytest

from irsim.core import steady_state
from irsim.core.parameters import resolve
from irsim.interventions import make
from irsim.models import get_model
from irsim.patients import get_patient
from irsim.progression.course import _SAMPLE_MIN, _Course
from irsim.protocols import DailyLife
from irsim.simulation import Simulation


def _population():
    """The lean reference, igt and t2d presets as one population of three."""
    model = get_model("integrated")
    presets = [resolve(model, None, get_patient(name).parameter_set.values) for name in ("healthy_lean", "igt", "t2d")]
    return {k: np.array([p[k] for p in presets]) for k in get_patient("t2d").parameter_set.values}


@pytest.mark.parametrize("interventions", [(), (make("caloric_restriction", 500), make("metformin", 2000))])
def test_the_representative_day_equals_a_whole_day_integrated_from_midnight(interventions):
    course = _Course(_population(), 1.0, interventions, 28.0)
    shortcut = course._representative_day(0.5)
    drivers, inputs = course._drivers(0.5)
    day = DailyLife(1)
    portion = np.clip(1.0 + inputs["intake_change_kcal_day"] / course.intake, 0.2, 3.0)
    day = replace(day, doses=tuple(replace(d, amount=d.amount * portion) for d in day.doses))
    whole = Simulation(course.model, None, day, overrides=drivers).solve(step_min=_SAMPLE_MIN, variables=["G", "E"])
    mean_glucose, glucosuria = whole["G"][:-1].mean(axis=0), whole["E"][:-1].mean(axis=0)
    assert np.ptp(mean_glucose) > 20.0  # lean to T2D: the check covers different days
    np.testing.assert_allclose(shortcut["glucose"], mean_glucose, rtol=1e-4)
    np.testing.assert_allclose(shortcut["glucosuria"], glucosuria, rtol=1e-3, atol=1e-6 * glucosuria.max())


def test_under_basal_insulin_the_day_after_its_lead_in_day_is_averaged_as_before():
    """Basal insulin starts at midnight: nothing is skipped, and the second day is the one averaged."""
    course = _Course(_population(), 1.0, (make("basal_insulin", 20),), 28.0)
    shortcut = course._representative_day(0.5)
    r, insulin = course._simulate(DailyLife(2), 0.5, True, ["G", "E"])
    second = (r.time_min >= 1440.0) & (r.time_min < 2880.0)
    assert insulin
    np.testing.assert_allclose(shortcut["glucose"], r["G"][second].mean(axis=0), rtol=1e-12)


def test_one_patients_compiled_steady_state_is_the_numpy_one():
    course = _Course(get_patient("t2d").parameter_set.values, 1.0, (), 28.0)
    if not steady_state._compiled_ready(course.model, 1, 1):
        pytest.skip("no compiled steady-state kernel yet (no C compiler, and numba's compiles in the background)")
    params = resolve(course.model, None, course._drivers(0.0)[0])
    y0 = course.model.initial_guess(params, (1,))
    y_numpy, unsolved_numpy = steady_state._newton_numpy(course.model, params, y0.copy(), 1e-11, 60)
    y_compiled, unsolved_compiled = steady_state._newton_compiled(course.model, params, y0.copy(), 1e-11, 60)
    assert unsolved_numpy.size == unsolved_compiled.size == 0
    np.testing.assert_allclose(y_compiled, y_numpy, rtol=1e-9, atol=1e-12)
