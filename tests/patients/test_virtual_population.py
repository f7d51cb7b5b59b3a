"""Virtual populations: reproducible per patient, distributions as documented, drivers by the published formulas,
inclusion criteria met by the simulated screening test."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import spearmanr

from irsim.core.parameters import resolve
from irsim.errors import InputError, UnknownNameError
from irsim.models.integrated import DRIVERS, integrated
from irsim.patients.population import (
    CHARACTERISTICS,
    DPP_IGT,
    US_ADULTS,
    InclusionCriteria,
    PopulationSpec,
    driver_values,
    get_population,
    measured_screening,
    screening_test,
)

UNSCREENED = InclusionCriteria()


@pytest.fixture(scope="module")
def adults():
    return US_ADULTS.sample(4000, seed=11)


def test_a_patient_depends_only_on_seed_and_index():
    whole = DPP_IGT.sample(8, seed=3)  # screened: rejection sampling with the OGTT
    parts = pd.concat([DPP_IGT.sample(3, seed=3), DPP_IGT.sample(5, seed=3, first=3)])
    pd.testing.assert_frame_equal(whole, parts)
    assert whole.index.tolist() == list(range(8)) and whole.attempt.max() > 0  # some were redrawn
    other = DPP_IGT.draw(np.arange(8), seed=4)
    assert not np.allclose(other.bmi_kg_m2, DPP_IGT.draw(np.arange(8), seed=3).bmi_kg_m2)


def test_each_patient_is_its_first_passing_candidate():
    """Rounds screen several candidates per patient at once; the result must be rejection sampling one by one."""
    population = DPP_IGT.sample(6, seed=9)
    for patient, accepted in population.attempt.items():
        tried = DPP_IGT.draw(np.full(accepted + 1, patient), seed=9, attempt=np.arange(accepted + 1))
        test = screening_test(tried)
        measured = measured_screening(test, tried["attempt"], seed=9)
        passed = DPP_IGT.criteria.met(pd.concat([t.reset_index(drop=True) for t in (tried, test, measured)], axis=1),
                                      "measured")
        assert passed.tolist() == [False] * accepted + [True]
    assert population.attempt.max() > 0


@pytest.mark.parametrize("screening", ["measured", "model"])
def test_screened_patients_meet_the_criteria_by_their_own_simulated_test(screening):
    population = DPP_IGT.sample(30, seed=5, screening=screening)
    read = "_measured" if screening == "measured" else ""
    assert population[f"fasting_glucose_mg_dl{read}"].between(95, 125).all()
    assert population[f"glucose_2h_mg_dl{read}"].between(140, 199).all()
    assert (population.bmi_kg_m2 >= 24).all() and (population.age_years >= 25).all()
    assert population.attempt.max() > 0  # some candidates were rejected and redrawn
    again = screening_test(population)  # the recorded model values are the patients' own OGTT
    np.testing.assert_allclose(again.to_numpy(), population[again.columns].to_numpy(), rtol=1e-9)
    assert ("glucose_2h_mg_dl_measured" in population) == (screening == "measured")


def test_marginals_follow_the_tables(adults):
    male = adults.sex == 1
    assert male.mean() == pytest.approx(US_ADULTS.male_fraction, abs=0.025)
    # Fryar 2021 means (women, men); truncation at 16–60 moves the BMI mean by < 0.3
    assert adults.bmi_kg_m2[~male].mean() == pytest.approx(29.6, abs=0.6)
    assert adults.bmi_kg_m2[male].mean() == pytest.approx(29.1, abs=0.6)
    assert adults.waist_cm[male].mean() == pytest.approx(102.1, abs=1.0)
    assert adults.height_cm[male].mean() - adults.height_cm[~male].mean() == pytest.approx(13.7, abs=1.0)
    for name in CHARACTERISTICS:
        m = US_ADULTS.marginals[name]
        assert adults[name].between(m.lower, m.upper).all()


def test_the_copula_carries_the_correlations(adults):
    # for a Gaussian copula the rank correlation is (6/π)·asin(r/2)
    for (a, b), r in US_ADULTS.correlations.items():
        expected = 6 / np.pi * np.arcsin(r / 2)
        assert spearmanr(adults[a], adults[b]).statistic == pytest.approx(expected, abs=0.05), (a, b)
    assert abs(spearmanr(adults.age_years, adults.beta_cell_function).statistic) < 0.05  # not correlated


def test_genotypes_follow_hardy_weinberg(adults):
    for allele in US_ADULTS.alleles:
        counts = adults[f"{allele.variant}_alleles"]
        q = allele.frequency
        assert counts.mean() / 2 == pytest.approx(q, abs=0.015)
        assert (counts == 2).mean() == pytest.approx(q * q, abs=0.015)
        np.testing.assert_allclose(adults[allele.driver], allele.fold_per_allele ** counts)


def test_drivers_by_the_published_formulas(adults):
    row = adults.iloc[0]
    assert row.BW == pytest.approx(row.bmi_kg_m2 * (row.height_cm / 100) ** 2)
    fat_percent = 1.2 * row.bmi_kg_m2 + 0.23 * row.age_years - 10.8 * row.sex - 5.4  # Deurenberg 1991
    assert row.total_fat_kg == pytest.approx(row.BW * fat_percent / 100)
    # women carry more fat than men at equal BMI and age; fat rises with age at equal BMI
    assert adults.total_fat_kg[adults.sex == 0].sum() / adults.BW[adults.sex == 0].sum() > \
        adults.total_fat_kg[adults.sex == 1].sum() / adults.BW[adults.sex == 1].sum()
    waist_order = adults[adults.sex == 1].sort_values("waist_cm")
    assert waist_order.visceral_fat_kg.is_monotonic_increasing


def test_every_patient_is_a_valid_integrated_model_subject(adults):
    params = resolve(integrated(), None, driver_values(adults))  # raises on any driver out of range
    assert set(driver_values(adults)) <= set(DRIVERS)
    assert np.size(params["BW"]) == len(adults)


def test_dpp_population_resembles_the_dpp_baseline():
    """Not tuned: the screened cohort's glucose lands near DPP 2000's baseline means (FPG 106.5, 2-h 164.6)."""
    population = DPP_IGT.sample(60, seed=2000)
    assert population.fasting_glucose_mg_dl.mean() == pytest.approx(106.5, abs=6)
    assert population.glucose_2h_mg_dl.mean() == pytest.approx(164.6, abs=10)
    assert population.sex.mean() == pytest.approx(0.32, abs=0.15)


def test_unreachable_criteria_fail_with_the_reason():
    impossible = InclusionCriteria(fasting_glucose_mg_dl=(300.0, 400.0))
    with pytest.raises(InputError, match="met no candidate in 2 draws"):
        US_ADULTS.sample(3, seed=1, criteria=impossible, max_attempts=2)


def test_a_stricter_bmi_criterion_selects_heavier_people():
    loose = US_ADULTS.sample(300, seed=2, criteria=InclusionCriteria(bmi_kg_m2=(18.0, 60.0)))
    strict = US_ADULTS.sample(300, seed=2, criteria=InclusionCriteria(bmi_kg_m2=(30.0, 60.0)))
    assert strict.bmi_kg_m2.min() >= 30 and strict.bmi_kg_m2.mean() > loose.bmi_kg_m2.mean() + 3
    assert strict.total_fat_kg.mean() > loose.total_fat_kg.mean()


@given(n=st.one_of(st.integers(max_value=0), st.floats(), st.booleans()),
       seed=st.one_of(st.integers(max_value=-1), st.integers(min_value=2**63), st.floats()))
def test_sample_sizes_and_seeds_are_checked(n, seed):
    with pytest.raises(InputError):
        US_ADULTS.sample(n, seed=1)
    with pytest.raises(InputError, match="seed"):
        US_ADULTS.sample(2, seed=seed)


def test_bad_specs_are_refused():
    with pytest.raises(InputError, match="positive definite"):
        PopulationSpec("x", "", US_ADULTS.marginals, {("bmi_kg_m2", "waist_cm"): 0.99, ("bmi_kg_m2", "age_years"): 0.99,
                                                      ("age_years", "waist_cm"): -0.99}, 0.5, (), ())
    with pytest.raises(InputError, match="marginals"):
        PopulationSpec("x", "", {}, {}, 0.5, (), ())
    with pytest.raises(InputError, match="criteria bmi_kg_m2"):
        InclusionCriteria(bmi_kg_m2=(30.0, 20.0))
    with pytest.raises(UnknownNameError, match="dpp_igt"):
        get_population("dpp")
