"""Integrators: a batched per-patient adaptive solver (default) and SciPy as the accuracy reference.

They implement ``integrate(segment, t0, t1, y0, t_eval, out=None, keep=None) -> (Y_eval, y1, stats)``
on one :class:`~irsim.solvers.segment.Segment` of a protocol, whose ``rhs(idx)`` returns ``f(t, y)``
for the patients ``idx`` (None for all); ``y0`` is ``(n_states, n)`` and ``Y_eval`` (written into
``out`` when given) is patient-major, ``(n, len(t_eval), len(keep))``: only the states ``keep``
(default all) that the requested outputs need, one patient's outputs contiguous in memory. A
compiling solver reads the segment's model, parameters and inputs and builds its own kernel
(:mod:`irsim.solvers.native` in C, or :mod:`irsim.solvers.compiled` with numba). :class:`BatchedRosenbrock` is the implicit choice for stiff models.
"""

from irsim.solvers.batched import BatchedDormandPrince, BatchedRosenbrock
from irsim.solvers.scipy_solver import ScipySolver


def _jax():
    """The optional JAX path, imported only when asked for (``pip install 'irsim[jax]'``)."""
    from irsim.solvers.jax_solver import JaxDormandPrince

    return JaxDormandPrince()


SOLVERS = {"batched": BatchedDormandPrince, "rosenbrock": BatchedRosenbrock, "scipy": ScipySolver, "jax": _jax}

__all__ = ["BatchedDormandPrince", "BatchedRosenbrock", "ScipySolver", "SOLVERS"]
