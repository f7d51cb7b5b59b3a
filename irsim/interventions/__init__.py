"""Interventions acting on mechanisms: each maps a dose to changes of the integrated model's
parameters and drivers (and of the slow energy balance), with onset and offset ramps and adherence.

An intervention is data. Its :class:`Kind` names the dose unit, a reference dose, the dose–response
shape, the onset/offset time constants and a list of :class:`Effect` — a parameter (or slow input)
and the change it gets at the reference dose, each with its source. Strength at time t is

    s(t) = adherence · dose fraction · ramp(t),
    ramp = 1 − e^(−(t − start)/τ_on) while on, then its value at stop · e^(−(t − stop)/τ_off),

and an effect of size e changes its target to value·(1 + e·s) (``scale``) or value + e·s (``add``).
The dose fraction is dose/reference (``ed50`` None: linear), or an Emax curve normalised to 1 at the
reference dose. Sizes come from mechanism studies (clamp, tracer EGP, weight, plasma levels):
``docs/interventions.md`` gives each number and why.

    from irsim.interventions import make, parse
    metformin = make("metformin", 2000, start_years=1.0)     # mg/day
    parse("pioglitazone:45@2-5,adherence=0.8")               # 45 mg/day from year 2 to 5, 80 % adherence
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from irsim.errors import InputError, UnknownNameError

#: targets that are not parameters of the integrated model but inputs of the slow course:
#: intake change (kcal/day), added exercise energy (MET-h/week), the visceral share of fat change,
#: subcutaneous insulin (U/day, infused at a constant rate) and retained body water (kg, weight only)
SLOW_INPUTS = ("intake_change_kcal_day", "exercise_met_h_week", "visceral_share", "insulin_u_day", "fluid_kg")
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Effect:
    """``target`` changes by ``size`` at the reference dose: ×(1 + size) (``scale``) or + size (``add``)."""

    target: str
    how: str  # "scale" | "add"
    size: float
    source: str


@dataclass(frozen=True)
class Kind:
    """What an intervention is: dose unit and range, dose–response, time course, effects."""

    name: str
    description: str
    unit: str
    reference_dose: float
    max_dose: float
    effects: tuple[Effect, ...]
    onset_days: float
    offset_days: float
    ed50: float | None = None  # None: effect linear in dose

    def dose_fraction(self, dose: float) -> float:
        """Effect at ``dose`` relative to the reference dose (Emax curve, or linear)."""
        if self.ed50 is None:
            return dose / self.reference_dose
        return (dose / (self.ed50 + dose)) / (self.reference_dose / (self.ed50 + self.reference_dose))


@dataclass(frozen=True)
class Intervention:
    """One intervention course: ``name`` at ``dose`` (in its unit) from ``start_years`` to
    ``stop_years`` (years from the start of a course), taken with ``adherence`` (0-1)."""

    name: str
    dose: float
    unit: str
    start_years: float = 0.0
    stop_years: float = math.inf
    adherence: float = 1.0

    @property
    def kind(self) -> Kind:
        """The registry entry this intervention is a dose of."""
        return INTERVENTIONS[self.name]

    def strength(self, t_years: float) -> float:
        """Fraction of the reference-dose effect in force at ``t_years``."""
        kind = self.kind
        if t_years <= self.start_years:
            return 0.0
        on_days = (min(t_years, self.stop_years) - self.start_years) * DAYS_PER_YEAR
        ramp = 1.0 - math.exp(-on_days / kind.onset_days)
        if t_years > self.stop_years:
            ramp *= math.exp(-(t_years - self.stop_years) * DAYS_PER_YEAR / kind.offset_days)
        return self.adherence * kind.dose_fraction(self.dose) * ramp

    def __str__(self) -> str:
        stop = "" if math.isinf(self.stop_years) else f"-{self.stop_years:g}"
        return f"{self.name} {self.dose:g} {self.unit} from year {self.start_years:g}{stop}" + (
            f", adherence {self.adherence:g}" if self.adherence < 1 else "")


def make(name: str, dose: float | None = None, *, start_years: float = 0.0, stop_years: float = math.inf,
         adherence: float = 1.0) -> Intervention:
    """An intervention by registry name; ``dose`` in its unit (default: the reference dose)."""
    if name not in INTERVENTIONS:
        raise UnknownNameError("intervention", name, INTERVENTIONS)
    kind = INTERVENTIONS[name]
    dose = kind.reference_dose if dose is None else dose
    _check(f"{name} dose", dose, kind.unit, 0.0, kind.max_dose, open_low=True)
    _check("start_years", start_years, "years", 0.0, 100.0)
    if not (isinstance(stop_years, (int, float)) and stop_years > start_years):  # also refuses NaN
        raise InputError("stop_years", stop_years, unit="years", allowed=f"> start_years ({start_years:g})")
    _check("adherence", adherence, "1", 0.0, 1.0)
    return Intervention(name, float(dose), kind.unit, float(start_years), float(stop_years), float(adherence))


def _check(field: str, value, unit: str, low: float, high: float, open_low: bool = False) -> None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(field, value, unit=unit, reason="not a number") from None
    if not (low < v <= high if open_low else low <= v <= high):
        raise InputError(field, value, unit=unit, allowed=f"{'>' if open_low else '≥'} {low:g} and ≤ {high:g} {unit}")


def parse(text: str) -> Intervention:
    """``"name[:dose][@start[-stop]][,adherence=A]"``, e.g. ``"metformin:1700@1-6,adherence=0.8"`` (years)."""
    head, _, options = text.strip().partition(",")
    head, _, when = head.partition("@")
    name, _, dose = head.partition(":")
    kwargs = {}
    try:
        if when:
            start, _, stop = when.partition("-")
            kwargs["start_years"] = float(start)
            if stop:
                kwargs["stop_years"] = float(stop)
        for option in filter(None, options.split(",")):
            key, _, value = option.partition("=")
            if key.strip() != "adherence":
                raise InputError("intervention option", key.strip(), allowed="adherence=0..1")
            kwargs["adherence"] = float(value)
        return make(name.strip(), float(dose) if dose else None, **kwargs)
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError("intervention", text, allowed="name[:dose][@start[-stop]][,adherence=A], e.g. "
                         "metformin:1700@1-6,adherence=0.8") from None


def applied(params: Mapping[str, object], interventions: Sequence[Intervention], t_years: float
            ) -> tuple[dict[str, object], dict[str, float]]:
    """The integrated model's parameters with every intervention's effect at ``t_years``, and the
    slow inputs (:data:`SLOW_INPUTS`; 0, or 1 for visceral_share, untreated). Scales multiply and
    additions add, in the order given."""
    out = dict(params)
    slow = slow_inputs(interventions, t_years)
    for iv, s, e in _active(interventions, t_years):
        if e.target not in SLOW_INPUTS:
            out[e.target] = out[e.target] * (1.0 + e.size * s) if e.how == "scale" else out[e.target] + e.size * s
    return out, slow


def slow_inputs(interventions: Sequence[Intervention], t_years: float) -> dict[str, float]:
    """The slow inputs (:data:`SLOW_INPUTS`) the interventions give at ``t_years``."""
    slow = {name: 0.0 for name in SLOW_INPUTS} | {"visceral_share": 1.0}
    for _, s, e in _active(interventions, t_years):
        if e.target in SLOW_INPUTS:
            slow[e.target] = slow[e.target] * (1.0 + e.size * s) if e.how == "scale" else slow[e.target] + e.size * s
    return slow


def _active(interventions, t_years):
    for iv in interventions:
        s = iv.strength(t_years)
        if s != 0.0:
            yield from ((iv, s, e) for e in iv.kind.effects)


#: years after the start at which every ramp has reached its plateau (τ ≤ 60 days)
PLATEAU_YEARS = 10.0


def steady_overrides(model, parameter_set, overrides: Mapping[str, object], interventions: Sequence[Intervention]
                     ) -> dict[str, object]:
    """``overrides`` plus each intervention's plateau effect on ``model``'s parameters, for a
    minute-scale run (``irsim simulate --intervention``). Effects that act through a course — intake,
    exercise energy, fat distribution — are left out; insulin therapy needs a course and is refused."""
    from irsim.core.parameters import resolve

    if slow_inputs(interventions, PLATEAU_YEARS)["insulin_u_day"] > 0:
        raise InputError("intervention", "basal_insulin", reason="acts through days of infusion",
                         allowed="irsim progress, or an insulin infusion in the protocol")
    targets = {e.target for iv in interventions for e in iv.kind.effects if e.target not in SLOW_INPUTS}
    missing = sorted(targets - set(model.parameters))
    if missing:
        raise InputError("intervention", missing[0], reason=f"is not a parameter of model {model.name}",
                         allowed="the integrated model (--patient NAME)")
    treated, _ = applied(resolve(model, parameter_set, overrides), interventions, PLATEAU_YEARS)
    return {**overrides, **{k: treated[k] for k in targets}}


# --- the registry ---------------------------------------------------------------------------------
HUNDAL = ("Hundal 2000 Diabetes 49:2063 (2 g/day class dose, FPG 15.5 mmol/L: GNG 0.59 → 0.38 vs 0.18 mmol/m²/min in "
          "controls, 51 % of the excess); no change in non-diabetic people (Gormsen 2019 Diabetologia 62:1251)")
PIO = "Miyazaki 2002 JCEM 87:2784; Bajaj 2003 Diabetes 52:1364"

INTERVENTIONS: dict[str, Kind] = {k.name: k for k in (
    Kind("caloric_restriction", "less energy intake: weight and fat loss through energy balance", "kcal/day",
         500.0, 2000.0, (Effect("intake_change_kcal_day", "add", -500.0, "dose itself (Hall 2011 energy balance)"),),
         onset_days=1.0, offset_days=1.0),
    Kind("exercise", "training: insulin-independent uptake during/after bouts, mitochondrial capacity and GLUT4 "
         "content (the habitual-activity driver), energy expenditure", "MET-h/week", 10.0, 100.0, (
             Effect("physical_activity_met_h_week", "add", 10.0, "dose itself; the driver raises mitochondrial "
                    "capacity (Toledo 2007) and GLUT4 content (O'Gorman 2006)"),
             Effect("exercise_met_h_week", "add", 10.0, "dose itself: expenditure 1 MET ≈ 1 kcal/kg/h (Ainsworth 2011)"),
             Effect("exercise_uptake", "add", 0.07, "carbohydrate share of moderate exercise ~50 %, half of it plasma "
                    "glucose (Romijn 1993 Am J Physiol 265:E380): 10 MET-h/week → 0.07 mg/kg/min day-averaged"),
         ), onset_days=14.0, offset_days=14.0),
    Kind("metformin", "less hepatic gluconeogenesis above the lean level; slight weight loss", "mg/day", 2000.0,
         2550.0, (
        Effect("excess_gng_multiplier", "scale", -0.51, HUNDAL),
        Effect("intake_change_kcal_day", "add", -60.0, "weight −0.9 to −2.7 kg (GRADE 2020; Stumvoll 1995 NEJM "
               "333:550): −60 kcal/day gives ≈ −2 kg"),
    ), onset_days=7.0, offset_days=3.0),
    Kind("pioglitazone", "PPARγ agonist: adiponectin ×2.1 (insulin signalling, gluconeogenesis, ceramide, "
         "inflammation), fluid retention, a little subcutaneous fat (visceral unchanged)", "mg/day", 45.0, 45.0, (
             Effect("adiponectin", "scale", 1.1, "Yu 2002 Diabetes 51:2968 (2.1-fold); Tiikkainen 2004 (+123 %). "
                    "Through adiponectin alone the T2D preset's clamp M rises 33 %: Miyazaki 2002 (MCR +26-30 %), "
                    "Bajaj 2003 (Rd +33 %), so no further PPARγ term is added"),
             Effect("fluid_kg", "add", 2.0, "total body water +2.4 L, 75 % of the +3.1 kg in 12 weeks (Basu 2006 "
                    "Diabetes Care 29:510)"),
             Effect("intake_change_kcal_day", "add", 25.0, "weight rises for a year, then stays (+2.8 kg over 5 years "
                    "in 1,184 patients: J Japan Diab Soc 56:165): the gain beyond water, ~1 kg at plateau, stored as "
                    "fat (an energy-balance stand-in for PPARγ's larger subcutaneous storage)"),
             Effect("visceral_share", "scale", -1.0, "fat gained is subcutaneous, VAT unchanged (Hirose 2002; "
                    "Shadid & Jensen 2003)"),
         ), onset_days=28.0, offset_days=60.0, ed50=15.0),
    Kind("salsalate", "IKKβ inhibition (NF-κB), adiponectin rise", "g/day", 3.5, 4.5, (
        Effect("ikk_beta_inhibition", "add", 0.3, "assumption: partial IKKβ blockade at 3-4.5 g/day (Yuan 2001 "
               "Science 293:1673; Goldfine 2010 Ann Intern Med 152:346); size not measured in humans"),
        Effect("adiponectin", "scale", 0.55, "Goldfine 2013 Diabetologia 56:714 (+53 %); Fleischman 2008 (+57 %)"),
    ), onset_days=14.0, offset_days=14.0),
    Kind("anti_tnf", "TNF-α neutralisation (etanercept)", "mg/week", 50.0, 100.0, (
        Effect("tnf_alpha", "scale", -0.7, "assumption: 70 % of plasma TNF-α neutralised; clamp effect nil in "
               "Dominguez 2005 and Ofei 1996"),
    ), onset_days=7.0, offset_days=14.0),
    Kind("il1_antagonist", "IL-1 receptor antagonist (anakinra): relief of IL-1β-impaired β-cell function",
         "mg/day", 100.0, 200.0, (
             Effect("beta_cell_function", "scale", 0.15, "Larsen 2007 NEJM 356:1517 (C-peptide secretion ↑, "
                    "proinsulin/insulin ↓, clamp IS unchanged); +15 % is an assumption"),
         ), onset_days=14.0, offset_days=30.0),
    Kind("mitochondrial_enhancer", "hypothetical agent raising muscle and liver oxidative capacity", "%", 20.0, 100.0, (
        Effect("mitochondrial_capacity", "scale", 0.2, "dose itself; +20 % is the training effect (Toledo 2007)"),
    ), onset_days=28.0, offset_days=28.0),
    Kind("adiponectin_agonist", "hypothetical adiponectin-receptor agonist (AdipoRon-like): the adiponectin signal "
         "raised by the dose in %", "%", 100.0, 300.0, (
             Effect("adiponectin", "scale", 1.0, "dose itself (Okada-Iwabu 2013 Nature 503:493, mice)"),
         ), onset_days=7.0, offset_days=7.0),
    Kind("basal_insulin", "long-acting insulin at a constant subcutaneous rate", "U/day", 20.0, 150.0, (
        Effect("insulin_u_day", "add", 20.0, "dose itself, fully absorbed at a constant rate (glargine; Riddle 2003)"),
    ), onset_days=1.0, offset_days=1.0),
    Kind("sglt2_inhibitor", "SGLT2 inhibition (empagliflozin): lower renal threshold and more glucosuria; "
         "partial compensation of the lost calories by eating", "mg/day", 25.0, 25.0, (
             Effect("ke2", "scale", -0.78, "renal threshold falls below 40 mg/dL (Al-Jobori 2017): 339 → 75 mg/kg"),
             Effect("ke1", "scale", 4.0, "glucosuria 50-117 g/day in T2D (List 2009; Al Jobori 2018)"),
             Effect("intake_change_kcal_day", "add", 150.0, "~70 % of the urinary calories eaten back: −3.2 kg "
                    "observed vs −11.3 kg predicted at 90 weeks (Ferrannini G 2015 Diabetes Care 38:1730)"),
         ), onset_days=2.0, offset_days=2.0, ed50=2.5),
    Kind("glp1_agonist", "GLP-1 receptor agonist (semaglutide): glucose-dependent secretion, less intake",
         "mg/week", 1.0, 2.4, (
             Effect("incretin_gain", "scale", 1.0, "first-phase +103-118 % on liraglutide (Vilsbøll 2008); Kjems "
                    "2003 Diabetes 52:380 (β-cell glucose sensitivity restored)"),
             Effect("intake_change_kcal_day", "add", -200.0, "weight −9.6 % vs −3.4 % placebo at 2.4 mg over 68 "
                    "weeks (Davies 2021 Lancet 397:971)"),
         ), onset_days=28.0, offset_days=14.0, ed50=0.5),
)}

__all__ = ["Effect", "INTERVENTIONS", "Intervention", "Kind", "SLOW_INPUTS", "applied", "make", "parse", "slow_inputs",
           "steady_overrides"]
