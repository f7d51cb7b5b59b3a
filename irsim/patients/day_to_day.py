"""What one test day measures: a person's usual glucose or HbA1c times a day-to-day factor.

A person's fasting and 2-h glucose and HbA1c vary from day to day around the level their
physiology sets, mostly by biological rather than analytical variation (Mooy 1996). One test
records the model's value times a log-normal factor exp(cv·z − cv²/2) (mean 1, z standard normal).
The same factor serves a population's screening test (:mod:`irsim.patients.population`) and a
trial's visits (:mod:`irsim.trials.measurement`).

Within-person coefficients of variation:

* fasting glucose 6.0 % and 2-h glucose 15.0 %: Mooy 1996 Diabetologia 39:298 (Hoorn Study, two
  OGTTs, impaired-glucose-tolerance group): SD of the test–retest differences 0.5 and 1.8 mmol/L at
  median levels 5.9 and 8.5 mmol/L; a single test's SD is that over √2.
* HbA1c 1.2 %: within-subject biological variation in healthy adults sampled weekly for ten weeks
  (Clin Chem Lab Med 2011;49:1501, PMID 21631391); analytical variation not added.
"""

from __future__ import annotations

import numpy as np

#: measure → the column holding its value in patient and visit tables
COLUMNS = {"fpg": "fasting_glucose_mg_dl", "glucose_2h": "glucose_2h_mg_dl", "hba1c": "hba1c_pct"}
#: within-person day-to-day coefficient of variation of each measure (module docstring)
WITHIN_PERSON_CV = {"fpg": 0.060, "glucose_2h": 0.150, "hba1c": 0.012}


def one_day(usual: np.ndarray, cv: float, z: np.ndarray) -> np.ndarray:
    """``usual`` as one test day measures it, given standard normal draws ``z`` (the factor has mean 1)."""
    return usual * np.exp(cv * z - 0.5 * cv * cv)
