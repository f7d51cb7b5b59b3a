"""Courses over years on the integrated model: a multi-rate method, visits, the ADA category.

**Method.** Time is cut into cycles (default 28 days). Each cycle runs one representative day
(:func:`~irsim.protocols.DailyLife`, three meals, all patients in one batched call) on the
integrated model with the slow values as drivers — β-cell mass and function, total and visceral
fat, body weight, age — and the interventions' effects at the cycle's midpoint. Averaged over that
day: the slow rates that depend on glucose (glucotoxicity, β-cell mass growth; averaging the rate,
not glucose, keeps their non-linearity), mean glucose (HbA1c is affine in it) and glucosuria (lost
calories). The slow ODEs are then integrated across the cycle in daily steps with these averages
frozen: exactly (exponentially) for mass, function and HbA1c, by the midpoint rule for fat mass
(:class:`~irsim.physiology.body_weight.BodyWeight`, Hall 2011 simplified), whose intake and exercise
inputs follow the interventions day by day; visceral fat moves with total fat in its starting
proportion (an intervention may change that share); age advances.

**The day's start.** Each representative day starts from the fasting steady state of the current
slow values, not from the previous day's end: a cycle is then a function of the slow state alone
(batched, reproducible, no hidden memory), and visits measure the same fasting state as every
other irsim protocol. The price is liver fat (τ 3 days, :mod:`irsim.physiology.lipids`), which
the meals would lower by ~10 % over a few days; its effect is inside the error measured against
brute-force integration (docs/progression.md). Until the first meal nothing moves that state, so the
day is integrated from breakfast on and its night's samples are the steady state itself.

**Meals** are DailyLife's three (45, 70, 70 g carbohydrate) scaled by the intake an intervention
gives relative to the weight-stable intake (PAL 1.6 × resting expenditure γF·F + γL·L, over
1 − βTEF; Hall 2011): a 600 kcal/day diet also eats less carbohydrate.

**Visits** run an OGTT (after a 24-h fasting lead-in under basal insulin when that is given) on
the slow state of that day.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from irsim.core.parameters import population_size, resolve
from irsim.core.steady_state import fasting_steady_state
from irsim.errors import InputError
from irsim.interventions import DAYS_PER_YEAR, Intervention, applied, slow_inputs
from irsim.physiology.body_weight import BodyWeight
from irsim.progression import slow
from irsim.simulation import Simulation

VISIT_TESTS = ("fpg", "ogtt", "hba1c", "weight")
#: energy of glucose lost in urine, kcal/g (Atwater factor of monosaccharides)
GLUCOSE_KCAL_PER_G = 3.75
#: physical activity level of the weight-stable intake, PAL·RMR/(1 − βTEF) with RMR = γF·F + γL·L
#: (Hall 2011's assumed PAL, as in BodyWeight's δ): meals scale with a changed intake
PHYSICAL_ACTIVITY_LEVEL = 1.6
_SAMPLE_MIN = 5.0
#: relative tolerance of the fast model's days and tests: a course's values move by ≤ 2e-5 of
#: themselves against the solver's default 1e-6 (docs/performance.md), far inside the multi-rate
#: method's own error (~0.6 %), for 12 % less computing
SOLVER_RTOL = 1e-4
_INSULIN_PMOL_PER_U = 6000.0  # 1 mU = 6 pmol (irsim's 6.0 convention)
#: the integrated model's drivers that the slow states set
SLOW_DRIVERS = ("beta_cell_mass", "beta_cell_function", "total_fat_kg", "visceral_fat_kg", "BW", "age_years")


@dataclass(frozen=True)
class Visit:
    time_years: float
    tests: tuple[str, ...] = ("fpg", "ogtt", "hba1c")  # any of "fpg", "ogtt", "hba1c", "weight"


def yearly_visits(years: float, tests: tuple[str, ...] = VISIT_TESTS) -> list[Visit]:
    """A visit at the start and at every whole year up to ``years`` (and at ``years``)."""
    times = sorted({*range(int(math.floor(years)) + 1), years})
    return [Visit(float(t), tests) for t in times]


def simulate_course(params: Mapping[str, float | np.ndarray], years: float,
                    interventions: Sequence[Intervention] = (), visits: Sequence[Visit] | None = None, *,
                    cycle_days: float = 28.0, progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Courses of n patients (params: the integrated model's parameters/drivers, scalars or (n,) arrays,
    as `irsim.core.parameters.resolve` returns them; also the slow parameters of
    :mod:`irsim.progression.slow` and ``height_cm``) over `years`; one row per patient × visit with
    columns patient (0..n-1), time_years, fasting_glucose_mg_dl, glucose_2h_mg_dl (NaN if no OGTT at
    that visit), hba1c_pct, fasting_insulin_pmol_l, homa1_ir, weight_kg, bmi_kg_m2 (if height known,
    else NaN), beta_cell_mass, beta_cell_function, ada_category ("normal", "prediabetes",
    "diabetes"), age_years, total_fat_kg. Values a visit's tests do not include are NaN.
    ``progress`` is called with 1 after each cycle's representative day (as ``tqdm.update``); :func:`cycle_count` says how many.
    """
    course = _Course(params, years, interventions, cycle_days)
    visits = yearly_visits(course.years, ("fpg", "ogtt", "hba1c")) if visits is None else list(visits)
    for v in visits:
        _check_visit(v, course.years)
    rows = []
    pending = sorted(visits, key=lambda v: v.time_years)
    refresh = 0.0
    while True:
        while pending and _day_of(pending[0].time_years) <= course.day:
            rows.append(course.visit(pending.pop(0)))
        if course.day >= course.end_day:
            break
        if course.day >= refresh:
            course.refresh_averages(min(course.cycle_days, course.end_day - course.day))
            refresh += course.cycle_days
            if progress is not None:
                progress(1)
        course.step_one_day()
    return pd.concat(rows, ignore_index=True)


def cycle_count(years: float, cycle_days: float = 28.0) -> int:
    """How many multi-rate cycles cover ``years``."""
    return math.ceil(_day_of(years) / cycle_days)


def _day_of(years: float) -> int:
    return int(round(years * DAYS_PER_YEAR))


def _check_visit(visit: Visit, years: float) -> None:
    if not 0.0 <= visit.time_years <= years:
        raise InputError("visit time_years", visit.time_years, unit="years", allowed=f"0 to {years:g} years")
    unknown = [t for t in visit.tests if t not in VISIT_TESTS]
    if unknown or not visit.tests:
        raise InputError("visit tests", visit.tests, allowed=f"one or more of {', '.join(VISIT_TESTS)}")


class _Course:
    """The slow state of n patients and the machinery to advance it and to visit them."""

    def __init__(self, params, years, interventions, cycle_days):
        from irsim.models import get_model

        if not (isinstance(years, (int, float)) and 0.0 < years <= 100.0):  # also refuses NaN
            raise InputError("years", years, unit="years", allowed="> 0 and ≤ 100 years")
        if not (isinstance(cycle_days, (int, float)) and 1.0 <= cycle_days <= 365.0):
            raise InputError("cycle_days", cycle_days, unit="days", allowed="1 to 365 days")
        self.years, self.cycle_days, self.interventions = float(years), float(cycle_days), tuple(interventions)
        self.end_day = _day_of(years)
        given = dict(params)
        self.height_cm = given.pop("height_cm", None)
        self.p = {name: given.pop(name, par.value) for name, par in slow.PARAMETERS.items()}
        for name, value in self.p.items():
            slow.PARAMETERS[name].check(value)
        self.model = get_model("integrated")
        self.params = resolve(self.model, None, given)
        self.n = population_size({**self.params, **self.p})
        s = {k: np.broadcast_to(np.asarray(self.params[k], dtype=float), (self.n,)).copy() for k in SLOW_DRIVERS}
        self.state = s
        self.bw = {p.name: p.value for p in BodyWeight.parameters} | {"F0": s["total_fat_kg"].copy(),
                                                                       "L0": s["BW"] - s["total_fat_kg"]}
        self.visceral_per_fat = s["visceral_fat_kg"] / s["total_fat_kg"]
        b = self.bw
        self.intake = PHYSICAL_ACTIVITY_LEVEL * (b["gamma_F"] * b["F0"] + b["gamma_L"] * b["L0"]) / (1.0 - b["beta_TEF"])
        base = self._representative_day(0.0, treated=False)
        self.capacity = slow.capacity_at_balance(s["beta_cell_function"], base["toxicity"], self.p)
        self.glucosuria0 = base["glucosuria"]
        self.hba1c = slow.hba1c_target(base["glucose"])
        self.day, self.averages = 0, base

    # --- the fast model ------------------------------------------------------------------------
    def _drivers(self, t_years: float, treated: bool = True):
        values = {**self.params, **{k: _clip(self.model, k, v) for k, v in self.state.items()}}
        return applied(values, self.interventions if treated else (), t_years)

    def _simulate(self, protocol, t_years, treated, variables, t_eval=None):
        from irsim.protocols.base import Infusion

        drivers, inputs = self._drivers(t_years, treated)
        units = inputs["insulin_u_day"]
        if units > 0.0:
            rate = lambda p: units * _INSULIN_PMOL_PER_U / 1440.0 / p["BW"]  # noqa: E731
            protocol = replace(protocol, infusions=protocol.infusions + (
                Infusion(0.0, protocol.duration_min, "insulin_infusion", rate, f"basal insulin {units:g} U/day"),))
        return _CourseSimulation(self.model, None, protocol, overrides=drivers, solver=_solver(self.model)).solve(
            step_min=_SAMPLE_MIN, t_eval=t_eval, variables=variables), units > 0.0

    def _representative_day(self, t_years: float, treated: bool = True) -> dict[str, np.ndarray]:
        from irsim.protocols import DailyLife

        inputs = slow_inputs(self.interventions if treated else (), t_years)
        insulin = inputs["insulin_u_day"] > 0
        day = DailyLife(2 if insulin else 1)
        portion = np.clip(1.0 + inputs["intake_change_kcal_day"] / self.intake, 0.2, 3.0)  # the diet's meals
        day = replace(day, doses=tuple(replace(d, amount=d.amount * portion) for d in day.doses))
        grid = np.arange(0.0, day.duration_min, _SAMPLE_MIN)
        grid = grid[grid >= day.duration_min - 1440.0]  # the day under basal insulin follows a lead-in day
        # until the first meal (or the insulin infusion) the body stays at its fasting steady state, where
        # the day starts: those samples are that state, not integrated (a quarter of the day's steps)
        start = 0.0 if insulin else min(d.time_min for d in day.doses)
        fed = grid[grid >= start] - start
        times = np.union1d(0.0, fed)
        r, _ = self._simulate(_from(day, start), t_years, treated, ["G", "E"], times)
        at = np.searchsorted(times, fed)
        quiet = np.count_nonzero(grid < start)
        G, E = (np.concatenate([np.repeat(r[k][:1], quiet, axis=0), r[k][at]]) for k in ("G", "E"))
        mean = G.mean(axis=0)
        return {"glucose": mean, "toxicity": slow.glucotoxicity(mean), "mass_growth": slow.mass_growth(mean, self.p),
                "glucosuria": E.mean(axis=0)}

    # --- the slow states -----------------------------------------------------------------------
    def refresh_averages(self, span_days: float) -> None:
        """The representative day of the cycle starting today, at the cycle's midpoint."""
        self.averages = self._representative_day((self.day + span_days / 2.0) / DAYS_PER_YEAR)

    def step_one_day(self) -> None:
        a, s, p, h = self.averages, self.state, self.p, 1.0
        t_mid = self.day + 0.5 * h
        inputs = slow_inputs(self.interventions, t_mid / DAYS_PER_YEAR)
        s["beta_cell_mass"] = s["beta_cell_mass"] * np.exp(a["mass_growth"] * h)
        target = slow.function_target(self.capacity, a["toxicity"], t_mid, p)
        s["beta_cell_function"] = target + (s["beta_cell_function"] - target) * np.exp(-h / p["tau_beta_function"])
        a1c = slow.hba1c_target(a["glucose"])
        self.hba1c = a1c + (self.hba1c - a1c) * np.exp(-h / slow.GLYCATION["tau_A1c"])
        lost = GLUCOSE_KCAL_PER_G * (a["glucosuria"] - self.glucosuria0) * s["BW"] * 1440.0 / 1000.0
        drive = {"intake_change": inputs["intake_change_kcal_day"] - lost, "exercise": inputs["exercise_met_h_week"]}
        fat = s["total_fat_kg"]
        half = fat + 0.5 * h * self._fat_rate(fat, drive)
        new_fat = fat + h * self._fat_rate(half, drive)
        s["visceral_fat_kg"] = np.maximum(s["visceral_fat_kg"] + self.visceral_per_fat * inputs["visceral_share"]
                                          * (new_fat - fat), 0.05)
        s["total_fat_kg"] = new_fat
        s["BW"] = new_fat + self.bw["L0"] + self.bw["forbes_C"] * np.log(new_fat / self.bw["F0"]) + inputs["fluid_kg"]
        s["age_years"] = s["age_years"] + h / DAYS_PER_YEAR
        self.day += 1

    def _fat_rate(self, fat, drive):
        """dF/dt (kg/day) of the energy balance."""
        return BodyWeight().rates({**self.bw, "F": fat, **drive}, np).derivatives["F"] * 1440.0

    # --- visits --------------------------------------------------------------------------------
    def visit(self, visit: Visit) -> pd.DataFrame:
        from irsim.analysis.diagnosis import glycaemic_category
        from irsim.analysis.indices import homa1_ir
        from irsim.protocols import OGTT, Fasting

        t_years = self.day / DAYS_PER_YEAR
        insulin = slow_inputs(self.interventions, t_years)["insulin_u_day"] > 0
        protocol = Fasting(1440.0).then(OGTT()) if insulin else OGTT()
        r, _ = self._simulate(protocol, t_years, True, ["G", "I"])
        start = protocol.origins.get("ogtt", 0.0)
        at = lambda name, t: r[name][np.searchsorted(r.time_min, start + t)]  # noqa: E731
        tests = set(visit.tests)
        nan = np.full(self.n, np.nan)
        fasting = bool(tests & {"fpg", "ogtt"})
        g0, i0 = (at("G", 0.0), at("I", 0.0)) if fasting else (nan, nan)
        g2 = at("G", 120.0) if "ogtt" in tests else nan
        a1c = self.hba1c if "hba1c" in tests else nan
        weight = self.state["BW"] if "weight" in tests else nan
        height = np.asarray(self.height_cm, dtype=float) / 100.0 if self.height_cm is not None else np.nan
        category = glycaemic_category(fpg_mg_dl=g0 if "fpg" in tests else nan, ogtt_2h_mg_dl=g2, hba1c_pct=a1c).category
        return pd.DataFrame({
            "patient": np.arange(self.n), "time_years": visit.time_years,
            "fasting_glucose_mg_dl": g0, "glucose_2h_mg_dl": g2, "hba1c_pct": a1c, "fasting_insulin_pmol_l": i0,
            "homa1_ir": homa1_ir(g0, i0) if fasting else nan, "weight_kg": weight,
            "bmi_kg_m2": weight / height**2, "beta_cell_mass": self.state["beta_cell_mass"],
            "beta_cell_function": self.state["beta_cell_function"],
            "ada_category": [_ADA.get(c, "prediabetes") for c in category],
            "age_years": self.state["age_years"], "total_fat_kg": self.state["total_fat_kg"],
        })


_ADA = {"normal": "normal", "diabetes": "diabetes", "": "unknown"}


def _clip(model, name, value):
    """A slow value held within its driver's declared range (the model's range of validity)."""
    p = model.parameters[name]
    return np.clip(value, p.lower, p.upper)


def _from(protocol, start_min: float):
    """``protocol`` from ``start_min`` on, its clock restarted there (nothing may happen before it)."""
    if start_min == 0.0:
        return protocol
    return replace(protocol, duration_min=protocol.duration_min - start_min, sample_times_min=(),
                   doses=tuple(replace(d, time_min=d.time_min - start_min) for d in protocol.doses))


class _CourseSimulation(Simulation):
    """A Simulation whose steady state runs compiled even for one patient: a course solves one per
    cycle, hundreds in all (the NumPy Newton takes ~30 ms each on the integrated model)."""

    def initial_state(self, params, n):
        return fasting_steady_state(self.model, params, n, compiled_from=1)


def _solver(model):
    """A compiled engine from the first patient (a course runs one day after another): the C kernel
    when it builds, else numba (compiled here if need be), else NumPy."""
    from irsim.solvers import BatchedDormandPrince, compiled, native

    engine = "c" if native.library(model) is not None else "numba" if compiled.available() else "numpy"
    return BatchedDormandPrince(engine=engine, rtol=SOLVER_RTOL)


def diagnosis_year(course: pd.DataFrame) -> pd.Series:
    """Per patient, the first visit time (years) classified "diabetes"; NaN if none."""
    first = course[course["ada_category"] == "diabetes"].groupby("patient")["time_years"].min()
    return first.reindex(sorted(course["patient"].unique()))
