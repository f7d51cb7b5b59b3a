"""The JAX path (GPU-ready, run here on CPU) runs the blocks' own rates with jax.numpy and agrees
with the NumPy engine; skipped when jax is not installed."""

import numpy as np
import pytest

pytest.importorskip("jax")

from irsim.core.parameters import Variation  # noqa: E402
from irsim.protocols import IVGTT, Meal  # noqa: E402
from irsim.simulation import Simulation  # noqa: E402
from irsim.solvers import BatchedDormandPrince  # noqa: E402
from irsim.solvers.jax_solver import JaxDormandPrince  # noqa: E402


@pytest.mark.parametrize("protocol", [Meal(78), IVGTT(insulin_modified=True)], ids=["meal", "im-ivgtt"])
def test_jax_path_equals_numpy_path(protocol):
    def run(solver):
        sim = Simulation("dalla-man-2007", "normal", protocol, variation=Variation(8, {"Vmx": 0.3, "kp3": 0.3}, seed=1),
                         solver=solver)
        return sim.solve(variables=["G", "I"], step_min=2)

    fast, ref = run(JaxDormandPrince()), run(BatchedDormandPrince(engine="numpy"))
    for k in ("G", "I"):  # same algorithm; XLA may round differently, which can move a step
        assert float(np.max(np.abs(fast[k] - ref[k]) / ref[k])) < 1e-6
