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

from irsim.errors import SteadyStateError


def _tie(model, y, params):
    """``params`` with each basal parameter set to its variable's value at state ``y``."""
    ties = model.basal_ties
    if not ties:
        return params
    v, _ = model.evaluate(0.0, y, params, basal=True)
    return {**params, **{p: v[p] for p in ties}}


def fasting_steady_state(model, params: Mapping[str, Any], n_patients: int, *, tol: float = 1e-11,
                         max_iter: int = 60) -> tuple[np.ndarray, dict[str, Any]]:
    """States ``(n_states, n_patients)`` with zero derivatives and no food or infusions, and the
    parameters with their basal values set.

    Raises :class:`SteadyStateError` naming the patients for whom no steady state was found.
    """
    y = model.initial_guess(params, (n_patients,))
    free = np.flatnonzero(~model.memory_mask)
    m = free.size

    resting = {**params, "at_rest": 1.0}

    def residual(y_):
        return model.rhs(0.0, y_, resting, basal=True)[free]

    def inverse_jacobian(y_, f_):
        jac = np.empty((n_patients, m, m))
        for j, row in enumerate(free):
            h = 1e-7 * (np.abs(y_[row]) + 1.0)
            yp = y_.copy()
            yp[row] += h
            jac[:, :, j] = ((residual(yp) - f_) / h).T
        try:
            return np.linalg.inv(jac)
        except np.linalg.LinAlgError:  # a singular patient: least-squares steps for everybody
            return np.linalg.pinv(jac)

    f = residual(y)
    inv, last_err = None, None
    for _ in range(max_iter):
        scale = np.abs(y[free]) + 1.0
        err = np.max(np.abs(f) / scale, axis=0)
        if np.all(err < tol):
            break
        # chord iterations: keep the Jacobian while the residual still falls tenfold per step
        if inv is None or np.any(err > 0.1 * last_err):
            inv = inverse_jacobian(y, f)
        last_err = err
        step = -(inv @ f.T[:, :, None])[:, :, 0].T
        lam = np.ones(n_patients)
        for _ in range(30):  # backtracking per patient: accept where the residual shrinks
            trial = y.copy()
            trial[free] += lam * step
            f_trial = residual(trial)
            ok = np.max(np.abs(f_trial) / scale, axis=0) <= (1.0 - 1e-4 * lam) * err + 1e-300
            ok |= lam < 1e-6
            if np.all(ok):
                break
            lam = np.where(ok, lam, lam * 0.5)
        y, f = trial, f_trial
    scale = np.abs(y[free]) + 1.0
    err = np.max(np.abs(f) / scale, axis=0)
    bad = np.flatnonzero(~(err < 1e3 * tol) | ~np.all(np.isfinite(y), axis=0))
    if bad.size:
        raise SteadyStateError("no fasting steady state found for these parameters", patients=bad, time_min=0.0)
    return y, _tie(model, y, dict(params))
