"""Shared response shapes of the mechanism blocks: saturable activation and serine blockade of IRS.

Kept in one place so that every tissue uses the same functional forms (and the same documented
assumptions): a Hill activation for a signalling step, and the fraction of IRS-1/2 that serine
kinases take out of the tyrosine-signalling pool.
"""

from __future__ import annotations


def hill(x, half, n, xp):
    """Fraction activated, x^n / (half^n + x^n), for x ≥ 0 (negative inputs count as 0)."""
    xn = xp.maximum(x, 0.0) ** n
    return xn / (half**n + xn)


def tyrosine_transmission(serine_load, k_serine):
    """Share of IRS that can still be tyrosine-phosphorylated, relative to the lean reference.

    Serine phosphorylation takes IRS out of the signalling pool in proportion to the combined
    activity of the serine kinases (``serine_load``, 1 = lean reference): the serine-phosphorylated
    fraction is k·load/(1 + k·load) (a saturable, mass-action occupancy), so the transmitted share
    is (1 + k)/(1 + k·load) — exactly 1 at the reference and falling towards 0 as kinases rise.
    """
    return (1.0 + k_serine) / (1.0 + k_serine * serine_load)


def weighted_load(weights_and_activities, scale=1.0):
    """Weighted mean of relative kinase activities (each 1 at the lean reference), times ``scale``."""
    total = sum(w for w, _ in weights_and_activities)
    return scale * sum(w * a for w, a in weights_and_activities) / total
