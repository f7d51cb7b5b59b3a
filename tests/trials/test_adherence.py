"""Adherence per person: the share taking a part is its adherence, nested across parts, reproducible per patient;
read as the mean, a trial runs as it did before per-person adherence."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from irsim.errors import InputError
from irsim.patients.population import InclusionCriteria
from irsim.trials.adherence import adherence_draws, regimens
from irsim.trials.measurement import measure
from irsim.trials.runner import progression_engine, randomise, run_trial
from irsim.trials.spec import load_spec, parse_spec
from tests.trials.conftest import EFFECTS, parse

EXAMPLES = Path(__file__).parents[2] / "examples" / "trials"
#: the DPP lifestyle arm's adherence: weight goal 49 % → 37 %, activity goal 74 % → 67 % (DPP Research Group 2004);
#: the stand-in has no time windows, so the parts differ by dose
LIFESTYLE = [parse(text) for text in ("caloric_restriction:500,adherence=0.49", "caloric_restriction:150,adherence=0.37",
                                      "exercise:10,adherence=0.74", "exercise:8.75,adherence=0.67")]


def takers(groups, n):
    """patient × part: whether the patient takes the part, from the regimens."""
    taken = np.zeros((n, len(LIFESTYLE)), dtype=bool)
    for interventions, who in groups:
        for iv in interventions:
            taken[who, next(k for k, part in enumerate(LIFESTYLE) if part.name == iv.name and part.dose == iv.dose)] = True
    return taken


def test_the_share_taking_each_part_is_its_adherence_and_the_takers_are_nested():
    n = 20_000
    groups = regimens(LIFESTYLE, adherence_draws(np.arange(n), seed=3), "person")
    assert len(groups) == 5  # four distinct levels: at most five regimens
    assert all(iv.adherence == 1.0 for interventions, _ in groups for iv in interventions)  # taken fully
    assert sum(who.sum() for _, who in groups) == n
    taken = takers(groups, n)
    for k, part in enumerate(LIFESTYLE):
        a = part.adherence
        assert taken[:, k].mean() == pytest.approx(a, abs=4 * np.sqrt(a * (1 - a) / n))
    order = np.argsort([part.adherence for part in LIFESTYLE])
    for lower, higher in zip(order[:-1], order[1:]):  # comonotone: a lower goal's takers all take the higher one
        assert np.all(taken[:, higher] >= taken[:, lower])


def test_draws_depend_on_seed_and_patient_only():
    ids = np.arange(50, 90)
    whole = adherence_draws(ids, seed=8)
    np.testing.assert_array_equal(adherence_draws(ids[13:], seed=8), whole[13:])
    assert not np.array_equal(adherence_draws(ids, seed=9), whole)
    assert ((whole >= 0) & (whole < 1)).all()


def test_read_as_the_mean_every_patient_takes_every_part_as_given():
    groups = regimens(LIFESTYLE, np.full(7, np.nan), "mean")
    assert len(groups) == 1 and groups[0][0] == LIFESTYLE and groups[0][1].all()


def small(n, adherence="person"):
    spec = load_spec(EXAMPLES / "diabetes-prevention.toml").with_patients(n)
    return replace(spec, criteria=InclusionCriteria(bmi_kg_m2=(24.0, np.inf)), adherence=adherence)


def test_more_adherence_more_effect(standin, tmp_path):
    """Stand-in trial: the lifestyle arm's mean weight change falls as its diet's adherence rises."""
    changes = []
    for a in (0.2, 0.5, 0.8):
        spec = small(90)
        spec = replace(spec, arms=(*spec.arms[:2], replace(spec.arms[2], interventions=(
            f"caloric_restriction:500,adherence={a}",))))
        summary = run_trial(spec, tmp_path / f"a{a}", workers=1, progress=False)
        changes.append(summary["arms"]["lifestyle"]["mean_change"]["weight_kg"]["mean"])
    assert changes[0] > changes[1] > changes[2]


def test_read_as_the_mean_a_trial_runs_as_before(standin, tmp_path):
    """Before per-person adherence, each arm's patients were followed in one call with the arm's interventions."""
    spec = small(30, adherence="mean")
    run_trial(spec, tmp_path / "run", workers=1, chunk_size=12, progress=False)
    visits = pd.read_parquet(tmp_path / "run" / "visits").sort_values(["patient", "time_years"], ignore_index=True)
    engine = progression_engine()
    patients = spec.population.sample(30, spec.seed, spec.criteria)
    arm_of = randomise(patients.index.to_numpy(), spec.seed, len(spec.arms))
    frames = []
    for k, arm in enumerate(spec.arms):
        course = engine.follow(patients[arm_of == k], spec.duration_years, engine.build(arm),
                               [engine.visit(t, tests) for t, tests in spec.visits], spec.cycle_days)
        frames.append(course.assign(arm=arm.name))
    before = measure(pd.concat(frames).sort_values(["patient", "time_years"], kind="stable"), spec.seed,
                     spec.measurement)
    pd.testing.assert_frame_equal(visits, before[visits.columns].reset_index(drop=True))
    # the stand-in's weight change is each part's weight times its adherence, for every lifestyle patient alike
    life = visits[(visits.arm == "lifestyle") & (visits.time_years == spec.duration_years)]
    loss = sum(EFFECTS[i.name][1] * i.adherence for i in map(parse, spec.arms[2].interventions))
    start = visits[(visits.arm == "lifestyle") & (visits.time_years == 0)]
    np.testing.assert_allclose(life.weight_kg.to_numpy(), start.weight_kg.to_numpy() * (1 + loss))


def test_the_spec_reads_adherence_per_person_unless_told():
    base = {"name": "t", "duration_years": 1.0, "population": {"name": "dpp_igt", "n": 4},
            "arms": [{"name": "a"}, {"name": "b"}], "visits": [{"every_years": 1.0, "tests": ["fpg"]}]}
    assert parse_spec(base).adherence == "person" and parse_spec(base).record()["adherence"] == "person"
    assert parse_spec({**base, "adherence": "mean"}).record()["adherence"] == "mean"


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.booleans()).filter(
    lambda v: v not in ("person", "mean")))
def test_an_unknown_adherence_reading_is_named(value):
    base = {"name": "t", "duration_years": 1.0, "population": {"name": "dpp_igt", "n": 4},
            "arms": [{"name": "a"}, {"name": "b"}], "visits": [{"every_years": 1.0, "tests": ["fpg"]}]}
    with pytest.raises(InputError) as error:
        parse_spec({**base, "adherence": value})
    assert error.value.field == "adherence" and '"person"' in error.value.allowed
