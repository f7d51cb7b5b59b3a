"""SciPy's ``solve_ivp`` on the flattened population: the reference path for accuracy checks.

All patients share one step-size sequence here, so it is slow for large populations; use it with
one patient at a time, or at tight tolerances as the oracle for :mod:`irsim.solvers.batched`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from irsim.errors import SolverError


@dataclass
class ScipySolver:
    method: str = "LSODA"
    rtol: float = 1e-8
    atol: float = 1e-10

    def integrate(self, segment, t0, t1, y0, t_eval, out=None, keep=None):
        from scipy.integrate import solve_ivp  # lazy: SciPy's import is a third of a one-patient run

        f = segment.rhs()
        shape = y0.shape
        times = np.unique(np.append(t_eval, t1))
        sol = solve_ivp(lambda t, z: f(t, z.reshape(shape)).ravel(), (t0, t1), y0.ravel(), method=self.method,
                        t_eval=times, rtol=self.rtol, atol=self.atol)
        if not sol.success or not np.all(np.isfinite(sol.y)):
            raise SolverError(f"scipy {self.method} failed: {sol.message}", patients=range(shape[1]),
                              time_min=float(sol.t[-1]) if sol.t.size else t0)
        ys = sol.y.T.reshape(len(times), *shape)
        Y = ys[np.searchsorted(times, t_eval)].transpose(2, 0, 1)  # patient-major, like the batched solver
        Y = Y if keep is None else Y[:, :, keep]
        if out is not None:
            out[...] = Y
        return Y, ys[-1], {"rhs_calls": sol.nfev}
