"""A trial specification, read from TOML: population, arms, duration, visit schedule and endpoints.

TOML only (the standard library's ``tomllib``: data, never code). Every field is checked here, so
a mistake in a spec fails before any patient is simulated, naming the field, the value and what
is allowed; unknown keys are refused (a misspelt key would otherwise be silently ignored).

    name = "diabetes-prevention"
    duration_years = 3.0
    adherence = "person"      # a part with adherence a is taken by that share of patients (default), or "mean"
    control = "placebo"
    endpoints = ["diabetes", "hba1c", "weight", "homa_ir"]
    [population]
    name = "dpp_igt"          # irsim.patients.population.POPULATIONS
    n = 3000
    seed = 2000
    screening = "measured"    # criteria read the screening OGTT as measured (default), or "model"
    [[arms]]
    name = "metformin"
    interventions = ["metformin:1700"]           # or tables: {name = "metformin", dose = 1700, start_years = 1}
    [[visits]]
    every_years = 1.0
    tests = ["ogtt"]
    [measurement]             # optional; irsim.trials.measurement
    diagnosis = ["fpg", "glucose_2h"]
    confirm = true
    within_person_cv = { fpg = 0.06, glucose_2h = 0.15, hba1c = 0.012 }
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from irsim.errors import InputError, UnknownNameError
from irsim.patients.population import InclusionCriteria, PopulationSpec, Screening, get_population, screening_mode
from irsim.trials.adherence import Adherence, adherence_mode
from irsim.trials.measurement import Measurement

#: tests a visit can hold (the progression interface's names)
TESTS = ("fpg", "ogtt", "hba1c", "weight")
#: endpoint name → the per-visit column it reads ("diabetes": time to diabetes, confirmed at a visit)
ENDPOINTS = {"diabetes": "diabetes_confirmed", "hba1c": "hba1c_pct", "fpg": "fasting_glucose_mg_dl",
             "glucose_2h": "glucose_2h_mg_dl", "weight": "weight_kg", "bmi": "bmi_kg_m2", "homa_ir": "homa1_ir",
             "fasting_insulin": "fasting_insulin_pmol_l"}
MAX_YEARS = 50.0

Intervention = str | Mapping[str, Any]


@dataclass(frozen=True)
class Arm:
    """A trial arm: its name and interventions (``"metformin:1700"`` strings or tables with ``name``)."""

    name: str
    interventions: tuple[Intervention, ...] = ()


@dataclass(frozen=True)
class Published:
    """What the trial the spec imitates reported, per arm: shown beside the simulation as a check, never used."""

    source: str
    incidence_per_100_person_years: Mapping[str, float]
    risk_reduction_percent: Mapping[str, float]


@dataclass(frozen=True)
class TrialSpec:
    """A checked trial: who is enrolled (population, size, seed, criteria), the arms, how long, when
    patients are seen and what is analysed. Build it with :func:`load_spec` or :func:`parse_spec`."""

    name: str
    description: str
    population: PopulationSpec
    n_patients: int
    seed: int | None
    criteria: InclusionCriteria
    arms: tuple[Arm, ...]
    control: str
    duration_years: float
    visits: tuple[tuple[float, tuple[str, ...]], ...]  # (time in years, tests), baseline first
    endpoints: tuple[str, ...]
    cycle_days: float = 28.0
    published: Published | None = None
    measurement: Measurement = Measurement()
    screening: Screening = "measured"
    adherence: Adherence = "person"

    def with_patients(self, n: int) -> TrialSpec:
        """The same trial with ``n`` patients (``--population``)."""
        return replace(self, n_patients=_integer("--population", n, 1))

    def with_seed(self, seed: int) -> TrialSpec:
        """The same trial with this seed (drawn once and recorded when the spec has none)."""
        return replace(self, seed=_integer("seed", seed, 0))

    def record(self) -> dict:
        """What identifies the run (written to ``trial.json``; a resumed run must match it)."""
        return {"name": self.name, "population": self.population.name, "n_patients": self.n_patients,
                "seed": self.seed, "criteria": self.criteria.as_json(),
                "arms": {a.name: [i if isinstance(i, str) else dict(i) for i in a.interventions] for a in self.arms},
                "control": self.control, "duration_years": self.duration_years,
                "visits": [[t, list(tests)] for t, tests in self.visits], "endpoints": list(self.endpoints),
                "cycle_days": self.cycle_days, "measurement": self.measurement.record(), "screening": self.screening,
                "adherence": self.adherence}


def _refuse_unknown(table: Mapping, known: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in known:
            raise UnknownNameError(f"key in {where}", key, known)


def _integer(field: str, value, lowest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
        raise InputError(field, value, allowed=f"an integer ≥ {lowest}")
    return value


def _number(field: str, value, unit: str, lower: float, upper: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not lower < value <= upper:
        raise InputError(field, value, unit=unit, allowed=f"a number > {lower:g} and ≤ {upper:g}")
    return float(value)


#: the keys of an intervention given as a table (irsim.interventions.make's arguments)
INTERVENTION_KEYS = ("name", "dose", "start_years", "stop_years", "adherence")


def _intervention(item, where: str) -> Intervention:
    if isinstance(item, str):
        name, colon, dose = item.partition(":")
        if not name.strip() or (colon and not dose.strip()):
            raise InputError(where, item, allowed='"name" or "name:dose", e.g. "metformin:1700"')
        return item.strip()
    if isinstance(item, Mapping) and isinstance(item.get("name"), str) and item["name"].strip():
        _refuse_unknown(item, INTERVENTION_KEYS, where)
        for key in INTERVENTION_KEYS[1:]:  # ranges are irsim.interventions.make's to check
            if key in item and (isinstance(item[key], bool) or not isinstance(item[key], (int, float))):
                raise InputError(f"{where}.{key}", item[key], allowed="a number")
        return dict(item)
    raise InputError(where, item, allowed='a string "name:dose" or a table with a name, '
                                         'e.g. {name = "metformin", dose = 1700, start_years = 1.0}')


def _visits(items, duration: float) -> tuple[tuple[float, tuple[str, ...]], ...]:
    """Baseline (every test), then each schedule's visits up to ``duration``, merged by time.

    The last visit (at ``duration``) holds every scheduled test, so changes from baseline are read
    at the end of the trial even when a schedule does not fall on it.
    """
    if not isinstance(items, list) or not items:
        raise InputError("visits", items, allowed="a list of tables {every_years = …, tests = [...]}")
    times: dict[float, set[str]] = {0.0: set(TESTS)}
    scheduled: set[str] = set()
    for k, item in enumerate(items):
        where = f"visits[{k}]"
        if not isinstance(item, Mapping):
            raise InputError(where, item, allowed="a table {every_years = …, tests = [...]}")
        _refuse_unknown(item, ("every_years", "tests"), where)
        every = _number(f"{where}.every_years", item.get("every_years"), "years", 0.0, duration)
        tests = item.get("tests")
        if not isinstance(tests, list) or not tests:
            raise InputError(f"{where}.tests", tests, allowed=f"a non-empty list of {', '.join(TESTS)}")
        for test in tests:
            if test not in TESTS:
                raise UnknownNameError(f"test in {where}.tests", str(test), TESTS)
        scheduled.update(tests)
        for j in range(1, int(math.floor(duration / every + 1e-9)) + 1):
            times.setdefault(round(j * every, 9), set()).update(tests)
    times.setdefault(round(duration, 9), set()).update(scheduled)
    return tuple((t, tuple(x for x in TESTS if x in times[t])) for t in sorted(times))


def parse_spec(data: Mapping[str, Any]) -> TrialSpec:
    """A :class:`TrialSpec` from the parsed TOML tables, every field checked."""
    _refuse_unknown(data, ("name", "description", "population", "arms", "control", "duration_years", "visits",
                           "endpoints", "cycle_days", "published", "measurement", "adherence"), "the spec")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError("name", name, allowed="a non-empty string")
    duration = _number("duration_years", data.get("duration_years"), "years", 0.0, MAX_YEARS)
    cycle_days = _number("cycle_days", data.get("cycle_days", 28.0), "days", 0.0, 365.0)

    population = data.get("population")
    if not isinstance(population, Mapping):
        raise InputError("population", population, allowed='a table {name = "dpp_igt", n = 1000, seed = 1}')
    _refuse_unknown(population, ("name", "n", "seed", "criteria", "screening"), "population")
    pop = get_population(str(population.get("name")))
    n = _integer("population.n", population.get("n"), 1)
    seed = population.get("seed")
    if seed is not None:
        seed = _integer("population.seed", seed, 0)
    criteria = pop.criteria
    if "criteria" in population:
        given = population["criteria"]
        if not isinstance(given, Mapping):
            raise InputError("population.criteria", given, allowed="a table of [lower, upper] ranges")
        known = tuple(InclusionCriteria.__dataclass_fields__)
        _refuse_unknown(given, known, "population.criteria")
        criteria = InclusionCriteria(**{k: tuple(v) if isinstance(v, list) else v for k, v in given.items()})

    arms_data = data.get("arms")
    if not isinstance(arms_data, list) or len(arms_data) < 2:
        raise InputError("arms", arms_data, allowed="at least two [[arms]] tables (a control and a treatment)")
    arms = []
    for k, arm in enumerate(arms_data):
        if not isinstance(arm, Mapping):
            raise InputError(f"arms[{k}]", arm, allowed="a table {name = …, interventions = [...]}")
        _refuse_unknown(arm, ("name", "interventions"), f"arms[{k}]")
        arm_name = arm.get("name")
        if not isinstance(arm_name, str) or not arm_name.strip():
            raise InputError(f"arms[{k}].name", arm_name, allowed="a non-empty string")
        items = arm.get("interventions", [])
        if not isinstance(items, list):
            raise InputError(f"arms[{k}].interventions", items, allowed="a list")
        arms.append(Arm(arm_name, tuple(_intervention(i, f"arms[{k}].interventions[{j}]")
                                        for j, i in enumerate(items))))
    names = [a.name for a in arms]
    if len(set(names)) != len(names):
        raise InputError("arms", names, reason="arm names repeat", allowed="distinct names")
    control = data.get("control", names[0])
    if control not in names:
        raise UnknownNameError("control arm", str(control), names)

    endpoints = data.get("endpoints", ["diabetes"])
    if not isinstance(endpoints, list) or not endpoints:
        raise InputError("endpoints", endpoints, allowed=f"a non-empty list of {', '.join(ENDPOINTS)}")
    for e in endpoints:
        if e not in ENDPOINTS:
            raise UnknownNameError("endpoint", str(e), ENDPOINTS)
    return TrialSpec(name.strip(), str(data.get("description", "")), pop, n, seed, criteria, tuple(arms), control,
                     duration, _visits(data.get("visits"), duration), tuple(dict.fromkeys(endpoints)), cycle_days,
                     _published(data.get("published"), names), _measurement(data.get("measurement", {})),
                     screening_mode(population.get("screening", "measured"), "population.screening"),
                     adherence_mode(data.get("adherence", "person")))


def _measurement(table) -> Measurement:
    if not isinstance(table, Mapping):
        raise InputError("measurement", table, allowed='a table {diagnosis = ["fpg", …], confirm = true, '
                                                       'within_person_cv = {fpg = 0.06, …}}')
    _refuse_unknown(table, ("within_person_cv", "confirm", "diagnosis"), "measurement")
    cv = table.get("within_person_cv", {})
    if not isinstance(cv, Mapping):
        raise InputError("measurement.within_person_cv", cv, allowed="a table {fpg = 0.06, glucose_2h = 0.15, …}")
    diagnosis = table.get("diagnosis", list(Measurement.diagnosis))
    if not isinstance(diagnosis, list):
        raise InputError("measurement.diagnosis", diagnosis, allowed='a list, e.g. ["fpg", "glucose_2h"]')
    return Measurement(dict(cv), table.get("confirm", True), tuple(diagnosis))


def _published(table, arms: list[str]) -> Published | None:
    if table is None:
        return None
    if not isinstance(table, Mapping) or not isinstance(table.get("source"), str):
        raise InputError("published", table, allowed='a table {source = "…", incidence_per_100_person_years = '
                                                     '{arm = value, …}, risk_reduction_percent = {arm = value, …}}')
    keys = ("source", "incidence_per_100_person_years", "risk_reduction_percent")
    _refuse_unknown(table, keys, "published")
    values = {}
    for key in keys[1:]:
        given = table.get(key, {})
        if not isinstance(given, Mapping):
            raise InputError(f"published.{key}", given, allowed="a table {arm = value, …}")
        for arm, value in given.items():
            if arm not in arms:
                raise UnknownNameError(f"arm in published.{key}", arm, arms)
            _number(f"published.{key}.{arm}", value, "", -math.inf, math.inf)
        values[key] = {arm: float(v) for arm, v in given.items()}
    return Published(table["source"], **values)


def load_spec(path: str | Path) -> TrialSpec:
    """Read and check a TOML trial spec."""
    path = Path(path)
    if path.suffix.lower() != ".toml":
        raise InputError("spec", str(path), reason="not a TOML file", allowed="a .toml file (YAML is not read)")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError("spec", str(path), reason=f"cannot be read ({exc.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError("spec", str(path), reason=f"is not valid TOML ({exc})") from None
    return parse_spec(data)
