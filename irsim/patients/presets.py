"""irsim's patient presets: people defined by their upstream drivers only, on the integrated model.

A preset sets drivers (fat depots, diet, activity, mitochondrial capacity, age, sex, β-cell mass
and function, …) and nothing else; insulin resistance, fasting glucose and insulin, HOMA-IR and the
clamp M-value follow from the mechanisms. Each driver value comes from the group means of
``../shared/refs/mechanisms/group_values.md`` (primary sources cited below); what the presets
produce is checked against published group ranges in ``tests/models/test_integrated_presets.py``.
The compensated obese preset's β-cell mass is its balance (:mod:`irsim.progression.slow`): the mass at
which its day-mean glucose is the lean set point, so a course leaves it compensated. That is +25 %,
below the +50 % of Butler 2003's obese non-diabetic autopsies: the model's obese insulin resistance
(clamp M −31 % against lean) is milder than cohorts' (≈ −40 %), and with +50 % its glucose fell
*below* the lean preset's (2-h 120 against 135 mg/dL).
The Dalla Man 2007 subjects stay reachable as parameter sets (``--model dalla-man-2007 --subject
normal|t2d``).
"""

from __future__ import annotations

from dataclasses import dataclass

from irsim.core.parameters import ParameterSet
from irsim.errors import UnknownNameError
from irsim.models.integrated import NAME

BODY = "BMI/fat/visceral group means: Conte 2012 (lean BMI 22.5, obese 36), Goodpaster 2003, DPP 2000 (IGT BMI 34)"
BETA = ("β-cell mass: Butler 2003 Diabetes 52:102 (+~50 % obese non-diabetic, −~60 % T2D; the obese preset at "
        "its compensation balance, +25 %: module docstring); function: DeFronzo 2009")
LIFESTYLE = "activity and mitochondria: Petersen 2004 NEJM 350:664 (−38 % in IR offspring); Toledo 2007"


@dataclass(frozen=True)
class Patient:
    """A named person: the drivers (as a parameter set) of the model they run on."""

    name: str
    description: str
    parameter_set: ParameterSet
    model: str = NAME


def _preset(name: str, description: str, drivers: dict[str, float]) -> Patient:
    sources = {k: BETA if k.startswith("beta_cell") else LIFESTYLE if k in (
        "physical_activity_met_h_week", "mitochondrial_capacity") else BODY for k in drivers}
    return Patient(name, description, ParameterSet(name, NAME, description, drivers, sources,
                                                   ("Butler2003", "Conte2012", "Petersen2004")))


PATIENTS = {
    p.name: p
    for p in (
        _preset("healthy_lean", "lean, active 35-year-old man: every driver at its reference (the Dalla Man 2007 "
                "normal subject's body, 78 kg)", {}),
        _preset("obese_insulin_resistant", "obesity with visceral fat, a fattier diet and little activity; β-cell mass "
                "+25 %, at its balance, compensates: normal glucose tolerance with hyperinsulinaemia",
                {"BW": 100.0, "total_fat_kg": 38.0, "visceral_fat_kg": 4.5, "dietary_fat_fraction": 0.38,
                 "physical_activity_met_h_week": 5.0, "mitochondrial_capacity": 0.85, "age_years": 45.0,
                 "beta_cell_mass": 1.25}),
        _preset("ifg", "impaired fasting glucose: visceral obesity and a fat-rich diet (hepatic insulin resistance, "
                "fatty liver) with reduced β-cell function; its 2-h glucose is in the IGT range too (combined IFG/IGT: "
                "the model's first and second phase fall together, so an isolated IFG is not separated yet)",
                {"BW": 92.0, "total_fat_kg": 32.0, "visceral_fat_kg": 4.5, "dietary_fat_fraction": 0.42,
                 "physical_activity_met_h_week": 8.0, "mitochondrial_capacity": 0.95, "age_years": 50.0,
                 "beta_cell_mass": 1.2, "beta_cell_function": 0.65}),
        _preset("igt", "impaired glucose tolerance: inactivity and low mitochondrial capacity (muscle insulin "
                "resistance) with β-cell function reduced by 40 %",
                {"BW": 92.0, "total_fat_kg": 32.0, "visceral_fat_kg": 4.0, "dietary_fat_fraction": 0.36,
                 "physical_activity_met_h_week": 2.0, "mitochondrial_capacity": 0.65, "age_years": 50.0,
                 "beta_cell_mass": 1.5, "beta_cell_function": 0.6}),
        _preset("t2d", "type 2 diabetes: visceral obesity, inactivity, low mitochondrial capacity, β-cell mass −20 % "
                "and function −45 % (the Dalla Man 2007 type 2 subject's body weight)",
                {"BW": 91.0, "total_fat_kg": 33.0, "visceral_fat_kg": 6.0, "dietary_fat_fraction": 0.42,
                 "physical_activity_met_h_week": 2.0, "mitochondrial_capacity": 0.55, "age_years": 55.0,
                 "beta_cell_mass": 0.8, "beta_cell_function": 0.55}),
    )
}


def get_patient(name: str) -> Patient:
    """The preset called ``name``; an unknown name raises :class:`UnknownNameError` with the nearest one."""
    if name not in PATIENTS:
        raise UnknownNameError("patient", name, PATIENTS)
    return PATIENTS[name]
