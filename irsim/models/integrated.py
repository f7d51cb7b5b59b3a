"""The integrated model: the mechanisms of insulin resistance coupled to the Dalla Man whole body.

Dalla Man 2007's gut, glucose kinetics, renal excretion and insulin kinetics are reused as they are;
the phenomenological utilisation (Vmx), production (kp1, kp3) and secretion (Sb, β) are replaced by
mechanistic blocks — muscle insulin signalling, the liver's FoxO1 control of gluconeogenesis and
glycogenolysis, an adaptive β-cell — fed by adipose tissue (adipokines, lipolysis/FFA),
inflammation (IKKβ, JNK, NLRP3, CRP), ectopic lipids (DAG, ceramide, liver fat) and mitochondria.
Nothing is typed in as "resistance": it follows from the drivers (fat depots, diet, activity,
mitochondrial capacity, cytokine folds, genotype, age, sex, β-cell mass and function). No parameter
is basal: fasting glucose and insulin are outcomes of the fasting steady state.
See docs/mechanisms.md for equations, sources and calibration.
"""

from __future__ import annotations

import irsim.physiology.sources  # noqa: F401  (registers the blocks' papers)
from irsim.core.model import Model
from irsim.core.parameters import Ordered, ParameterSet
from irsim.physiology.adipose import Adipokines, Lipolysis
from irsim.physiology.glucose import GlucoseKinetics
from irsim.physiology.gut import GastrointestinalTract
from irsim.physiology.hepatic import HepaticGlucoseProduction, HepaticInsulinClearance
from irsim.physiology.inflammation import Inflammation
from irsim.physiology.insulin import InsulinKinetics
from irsim.physiology.islet import AdaptiveBetaCell
from irsim.physiology.kidney import RenalExcretion
from irsim.physiology.ledger import GlucoseLedger
from irsim.physiology.lipids import LipidIntermediates
from irsim.physiology.mitochondria import Mitochondria
from irsim.physiology.signalling import MuscleInsulinSignalling

NAME = "integrated"

#: the named upstream drivers a patient is defined by (each a parameter with unit, normal value,
#: range and source; ``irsim drivers`` lists them)
DRIVERS = (
    "BW", "total_fat_kg", "visceral_fat_kg", "dietary_fat_fraction", "physical_activity_met_h_week",
    "mitochondrial_capacity", "tnf_alpha", "il6", "adiponectin", "leptin", "resistin", "visfatin",
    "irs1_serine_kinase", "beta_cell_mass", "beta_cell_function", "genetic_tcf7l2", "genetic_pparg",
    "age_years", "sex",
)

#: what a body allows between drivers that each range alone cannot say
RULES = (
    Ordered("visceral_fat_kg", "total_fat_kg", "visceral fat is part of total body fat"),
    Ordered("total_fat_kg", "BW", "fat is part of body weight", strict=True),
)


def integrated() -> Model:
    """The integrated model's blocks, wired by name (see the module docstring)."""
    blocks = [
        GastrointestinalTract(), GlucoseKinetics(), RenalExcretion(), Adipokines(), Lipolysis(), Mitochondria(),
        Inflammation(), LipidIntermediates(), MuscleInsulinSignalling(), HepaticGlucoseProduction(),
        HepaticInsulinClearance(), InsulinKinetics(), AdaptiveBetaCell(), GlucoseLedger(),
    ]
    return Model(NAME, blocks, ("DallaMan2007",),
                 description="mechanisms of insulin resistance (signalling, liver, adipose, inflammation, lipids, "
                             "mitochondria, adaptive β-cell) on the Dalla Man 2007 whole body", rules=RULES)


REFERENCE = ParameterSet(
    "reference", NAME, "the lean reference: every driver at its normal value (Dalla Man 2007 normal subject's body)",
)

PARAMETER_SETS = {REFERENCE.name: REFERENCE}
