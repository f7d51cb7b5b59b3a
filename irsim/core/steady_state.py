"""The fasting steady state of any parameter set, computed rather than typed in.

Damped Newton iterations on the full right-hand side, vectorised over patients (one batched
finite-difference Jacobian and one batched linear solve per iteration). Parameters that blocks
declare *basal* (the subject's own fasting glucose and insulin) are tied to their variables while
solving, as Dalla Man's basal constraints prescribe, so X and Y are zero at the fasting state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from irsim.core.parameters import take_patients
from irsim.errors import SteadyStateError


def _tie(model, y, params):
    """``params`` with each basal parameter set to its variable's value at state ``y``."""
    ties = model.basal_ties
    if not ties:
        return params
    v, _ = model.evaluate(0.0, y, params, basal=True)
    return {**params, **{p: v[p] for p in ties}}


#: without a C compiler, chunks with at least this many patients use numba's Newton once it is
#: compiled (one patient's NumPy Newton takes milliseconds, loading numba ≈ 0.6 s)
COMPILED_FROM = 64


def fasting_steady_state(model, params: Mapping[str, Any], n_patients: int, *, tol: float = 1e-11,
                         max_iter: int = 60, compiled_from: int = COMPILED_FROM) -> tuple[np.ndarray, dict[str, Any]]:
    """States ``(n_states, n_patients)`` with zero derivatives and no food or infusions, and the
    parameters with their basal values set.

    Chord Newton: each patient keeps its inverse Jacobian while its residual still halves at each
    step, and stops iterating once converged, so a patient's steady state does not depend on
    who else is in the batch. The same iteration runs compiled, patient by patient
    (:mod:`irsim.solvers.compiled_steady_state`), from the C library whenever a C compiler is
    found, else with numba for at least ``compiled_from`` patients once its kernel is compiled
    (until then it compiles in the background; a caller solving many steady states one after
    another, as a course does, asks for it from 1 patient); patients it cannot solve go through the
    NumPy path. Raises :class:`SteadyStateError` naming the
    patients for whom no steady state was found.
    """
    y0 = model.initial_guess(params, (n_patients,))
    if _compiled_ready(model, n_patients, compiled_from):
        y, bad = _newton_compiled(model, params, y0, tol, max_iter)
    else:
        y, bad = _newton_numpy(model, params, y0, tol, max_iter)
    if bad.size:
        raise SteadyStateError("no fasting steady state found for these parameters", patients=bad, time_min=0.0)
    lower = np.array([s.lower for s in model.states])[:, None]
    below = np.flatnonzero(np.any(y < lower - 1e-9 * (np.abs(y) + 1.0), axis=0))
    if below.size:
        names = sorted({model.state_names[k] for k in np.flatnonzero(np.any(y[:, below] < lower, axis=1))})
        raise SteadyStateError(f"the only fasting steady state has negative {', '.join(names)}: these parameters "
                               "do not describe a living body", patients=below, time_min=0.0)
    tied = _tie(model, y, dict(params))
    declared = model.parameters
    for name in model.basal_ties:  # a fasting value outside its declared range is not a physiological state
        p, value = declared[name], np.broadcast_to(np.asarray(tied[name], dtype=float), (n_patients,))
        out = np.flatnonzero((value < p.lower) | (value > p.upper))
        if out.size:
            raise SteadyStateError(f"the fasting steady state has {name} = {value[out[0]]:.4g} {p.unit}, outside "
                                   f"{p.lower:g}-{p.upper:g} {p.unit} ({p.description}): these parameters do not "
                                   "describe a physiological fasting state", patients=out, time_min=0.0)
    return y, tied


def _compiled_ready(model, n_patients: int, compiled_from: int = COMPILED_FROM) -> bool:
    """The C Newton for any chunk (a call costs microseconds); numba's for chunks of at least
    ``compiled_from`` (loading numba costs ≈ 0.6 s)."""
    from irsim.solvers import compiled_steady_state

    return compiled_steady_state.ready(model, numba=n_patients >= compiled_from)


def _newton_compiled(model, params, y0, tol, max_iter):
    """The compiled iteration; patients it leaves unsolved (singular Jacobian, no convergence) are
    retried on the NumPy path. Returns ``(y, unsolved patients)``."""
    from irsim.solvers import compiled_steady_state

    y, status = compiled_steady_state.newton(model, params, y0.copy(), tol, max_iter)
    retry = np.flatnonzero(status != compiled_steady_state.CONVERGED)
    if not retry.size:
        return y, retry
    y[:, retry], bad = _newton_numpy(model, take_patients(params, retry), y0[:, retry], tol, max_iter)
    return y, retry[bad]


def _newton_numpy(model, params, y0, tol, max_iter):
    """The vectorised iteration from ``y0`` ``(n_states, n)``: returns ``(y, unsolved patients)``."""
    y = np.array(y0, dtype=float)
    n_patients = y.shape[1]
    free = np.flatnonzero(~model.memory_mask)
    m = free.size
    resting = {**params, "at_rest": 1.0}

    def residual(y_, idx):
        return model.rhs(0.0, y_, take_patients(resting, idx), basal=True)[free]

    def error(y_, f_):
        return np.max(np.abs(f_) / (np.abs(y_[free]) + 1.0), axis=0)

    def inverse_jacobian(y_, f_, idx):
        jac = np.empty((idx.size, m, m))
        for j, row in enumerate(free):
            h = 1e-7 * (np.abs(y_[row]) + 1.0)
            yp = y_.copy()
            yp[row] += h
            jac[:, :, j] = ((residual(yp, idx) - f_) / h).T
        try:
            return np.linalg.inv(jac)
        except np.linalg.LinAlgError:  # a singular patient: least-squares steps for these
            return np.linalg.pinv(jac)

    everyone = np.arange(n_patients)
    f = residual(y, everyone)
    err = error(y, f)
    inv = np.empty((n_patients, m, m))
    last_err = np.full(n_patients, np.nan)  # no Jacobian yet: every patient starts stale
    active = everyone
    for _ in range(max_iter):
        active = active[~(err[active] < tol)]
        if not active.size:
            break
        stale = active[~(err[active] <= 0.5 * last_err[active])]
        if stale.size:
            inv[stale] = inverse_jacobian(y[:, stale], f[:, stale], stale)
        last_err[active] = err[active]
        ya, fa, ea = y[:, active], f[:, active], err[active]
        step = -(inv[active] @ fa.T[:, :, None])[:, :, 0].T
        lam = np.ones(active.size)
        for _ in range(30):  # backtracking per patient: accept where the residual shrinks
            trial = ya.copy()
            trial[free] += lam * step
            f_trial = residual(trial, active)
            e_trial = error(trial, f_trial)
            ok = (e_trial <= (1.0 - 1e-4 * lam) * ea + 1e-300) | (lam < 1e-6)
            if np.all(ok):
                break
            lam = np.where(ok, lam, lam * 0.5)
        y[:, active], f[:, active], err[active] = trial, f_trial, e_trial
    return y, np.flatnonzero(~(err < 1e3 * tol) | ~np.all(np.isfinite(y), axis=0))
