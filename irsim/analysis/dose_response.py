"""Dose responses of a model input, and the Hill curve that summarises one.

Each dose is one patient of a single batched solve: every patient starts from the input-free steady
state and the input is stepped to its dose at t = 0 (the in-vitro experiment: cells rested, then
stimulated). The *steady-state* response holds each dose until every state has settled, which is
what a reduced, quasi-steady description of the same pathway must reproduce.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from irsim.core.model import Model
from irsim.core.parameters import ParameterSet, resolve
from irsim.core.steady_state import fasting_steady_state
from irsim.errors import InputError, SteadyStateError
from irsim.solvers import SOLVERS
from irsim.solvers.segment import Segment


def _levels(levels: Sequence[float], unit: str) -> np.ndarray:
    doses = np.asarray(levels, dtype=float)
    if doses.ndim != 1 or doses.size == 0 or not np.all(np.isfinite(doses)) or np.any(doses < 0):
        raise InputError("levels", np.asarray(levels).tolist()[:5], unit=unit, allowed="one or more finite values ≥ 0")
    return doses


def _lookup(model, parameters) -> tuple[Model, ParameterSet | None]:
    from irsim.models import get_model, get_parameter_set

    model = get_model(model) if isinstance(model, str) else model
    return model, get_parameter_set(model.name, parameters) if isinstance(parameters, str) else parameters


def dose_response(model: Model | str, parameters: ParameterSet | str | None, input_name: str,
                  levels: Sequence[float], times_min: Sequence[float], variables: Sequence[str], *,
                  solver=None) -> dict[str, np.ndarray]:
    """``{variable: (len(times_min), len(levels))}``: the variables at each time after a step of
    ``input_name`` to each level at t = 0, from the steady state without it. ``solver`` defaults
    to the stiff Rosenbrock method (signalling models are stiff; the explicit one stalls)."""
    model, parameters = _lookup(model, parameters)
    if input_name not in model.inputs:
        raise InputError("input_name", input_name, allowed=", ".join(model.inputs) or "none: the model has no inputs")
    doses = _levels(levels, model.inputs[input_name].unit)
    times = np.asarray(times_min, dtype=float)
    if times.ndim != 1 or times.size == 0 or not np.all(np.isfinite(times)) or np.any(np.diff(times) <= 0) \
            or times[0] <= 0:
        raise InputError("times_min", np.asarray(times_min).tolist()[:5], unit="min", allowed="increasing times > 0")
    unknown = sorted(set(variables) - set(model.variable_names()))
    if unknown:
        raise InputError("variables", unknown[0], allowed=", ".join(model.variable_names()))
    n = doses.size
    y0, params = fasting_steady_state(model, resolve(model, parameters), n)
    solver = solver or SOLVERS["rosenbrock"]()
    out, _, _ = solver.integrate(Segment(model, params, {input_name: doses}, n), 0.0, float(times[-1]), y0, times)
    v, _ = model.evaluate(times[:, None], out.transpose(2, 1, 0), params, {input_name: doses})
    return {k: np.broadcast_to(np.asarray(v[k], dtype=float), (times.size, n)).copy() for k in variables}


def steady_state_dose_response(model: Model | str, parameters: ParameterSet | str | None, input_name: str,
                               levels: Sequence[float], variables: Sequence[str], *, settle_min: float = 5000.0,
                               tol: float = 1e-6, solver=None) -> dict[str, np.ndarray]:
    """``{variable: (len(levels),)}`` once each dose has been held ``settle_min`` minutes.

    Settling by integration rather than by Newton's method: strong feedback makes Newton from a
    generic starting point unreliable at some doses, while the trajectory always arrives. The end
    point is an attractor, so loose integration tolerances (the default) do not move it; what
    certifies it is the drift: :class:`SteadyStateError` for any dose whose state still moves by
    more than ``tol`` (relative, per minute) at the end.
    """
    model, parameters = _lookup(model, parameters)
    solver = solver or SOLVERS["rosenbrock"](rtol=1e-5, atol=1e-8)
    at_end = dose_response(model, parameters, input_name, levels, [settle_min], [*model.state_names, *variables],
                           solver=solver)
    doses = _levels(levels, model.inputs[input_name].unit)
    y = np.stack([at_end[s][0] for s in model.state_names])
    f = model.rhs(settle_min, y, resolve(model, parameters), {input_name: doses})
    drift = np.max(np.abs(f) / (np.abs(y) + 1.0), axis=0)
    moving = np.flatnonzero(~(drift <= tol))
    if moving.size:
        raise SteadyStateError(f"not settled after {settle_min:g} min at {input_name} = {doses[moving[0]]:g} "
                               f"(relative drift {drift[moving[0]]:.1e}/min)", patients=moving, time_min=settle_min)
    return {k: at_end[k][0] for k in variables}


@dataclass(frozen=True)
class HillFit:
    """``response = basal + (maximum − basal) · c^n / (ec50^n + c^n)``, least squares on the doses given.

    ``ec50`` is in the doses' unit; ``max_residual`` is the largest misfit, in the response's unit.
    """

    basal: float
    maximum: float
    ec50: float
    n: float
    max_residual: float

    def __call__(self, concentration):
        c = np.asarray(concentration, dtype=float) ** self.n
        return self.basal + (self.maximum - self.basal) * c / (self.ec50 ** self.n + c)


def fit_hill(concentration: Sequence[float], response: Sequence[float]) -> HillFit:
    """The Hill curve closest (least squares) to a dose response; EC50 fitted on a log scale."""
    c = np.asarray(concentration, dtype=float)
    r = np.asarray(response, dtype=float)
    positive = c > 0
    if c.shape != r.shape or c.ndim != 1 or np.count_nonzero(positive) < 4 or not np.all(np.isfinite(r)):
        raise InputError("concentration", c.tolist()[:5], allowed="at least 4 positive concentrations, each with "
                         "one finite response")
    mid = np.exp(np.mean(np.log(c[positive])))

    def curve(theta, x):
        basal, top, log_ec50, n = theta
        xn = x ** n
        return basal + (top - basal) * xn / (np.exp(log_ec50) ** n + xn)

    from scipy.optimize import least_squares  # here: importing irsim.models must stay quick for the CLI

    fit = least_squares(lambda th: curve(th, c) - r, x0=[r.min(), r.max(), np.log(mid), 1.0],
                        bounds=([-np.inf, -np.inf, -np.inf, 0.05], [np.inf, np.inf, np.inf, 20.0]))
    basal, top, log_ec50, n = fit.x
    return HillFit(float(basal), float(top), float(np.exp(log_ec50)), float(n), float(np.max(np.abs(fit.fun))))
