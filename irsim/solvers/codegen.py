"""Trace a model's block rate functions into straight-line scalar source code.

The blocks' own ``rates(v, xp)`` are called once with symbolic values and a symbolic ``xp``; every
arithmetic operation records one operation on a tape. One walk over the tape prints it in a target
language given by a small :class:`Syntax` table: plain Python over floats (``y[k]``, ``p[j]``,
``u[j]``) that numba compiles (:mod:`irsim.solvers.compiled`), C (:mod:`irsim.solvers.native`), or
NumPy over arrays (:func:`output_function`). So every engine runs the same equations as the NumPy
path, not a second hand-written copy.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Syntax:
    """How one target language writes the tape's operations (operands are names or literals)."""

    calls: Mapping[str, str]  # tape function → the language's function
    power: str  # "{0} ** {1}"
    where: str  # select: {0} condition, {1} if true, {2} if false
    declare: str  # a new local: {0} name, {1} value
    store: str  # an element of an output array: {0} target, {1} value
    nonfinite: Mapping[str, str]  # repr of nan/inf/-inf → the language's literal
    reciprocals: bool  # x / invariant → x * (1 / invariant), the reciprocal hoisted (scalar kernels)

    def literal(self, x) -> str:
        text = repr(float(x))
        return self.nonfinite.get(text, text)

    def render(self, op: str, args, ref) -> str:
        a = [ref(x) if isinstance(x, str) else self.literal(x) for x in args]
        if op == "neg":
            return f"-{a[0]}"
        if op == "**":
            return self.power.format(*a)
        if op == "where":
            return self.where.format(*a)
        if op in self.calls:
            return f"{self.calls[op]}({', '.join(a)})"
        return f"{a[0]} {op} {a[1]}"


_FUNCTIONS = ("maximum", "minimum", "tanh", "exp", "log", "sqrt", "abs")
_PYTHON_NONFINITE = {"nan": "float('nan')", "inf": "float('inf')", "-inf": "float('-inf')"}
#: numba: Python's max/min/abs, math.*, and the kernel's own tanh
PYTHON = Syntax(dict(zip(_FUNCTIONS, ("max", "min", "_tanh", "math.exp", "math.log", "math.sqrt", "abs"))),
                "{0} ** {1}", "({1} if {0} else {2})", "{0} = {1}", "{0} = {1}", _PYTHON_NONFINITE, True)
#: NumPy over patients, bit-identical to :meth:`Model.evaluate` (no reciprocals)
NUMPY = Syntax({f: f"np.{f}" for f in _FUNCTIONS}, "{0} ** {1}", "np.where({0}, {1}, {2})", "{0} = {1}", "{0} = {1}",
               _PYTHON_NONFINITE, False)
#: C99 over doubles; max_, min_ and tanh_ are the kernel's own (Python's max/min, the numba kernel's tanh)
C = Syntax(dict(zip(_FUNCTIONS, ("max_", "min_", "tanh_", "exp", "log", "sqrt", "fabs"))), "pow({0}, {1})",
           "({0} ? {1} : {2})", "const double {0} = {1};", "{0} = {1};", {"nan": "NAN", "inf": "INFINITY",
                                                                          "-inf": "(-INFINITY)"}, True)


class _Tape:
    def __init__(self, reciprocals=False):
        self.reciprocals = reciprocals
        self.lines: list[tuple[str, str, tuple, bool]] = []  # name, operation, operands (names or floats), invariant

    def emit(self, op: str, operands) -> Sym:
        args = tuple(o.code if isinstance(o, Sym) else float(o) for o in operands)
        name = f"_v{len(self.lines)}"
        invariant = all(o.invariant for o in operands if isinstance(o, Sym))
        self.lines.append((name, op, args, invariant))
        return Sym(self, name, invariant)

    def needed(self, targets) -> set[str]:
        """Names of the lines the ``targets`` depend on (dead code elimination)."""
        need = {t.code for t in targets if isinstance(t, Sym)}
        for name, _, args, _ in reversed(self.lines):
            if name in need:
                need.update(a for a in args if isinstance(a, str))
        return need


class Sym:
    """A traced scalar: arithmetic on it appends lines to its tape."""

    __array_priority__ = 1000

    def __init__(self, tape: _Tape, code: str, invariant: bool):
        self.tape, self.code, self.invariant = tape, code, invariant

    def _bin(self, op, other, reverse=False):
        return self.tape.emit(op, (other, self) if reverse else (self, other))

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
    def __neg__(self): return self.tape.emit("neg", (self,))
    def __pos__(self): return self

    def __bool__(self):
        raise TypeError("a block's rates used a Python `if` on a value; use xp.where / xp.maximum instead")


class _SymXP:
    """The subset of the NumPy API blocks use, recording operations."""

    def __init__(self, tape: _Tape):
        self.tape = tape

    def maximum(self, a, b): return self.tape.emit("maximum", (a, b))
    def minimum(self, a, b): return self.tape.emit("minimum", (a, b))
    def tanh(self, a): return self.tape.emit("tanh", (a,))
    def exp(self, a): return self.tape.emit("exp", (a,))
    def log(self, a): return self.tape.emit("log", (a,))
    def sqrt(self, a): return self.tape.emit("sqrt", (a,))
    def abs(self, a): return self.tape.emit("abs", (a,))
    def where(self, c, a, b): return self.tape.emit("where", (c, a, b))


def _trace(model, reciprocals, *, basal=False, at_rest=0.0):
    """Run every block once on symbols; returns the tape, the namespace and the derivatives.

    ``basal=True`` ties each basal parameter to its variable as soon as that is traced, as
    :meth:`Model.evaluate` does with ``basal=True``; ``at_rest`` is the value blocks read for it."""
    tape = _Tape(reciprocals)
    memory = set(np.asarray(model.state_names)[model.memory_mask])
    v = {name: Sym(tape, f"p[{j}]", True) for j, name in enumerate(model.parameters)}
    v.update({name: Sym(tape, f"u[{j}]", True) for j, name in enumerate(model.inputs)})
    v.update({name: Sym(tape, f"y[{k}]", name in memory) for k, name in enumerate(model.state_names)})
    v["t"], v["at_rest"] = Sym(tape, "t", False), at_rest
    ties = model.basal_ties if basal else {}
    derivatives = {}
    xp = _SymXP(tape)
    for block in model._wiring.order:
        r = block.rates(v, xp)
        derivatives.update(r.derivatives)
        v.update(r.outputs)
        v.update({p: r.outputs[var] for p, var in ties.items() if var in r.outputs})
    return tape, v, derivatives


@dataclass(frozen=True)
class TracedRHS:
    """One patient's RHS: ``pre`` fills ``c`` (what only depends on parameters, inputs and memory
    states, constant over a segment) once; ``body`` computes ``dy[k]`` from ``t, y, p, u, c``.
    Both are statements of one :class:`Syntax`, one a line."""

    pre: str
    body: str
    n_invariant: int
    param_names: tuple[str, ...]
    input_names: tuple[str, ...]


def trace_rhs(model, syntax: Syntax = PYTHON) -> TracedRHS:
    """The right-hand side of ``model`` as straight-line scalar code (see :class:`TracedRHS`)."""
    tape, _, derivatives = _trace(model, syntax.reciprocals)
    return _split(model, tape, [derivatives.get(name, 0.0) for name in model.state_names], "dy", syntax)


def trace_steady_residual(model, syntax: Syntax = PYTHON) -> TracedRHS:
    """What the steady-state solver zeroes, as straight-line scalar code: the derivatives of the
    states that are not memory states (``f[i]`` for the ``i``-th of them, in state order) at rest
    (``at_rest = 1``, no inputs, ``t = 0``) with the basal parameters tied to their variables, as
    ``Model.rhs(0, y, {**params, "at_rest": 1}, basal=True)`` computes them. Same ``pre``/``body``
    split as :func:`trace_rhs`: memory states and parameters only enter ``pre``."""
    tape, _, derivatives = _trace(model, syntax.reciprocals, basal=True, at_rest=1.0)
    free = [name for name, memory in zip(model.state_names, model.memory_mask) if not memory]
    return _split(model, tape, [derivatives.get(name, 0.0) for name in free], "f", syntax)


def _split(model, tape, targets, out, syntax: Syntax) -> TracedRHS:
    need = tape.needed(targets)
    slot = {}  # hoisted line → c[...]
    pre, body = [], []
    ref = lambda name: slot.get(name, name)  # noqa: E731
    for name, op, args, invariant in tape.lines:
        if name not in need:
            continue
        code = syntax.render(op, args, ref)
        if invariant:
            slot[name] = f"c[{len(slot)}]"
            pre.append(syntax.store.format(slot[name], code))
        else:
            body.append(syntax.declare.format(name, code))
    body += [syntax.store.format(f"{out}[{k}]", ref(d.code) if isinstance(d, Sym) else syntax.literal(d))
             for k, d in enumerate(targets)]
    return TracedRHS("\n".join(pre) or ("pass" if syntax is PYTHON else ""), "\n".join(body), max(len(slot), 1),
                     tuple(model.parameters), tuple(model.inputs))


_OUTPUT_FUNCTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # model → {names: function}


def output_function(model, names):
    """``f(t, y, params, inputs) -> {name: array}`` computing only ``names`` (states, outputs,
    inputs) with NumPy: the blocks' own formulas, minus everything the names do not need.
    ``f.states`` lists the state indices it reads; ``y[k]`` is only looked up for those."""
    cache = _OUTPUT_FUNCTIONS.setdefault(model, {})
    key = tuple(names)
    if key not in cache:
        tape, v, _ = _trace(model, NUMPY.reciprocals)
        targets = {n: v[n] for n in names}
        need = tape.needed(targets.values())
        states = sorted({int(c[2:-1]) for c in need if c.startswith("y[")})
        lines = [f"    {name} = {NUMPY.render(op, args, str)}" for name, op, args, _ in tape.lines if name in need]
        value = lambda x: x.code if isinstance(x, Sym) else NUMPY.literal(x)  # noqa: E731
        ret = ", ".join(f"{n!r}: {value(x)}" for n, x in targets.items())
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
