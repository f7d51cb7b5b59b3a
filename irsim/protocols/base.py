"""The vocabulary of protocols: doses, infusions, controllers, and their compilation into segments.

Amounts are in the model's own dose units (the dose *kind* names them: ``oral_glucose_mg``,
``iv_glucose_mg_kg``, ``iv_insulin_pmol_kg``); the ready-made protocols in
:mod:`irsim.protocols.standard` convert clinical units once, at construction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from irsim.errors import InputError

Amount = float | np.ndarray | Callable[[Mapping[str, Any]], Any]

#: one year: longer minute-resolution protocols are almost surely a unit mistake (progression over
#: years runs on its own slow time scale)
MAX_DURATION_MIN = 366 * 1440.0


def _value(amount: Amount, params: Mapping[str, Any]):
    return amount(params) if callable(amount) else amount


def check_positive(field_name: str, value: float, unit: str, *, allow_zero: bool = False,
                   upper: float = np.inf, lower: float = 0.0) -> float:
    """Reject NaN, infinite, negative (or zero) and implausibly large values, naming the field.

    ``upper`` is a plausibility bound: a value far beyond any clinical protocol is most often a
    unit mistake (milligrams typed as grams, seconds as minutes), so it is refused, not simulated.
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(field_name, value, unit=unit, reason="not a number") from None
    low = f"≥ {lower:g}" if allow_zero or lower > 0 else f"> {lower:g}"
    allowed = f"{low} and ≤ {upper:g} {unit}" if np.isfinite(upper) else f"{low} {unit}, finite"
    if not np.isfinite(v) or v < lower or (v == 0 and not allow_zero):
        raise InputError(field_name, value, unit=unit, allowed=allowed)
    if v > upper:
        raise InputError(field_name, value, unit=unit, reason="implausibly large (a unit mistake?)", allowed=allowed)
    return v


@dataclass(frozen=True)
class Dose:
    """An instantaneous dose at ``time_min`` (a meal into the stomach, an intravenous bolus)."""

    time_min: float
    kind: str
    amount: Amount
    label: str


@dataclass(frozen=True)
class Infusion:
    """A constant-rate input on ``[start_min, stop_min)`` added to the model input ``input``."""

    start_min: float
    stop_min: float
    input: str
    rate: Amount
    label: str


@dataclass(frozen=True)
class Controller:
    """A sampled feedback controller: every ``period_min`` it reads the state and sets an input.

    ``update(t, v, previous, params)`` gets the model namespace ``v`` at the sampling time (states
    and outputs, per patient) and the rate in force, and returns the new rate (per patient).
    """

    input: str
    start_min: float
    stop_min: float
    period_min: float
    update: Callable[[float, Mapping[str, Any], Any, Mapping[str, Any]], Any]
    label: str
    initial_rate: float = 0.0


@dataclass(frozen=True)
class Protocol:
    """A whole experiment: what is given when, how long it lasts, and what it measures.

    ``measures`` names the summary measures that make sense for it (see
    :mod:`irsim.analysis.summary`); ``sample_times_min`` are the clinical sampling times;
    ``origins`` gives the time (min) at which a measure group's test starts, 0 if absent: in
    ``Meal().then(OGTT())`` the OGTT's 2-h sample is 2 h after the OGTT began, not after the meal.
    """

    name: str
    description: str
    duration_min: float
    doses: tuple[Dose, ...] = ()
    infusions: tuple[Infusion, ...] = ()
    controllers: tuple[Controller, ...] = ()
    sample_times_min: tuple[float, ...] = ()
    measures: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    origins: Mapping[str, float] = field(default_factory=dict)
    #: the longest plausible duration: one year for minute-scale protocols, more for progression
    max_duration_min: float = MAX_DURATION_MIN

    def __post_init__(self) -> None:
        check_positive("duration_min", self.duration_min, "min", upper=self.max_duration_min)

    def then(self, other: Protocol, *, at_min: float | None = None) -> Protocol:
        """This protocol followed by ``other`` starting at ``at_min`` (default: when this one ends)."""
        offset = self.duration_min if at_min is None else at_min
        shift = lambda t: t + offset  # noqa: E731
        return Protocol(
            f"{self.name}+{other.name}",
            f"{self.description}; then {other.description}",
            max(self.duration_min, offset + other.duration_min),
            self.doses + tuple(Dose(shift(d.time_min), d.kind, d.amount, d.label) for d in other.doses),
            self.infusions + tuple(Infusion(shift(i.start_min), shift(i.stop_min), i.input, i.rate, i.label)
                                   for i in other.infusions),
            self.controllers + tuple(Controller(c.input, shift(c.start_min), shift(c.stop_min), c.period_min,
                                                c.update, c.label, c.initial_rate) for c in other.controllers),
            tuple(sorted(set(self.sample_times_min) | {shift(t) for t in other.sample_times_min})),
            tuple(dict.fromkeys(self.measures + other.measures)),
            tuple(dict.fromkeys(self.citations + other.citations)),
            {**self.settings, **other.settings},
            # a group both measure (e.g. fasting) keeps the first protocol's origin
            {**{g: offset + other.origins.get(g, 0.0) for g in other.measures},
             **{g: self.origins.get(g, 0.0) for g in self.measures}},
            max(self.max_duration_min, offset + other.max_duration_min),
        )

    # --- compilation ------------------------------------------------------------------------
    def controller_times(self, c: Controller) -> np.ndarray:
        """When controller ``c`` samples and resets its input, within the protocol."""
        stop = min(c.stop_min, self.duration_min)
        return np.arange(c.start_min, stop - 1e-9, c.period_min)

    def boundaries(self) -> np.ndarray:
        """Every time at which something changes discontinuously, plus 0 and the end."""
        times = {0.0, float(self.duration_min)}
        times |= {float(d.time_min) for d in self.doses}
        times |= {float(t) for i in self.infusions for t in (i.start_min, i.stop_min)}
        for c in self.controllers:
            times |= {float(t) for t in self.controller_times(c)} | {float(c.stop_min)}
        return np.array(sorted(t for t in times if 0.0 <= t <= self.duration_min))

    def infusion_rates(self, t: float, params: Mapping[str, Any]) -> dict[str, Any]:
        """Sum of open-loop infusion rates in force on the segment starting at ``t``."""
        rates: dict[str, Any] = {}
        for i in self.infusions:
            if i.start_min <= t < i.stop_min:
                rates[i.input] = rates.get(i.input, 0.0) + _value(i.rate, params)
        return rates

    def doses_at(self, t: float) -> list[Dose]:
        """The doses given at exactly time ``t``."""
        return [d for d in self.doses if d.time_min == t]

    def dose_amount(self, dose: Dose, params: Mapping[str, Any]):
        """The amount of ``dose`` for these parameters (a dose may depend on them, e.g. per body weight)."""
        return _value(dose.amount, params)
