"""What a solver integrates: one stretch of a protocol between two discontinuities."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from irsim.core.parameters import take_patients


@dataclass(frozen=True)
class Segment:
    """The model, its per-patient parameters and the inputs held constant on this stretch.

    NumPy solvers ask for :meth:`rhs` (restricted to the patients still running); compiling
    solvers read ``model``, ``params`` and ``inputs`` and build their own kernel. ``run_min``, the
    length of the whole run this stretch belongs to, tells them whether loading the kernel pays.
    """

    model: Any
    params: Mapping[str, Any]
    inputs: Mapping[str, Any]
    n_patients: int
    run_min: float = math.inf

    def rhs(self, idx=None):
        """``f(t, y)`` for the patients ``idx`` (an index array; None for all)."""
        inputs = {k: np.broadcast_to(v, (self.n_patients,)) if np.ndim(v) else v for k, v in self.inputs.items()}
        p, u = (self.params, inputs) if idx is None else (take_patients(self.params, idx), take_patients(inputs, idx))
        model = self.model
        return lambda t, y: model.rhs(t, y, p, u)
