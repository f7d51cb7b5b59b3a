"""Batched Dormand–Prince 5(4) with per-patient step-size control.

Every patient carries its own time and step size, so a stiff or fast patient neither slows nor
spoils the others; all advance together through one vectorised right-hand-side call per stage.
Finished patients drop out of the active set (the arrays are compacted when fewer than 70 % are
still running). Outputs between steps come from cubic Hermite interpolation of each step
(values and derivatives at both ends, 4th-order accurate). Protocol discontinuities are handled by
the caller, which integrates segment by segment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from irsim.errors import SolverError

# Dormand & Prince (1980) tableau; E = b5 − b4 (the embedded error estimate).
_C = (0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0)
_A = (
    (),
    (1 / 5,),
    (3 / 40, 9 / 40),
    (44 / 45, -56 / 15, 32 / 9),
    (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
    (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
)
_B = (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84)
_E = (71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40)


def _combine(y, h, coeffs, ks):
    acc = y.copy()
    for c, k in zip(coeffs, ks):
        if c:
            acc += (h * c) * k
    return acc


@dataclass
class BatchedDormandPrince:
    rtol: float = 1e-7
    atol: float = 1e-9
    max_steps: int = 200_000
    first_step: float = 0.1

    def integrate(self, make_rhs, t0, t1, y0, t_eval):
        n_states, n = y0.shape
        out = np.empty((len(t_eval), n_states, n))
        y_end = np.array(y0, dtype=float, copy=True)
        t_eval = np.asarray(t_eval, dtype=float)

        idx = np.arange(n)  # patients in the working arrays
        f = make_rhs(idx)
        y = y_end.copy()
        t = np.full(n, float(t0))
        h = np.full(n, min(self.first_step, t1 - t0))
        k_next = np.zeros(n, dtype=int)  # next output index per patient
        k1 = f(t, y)
        calls = 1
        for _ in range(self.max_steps):
            active = t < t1 - 1e-12 * max(1.0, abs(t1))
            if not active.any():
                break
            if active.mean() < 0.7:  # compact: keep only running patients
                done = ~active
                y_end[:, idx[done]] = y[:, done]
                idx, y, t, h, k_next, k1 = idx[active], y[:, active], t[active], h[active], k_next[active], k1[:, active]
                f = make_rhs(idx)
                active = np.ones(idx.size, dtype=bool)
            h = np.minimum(h, t1 - t)
            ks = [k1]
            for s in range(1, 6):
                ks.append(f(t + _C[s] * h, _combine(y, h, _A[s], ks)))
            y_new = _combine(y, h, _B, ks)
            k7 = f(t + h, y_new)
            calls += 6
            ks.append(k7)
            err_vec = _combine(np.zeros_like(y), h, _E, ks)
            scale = self.atol + self.rtol * np.maximum(np.abs(y), np.abs(y_new))
            err = np.sqrt(np.mean((err_vec / scale) ** 2, axis=0))
            finite = np.isfinite(err) & np.all(np.isfinite(y_new), axis=0)
            accept = finite & (err <= 1.0) & active
            factor = np.where(finite, np.clip(0.9 * np.maximum(err, 1e-10) ** -0.2, 0.2, 5.0), 0.2)
            factor = np.where(accept, factor, np.minimum(factor, 1.0))
            if accept.any():
                self._write_outputs(out, t_eval, k_next, idx, accept, t, h, y, y_new, k1, k7)
                t = np.where(accept, t + h, t)
                y = np.where(accept, y_new, y)
                k1 = np.where(accept, k7, k1)
            h = np.where(active, h * factor, h)
            tiny = active & ~accept & (h < 1e-10 * max(1.0, abs(t1)))
            if tiny.any():
                raise SolverError("step size underflow (the equations may be stiff or ill-posed here)",
                                  patients=idx[tiny], time_min=float(t[tiny][0]))
        else:
            raise SolverError(f"more than {self.max_steps} steps", patients=idx[t < t1], time_min=float(t.min()))
        y_end[:, idx] = y
        return out, y_end, {"rhs_calls": calls}

    @staticmethod
    def _write_outputs(out, t_eval, k_next, idx, accept, t, h, y0, y1, f0, f1):
        t_new = t + h
        while True:
            k = np.minimum(k_next, len(t_eval) - 1)
            due = accept & (k_next < len(t_eval)) & (t_eval[k] <= t_new + 1e-12)
            if not due.any():
                return
            sel = np.flatnonzero(due)
            hs = h[sel]
            theta = (t_eval[k[sel]] - t[sel]) / hs
            a, b = y0[:, sel], y1[:, sel]
            # cubic Hermite basis on [0, 1]
            h00 = (1 + 2 * theta) * (1 - theta) ** 2
            h10 = theta * (1 - theta) ** 2
            h01 = theta**2 * (3 - 2 * theta)
            h11 = theta**2 * (theta - 1)
            out[k[sel], :, idx[sel]] = (h00 * a + h10 * hs * f0[:, sel] + h01 * b + h11 * hs * f1[:, sel]).T
            k_next[sel] += 1
