"""Brännmark et al. 2013: insulin signalling in human adipocytes, normal and type 2 diabetic.

One block (:class:`~irsim.physiology.adipocyte_signalling.AdipocyteInsulinSignalling`); the two
subjects differ, as in the paper, by three parameters only: the mTORC1 → IRS1 feedback
(``diabetes`` 0.15), and the insulin receptor and GLUT4 totals (50 % of normal). The curated files
BIOMD0000000448 and BIOMD0000000449 are the oracle (tests/validation/test_brannmark_2013.py).

The experiment of the paper is :func:`insulin_stimulation`: cells rested without insulin, then a
step of insulin at t = 0. :func:`steady_state_response` and :func:`glut4_hill_fit` summarise the
pathway for a reduced, quasi-steady description of it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from irsim.analysis.dose_response import HillFit, fit_hill, steady_state_dose_response
from irsim.core.model import Model
from irsim.core.parameters import ParameterSet
from irsim.physiology.adipocyte_signalling import AdipocyteInsulinSignalling
from irsim.protocols.base import Infusion, Protocol, check_positive

NAME = "brannmark-2013"


def brannmark_2013() -> Model:
    return Model(NAME, [AdipocyteInsulinSignalling()], ("Brannmark2013", "BIOMD0000000448"),
                 description="Brännmark et al. 2013 human adipocyte insulin signalling")


def insulin_stimulation(insulin_nM: float = 10.0, duration_min: float = 60.0) -> Protocol:
    """A step of ``insulin_nM`` into the medium at t = 0, held for ``duration_min`` (the paper's
    time courses: 10 nM for up to 60 min; its dose responses: 10 min at each concentration)."""
    dose = check_positive("insulin_nM", insulin_nM, "nM", upper=1e5)
    check_positive("duration_min", duration_min, "min")
    return Protocol(
        "insulin-stimulation", f"insulin {dose:g} nM from t = 0 for {duration_min:g} min", duration_min,
        infusions=(Infusion(0.0, duration_min, "medium_insulin", dose, f"insulin {dose:g} nM"),),
        citations=("Brannmark2013",),
    )


#: what a reduced model of the cascade needs: the signal at IRS1, at PKB, and GLUT4 at the membrane
STEADY_STATE_OUTPUTS = ("glut4_membrane_fraction", "measured_irs1_y", "measured_pkb_s473")
#: the insulin range of the Hill fit, nM: from far below to far above the response (1 nM = 1000 pmol/L)
HILL_FIT_INSULIN_NM = np.logspace(-4, 3, 36)


def steady_state_response(subject: str = "normal", insulin_nM: Sequence[float] = HILL_FIT_INSULIN_NM,
                          ) -> dict[str, np.ndarray]:
    """GLUT4 at the membrane (fraction of the cell's GLUT4), IRS1-Y and PKB-S473 (measured, a.u.)
    once each insulin concentration has been held until nothing moves."""
    return steady_state_dose_response(NAME, subject, "medium_insulin", insulin_nM, STEADY_STATE_OUTPUTS)


def glut4_hill_fit(subject: str = "normal") -> HillFit:
    """Hill curve of the steady-state membrane GLUT4 fraction against insulin, EC50 in pmol/L."""
    response = steady_state_response(subject, HILL_FIT_INSULIN_NM)["glut4_membrane_fraction"]
    return fit_hill(HILL_FIT_INSULIN_NM * 1000.0, response)


NORMAL = ParameterSet(
    "normal", NAME, "Human adipocytes from non-diabetic subjects (Brännmark 2013; BIOMD0000000448)",
    citations=("Brannmark2013", "BIOMD0000000448"),
)

T2D = NORMAL.updated(
    "t2d", "Human adipocytes from subjects with type 2 diabetes (Brännmark 2013; BIOMD0000000449): weaker "
    "mTORC1 → IRS1 feedback, half the insulin receptor and GLUT4",
    {"diabetes": 0.15, "ir_total": 50.0, "glut4_total": 50.0},
    "Brännmark 2013, the three diabetic changes; values as in BIOMD0000000449 (diabetes, initial IR and GLUT4 sums)",
    citations=("BIOMD0000000449",),
)

PARAMETER_SETS = {p.name: p for p in (NORMAL, T2D)}
