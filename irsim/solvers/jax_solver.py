"""Optional GPU path: the batched Dormand–Prince in JAX (``pip install 'irsim[jax]'``).

The blocks' own rate functions run with ``xp=jax.numpy`` (``Model.rhs(..., xp=jnp)``), so this is
the same model as the NumPy and numba paths; the whole segment (all patients, all steps, dense
output) is one ``jax.lax.while_loop`` compiled by XLA, for CPU or GPU alike. Same tableau, error
norm, step-size rule and first step as :class:`irsim.solvers.batched.BatchedDormandPrince`.
Importing this module switches JAX to float64 (``jax_enable_x64``): the tolerances need it.
Validated on CPU only (``tests/solvers/test_jax.py``); no GPU was available to measure it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from irsim.errors import SolverError
from irsim.solvers.batched import _A, _B, _C, _E, _P

try:
    import jax
    import jax.numpy as jnp
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("the JAX solver needs jax: pip install 'irsim[jax]'") from exc

jax.config.update("jax_enable_x64", True)


def _lin(coeffs, K):
    """Σ c_j·K[j] over the nonzero coefficients (same order as the NumPy path)."""
    acc = None
    for c, k in zip(coeffs, K):
        if c != 0.0:
            acc = c * k if acc is None else acc + c * k
    return acc


@dataclass
class JaxDormandPrince:
    """Per-patient adaptive DP5 as one XLA program; ``integrate`` matches the other solvers."""

    rtol: float = 1e-6
    atol: float = 1e-8
    max_steps: int = 100_000

    def integrate(self, segment, t0, t1, y0, t_eval, out=None, keep=None):
        model, params, inputs = segment.model, segment.params, segment.inputs
        m, n = y0.shape
        keep = np.arange(m) if keep is None else np.asarray(keep)
        t_eval = np.asarray(t_eval, dtype=float)
        p = {k: jnp.asarray(v) for k, v in params.items()}
        u = {k: jnp.broadcast_to(jnp.asarray(v, dtype=float), (n,)) for k, v in inputs.items()}

        def f(t, y):
            return model.rhs(t, y, p, u, xp=jnp)

        padded = np.append(t_eval, np.inf)  # a never-due sentinel: segments without output times compile too
        Y, y_end, steps, ok = _run(f, float(t0), float(t1), jnp.asarray(y0, dtype=float), jnp.asarray(padded),
                                   jnp.asarray(keep), self.rtol, self.atol, self.max_steps)
        ok = np.asarray(ok)
        if not ok.all():
            raise SolverError("JAX solver did not reach the end (step underflow or too many steps)",
                              patients=np.flatnonzero(~ok), time_min=float(t0))
        Y = np.asarray(Y)[:, :-1]
        if out is not None:
            out[...] = Y
        return Y, np.asarray(y_end), {"steps": int(steps)}


def _run(f, t0, t1, y0, t_eval, keep, rtol, atol, max_steps):
    m, n = y0.shape
    n_t = t_eval.shape[0]
    eps = 1e-12 * max(1.0, abs(t1))
    f0 = f(jnp.full(n, t0), y0)
    scale = atol + rtol * jnp.abs(y0)
    d0 = jnp.sqrt(jnp.mean((y0 / scale) ** 2, axis=0))
    d1 = jnp.sqrt(jnp.mean((f0 / scale) ** 2, axis=0))
    h0 = jnp.where((d0 < 1e-5) | (d1 < 1e-5), 1e-6, 0.01 * d0 / jnp.maximum(d1, 1e-300))
    h0 = jnp.minimum(h0, t1 - t0)
    f1 = f(t0 + h0, y0 + h0 * f0)
    d2 = jnp.sqrt(jnp.mean(((f1 - f0) / scale) ** 2, axis=0)) / h0
    big = jnp.maximum(d1, d2)
    h1 = jnp.where(big <= 1e-15, jnp.maximum(1e-6, h0 * 1e-3), (0.01 / jnp.maximum(big, 1e-300)) ** (1.0 / 6.0))
    h = jnp.minimum(jnp.minimum(100 * h0, h1), t1 - t0)
    cols = jnp.arange(n)

    def write(carry):
        out, k, t, tn, h, y, Q = carry
        kc = jnp.minimum(k, n_t - 1)
        due = (k < n_t) & (t_eval[kc] <= tn)
        theta = (t_eval[kc] - t) / h
        val = y + h * theta * (Q[0] + theta * (Q[1] + theta * (Q[2] + theta * Q[3])))
        old = out[cols, kc]
        out = out.at[cols, kc].set(jnp.where(due[:, None], val[keep].T, old))
        return out, k + due, t, tn, h, y, Q

    def any_due(carry):
        _, k, _, tn, *_ = carry
        return jnp.any((k < n_t) & (t_eval[jnp.minimum(k, n_t - 1)] <= tn))

    def step(state):
        t, y, f0, h, k, out, steps, failed = state
        active = (t < t1 - eps) & ~failed
        h = jnp.minimum(h, t1 - t)
        K = [f0]
        for s in range(1, 6):
            K.append(f(t + _C[s] * h, y + h * _lin(_A[s], K)))
        y_new = y + h * _lin(_B, K)
        K.append(f(t + h, y_new))
        err_vec = h * _lin(_E, K)
        sc = atol + rtol * jnp.maximum(jnp.abs(y), jnp.abs(y_new))
        err = jnp.sqrt(jnp.mean((err_vec / sc) ** 2, axis=0))
        finite = jnp.isfinite(err) & jnp.all(jnp.isfinite(y_new), axis=0)
        ok = finite & (err <= 1.0) & active
        factor = jnp.clip(0.9 * jnp.maximum(err, 1e-10) ** -0.2, 0.2, 10.0)
        factor = jnp.where(ok, factor, jnp.where(finite, jnp.minimum(factor, 1.0), 0.2))
        tn = jnp.where(t1 - (t + h) < eps, t1, t + h)
        Q = [_lin(_P[:, c], K) for c in range(4)]
        out, k, *_ = jax.lax.while_loop(any_due, write, (out, k, t, jnp.where(ok, tn, -jnp.inf), h, y, Q))
        failed = failed | (active & ~ok & (h < 1e-12 * jnp.maximum(1.0, jnp.abs(t)) + 1e-300))
        return (jnp.where(ok, tn, t), jnp.where(ok, y_new, y), jnp.where(ok, K[6], f0),
                jnp.where(active, h * factor, h), k, out, steps + 1, failed)

    def running(state):
        t, *_, steps, failed = state
        return jnp.any((t < t1 - eps) & ~failed) & (steps < max_steps)

    k0 = jnp.searchsorted(t_eval, t0, side="right") * jnp.ones(n, dtype=jnp.int32)
    out0 = jnp.zeros((n, n_t, keep.shape[0]))
    state = (jnp.full(n, t0), y0, f0, h, k0, out0, 0, jnp.zeros(n, dtype=bool))
    t, y, _, _, _, out, steps, failed = jax.jit(lambda s: jax.lax.while_loop(running, step, s))(state)
    return out, y, steps, (t >= t1 - eps) & ~failed
