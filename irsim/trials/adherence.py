"""Who in an arm takes what: adherence read per person, or as everyone's mean share.

An intervention's ``adherence`` a is, in the trials irsim imitates, the share of participants who
met a goal: the DPP lifestyle arm's 49 % meeting the 7 % weight-loss goal at 24 weeks and 37 % at
the end, 74 % and 67 % the 150 min/week activity goal (DPP Research Group 2004, Obes Res 12:1426).

* ``"person"`` (the default): each patient draws one uniform u from their own stream
  (:func:`irsim.patients.streams.stream`, so a trial is the same for any chunking); a part with
  adherence a is taken fully by the patients with u < a and not at all by the others. One u serves
  every part of the arm — adherence is comonotone, an assumption: those who keep the later, lower
  goal are among those who met the earlier one, and everyone meeting the weight goal (met by fewer)
  meets the activity goal. The source finds the dependence positive but not total: those meeting a
  goal at 24 weeks were 1.5–3.0 times as likely to meet it at the end, and meeting the activity goal
  went with meeting the weight goal; comonotone is its strongest form. Someone who misses a goal is modelled as not taking that part at all,
  though real non-meeters changed somewhat (uncertain: the truth likely lies between this reading
  and the mean one).
* ``"mean"``: every patient takes every part at strength a (:class:`irsim.interventions.Intervention`
  scales its effect by a), irsim's reading before per-person adherence. Where the response is
  non-linear in the dose, the effect of the mean share is not the mean of the effects.

Per person, an arm's patients fall into at most k + 1 regimens (k distinct adherence levels); each
regimen's patients are followed in one batched call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

import numpy as np

from irsim.errors import one_of
from irsim.patients.streams import Purpose, stream

#: how an intervention's adherence is read (module docstring)
Adherence = Literal["person", "mean"]


def adherence_mode(value: object, field: str = "adherence") -> Adherence:
    """``value`` if it names a :data:`Adherence` reading, else an error naming ``field``."""
    return one_of(Adherence, value, field)


def adherence_draws(patients: np.ndarray, seed: int) -> np.ndarray:
    """Each patient's uniform draw u in [0, 1), from their own stream: a patient depends on (seed, patient) only."""
    return np.array([stream(seed, i, Purpose.ADHERENCE).random() for i in np.asarray(patients).tolist()])


def regimens(interventions: Sequence, draws: np.ndarray, adherence: Adherence) -> list[tuple[list, np.ndarray]]:
    """An arm's distinct regimens, as (the interventions taken, a mask of the patients who take them).

    Read as the mean, one regimen: every part as given. Per person, patient ``p`` takes the parts
    whose adherence exceeds ``draws[p]``, each at adherence 1.
    """
    draws = np.asarray(draws)
    if adherence == "mean" or not interventions:
        return [(list(interventions), np.ones(draws.size, dtype=bool))]
    taken = draws[:, None] < np.array([iv.adherence for iv in interventions])[None, :]
    rows, which = np.unique(taken, axis=0, return_inverse=True)
    return [([replace(iv, adherence=1.0) for iv, on in zip(interventions, row) if on], which.reshape(-1) == k)
            for k, row in enumerate(rows)]
