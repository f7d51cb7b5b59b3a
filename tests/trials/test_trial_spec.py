"""Trial specs: the shipped examples load; every mistake names its field; visit schedules merge correctly."""

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim.errors import InputError, IrsimError, UnknownNameError
from irsim.trials.spec import TESTS, load_spec, parse_spec

EXAMPLES = Path(__file__).parents[2] / "examples" / "trials"


def base(**changes):
    spec = {"name": "t", "duration_years": 2.0, "population": {"name": "dpp_igt", "n": 10, "seed": 1},
            "arms": [{"name": "placebo"}, {"name": "metformin", "interventions": ["metformin:1700"]}],
            "visits": [{"every_years": 1.0, "tests": ["ogtt"]}]}
    spec.update(changes)
    return spec


def test_the_diabetes_prevention_example():
    spec = load_spec(EXAMPLES / "diabetes-prevention.toml")
    assert [a.name for a in spec.arms] == ["placebo", "metformin", "lifestyle"] and spec.control == "placebo"
    assert spec.population.name == "dpp_igt" and spec.duration_years == 3.0
    assert spec.criteria.bmi_kg_m2 == (24.0, math.inf) and spec.criteria.glucose_2h_mg_dl == (140.0, 199.0)
    times = [t for t, _ in spec.visits]
    assert times == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
    tests = dict(spec.visits)
    assert tests[0.0] == TESTS and "ogtt" in tests[1.0] and "ogtt" not in tests[0.5] and tests[3.0] == TESTS
    assert spec.arms[1].interventions == ("metformin:1700,adherence=0.72",)  # DPP 2002: 72 % took ≥ 80 % of the dose
    assert spec.screening == "measured" and spec.adherence == "person"  # as the DPP enrolled and reported adherence
    assert spec.published.incidence_per_100_person_years == {"placebo": 11.0, "metformin": 7.8, "lifestyle": 4.8}
    assert "published" not in spec.record()  # a check beside the run, not part of what is run


def test_the_tzd_example():
    spec = load_spec(EXAMPLES / "tzd-prevention.toml")
    assert [a.name for a in spec.arms] == ["placebo", "pioglitazone"]
    assert spec.visits[-1] == (2.4, TESTS)  # the closing visit holds every scheduled test
    assert dict(spec.visits)[0.25] == ("fpg",)


@pytest.mark.parametrize("changes, field", [
    ({"duration_years": 0}, "duration_years"),
    ({"duration_years": "3"}, "duration_years"),
    ({"duration_years": 80.0}, "duration_years"),
    ({"arms": [{"name": "placebo"}]}, "arms"),
    ({"arms": [{"name": "a"}, {"name": "a"}]}, "arms"),
    ({"arms": [{"name": "a"}, {"name": "b", "interventions": ["metformin:"]}]}, "arms[1].interventions[0]"),
    ({"arms": [{"name": "a"}, {"name": "b", "interventions": [{"dose": 3}]}]}, "arms[1].interventions[0]"),
    ({"arms": [{"name": "a"}, {"name": "b", "interventions": [{"name": "metformin", "dose": "high"}]}]},
     "arms[1].interventions[0].dose"),
    ({"visits": []}, "visits"),
    ({"visits": [{"every_years": 3.0, "tests": ["ogtt"]}]}, "visits[0].every_years"),
    ({"visits": [{"every_years": 1.0, "tests": []}]}, "visits[0].tests"),
    ({"population": {"name": "dpp_igt", "n": 0}}, "population.n"),
    ({"population": {"name": "dpp_igt", "n": 5, "seed": -1}}, "population.seed"),
    ({"population": {"name": "dpp_igt", "n": 5, "criteria": {"bmi_kg_m2": [30, 20]}}}, "criteria bmi_kg_m2"),
    ({"population": {"name": "dpp_igt", "n": 5, "screening": "measure"}}, "population.screening"),
    ({"adherence": "per_person"}, "adherence"),
    ({"published": {"incidence_per_100_person_years": {}}}, "published"),
    ({"published": {"source": "x", "risk_reduction_percent": {"metformin": "31"}}},
     "published.risk_reduction_percent.metformin"),
])
def test_mistakes_name_their_field(changes, field):
    with pytest.raises(InputError) as info:
        parse_spec(base(**changes))
    assert info.value.field == field


@pytest.mark.parametrize("changes, kind", [
    ({"endpoint": ["diabetes"]}, "key in the spec"),
    ({"endpoints": ["diabetis"]}, "endpoint"),
    ({"control": "placbo"}, "control arm"),
    ({"population": {"name": "dpp"}}, "population"),
    ({"visits": [{"every_years": 1.0, "tests": ["clamp"]}]}, "test in visits[0].tests"),
    ({"population": {"name": "dpp_igt", "n": 5, "criteria": {"hba1c": [5.7, 6.4]}}}, "key in population.criteria"),
    ({"published": {"source": "x", "incidence_per_100_person_years": {"lifestyle": 4.8}}},
     "arm in published.incidence_per_100_person_years"),
    ({"arms": [{"name": "a"}, {"name": "b", "interventions": [{"name": "metformin", "dosage": 3}]}]},
     "key in arms[1].interventions[0]"),
])
def test_unknown_names_are_refused_with_a_suggestion(changes, kind):
    with pytest.raises(UnknownNameError) as info:
        parse_spec(base(**changes))
    assert info.value.kind == kind


def test_only_toml_is_read(tmp_path):
    yaml = tmp_path / "trial.yaml"
    yaml.write_text("name: t\n")
    with pytest.raises(InputError, match="not a TOML file"):
        load_spec(yaml)
    broken = tmp_path / "trial.toml"
    broken.write_text("name = \n")
    with pytest.raises(InputError, match="not valid TOML"):
        load_spec(broken)
    with pytest.raises(IrsimError, match="cannot be read"):
        load_spec(tmp_path / "missing.toml")


@settings(max_examples=60, deadline=None)
@given(duration=st.floats(0.1, 12.0), every=st.lists(st.floats(0.05, 12.0), min_size=1, max_size=3))
def test_visit_schedule_invariants(duration, every):
    schedules = [{"every_years": min(e, duration), "tests": [TESTS[k % len(TESTS)]]} for k, e in enumerate(every)]
    spec = parse_spec(base(duration_years=duration, visits=schedules))
    times = np.array([t for t, _ in spec.visits])
    assert times[0] == 0.0 and times[-1] == pytest.approx(duration, abs=1e-9)
    assert np.all(np.diff(times) > 0)
    assert spec.visits[0][1] == TESTS
    for schedule in schedules:  # every scheduled time carries its tests
        e = schedule["every_years"]
        for j in range(1, int(duration / e + 1e-9) + 1):
            tests = dict(spec.visits)[round(j * e, 9)]
            assert schedule["tests"][0] in tests


@given(n=st.one_of(st.integers(max_value=0), st.floats(), st.text(), st.booleans()))
def test_population_size_is_a_positive_integer(n):
    with pytest.raises(InputError, match="--population"):
        load_spec(EXAMPLES / "diabetes-prevention.toml").with_patients(n)


def test_entry_reads_the_measured_screening_test_unless_told():
    assert parse_spec(base()).screening == "measured" and parse_spec(base()).record()["screening"] == "measured"
    model = parse_spec(base(population={"name": "dpp_igt", "n": 10, "screening": "model"}))
    assert model.record()["screening"] == "model"


@given(st.one_of(st.text(), st.integers(), st.booleans(), st.lists(st.text(), max_size=2)).filter(
    lambda v: v not in ("measured", "model")))
def test_an_unknown_screening_mode_names_the_key(mode):
    with pytest.raises(InputError) as info:
        parse_spec(base(population={"name": "dpp_igt", "n": 10, "screening": mode}))
    assert info.value.field == "population.screening" and info.value.value == mode
