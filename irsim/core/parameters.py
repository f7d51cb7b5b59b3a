"""Parameter sets as data, and their resolution into per-patient values.

A :class:`ParameterSet` is a flat mapping ``name → value`` for one model, with the source of every
value it changes from the blocks' defaults and the papers it rests on. :func:`resolve` turns a set
plus user overrides and population variation into what the right-hand side consumes: scalars
shared by everybody, or arrays over patients.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from irsim.errors import InputError, UnknownNameError, with_unit


@dataclass(frozen=True)
class ParameterSet:
    """Values for one model's parameters, with provenance.

    ``initial_state`` fixes the starting state (used only to reproduce an encoding that does not
    start at steady state, such as the curated BioModels file); otherwise the simulation starts
    from the parameters' own fasting steady state.
    """

    name: str
    model: str
    description: str
    values: Mapping[str, float] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    citations: tuple[str, ...] = ()
    initial_state: Mapping[str, float] | None = None

    def updated(self, name: str, description: str, values: Mapping[str, float], source: str,
                citations: tuple[str, ...] = ()) -> ParameterSet:
        """A new set with some values changed, each change recorded with ``source``."""
        return ParameterSet(
            name,
            self.model,
            description,
            {**self.values, **values},
            {**self.sources, **{k: source for k in values}},
            tuple(dict.fromkeys([*self.citations, *citations])),
            self.initial_state,
        )


@dataclass(frozen=True)
class Variation:
    """Population variation: each named parameter drawn uniformly within ±fraction of its value.

    Patient 0 always keeps the nominal values, so every population carries its own reference
    subject (and equals the single-patient run).
    """

    n_patients: int
    fractions: Mapping[str, float] = field(default_factory=dict)
    seed: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.n_patients, bool) or not isinstance(self.n_patients, (int, np.integer)) or self.n_patients < 1:
            raise InputError("population", self.n_patients, unit="patients", allowed="an integer ≥ 1")
        for name, frac in self.fractions.items():
            if isinstance(frac, (bool, str)) or not isinstance(frac, (int, float, np.number)):
                raise InputError(f"vary {name}", frac, unit="fraction", allowed="a number, 0 ≤ fraction < 1",
                                 reason="not a number")
            if not np.isfinite(frac) or not 0.0 <= frac < 1.0:
                raise InputError(f"vary {name}", frac, unit="fraction", allowed="0 ≤ fraction < 1")


@dataclass(frozen=True)
class Ordered:
    """A rule between two parameters that each range alone cannot state: ``smaller`` ≤ ``larger``.

    With ``strict``, ``smaller`` < ``larger``. A model is built with its rules (``Model(..., rules=)``); :func:`resolve`
    checks them for every patient after variation, so a drawn population cannot hold an impossible body.
    """

    smaller: str
    larger: str
    why: str
    strict: bool = False

    def check(self, values: Mapping[str, Any], declared: Mapping[str, Any]) -> None:
        """Raise :class:`InputError` naming both parameters, their values and units, and the patients that break it."""
        small, large = np.broadcast_arrays(np.atleast_1d(np.asarray(values[self.smaller], dtype=float)),
                                           np.atleast_1d(np.asarray(values[self.larger], dtype=float)))
        patients = np.flatnonzero(small >= large if self.strict else small > large)
        if patients.size == 0:
            return
        small, large = small[patients[0]], large[patients[0]]
        population = np.ndim(values[self.smaller]) > 0 or np.ndim(values[self.larger]) > 0
        more = f" and {patients.size - 10} more" if patients.size > 10 else ""
        who = f" (patient {', '.join(map(str, patients[:10]))}{more})" if population else ""
        relation = "<" if self.strict else "≤"
        raise InputError(self.smaller, float(f"{small:.6g}"), unit=declared[self.smaller].unit,
                         reason=f"{'not below' if self.strict else 'above'} {self.larger} = "
                                f"{with_unit(f'{large:g}', declared[self.larger].unit)}: {self.why}{who}",
                         allowed=f"{self.smaller} {relation} {self.larger}")


def _check_variation_interval(name: str, base: Any, fraction: float, declared) -> None:
    """Refuse a variation whose interval leaves the parameter's allowed range, before anything is drawn."""
    base = np.asarray(base, dtype=float)
    ends = np.stack([base * (1.0 - fraction), base * (1.0 + fraction)])
    low, high = float(ends.min()), float(ends.max())
    parameter = declared[name]
    parameter.check(base)
    if low < parameter.lower or high > parameter.upper:
        raise InputError(f"vary {name}", f"±{fraction:g}", unit="fraction",
                         reason=f"draws {name} from {low:g} to {with_unit(f'{high:g}', parameter.unit)}, "
                                f"outside its allowed range",
                         allowed=f"{parameter.lower:g} to {with_unit(f'{parameter.upper:g}', parameter.unit)}")


def resolve(model, parameter_set: ParameterSet | None = None, overrides: Mapping[str, Any] | None = None,
            variation: Variation | None = None) -> dict[str, Any]:
    """Per-patient parameter values for ``model``: defaults ← set ← overrides ← variation.

    Every value is checked against its parameter's allowed range, every variation interval before
    drawing, and every patient against the model's :class:`Ordered` rules; unknown names raise
    :class:`UnknownNameError` with the nearest known name.
    """
    declared = model.parameters
    values: dict[str, Any] = {name: p.value for name, p in declared.items()}
    for source in (parameter_set.values if parameter_set else {}, overrides or {}):
        for name, value in source.items():
            if name not in declared:
                raise UnknownNameError(f"parameter of model {model.name}", name, declared)
            values[name] = value
    if variation is not None:
        rng = np.random.default_rng(variation.seed)
        n = variation.n_patients
        for name, frac in sorted(variation.fractions.items()):  # only varied parameters become arrays
            if name not in declared:
                raise UnknownNameError(f"parameter of model {model.name}", name, declared)
            _check_variation_interval(name, values[name], frac, declared)
            factors = rng.uniform(1.0 - frac, 1.0 + frac, size=n)
            factors[0] = 1.0
            values[name] = np.asarray(values[name], dtype=float) * factors
    for name, value in values.items():
        declared[name].check(value)
    population_size(values, variation.n_patients if variation is not None else None)
    for rule in model.rules:
        rule.check(values, declared)
    return values


def population_size(params: Mapping[str, Any], expected: int | None = None) -> int:
    """Number of patients implied by the array-valued parameters (1 if all are scalars).

    With ``expected`` (a variation's size), every array must have that length.
    """
    sizes = {np.size(v) for v in params.values() if np.ndim(v) > 0} | ({expected} if expected else set())
    if len(sizes) > 1:
        lengths = {k: np.size(v) for k, v in params.items() if np.ndim(v) > 0}
        raise InputError("parameters", lengths, reason="arrays of different population sizes",
                         allowed=f"one value per patient ({expected} patients)" if expected else "equal lengths")
    return sizes.pop() if sizes else 1


def take_patients(values: Mapping[str, Any], idx) -> dict[str, Any]:
    """The values of patients ``idx`` (an index array or slice); shared scalars stay scalars."""
    return {k: (v[idx] if np.ndim(v) > 0 else v) for k, v in values.items()}
