"""The physiology block: a small, declarative piece of a model.

A block names its states (unit, meaning), its parameters (value, unit, meaning, source, allowed
range), the variables it reads from other blocks, the protocol inputs it accepts, and one ``rates``
function. Blocks never import each other: a :class:`~irsim.core.model.Model` wires them by variable
name. ``rates`` must use array operations only (``xp.where``, ``xp.maximum``; never a Python ``if``
on a value) so that one call advances a whole population, and ``xp`` may be NumPy or ``jax.numpy``.

Besides states, parameters, inputs and other blocks' outputs, ``rates`` may read ``t`` (min) and
``at_rest`` (1 while the steady-state solver runs, else 0): a term driven by a rate of change,
which vanishes at any steady state but has a kink there, multiplies itself by ``1 - at_rest`` so
that Newton's method sees a smooth system.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from irsim.errors import InputError, with_unit


@dataclass(frozen=True)
class State:
    """A state variable of a block.

    ``memory=True`` marks a state with zero time derivative that only doses change (the size of the
    last meal, which sets gastric emptying); the steady-state solver leaves such states alone.
    ``lower`` is the least physiological value (masses and concentrations are ≥ 0; deviations from
    basal, such as remote insulin action, may be negative): a fasting state below it is refused.
    """

    name: str
    unit: str
    description: str
    memory: bool = False
    lower: float = 0.0


@dataclass(frozen=True)
class Parameter:
    """A model parameter with its provenance and the range in which the model is meaningful."""

    name: str
    value: float
    unit: str
    description: str
    source: str
    lower: float = 0.0
    upper: float = math.inf

    def check(self, value: Any, *, field_name: str | None = None) -> None:
        """Raise :class:`InputError` if any entry of ``value`` is NaN or outside [lower, upper]."""
        import numpy as np

        arr = np.asarray(value, dtype=float)
        bad = ~np.isfinite(arr) | (arr < self.lower) | (arr > self.upper)
        if np.any(bad):
            shown = arr[bad].flat[0]
            raise InputError(
                field_name or self.name,
                shown,
                unit=self.unit,
                reason=f"not a valid value of {self.description}",
                allowed=f"{self.lower:g} to {with_unit(f'{self.upper:g}', self.unit)}",
            )


@dataclass(frozen=True)
class Output:
    """An algebraic variable a block computes and others may read (and results may report)."""

    name: str
    unit: str
    description: str


@dataclass(frozen=True)
class Input:
    """A protocol-driven input (an infusion rate); zero unless the protocol sets it."""

    name: str
    unit: str
    description: str


@dataclass(frozen=True)
class Rates:
    """What ``Block.rates`` returns: time derivatives of its own states and its algebraic outputs."""

    derivatives: Mapping[str, Any]
    outputs: Mapping[str, Any] = field(default_factory=dict)


class Block:
    """Base class of physiology blocks; subclasses fill the class attributes and ``rates``.

    ``doses`` maps a dose kind a protocol may deliver (``"oral_glucose_mg"``) to the method name
    that applies it as a jump of the block's states (see :meth:`apply_dose`).
    """

    name: ClassVar[str]
    states: ClassVar[tuple[State, ...]] = ()
    parameters: ClassVar[tuple[Parameter, ...]] = ()
    reads: ClassVar[tuple[str, ...]] = ()
    outputs: ClassVar[tuple[Output, ...]] = ()
    inputs: ClassVar[tuple[Input, ...]] = ()
    doses: ClassVar[tuple[str, ...]] = ()
    citations: ClassVar[tuple[str, ...]] = ()
    #: parameters that are the subject's own fasting values (``{"Gb": "G"}``): the steady-state
    #: solver sets each to the named variable at the fasting steady state, as the paper's basal
    #: constraints do, so a changed mechanism never starts the body off balance.
    basal: ClassVar[dict[str, str]] = {}

    def rates(self, v: Mapping[str, Any], xp: Any) -> Rates:
        """Derivatives of this block's states and its outputs, from everything in ``v``."""
        raise NotImplementedError

    def apply_dose(self, kind: str, amount: Any, v: Mapping[str, Any]) -> dict[str, Any]:
        """New values of this block's states after an instantaneous dose of ``kind``."""
        raise NotImplementedError(f"{self.name} does not accept {kind}")

    def initial_guess(self, v: Mapping[str, Any]) -> dict[str, Any]:
        """A starting point near the fasting steady state, for the steady-state solver."""
        return {s.name: 0.0 for s in self.states}
