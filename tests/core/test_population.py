"""One code path for one patient or many: a population's nominal patient equals the single run."""

import numpy as np
import pytest

from irsim import InputError, Meal, Simulation, Variation
from irsim.errors import UnknownNameError


def test_patient_0_of_1000_equals_the_single_patient_run():
    """Issue requirement: 1,000 patients in one batched call; patient 0 (nominal) equals the single run to 1e-9."""
    meal = Meal(78.0)
    single = Simulation("dalla-man-2007", "normal", meal).solve(variables=["G", "I"])
    pop = Simulation("dalla-man-2007", "normal", meal,
                     variation=Variation(1000, {"Vmx": 0.3, "kp3": 0.3}, seed=1)).solve(variables=["G", "I"])
    assert pop.n_patients == 1000
    for key in ("G", "I"):
        np.testing.assert_allclose(pop[key][:, 0], single[key][:, 0], rtol=1e-9, atol=0)
    assert np.ptp(pop.params["Vmx"]) > 0.2 * 0.047  # the others really vary
    assert np.all(np.isfinite(pop["G"]))


def test_variation_is_uniform_within_the_fraction_and_reproducible():
    a = Simulation("dalla-man-2007", "normal", Meal(), variation=Variation(500, {"Vmx": 0.3}, seed=7))
    b = Simulation("dalla-man-2007", "normal", Meal(), variation=Variation(500, {"Vmx": 0.3}, seed=7))
    np.testing.assert_array_equal(a.params["Vmx"], b.params["Vmx"])
    ratio = a.params["Vmx"] / 0.047
    assert ratio.min() >= 0.7 and ratio.max() <= 1.3 and ratio.std() > 0.1


@pytest.mark.parametrize("frac", [-0.1, 1.0, float("nan")])
def test_bad_fraction_is_refused(frac):
    with pytest.raises(InputError, match="vary Vmx"):
        Variation(10, {"Vmx": frac})


def test_unknown_parameter_suggests_the_near_miss():
    with pytest.raises(UnknownNameError, match="did you mean 'Vmx'"):
        Simulation("dalla-man-2007", "normal", Meal(), overrides={"Vmxx": 0.03})


def test_out_of_range_parameter_names_field_unit_and_range():
    with pytest.raises(InputError, match=r"VG = -1(\.0)? dL/kg.*allowed: 0.1 to 10 dL/kg"):
        Simulation("dalla-man-2007", "normal", Meal(), overrides={"VG": -1.0})


def test_basal_values_cannot_be_typed_in():
    with pytest.raises(InputError, match="Gb"):
        Simulation("dalla-man-2007", "normal", Meal(), overrides={"Gb": 100.0})


def test_a_patient_without_steady_state_is_named_by_its_population_index():
    """No glucose production at all (kp1 = 0) leaves no fasting state: the error names patient 7
    of the population, even though it is solved in the second chunk."""
    from irsim.errors import SteadyStateError

    kp1 = np.full(10, 2.7)
    kp1[7] = 0.0
    sim = Simulation("dalla-man-2007", "normal", Meal(), overrides={"kp1": kp1}, variation=Variation(10, {}, seed=0))
    with pytest.raises(SteadyStateError, match=r"patient 7; t = 0 min") as info:
        sim.solve(chunk_size=4)
    assert info.value.patients == [7]


def test_a_solver_failure_names_the_patients_and_the_time():
    from irsim.errors import SolverError
    from irsim.solvers import BatchedDormandPrince

    sim = Simulation("dalla-man-2007", "normal", Meal(), variation=Variation(3, {"Vmx": 0.3}, seed=0),
                     solver=BatchedDormandPrince(max_steps=5, engine="numpy"))
    with pytest.raises(SolverError, match=r"more than 5 steps \(patient 0, 1, 2; t = [0-9.]+ min\)") as info:
        sim.solve()
    assert 0 < info.value.time_min < 1


def test_a_protocol_the_model_cannot_receive_is_refused_before_any_work():
    from irsim import OGTT

    with pytest.raises(InputError, match="oral_glucose_mg, which model bergman-minimal cannot receive"):
        Simulation("bergman-minimal", "normal", OGTT())


def test_a_dose_given_per_patient_follows_each_patient_into_its_chunk():
    """A dose amount may be an array over the population (a course scales each patient's meals): split into
    chunks, each patient still gets its own amount, so the result does not depend on the chunking."""
    from dataclasses import replace

    carbs = np.linspace(20.0, 100.0, 600)
    meal = Meal(78.0)
    meal = replace(meal, doses=tuple(replace(d, amount=d.amount / 78.0 * carbs) for d in meal.doses))
    sim = Simulation("dalla-man-2007", "normal", meal, variation=Variation(600, {"Vmx": 0.2}, seed=2))
    whole = sim.solve(variables=["G"], chunk_size=4096, workers=1)
    chunked = sim.solve(variables=["G"], chunk_size=150, workers=2)
    np.testing.assert_allclose(chunked["G"], whole["G"], rtol=1e-9)
    assert np.all(np.diff(whole["G"].max(axis=0)[::100]) > 0)  # more carbohydrate, higher peak
