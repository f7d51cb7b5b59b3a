"""ROC analysis of one measure against a binary outcome: the empirical curve, its area, a CI, the best cut-off.

* **Area**: the Mann–Whitney statistic, P(case scores above a non-case) + ½ P(tie) — the area under
  the empirical ROC curve, ties joined by a straight line (Hanley & McNeil 1982).
* **95 % CI**: AUC ± z·SE with DeLong's variance (DeLong, DeLong & Clarke-Pearson 1988, Biometrics
  44:837): the variances of the cases' and non-cases' placement values over their group sizes,
  computed from mid-ranks (Sun & Xu 2014). Clipped to [0, 1]. Checked against Hanley & McNeil's
  CT-rating example as Stata's ``roctab`` reports it (AUC 0.8932, SE 0.0307).
* **Best cut-off**: the observed value maximising Youden's J = sensitivity + specificity − 1
  (Youden 1950, Cancer 3:32); among equal J the one with the higher sensitivity.
* **Direction**: ``"high"`` — a value at or above the cut-off is positive (glucose, HbA1c,
  HOMA-IR); ``"low"`` — at or below (Matsuda, insulinogenic and disposition indices: low insulin
  sensitivity or secretion predicts diabetes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import norm, rankdata

from irsim.citations import Citation, register
from irsim.errors import InputError

for _source in (
    ("DeLong1988", "DeLong ER, DeLong DM, Clarke-Pearson DL", 1988, "Comparing the areas under two or more "
     "correlated receiver operating characteristic curves: a nonparametric approach", "Biometrics 44:837-845",
     "10.2307/2531595"),
    ("HanleyMcNeil1982", "Hanley JA, McNeil BJ", 1982, "The meaning and use of the area under a receiver operating "
     "characteristic (ROC) curve", "Radiology 143:29-36", "10.1148/radiology.143.1.7063747"),
    ("Youden1950", "Youden WJ", 1950, "Index for rating diagnostic tests", "Cancer 3:32-35",
     "10.1002/1097-0142(1950)3:1<32::AID-CNCR2820030106>3.0.CO;2-3"),
    ("SunXu2014", "Sun X, Xu W", 2014, "Fast implementation of DeLong's algorithm for comparing the areas under "
     "correlated receiver operating characteristic curves", "IEEE Signal Process Lett 21:1389-1393",
     "10.1109/LSP.2014.2337313"),
):
    register(Citation(*_source))

Direction = Literal["high", "low"]


@dataclass(frozen=True)
class Roc:
    """A measure's ROC analysis: area with DeLong CI, Youden's best cut-off, and the curve itself.

    ``curve`` has one row per cut-off (every distinct value, plus one beyond the last, where
    nothing is positive): ``cutoff``, ``sensitivity``, ``specificity``.
    """

    auc: float
    se: float
    lower: float
    upper: float
    cutoff: float
    sensitivity: float
    specificity: float
    direction: Direction
    n_cases: int
    n_controls: int
    curve: pd.DataFrame

    @property
    def youden_j(self) -> float:
        """Youden's J at the best cut-off: sensitivity + specificity − 1."""
        return self.sensitivity + self.specificity - 1.0


def _checked(values, outcome, direction: str) -> tuple[np.ndarray, np.ndarray]:
    """Scores oriented so that higher means positive, and the outcome as booleans."""
    if direction not in ("high", "low"):
        raise InputError("direction", direction, allowed="'high' (high values predict) or 'low'")
    x, y = np.asarray(values, dtype=float), np.asarray(outcome)
    if x.ndim != 1 or x.shape != y.shape:
        raise InputError("values/outcome", f"{x.shape}/{y.shape}", reason="shapes differ",
                         allowed="one value and one outcome per person")
    if not np.isin(y, (0, 1)).all():
        raise InputError("outcome", y[~np.isin(y, (0, 1))][0], allowed="0/1 or False/True")
    if not np.isfinite(x).all():
        raise InputError("values", x[~np.isfinite(x)][0], allowed="finite numbers (drop unmeasured people first)")
    y = y.astype(bool)
    if y.all() or not y.any():
        raise InputError("outcome", f"{int(y.sum())} cases of {y.size}", reason="needs both cases and non-cases",
                         allowed="at least one of each")
    return (x if direction == "high" else -x), y


def delong(values, outcome, direction: Direction = "high") -> tuple[float, float]:
    """(AUC, its DeLong standard error). The AUC is the Mann–Whitney statistic (ties count ½).

    Placement values from mid-ranks: a case's is the fraction of non-cases it exceeds (ties ½),
    (rank among all − rank among cases)/n; a non-case's is the fraction of cases exceeding it.
    """
    x, y = _checked(values, outcome, direction)
    cases, controls = x[y], x[~y]
    m, n = cases.size, controls.size
    overall = rankdata(np.concatenate([cases, controls]))
    v_cases = (overall[:m] - rankdata(cases)) / n
    v_controls = 1.0 - (overall[m:] - rankdata(controls)) / m
    auc = v_cases.mean()
    s_cases = v_cases.var(ddof=1) if m > 1 else 0.0
    s_controls = v_controls.var(ddof=1) if n > 1 else 0.0
    return float(auc), float(np.sqrt(s_cases / m + s_controls / n))


def roc_curve(values, outcome, direction: Direction = "high") -> pd.DataFrame:
    """Sensitivity and specificity at every distinct value taken as the cut-off (and one beyond all)."""
    x, y = _checked(values, outcome, direction)
    thresholds = np.unique(x)[::-1]  # oriented scores, positive when ≥ threshold
    positives = x[None, :] >= thresholds[:, None]
    sensitivity = (positives & y).sum(axis=1) / y.sum()
    specificity = 1.0 - (positives & ~y).sum(axis=1) / (~y).sum()
    cutoff = thresholds if direction == "high" else -thresholds
    beyond = np.inf if direction == "high" else -np.inf
    return pd.DataFrame({"cutoff": np.concatenate([[beyond], cutoff]),
                         "sensitivity": np.concatenate([[0.0], sensitivity]),
                         "specificity": np.concatenate([[1.0], specificity])})


def roc(values, outcome, direction: Direction = "high", confidence: float = 0.95) -> Roc:
    """The ROC analysis of ``values`` (one per person) predicting ``outcome`` (True: a case)."""
    if not 0.0 < confidence < 1.0:
        raise InputError("confidence", confidence, allowed="between 0 and 1, e.g. 0.95")
    auc, se = delong(values, outcome, direction)
    curve = roc_curve(values, outcome, direction)
    half = norm.ppf(0.5 + confidence / 2.0) * se
    j = (curve["sensitivity"] + curve["specificity"]).to_numpy()
    best = curve.iloc[int(np.flatnonzero(j >= j.max() - 1e-12)[-1])]  # the curve runs from low to high sensitivity
    y = np.asarray(outcome).astype(bool)
    return Roc(auc, se, float(max(auc - half, 0.0)), float(min(auc + half, 1.0)), float(best.cutoff), float(best.sensitivity),
               float(best.specificity), direction, int(y.sum()), int((~y).sum()), curve)
