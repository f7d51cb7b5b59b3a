"""The facade: a model, a subject (parameter set), a protocol and a solver → a :class:`Result`.

    sim = Simulation("dalla-man-2007", "t2d", OGTT(glucose_g=75))
    result = sim.solve()

The same path runs one patient or a population (``variation=Variation(n, {"Vmx": 0.3})``): every
state and parameter is an array over patients and one right-hand-side call advances them all.
Large populations are integrated in chunks, so memory stays flat when only summaries are kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from functools import partial
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from irsim.core.model import Model
from irsim.core.parameters import ParameterSet, Variation, population_size, resolve, take_patients
from irsim.core.steady_state import fasting_steady_state
from irsim.errors import InputError, SolverError, UnknownNameError
from irsim.protocols.base import Protocol
from irsim.result import Result
from irsim.solvers import SOLVERS
from irsim.solvers.codegen import output_function
from irsim.solvers.segment import Segment


def _patients_of(value, idx, population: int):
    """A dose amount or infusion rate given per patient of the whole population (an array of its
    length), narrowed to this chunk's patients ``idx``; anything else as it is."""
    return value[idx] if np.ndim(value) == 1 and len(value) == population else value


def _uniform_as_scalars(values: Mapping[str, Any]) -> dict[str, Any]:
    """Arrays equal for every patient become scalars: cheaper array-with-scalar arithmetic in the RHS."""
    return {k: (v.flat[0] if np.ndim(v) > 0 and v.size and np.all(v == v.flat[0]) else v) for k, v in values.items()}


def _named_parameters(model_name: str, name: str) -> ParameterSet:
    """A parameter set of the model by its name, else a patient preset of the model by its name."""
    from irsim.models import MODELS, get_parameter_set
    from irsim.patients import PATIENTS, get_patient

    sets = MODELS[model_name][1] if model_name in MODELS else {}
    if name not in PATIENTS or name in sets:
        if sets and name not in sets:
            raise UnknownNameError(f"subject or patient preset of model {model_name}", name, {*sets, *PATIENTS})
        return get_parameter_set(model_name, name)  # an unregistered model is named in its error
    patient = get_patient(name)
    if patient.model != model_name:
        raise InputError("parameters", name, reason=f"patient {name} is a subject of model {patient.model}",
                         allowed=f"model {patient.model}, or a parameter set of {model_name}")
    return patient.parameter_set


class Simulation:
    """One experiment on one subject or a population.

    Parameters
    ----------
    model:
        A :class:`~irsim.core.model.Model` or a registry name (``"dalla-man-2007"``).
    parameters:
        A :class:`ParameterSet`, the name of one of the model's sets (``"normal"``, ``"t2d"``), or
        of a patient preset of this model (``"healthy_lean"``, ``"igt"``; see ``irsim patients``): the
        same names the CLI's ``--subject`` and ``--patient`` accept.
    protocol:
        A :class:`~irsim.protocols.Protocol` (e.g. ``OGTT()``).
    overrides:
        ``{"Vmx": 0.03}``: fixed parameter values on top of the set.
    variation:
        Population variation; patient 0 keeps the nominal values.
    solver:
        ``"batched"`` (default), ``"scipy"``, or a solver object.
    """

    def __init__(self, model: Model | str, parameters: ParameterSet | str | None, protocol: Protocol, *,
                 overrides: Mapping[str, float] | None = None, variation: Variation | None = None,
                 solver: str | Any = "batched"):
        from irsim.models import get_model

        self.model = get_model(model) if isinstance(model, str) else model
        if isinstance(parameters, str):
            parameters = _named_parameters(self.model.name, parameters)
        self.parameter_set = parameters
        self.protocol = protocol
        self.overrides = dict(overrides or {})
        self.variation = variation
        if isinstance(solver, str):
            if solver not in SOLVERS:
                raise UnknownNameError("solver", solver, SOLVERS)
            solver = SOLVERS[solver]()
        self.solver = solver
        basal = {p for b in self.model.blocks for p in b.basal}
        computed = basal if not (parameters and parameters.initial_state) else set()
        varied = dict(variation.fractions) if variation is not None else {}
        refused = sorted([(k, v, "set") for k, v in self.overrides.items() if k in computed]
                         + [(k, v, "varied") for k, v in varied.items() if k in computed])
        if refused:
            name, value, how = refused[0]
            raise InputError(name, value, unit=self.model.parameters[name].unit if how == "set" else "fraction",
                             reason=f"cannot be {how}: it is the subject's own fasting value, computed from the "
                             "steady state", allowed="changing (or varying) the mechanism parameters instead, e.g. "
                             "Vmx, kp3, Sb")
        self.params = resolve(self.model, parameters, self.overrides, variation)
        self.n_patients = variation.n_patients if variation is not None else population_size(self.params)
        self._check_protocol_fits_model()

    def _check_protocol_fits_model(self) -> None:
        """Fail before any work when the protocol gives something the model has no way to receive."""
        needs = {d.kind for d in self.protocol.doses} | {i.input for i in self.protocol.infusions} | {
            c.input for c in self.protocol.controllers}
        has = set(self.model.dose_kinds) | set(self.model.inputs)
        missing = sorted(needs - has)
        if missing:
            raise InputError("protocol", self.protocol.name, reason=f"gives {', '.join(missing)}, which model "
                             f"{self.model.name} cannot receive", allowed=", ".join(sorted(has)) or "nothing")

    @property
    def citations(self) -> tuple[str, ...]:
        """Keys of the papers this run rests on (model, parameter set, protocol); see irsim.citations."""
        from irsim.citations import used_by

        return used_by(self.model, self.parameter_set, self.protocol)

    # ------------------------------------------------------------------------------------------
    def initial_state(self, params: Mapping[str, Any], n: int) -> tuple[np.ndarray, dict[str, Any]]:
        """Fixed initial state of the parameter set, else the fasting steady state."""
        fixed = self.parameter_set.initial_state if self.parameter_set else None
        if fixed:
            y0 = np.stack([np.full(n, float(fixed[s])) for s in self.model.state_names])
            return y0, dict(params)
        return fasting_steady_state(self.model, params, n)

    def solve(self, step_min: float = 1.0, t_eval: Sequence[float] | None = None,
              variables: Sequence[str] | None = None, chunk_size: int = 4096, reduce=None,
              workers: int | None = None, chunks: Sequence[tuple[int, int]] | None = None,
              progress: Callable[[int], Any] | None = None) -> Result | list:
        """Integrate the protocol; outputs every ``step_min`` minutes (or at ``t_eval``).

        ``variables`` limits what is kept (names of states/outputs/inputs, default all), which is
        what keeps memory small for large populations. Patients are integrated in chunks of about
        ``chunk_size`` (small enough to stay in cache) on ``workers`` threads (default: one per
        core; NumPy releases the GIL). With ``reduce`` (e.g. ``irsim.analysis.summary.summarize``)
        each chunk's :class:`Result` is passed to it as soon as it is solved and dropped, and the
        list of what ``reduce`` returned, in patient order, is returned: memory stays flat in
        population size. ``chunks`` (with ``reduce``) solves only these ``(first, stop)`` patient
        ranges, as given: what a resumed run still lacks. ``progress(n)`` is called as each chunk of
        ``n`` patients is finished (e.g. a progress bar's ``update``).
        """
        duration = self.protocol.duration_min
        if t_eval is None:
            if not (np.isfinite(step_min) and step_min > 0):
                raise InputError("step_min", step_min, unit="min", allowed="> 0")
            # the protocol's sample times are always on the grid: clinical measures never depend on the step
            samples = [t for t in self.protocol.sample_times_min if 0.0 <= t <= duration]
            t_eval = np.union1d(np.arange(0.0, duration + 1e-9, step_min), [*samples, duration])
        t_eval = np.asarray(t_eval, dtype=float)
        allowed = f"increasing finite times within 0 to {duration:g} min"
        if t_eval.ndim != 1 or t_eval.size == 0 or not np.all(np.isfinite(t_eval)):
            raise InputError("t_eval", t_eval.tolist()[:5], unit="min", allowed=allowed, reason="empty or not finite")
        if np.any(np.diff(t_eval) <= 0) or t_eval[0] < 0 or t_eval[-1] > duration:
            raise InputError("t_eval", f"[{t_eval.min():g} … {t_eval.max():g}]", unit="min", allowed=allowed)
        names = self.check_variables(variables)

        workers = workers or len(os.sched_getaffinity(0))
        n_chunks = -(-self.n_patients // chunk_size)
        compiled = getattr(self.solver, "runs_compiled", None)
        threads_pay = compiled is None or compiled(self.model, min(chunk_size, self.n_patients), duration)
        if self.n_patients >= 256 * workers and threads_pay:  # whole rounds of equal chunks keep every core busy
            n_chunks = -(-n_chunks // workers) * workers
        edges = np.linspace(0, self.n_patients, n_chunks + 1).round().astype(int)

        bounds = list(zip(edges[:-1], edges[1:]))
        if chunks is not None:
            if reduce is None:
                raise InputError("chunks", list(chunks)[:3], reason="only with reduce (a partial population has no "
                                 "single Result)")
            bounds = [(int(lo), int(hi)) for lo, hi in chunks]
            for lo, hi in bounds:
                if not 0 <= lo < hi <= self.n_patients:
                    raise InputError("chunks", (lo, hi), allowed=f"0 ≤ first < stop ≤ {self.n_patients}")
        # several chunks: each writes into the population's arrays as soon as it is solved (no concatenation)
        whole = None if reduce or len(bounds) == 1 else {k: np.empty((t_eval.size, self.n_patients)) for k in names}

        def run(lo_hi):
            idx = np.arange(*lo_hi)
            params = take_patients(self.params, slice(*lo_hi))  # views of the population's arrays
            piece = self._solve_chunk(params, idx, t_eval, names)
            if reduce:
                piece = reduce(self._result(t_eval, [piece]))
            else:
                for k in names if whole else ():
                    whole[k][:, slice(*lo_hi)] = piece[0].pop(k)
            if progress:
                progress(idx.size)
            return piece

        # BLAS threads on top of our chunk threads only spin and fight for the cores: the batched
        # linear algebra here is many tiny problems, so it runs single-threaded inside each chunk
        with threadpool_limits(limits=1, user_api="blas") if self.n_patients > 1 else nullcontext():
            if workers > 1 and len(bounds) > 1:
                with ThreadPoolExecutor(workers) as pool:
                    pieces = list(pool.map(run, bounds))
            else:
                pieces = [run(b) for b in bounds]
        return pieces if reduce else self._result(t_eval, pieces, whole)

    def _result(self, t_eval, pieces, data=None) -> Result:
        data = data or {k: np.concatenate([p[0][k] for p in pieces], axis=1) for k in pieces[0][0]}
        params_out = {k: (np.concatenate([np.broadcast_to(p[1][k], (len(p[2]),)) for p in pieces])
                          if any(np.ndim(p[1][k]) for p in pieces) else pieces[0][1][k]) for k in pieces[0][1]}
        ids = np.concatenate([p[2] for p in pieces])
        return Result(self.model, self.protocol, t_eval, data, params_out, self.parameter_set, self.overrides,
                      self.variation, patient_ids=ids)

    def check_variables(self, variables: Sequence[str] | None) -> list[str]:
        """The variables to keep: ``None`` means every one; otherwise each must be a name of the model."""
        if variables is None:
            return [*self.model.variable_names(), *self.model.inputs]
        names = list(variables)
        known = set(self.model.variable_names()) | set(self.model.inputs)
        if not names:
            raise InputError("variables", "[]", allowed=f"one or more of {', '.join(sorted(known))}",
                             reason="nothing to keep")
        for name in names:
            if name not in known:
                raise UnknownNameError(f"variable of model {self.model.name}", name, known)
        return names

    def _solve_chunk(self, params, idx, t_eval, names):
        n = idx.size
        try:
            y0, params = self.initial_state(params, n)
            outputs = output_function(self.model, names)
            states, inputs = self._integrate(params, y0, t_eval, outputs.states, idx)
        except SolverError as exc:  # name patients by their index in the whole population
            exc.patients = [int(idx[p]) for p in exc.patients]
            raise type(exc)(str(exc).split(" (patient")[0], patients=exc.patients, time_min=exc.time_min) from exc
        y = dict(zip(outputs.states, states.transpose(2, 1, 0)))  # kept states, each (n_t, n)
        self._check_physiological(y, idx, t_eval)
        v = outputs(t_eval[:, None], y, params, inputs)  # only what is asked for
        data = {}
        for k in names:
            arr = np.asarray(v[k], dtype=float)
            if arr.shape != (len(t_eval), n) or not arr.flags.owndata:  # computed outputs are already fresh
                arr = np.broadcast_to(arr, (len(t_eval), n)).copy()
            if not np.all(np.isfinite(arr)):
                bad = np.flatnonzero(~np.all(np.isfinite(arr), axis=0))
                raise SolverError(f"non-finite {k}", patients=idx[bad], time_min=float(t_eval[0]))
            data[k] = arr
        return data, params, idx

    def _check_physiological(self, y, idx, t_eval) -> None:
        """A state below its least physiological value (a negative glucose mass, say) means the model
        was pushed outside the range it describes, e.g. by an insulin dose it cannot counter: stop
        rather than report it. Rounding-level undershoot (1e-6 of the state's scale) is tolerated."""
        for k, values in y.items():  # keyed by state index
            state = self.model.states[k]
            lower = state.lower
            if not np.isfinite(lower):
                continue
            if values.min() >= lower:  # the usual case: one pass, no temporaries
                continue
            scale = max(1.0, float(np.max(np.abs(values))))
            below = values < lower - 1e-6 * scale
            if below.any():
                patients = np.flatnonzero(below.any(axis=0))
                first = float(t_eval[np.flatnonzero(below.any(axis=1))[0]])
                raise SolverError(f"state {state.name} fell below its physiological minimum {lower:g} "
                                  f"{state.unit} (the model is outside its range: e.g. more "
                                  "insulin than it can counter)", patients=idx[patients], time_min=first)

    def _integrate(self, params, y0, t_eval, keep, idx):
        model, protocol = self.model, self.protocol
        chunk = partial(_patients_of, idx=idx, population=self.n_patients)
        n_states, n = y0.shape
        states = np.empty((n, len(t_eval), len(keep)))  # patient-major, only the states the outputs read
        inputs = {name: np.zeros((len(t_eval), n)) for name in model.inputs}
        states[:, t_eval == 0.0] = y0[keep].T[:, None]
        controlled = {c.label: np.full(n, c.initial_rate) for c in protocol.controllers}
        y = y0
        rhs_params = _uniform_as_scalars(params)
        bounds = protocol.boundaries()
        for ta, tb in zip(bounds[:-1], bounds[1:]):
            for dose in protocol.doses_at(ta):
                y = model.apply_dose(dose.kind, chunk(protocol.dose_amount(dose, params)), ta, y, params)
            seg_inputs = {k: chunk(rate) for k, rate in protocol.infusion_rates(ta, params).items()}
            for c in protocol.controllers:
                if ta >= c.stop_min or ta < c.start_min:
                    controlled[c.label] = np.zeros(n)
                elif np.any(np.isclose(protocol.controller_times(c), ta)):
                    v, _ = model.evaluate(ta, y, params, {**seg_inputs, c.input: controlled[c.label]})
                    controlled[c.label] = np.broadcast_to(c.update(ta, v, controlled[c.label], params), (n,)).copy()
                seg_inputs[c.input] = seg_inputs.get(c.input, 0.0) + controlled[c.label]
            mask = slice(*np.searchsorted(t_eval, [ta, tb], side="right"))  # (ta, tb]: a view, not a copy

            segment = Segment(model, rhs_params, seg_inputs, n, run_min=protocol.duration_min)
            _, y, _ = self.solver.integrate(segment, ta, tb, y, t_eval[mask], out=states[:, mask], keep=keep)
            for name, val in seg_inputs.items():
                inputs[name][mask] = val
        return states, inputs


def simulate(model: str = "dalla-man-2007", subject: str = "normal", protocol: Protocol | None = None,
             **kwargs) -> Result:
    """One-call convenience: ``simulate("dalla-man-2007", "t2d", OGTT())``."""
    from irsim.protocols import Meal

    solve_kwargs = {k: kwargs.pop(k) for k in ("step_min", "t_eval", "variables") if k in kwargs}
    return Simulation(model, subject, protocol or Meal(), **kwargs).solve(**solve_kwargs)


__all__ = ["Simulation", "simulate"]
