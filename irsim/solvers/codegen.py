"""Trace a model's block rate functions into straight-line scalar source code.

The blocks' own ``rates(v, xp)`` are called once with symbolic values and a symbolic ``xp``; every
arithmetic operation records one line. The result is the right-hand side of one patient as plain
Python over floats (``y[k]``, ``p[j]``, ``u[j]``), which numba compiles (:mod:`irsim.solvers.compiled`).
So the compiled path runs the same equations as the NumPy path, not a second hand-written copy.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

import numpy as np


class _Tape:
    def __init__(self, reciprocals=False):
        self.reciprocals = reciprocals  # x / invariant → x * (1 / invariant), the reciprocal hoisted
        self.lines: list[tuple[str, str, tuple[str, ...], bool]] = []  # name, code, operands, invariant

    def emit(self, code: str, operands) -> Sym:
        syms = [o for o in operands if isinstance(o, Sym)]
        name = f"_v{len(self.lines)}"
        invariant = all(o.invariant for o in syms)
        self.lines.append((name, code, tuple(o.code for o in syms), invariant))
        return Sym(self, name, invariant)

    def needed(self, targets) -> set[str]:
        """Names of the lines the ``targets`` depend on (dead code elimination)."""
        need = {t.code for t in targets if isinstance(t, Sym)}
        for name, _, operands, _ in reversed(self.lines):
            if name in need:
                need.update(operands)
        return need


def _code(x) -> str:
    if isinstance(x, Sym):
        return x.code
    value = float(x)
    return repr(value) if value == value and abs(value) != float("inf") else f"float('{value}')"


class Sym:
    """A traced scalar: arithmetic on it appends lines to its tape."""

    __array_priority__ = 1000

    def __init__(self, tape: _Tape, code: str, invariant: bool):
        self.tape, self.code, self.invariant = tape, code, invariant

    def _bin(self, op, other, reverse=False):
        a, b = (_code(other), self.code) if reverse else (self.code, _code(other))
        return self.tape.emit(f"{a} {op} {b}", (self, other))

    def __add__(self, o): return self._bin("+", o)
    def __radd__(self, o): return self._bin("+", o, True)
    def __sub__(self, o): return self._bin("-", o)
    def __rsub__(self, o): return self._bin("-", o, True)
    def __mul__(self, o): return self._bin("*", o)
    def __rmul__(self, o): return self._bin("*", o, True)
    def __truediv__(self, o):
        if self.tape.reciprocals and isinstance(o, Sym) and o.invariant and not self.invariant:
            return self._bin("*", o._bin("/", 1.0, True))
        return self._bin("/", o)

    def __rtruediv__(self, o): return self._bin("/", o, True)
    def __pow__(self, o): return self._bin("**", o)
    def __rpow__(self, o): return self._bin("**", o, True)
    def __gt__(self, o): return self._bin(">", o)
    def __ge__(self, o): return self._bin(">=", o)
    def __lt__(self, o): return self._bin("<", o)
    def __le__(self, o): return self._bin("<=", o)
    def __neg__(self): return self.tape.emit(f"-{self.code}", (self,))
    def __pos__(self): return self

    def __bool__(self):
        raise TypeError("a block's rates used a Python `if` on a value; use xp.where / xp.maximum instead")


class _SymXP:
    """The subset of the NumPy API blocks use, recording scalar code."""

    def __init__(self, tape: _Tape, names: dict[str, str]):
        self.tape, self.names = tape, names

    def _call(self, fn, *args):
        return self.tape.emit(f"{self.names.get(fn, fn)}({', '.join(_code(a) for a in args)})", args)

    def maximum(self, a, b): return self._call("max", a, b)
    def minimum(self, a, b): return self._call("min", a, b)
    def tanh(self, a): return self._call("math.tanh", a)
    def exp(self, a): return self._call("math.exp", a)
    def log(self, a): return self._call("math.log", a)
    def sqrt(self, a): return self._call("math.sqrt", a)
    def abs(self, a): return self._call("abs", a)

    def where(self, c, a, b):
        if "where" in self.names:
            return self._call("where", c, a, b)
        return self.tape.emit(f"({_code(a)} if {_code(c)} else {_code(b)})", (c, a, b))


SCALAR = {"math.tanh": "_tanh"}  # numba: Python's max/min/abs, math.*, and the kernel's own tanh
ARRAY = {"max": "np.maximum", "min": "np.minimum", "abs": "np.abs", "math.tanh": "np.tanh", "math.exp": "np.exp",
         "math.log": "np.log", "math.sqrt": "np.sqrt", "where": "np.where"}


def _trace(model, names, *, basal=False, at_rest=0.0):
    """Run every block once on symbols; returns the tape, the namespace and the derivatives.

    ``basal=True`` ties each basal parameter to its variable as soon as that is traced, as
    :meth:`Model.evaluate` does with ``basal=True``; ``at_rest`` is the value blocks read for it."""
    tape = _Tape(reciprocals=names is SCALAR)  # the NumPy flavour stays bit-identical to Model.evaluate
    memory = set(np.asarray(model.state_names)[model.memory_mask])
    v = {name: Sym(tape, f"p[{j}]", True) for j, name in enumerate(model.parameters)}
    v.update({name: Sym(tape, f"u[{j}]", True) for j, name in enumerate(model.inputs)})
    v.update({name: Sym(tape, f"y[{k}]", name in memory) for k, name in enumerate(model.state_names)})
    v["t"], v["at_rest"] = Sym(tape, "t", False), at_rest
    ties = model.basal_ties if basal else {}
    derivatives = {}
    xp = _SymXP(tape, names)
    for block in model._wiring.order:
        r = block.rates(v, xp)
        derivatives.update(r.derivatives)
        v.update(r.outputs)
        v.update({p: r.outputs[var] for p, var in ties.items() if var in r.outputs})
    return tape, v, derivatives


@dataclass(frozen=True)
class TracedRHS:
    """One patient's RHS: ``pre`` fills ``c`` (what only depends on parameters, inputs and memory
    states, constant over a segment) once; ``body`` computes ``dy[k]`` from ``t, y, p, u, c``."""

    pre: str
    body: str
    n_invariant: int
    param_names: tuple[str, ...]
    input_names: tuple[str, ...]


def trace_rhs(model) -> TracedRHS:
    """The right-hand side of ``model`` as straight-line scalar code (see :class:`TracedRHS`)."""
    tape, _, derivatives = _trace(model, SCALAR)
    return _split(model, tape, [derivatives.get(name, 0.0) for name in model.state_names], "dy")


def trace_steady_residual(model) -> TracedRHS:
    """What the steady-state solver zeroes, as straight-line scalar code: the derivatives of the
    states that are not memory states (``f[i]`` for the ``i``-th of them, in state order) at rest
    (``at_rest = 1``, no inputs, ``t = 0``) with the basal parameters tied to their variables, as
    ``Model.rhs(0, y, {**params, "at_rest": 1}, basal=True)`` computes them. Same ``pre``/``body``
    split as :func:`trace_rhs`: memory states and parameters only enter ``pre``."""
    tape, _, derivatives = _trace(model, SCALAR, basal=True, at_rest=1.0)
    free = [name for name, memory in zip(model.state_names, model.memory_mask) if not memory]
    return _split(model, tape, [derivatives.get(name, 0.0) for name in free], "f")


def _split(model, tape, targets, out) -> TracedRHS:
    need = tape.needed(targets)
    slot = {}
    pre, body = [], []
    for name, code, _, invariant in tape.lines:
        if name not in need:
            continue
        if invariant:
            slot[name] = f"c[{len(slot)}]"
            pre.append(f"c[{len(slot) - 1}] = {code}")
        else:
            body.append(f"{name} = {code}")
    body += [f"{out}[{k}] = {_code(d)}" for k, d in enumerate(targets)]

    def rename(lines):  # refer to hoisted values through c[...]
        pattern = re.compile(r"\b(_v\d+)\b")
        return "\n".join(pattern.sub(lambda mt: slot.get(mt.group(1), mt.group(1)), line) for line in lines)

    return TracedRHS(rename(pre) or "pass", rename(body), max(len(slot), 1), tuple(model.parameters),
                     tuple(model.inputs))


_OUTPUT_FUNCTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # model → {names: function}


def output_function(model, names):
    """``f(t, y, params, inputs) -> {name: array}`` computing only ``names`` (states, outputs,
    inputs) with NumPy: the blocks' own formulas, minus everything the names do not need.
    ``f.states`` lists the state indices it reads; ``y[k]`` is only looked up for those."""
    cache = _OUTPUT_FUNCTIONS.setdefault(model, {})
    key = tuple(names)
    if key not in cache:
        tape, v, _ = _trace(model, ARRAY)
        targets = {n: v[n] for n in names}
        need = tape.needed(targets.values())
        states = sorted({int(c[2:-1]) for c in need if c.startswith("y[")})
        lines = [f"    {name} = {code}" for name, code, _, _ in tape.lines if name in need]
        ret = ", ".join(f"{n!r}: {_code(x)}" for n, x in targets.items())
        source = "def outputs(t, y, p, u):\n" + "\n".join(lines) + f"\n    return {{{ret}}}\n"
        scope = {"np": np}
        exec(compile(source, f"<irsim outputs of {model.name}>", "exec"), scope)
        fn = scope["outputs"]
        params, inputs = tuple(model.parameters), tuple(model.inputs)

        def outputs(t, y, param_values, input_values, fn=fn):
            return fn(t, y, [param_values[k] for k in params], [input_values.get(k, 0.0) for k in inputs])

        outputs.states = states
        cache[key] = outputs
    return cache[key]
