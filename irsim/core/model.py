"""A model: physiology blocks wired by variable name into one vectorised right-hand side.

States are stacked in one array of shape ``(n_states, *population_shape)``; parameters and inputs
are scalars (shared by everybody) or arrays over the population. One :meth:`Model.rhs` call
advances every patient, so one patient and a million go through the same code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from irsim.core.block import Block, Input, Output, Parameter, State
from irsim.errors import IrsimError, UnknownNameError


class ModelStructureError(IrsimError):
    """Blocks that cannot be wired: a missing or doubly provided variable, or a cycle."""


@dataclass(frozen=True)
class _Wiring:
    order: tuple[Block, ...]
    states: tuple[State, ...]
    parameters: dict[str, Parameter]
    outputs: dict[str, Output]
    inputs: dict[str, Input]
    dose_owner: dict[str, Block]


def _wire(blocks: Sequence[Block]) -> _Wiring:
    states = tuple(s for b in blocks for s in b.states)
    state_names = [s.name for s in states]
    if len(set(state_names)) != len(state_names):
        dup = sorted({n for n in state_names if state_names.count(n) > 1})
        raise ModelStructureError(f"states declared by more than one block: {dup}")

    parameters: dict[str, Parameter] = {}
    for b in blocks:
        for p in b.parameters:
            if p.name in parameters and parameters[p.name].unit != p.unit:
                raise ModelStructureError(f"parameter {p.name} declared with units {parameters[p.name].unit} and {p.unit}")
            parameters.setdefault(p.name, p)
    inputs = {i.name: i for b in blocks for i in b.inputs}

    provider: dict[str, Block] = {}
    for b in blocks:
        for o in b.outputs:
            if o.name in provider:
                raise ModelStructureError(f"output {o.name} provided by {provider[o.name].name} and {b.name}")
            provider[o.name] = b
    outputs = {o.name: o for b in blocks for o in b.outputs}

    known = set(state_names) | set(parameters) | set(inputs) | set(provider) | {"t", "at_rest"}
    for b in blocks:
        missing = [r for r in b.reads if r not in known]
        if missing:
            raise ModelStructureError(f"block {b.name} reads {missing}, which no block provides")

    # A block uses what it reads and its own parameters. It runs after the provider of each: a block
    # may output a parameter's name to override it for everyone downstream (a mechanism setting
    # the effective Vmx, say); and a block using a basal parameter runs after the provider of the
    # variable it is tied to, so the steady-state solver sets it in the same pass (Model.evaluate).
    ties = {p: var for b in blocks for p, var in b.basal.items()}
    uses = {b.name: (*b.reads, *(p.name for p in b.parameters)) for b in blocks}
    reads = {name: (*used, *(ties[r] for r in used if r in ties)) for name, used in uses.items()}
    order: list[Block] = []
    pending = list(blocks)
    while pending:
        ready = [b for b in pending if all(provider.get(r) in (None, b) or provider[r] in order for r in reads[b.name])]
        if not ready:
            raise ModelStructureError(f"cyclic dependency among blocks {[b.name for b in pending]}")
        order.extend(ready)
        pending = [b for b in pending if b not in ready]

    dose_owner = {kind: b for b in blocks for kind in b.doses}
    return _Wiring(tuple(order), states, parameters, outputs, inputs, dose_owner)


class Model:
    """Blocks composed into one system of ODEs.

    Parameters
    ----------
    name:
        Registry name, e.g. ``"dalla-man-2007"``.
    blocks:
        The physiology blocks; their order only matters for :meth:`initial_guess`.
    citations:
        Keys of the papers the model structure comes from.
    rules:
        What must hold between parameters that each range alone cannot state
        (:class:`irsim.core.parameters.Ordered`); checked for every patient when parameters resolve.
    """

    def __init__(self, name: str, blocks: Sequence[Block], citations: Sequence[str] = (), description: str = "",
                 rules: Sequence = ()):
        self.name = name
        self.blocks = tuple(blocks)
        self.description = description
        self.rules = tuple(rules)  # irsim.core.parameters.Ordered: what holds between parameters
        self._wiring = _wire(self.blocks)
        self.citations = tuple(dict.fromkeys([*citations, *(c for b in self.blocks for c in b.citations)]))
        self.state_names: tuple[str, ...] = tuple(s.name for s in self._wiring.states)
        self.state_index = {n: i for i, n in enumerate(self.state_names)}
        self.memory_mask = np.array([s.memory for s in self._wiring.states])

    # --- declarations ---------------------------------------------------------------------
    @property
    def states(self) -> tuple[State, ...]:
        return self._wiring.states

    @property
    def parameters(self) -> dict[str, Parameter]:
        return dict(self._wiring.parameters)

    @property
    def outputs(self) -> dict[str, Output]:
        return dict(self._wiring.outputs)

    @property
    def inputs(self) -> dict[str, Input]:
        return dict(self._wiring.inputs)

    @property
    def dose_kinds(self) -> tuple[str, ...]:
        return tuple(self._wiring.dose_owner)

    def unit_of(self, name: str) -> str:
        for table in (self._wiring.outputs, self._wiring.parameters, self._wiring.inputs):
            if name in table:
                return table[name].unit
        for s in self._wiring.states:
            if s.name == name:
                return s.unit
        raise UnknownNameError("variable", name, self.variable_names())

    def variable_names(self) -> list[str]:
        return [*self.state_names, *self._wiring.outputs]

    # --- evaluation ---------------------------------------------------------------------------
    def _namespace(self, t: Any, y: Any, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
        v: dict[str, Any] = dict(params)
        for name in self._wiring.inputs:
            v[name] = 0.0
        v.update(inputs)
        v["t"] = t
        v.setdefault("at_rest", 0.0)
        for i, name in enumerate(self.state_names):
            v[name] = y[i]
        return v

    @property
    def basal_ties(self) -> dict[str, str]:
        """Basal parameters and the variables they equal at the fasting steady state (``{"Gb": "G"}``)."""
        return {p: var for b in self.blocks for p, var in b.basal.items()}

    def evaluate(self, t: Any, y: Any, params: Mapping[str, Any], inputs: Mapping[str, Any] = {}, xp: Any = np,
                 basal: bool = False):
        """All states, outputs and derivatives at ``(t, y)``: ``(namespace, derivatives)``.

        ``basal=True`` sets each basal parameter to its variable as soon as that is computed (the
        wiring guarantees its readers run later): the system the steady-state solver zeroes.
        """
        v = self._namespace(t, y, params, inputs)
        ties = self.basal_ties if basal else {}
        derivatives: dict[str, Any] = {}
        for block in self._wiring.order:
            r = block.rates(v, xp)
            derivatives.update(r.derivatives)
            v.update(r.outputs)
            v.update({p: r.outputs[var] for p, var in ties.items() if var in r.outputs})
        return v, derivatives

    def rhs(self, t: Any, y: Any, params: Mapping[str, Any], inputs: Mapping[str, Any] = {}, xp: Any = np,
            basal: bool = False):
        """dy/dt, same shape as ``y`` (states first, then any population shape)."""
        _, d = self.evaluate(t, y, params, inputs, xp, basal)
        zero = xp.zeros_like(y[0])
        return xp.stack([d.get(name, zero) + zero for name in self.state_names])

    def apply_dose(self, kind: str, amount: Any, t: float, y: np.ndarray, params: Mapping[str, Any]) -> np.ndarray:
        """States just after an instantaneous dose (a meal, an IV bolus) given at time ``t``."""
        owner = self._wiring.dose_owner.get(kind)
        if owner is None:
            raise UnknownNameError(f"dose kind for model {self.name}", kind, self._wiring.dose_owner)
        v = self._namespace(t, y, params, {})
        new = np.array(y, dtype=float, copy=True)
        for name, value in owner.apply_dose(kind, amount, v).items():
            new[self.state_index[name]] = value
        return new

    def initial_guess(self, params: Mapping[str, Any], shape: tuple[int, ...] = ()) -> np.ndarray:
        """Blocks' starting points for the steady-state solver, stacked like ``y``."""
        v: dict[str, Any] = dict(params)
        for block in self.blocks:
            v.update(block.initial_guess(v))
        return np.stack([np.broadcast_to(np.asarray(v[n], dtype=float), shape) for n in self.state_names]).copy()

    def __repr__(self) -> str:
        return f"Model({self.name!r}, states={len(self.state_names)}, blocks={[b.name for b in self.blocks]})"
