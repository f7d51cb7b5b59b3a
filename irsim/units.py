"""Units at the boundaries: one canonical unit per quantity inside, pint for every conversion.

Inside irsim, glucose is mg/dL, insulin pmol/L, C-peptide nmol/L, time min, body mass kg.
Values arriving from files or the command line are converted here and nowhere else.

Conversion facts (each a documented convention, not a measured constant of a patient):

* glucose molar mass 180.156 g/mol (so 1 mmol/L = 18.016 mg/dL);
* insulin 1 µU/mL = 6.00 pmol/L (Heinemann 2010, Diabetes Care 33:e61; the convention of
  ../shared/design.md; some assays use 6.945 — pass ``insulin_pmol_per_uU`` to change it);
* triglycerides 885.7 g/mol (triolein; 1 mmol/L = 88.57 mg/dL);
* HDL cholesterol 386.65 g/mol (1 mmol/L = 38.67 mg/dL);
* human insulin 5807.6 g/mol (C257H383N65O77S6; 1 ng/mL = 172.2 pmol/L) and human C-peptide
  3020.3 g/mol (31 amino acids; 1 ng/mL = 0.331 nmol/L), for mass concentrations of either;
* HbA1c NGSP % = 0.09148 × IFCC mmol/mol + 2.152 (Hoelzel et al. 2004, Clin Chem 50:166), an
  affine relation between two assay scales, so it is a function here, not a pint unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pint

import warnings
from functools import lru_cache

import numpy as np

from irsim.errors import InputError, UnknownNameError

MOLAR_MASS_G_PER_MOL = {"glucose": 180.156, "triglycerides": 885.7, "hdl": 386.65, "cholesterol": 386.65,
                        "insulin": 5807.6, "specific_insulin": 5807.6, "cpeptide": 3020.3}
INSULIN_PMOL_PER_UU = 6.0
#: irsim integrates in minutes; slow blocks keep their papers' per-day values and divide by this once
MIN_PER_DAY = 1440.0

#: canonical unit of each analyte inside irsim
CANONICAL_UNIT = {
    "glucose": "mg/dL",
    "insulin": "pmol/L",
    "specific_insulin": "pmol/L",
    "cpeptide": "nmol/L",
    "triglycerides": "mg/dL",
    "hdl": "mg/dL",
    "cholesterol": "mg/dL",
    "hba1c": "percent",
    "waist": "cm",
    "weight": "kg",
    "height": "cm",
    "systolic_bp": "mmHg",
    "diastolic_bp": "mmHg",
    "time": "min",
    "gir": "mg/kg/min",  # glucose infusion rate of a clamp (DeFronzo 1979)
    "glucose_dose": "g",  # oral glucose load of an OGTT
}

#: spellings used in file column names and on the CLI, mapped to pint expressions
UNIT_ALIASES = {
    "mmol_l": "mmol/L",
    "mg_dl": "mg/dL",
    "pmol_l": "pmol/L",
    "nmol_l": "nmol/L",
    "uu_ml": "microIU_insulin/mL",
    "\u00b5u_ml": "microIU_insulin/mL",  # µU/mL written with the micro sign ...
    "\u03bcu_ml": "microIU_insulin/mL",  # ... or the Greek letter mu
    "uiu_ml": "microIU_insulin/mL",
    "\u00b5iu_ml": "microIU_insulin/mL",
    "\u03bciu_ml": "microIU_insulin/mL",
    "mu_l": "milliIU_insulin/L",
    "miu_l": "milliIU_insulin/L",
    "ng_ml": "ng/mL",
    "pct": "percent",
    "percent": "percent",
    "mmol_mol": "mmol_per_mol_ifcc",
    "cm": "cm",
    "in": "inch",
    "kg": "kg",
    "lb": "lb",
    "mmhg": "mmHg",
    "min": "min",
    "h": "hour",
    "g": "g",
    "mg": "mg",
    "mg_kg_min": "mg/kg/min",
}


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """The one pint registry of irsim, with the insulin unit defined by the 6.0 pmol/µU convention."""
    import pint  # here, not at the top: the CLI starts without loading it (0.1-0.2 s)

    ureg = pint.UnitRegistry()
    # 1 µU/mL = 6 pmol/L  ⇔  1 µU = 6e-15 mol  ⇔  1 U = 6e-9 mol
    ureg.define(f"IU_insulin = {INSULIN_PMOL_PER_UU}e-9 * mol")
    return ureg


def _pint_unit(unit: str) -> str:
    key = unit.strip().lower().replace("/", "_").replace(" ", "")
    return UNIT_ALIASES.get(key, unit)


def to_canonical(value, unit: str, analyte: str, *, field: str | None = None):
    """Convert ``value`` (scalar or array) in ``unit`` to irsim's canonical unit for ``analyte``.

    Raises :class:`InputError` naming the field when the unit cannot express that analyte.
    """
    field = field or analyte
    if analyte not in CANONICAL_UNIT:
        raise UnknownNameError("analyte", analyte, CANONICAL_UNIT)
    target = CANONICAL_UNIT[analyte]
    source = _pint_unit(unit)
    values = np.asarray(value, dtype=float)
    if analyte == "hba1c" and source == "mmol_per_mol_ifcc":
        return 0.09148 * values + 2.152
    if source == target or unit == target:
        return values if values.ndim else float(values)
    ureg = registry()
    try:
        quantity = ureg.Quantity(values, source)
        with warnings.catch_warnings():  # pint's chemistry context divides by zero while probing a wrong unit
            warnings.simplefilter("ignore", RuntimeWarning)
            converted = _convert(ureg, quantity, target, analyte)
    except Exception as exc:  # noqa: BLE001 - pint raises many types on malformed unit text ('mg/dL)', '1/0', '?')
        raise InputError(
            field, unit, reason=f"cannot be read as a unit of {analyte}", allowed=f"units convertible to {target}"
        ) from exc
    return converted if np.ndim(converted) else float(converted)


def _convert(ureg, quantity, target, analyte):
    if analyte in MOLAR_MASS_G_PER_MOL:
        mw = MOLAR_MASS_G_PER_MOL[analyte] * ureg("g/mol")
        return quantity.to(target, "chemistry", mw=mw).magnitude
    return quantity.to(target).magnitude


def insulin_uU_ml_to_pmol_l(value):
    """µU/mL → pmol/L with irsim's 6.0 convention."""
    return np.asarray(value, dtype=float) * INSULIN_PMOL_PER_UU


def insulin_pmol_l_to_uU_ml(value):
    """pmol/L → µU/mL with irsim's 6.0 convention."""
    return np.asarray(value, dtype=float) / INSULIN_PMOL_PER_UU


def glucose_mg_dl_to_mmol_l(value):
    """mg/dL → mmol/L (glucose 180.156 g/mol)."""
    return np.asarray(value, dtype=float) * 10.0 / MOLAR_MASS_G_PER_MOL["glucose"]


def glucose_mmol_l_to_mg_dl(value):
    """mmol/L → mg/dL (glucose 180.156 g/mol)."""
    return np.asarray(value, dtype=float) * MOLAR_MASS_G_PER_MOL["glucose"] / 10.0
