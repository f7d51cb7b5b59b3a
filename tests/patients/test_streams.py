"""Per-patient random streams: reproducible, and no two patients (or purposes) share numbers."""

import numpy as np

from irsim.patients.population import CHARACTERISTICS, US_ADULTS
from irsim.patients.streams import Purpose, stream


def test_neighbouring_streams_share_no_numbers():
    """A counter (i, …) in Philox's block-count word would make patient i's fifth number patient i+1's first."""
    first = stream(3, 0, Purpose.CANDIDATE).random(4000)
    assert np.intersect1d(first, stream(3, 1, Purpose.CANDIDATE).random(4000)).size == 0
    assert np.intersect1d(first, stream(3, 0, Purpose.CANDIDATE, 1).random(4000)).size == 0
    for purpose in Purpose:
        if purpose != Purpose.CANDIDATE:
            assert np.intersect1d(first, stream(3, 0, purpose).random(4000)).size == 0
    np.testing.assert_array_equal(first, stream(3, 0, Purpose.CANDIDATE).random(4000))


def test_consecutive_patients_are_independent():
    people = US_ADULTS.draw(np.arange(3000), seed=5)
    a, b = people[list(CHARACTERISTICS)].to_numpy()[:-1], people[list(CHARACTERISTICS)].to_numpy()[1:]
    k = len(CHARACTERISTICS)
    lagged = np.corrcoef(a.T, b.T)[:k, k:]  # characteristic of patient i against one of patient i + 1
    assert np.abs(lagged).max() < 4 / np.sqrt(len(a))
