"""Random numbers that belong to one patient: a Philox stream per (seed, patient, index, purpose).

A trial must be the same whatever chunk a patient is drawn in, by whichever worker, so each
patient's numbers come from a counter-based generator keyed by the seed and addressed by the
patient, never from a shared sequence. Philox counts its blocks in the counter's *first* word,
so that word is left at 0 for the generator: a stream addressed there (counter ``(i, …)``) would
run into patient ``i + 1``'s after its first four numbers. The other three words name the stream:
the patient (or randomisation block), an index within the patient (a candidate), and the purpose.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Purpose(IntEnum):
    """What a stream is drawn for; distinct purposes never share numbers."""

    CANDIDATE = 0   # a population candidate's characteristics (irsim.patients.population)
    ARM = 1         # a randomisation block's permutation (irsim.trials.runner)
    VISIT = 2       # the day-to-day variation of a patient's visit tests (irsim.trials.measurement)
    SCREENING = 3   # the day-to-day variation of a candidate's screening OGTT (irsim.patients.population)
    ADHERENCE = 4   # a patient's adherence draw (irsim.trials.adherence)


def stream(seed: int, unit: int, purpose: Purpose, index: int = 0) -> np.random.Generator:
    """The generator of ``unit`` (a patient, or a randomisation block) for ``purpose``, ``index``."""
    return np.random.Generator(np.random.Philox(key=int(seed), counter=[0, int(unit), int(index), int(purpose)]))
