"""What a trial visit measures, and when a diagnosis of diabetes stands.

Each visit value is the model's value as one test day measures it, with the within-person
coefficients of variation of :mod:`irsim.patients.day_to_day` (Mooy 1996; their sources there) —
the same factor a population's screening test carries. As the ADA asks in the absence of
unequivocal hyperglycaemia, and as the DPP did, a diabetic value counts only when confirmed: by
the same test repeated on another day (a new draw on the same physiology: the repeat is weeks, not
years, away) or by a second test of the same visit also in the diabetic range.

The draws for patient i come from its own stream (:func:`irsim.patients.streams.stream`), one row
per visit of the schedule, so a trial stays identical for any chunk size, worker count or
scheduler. When a trial enrols on a measured screening test, that test is the baseline visit's
measurement (:func:`measure`'s ``enrolled_on``), as in the DPP. The model's own values stay in the
visit table beside the measured ones; changes from baseline are read from the measured ones, as
trials report them, so a placebo arm enrolled on a high measured value shows the regression to the
mean that real placebo arms show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from irsim.analysis.diagnosis import GLYCAEMIC_THRESHOLDS, reaches
from irsim.errors import InputError, UnknownNameError
from irsim.patients.day_to_day import COLUMNS, WITHIN_PERSON_CV, one_day
from irsim.patients.streams import Purpose, stream

_ADA = GLYCAEMIC_THRESHOLDS["ADA"]
#: diagnostic measure → (visit column, the ADA diabetes threshold irsim.analysis.diagnosis applies)
MEASURES = {name: (COLUMNS[name], _ADA[key]) for name, key in (("fpg", "fpg_dm"), ("glucose_2h", "ogtt_dm"),
                                                              ("hba1c", "hba1c_dm"))}
MAX_CV = 0.5


@dataclass(frozen=True)
class Measurement:
    """How visits measure: each measure's within-person CV, whether a diabetic value needs
    confirmation, and which measures may diagnose diabetes (the DPP used fasting and 2-h glucose)."""

    within_person_cv: Mapping[str, float] = field(default_factory=lambda: dict(WITHIN_PERSON_CV))
    confirm: bool = True
    diagnosis: tuple[str, ...] = tuple(MEASURES)

    def __post_init__(self) -> None:
        for name, cv in self.within_person_cv.items():
            if name not in MEASURES:
                raise UnknownNameError("measure in measurement.within_person_cv", name, MEASURES)
            if isinstance(cv, bool) or not isinstance(cv, (int, float)) or not 0.0 <= cv <= MAX_CV:
                raise InputError(f"measurement.within_person_cv.{name}", cv, unit="1 (a fraction)",
                                 allowed=f"0 (no day-to-day variation) to {MAX_CV:g}")
        if not isinstance(self.confirm, bool):
            raise InputError("measurement.confirm", self.confirm, allowed="true or false")
        if not self.diagnosis:
            raise InputError("measurement.diagnosis", list(self.diagnosis), allowed=f"one or more of {', '.join(MEASURES)}")
        for name in self.diagnosis:
            if name not in MEASURES:
                raise UnknownNameError("measure in measurement.diagnosis", str(name), MEASURES)
        object.__setattr__(self, "within_person_cv", {**WITHIN_PERSON_CV, **self.within_person_cv})

    def record(self) -> dict:
        """What the run recorded about measurement (``trial.json``, ``summary.json``)."""
        return {"within_person_cv": dict(self.within_person_cv), "confirm": self.confirm,
                "diagnosis": list(self.diagnosis)}


def measure(rows: pd.DataFrame, seed: int, measurement: Measurement,
            enrolled_on: pd.DataFrame | None = None) -> pd.DataFrame:
    """``rows`` (one per patient × visit, sorted by patient and time, the model's values) with each
    measure's visit value (``<column>_measured``, NaN where the visit did not test it) and
    ``diabetes_confirmed``: a diabetic value on a measure allowed to diagnose, confirmed as the
    module docstring says (or not, when ``measurement.confirm`` is false).

    ``enrolled_on`` (indexed by patient, ``<column>_measured`` columns): the screening test a trial
    enrolled on. As in the DPP and ACT NOW, that test *is* the baseline: its values stand as the
    first visit's first test (a confirmation is still a new draw), so the baseline shows what
    enrolment selected and later visits regress from it."""
    rows = rows.reset_index(drop=True)
    patients = rows["patient"].to_numpy(dtype=np.int64)
    visit = rows.groupby("patient", sort=False).cumcount().to_numpy()
    z = np.empty((len(rows), 2, len(MEASURES)))
    for p in np.unique(patients):
        here = np.flatnonzero(patients == p)
        rng = stream(seed, p, Purpose.VISIT)
        z[here] = rng.standard_normal((int(visit[here].max()) + 1, 2, len(MEASURES)))[visit[here]]
    out = rows.copy()
    diabetic = np.zeros((2, len(rows), len(MEASURES)), dtype=bool)
    for k, (name, (column, threshold)) in enumerate(MEASURES.items()):
        cv = measurement.within_person_cv[name]
        true = rows[column].to_numpy(dtype=float)
        replicate = one_day(true[None, :], cv, z[:, :, k].T)
        if enrolled_on is not None and f"{column}_measured" in enrolled_on:
            at = np.flatnonzero((visit == 0) & np.isfinite(true) & np.isin(patients, enrolled_on.index))
            replicate[0, at] = enrolled_on[f"{column}_measured"].reindex(patients[at]).to_numpy()
        out[f"{column}_measured"] = replicate[0]
        if name in measurement.diagnosis:
            diabetic[:, :, k] = reaches(replicate, threshold)  # NaN (not tested) is False
    first, repeat = diabetic
    if measurement.confirm:
        out["diabetes_confirmed"] = (first & repeat).any(axis=1) | (first.sum(axis=1) >= 2)
    else:
        out["diabetes_confirmed"] = first.any(axis=1)
    return out
