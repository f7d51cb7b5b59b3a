"""Integrators: a batched per-patient adaptive solver (default) and SciPy as the accuracy reference.

Both implement ``integrate(make_rhs, t0, t1, y0, t_eval) -> (Y_eval, y1, stats)`` on one
protocol segment, where ``make_rhs(idx)`` returns ``f(t, y)`` for the patients ``idx`` (None for all).
"""

from irsim.solvers.batched import BatchedDormandPrince
from irsim.solvers.scipy_solver import ScipySolver

SOLVERS = {"batched": BatchedDormandPrince, "scipy": ScipySolver}

__all__ = ["BatchedDormandPrince", "ScipySolver", "SOLVERS"]
