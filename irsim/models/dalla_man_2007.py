"""Dalla Man, Rizza & Cobelli 2007: the meal simulation model of the glucose–insulin system.

Composed from the gut, glucose, kidney, liver, utilisation, insulin and β-cell blocks. Two
structural variants:

* ``faithful_to="paper"`` (default): the equations as published — first-phase secretion only while
  glucose rises, the threshold on second-phase secretion, EGP ≥ 0, renal excretion — plus one
  guard the paper does not state: hepatic insulin extraction HE ≥ 0 (see
  :class:`~irsim.physiology.insulin.InsulinKinetics`; it binds only when secretion exceeds
  m6/m5, as after an IV glucose bolus).
* ``faithful_to="biomodels"``: as the curated SBML BIOMD0000000379 encodes it (see
  ../shared/refs/sbml/README.md): the signed glucose derivative in secretion, no threshold, no EGP
  floor, no renal excretion, and the curators' factor 0.8 on insulin-dependent utilisation.
  Used to validate irsim against that file.

Parameter sets: the paper's Table 1 average normal and average type 2 diabetic subjects, and the
BioModels configuration. Basal glucose Gb and insulin Ib are not typed in: they are each subject's
own fasting steady state. Sb, the basal secretion, follows eq. 6: Sb = (m6 − HEb)/m5 with HEb = 0.6.
"""

from __future__ import annotations

from typing import Literal

from irsim.core.model import Model
from irsim.core.parameters import ParameterSet
from irsim.physiology.beta_cell import BetaCellSecretion
from irsim.physiology.glucose import GlucoseKinetics
from irsim.physiology.gut import GastrointestinalTract
from irsim.physiology.insulin import InsulinKinetics
from irsim.physiology.kidney import RenalExcretion
from irsim.physiology.liver import EndogenousGlucoseProduction
from irsim.physiology.muscle import GlucoseUtilisation

NAME = "dalla-man-2007"
HEB = 0.6  # basal hepatic insulin extraction, Dalla Man 2007 Table 1 (both subjects)


def dalla_man_2007(faithful_to: Literal["paper", "biomodels"] = "paper") -> Model:
    """The Dalla Man 2007 model; see the module docstring for the two variants."""
    paper = faithful_to == "paper"
    if faithful_to not in ("paper", "biomodels"):
        from irsim.errors import InputError

        raise InputError("faithful_to", faithful_to, allowed="'paper' or 'biomodels'")
    blocks = [
        GastrointestinalTract(),
        GlucoseKinetics(),
        RenalExcretion(enabled=paper),
        EndogenousGlucoseProduction(floor=paper),
        GlucoseUtilisation(uptake_scale=1.0 if paper else 0.8),
        InsulinKinetics(extraction_floor=paper),
        BetaCellSecretion(positive_derivative=paper, threshold=paper),
    ]
    citations = ("DallaMan2007",) if paper else ("DallaMan2007", "BIOMD0000000379")
    return Model(NAME, blocks, citations, description="Dalla Man, Rizza & Cobelli 2007 meal simulation model")


def _sb(m5: float, m6: float) -> float:
    return (m6 - HEB) / m5


TABLE1 = "Dalla Man 2007, Table 1"

NORMAL = ParameterSet(
    "normal",
    NAME,
    "Average normal subject of Dalla Man 2007 (Table 1; 204 non-diabetic subjects, triple-tracer meal)",
    values={"Sb": _sb(0.0304, 0.6471)},
    sources={"Sb": "Dalla Man 2007, eq. 6 with Table 1 m5, m6 and HEb = 0.6"},
    citations=("DallaMan2007",),
)

T2D = ParameterSet(
    "t2d",
    NAME,
    "Average type 2 diabetic subject of Dalla Man 2007 (Table 1; 14 subjects with type 2 diabetes)",
    values={
        "VG": 1.49, "k1": 0.042, "k2": 0.071, "VI": 0.04, "m1": 0.379, "m2": 0.673, "m4": 0.269,
        "m5": 0.0526, "m6": 0.8118, "kmax": 0.0465, "kmin": 0.0076, "kabs": 0.023, "kgri": 0.0465,
        "f": 0.90, "b": 0.68, "d": 0.09, "kp1": 3.09, "kp2": 0.0007, "kp3": 0.005, "kp4": 0.0786,
        "ki": 0.0066, "Fcns": 1.0, "Vm0": 4.65, "Vmx": 0.034, "Km0": 466.21, "p2U": 0.0840,
        "K": 0.99, "alpha": 0.013, "beta": 0.05, "gamma": 0.5, "ke1": 0.0005, "ke2": 339.0,
        "BW": 91.0, "Sb": _sb(0.0526, 0.8118),
    },
    sources={
        **{k: f"{TABLE1} (type 2 diabetic subject)" for k in (
            "VG k1 k2 VI m1 m2 m4 m5 m6 kmax kmin kabs kgri f b d kp1 kp2 kp3 kp4 ki Fcns Vm0 Vmx Km0 "
            "p2U K alpha beta gamma ke1 ke2").split()},
        "BW": "Dalla Man 2007, Section V: mean body weight of the type 2 group, ≈91 kg (read from the text, not Table 1; uncertain)",
        "Sb": "Dalla Man 2007, eq. 6 with Table 1 m5, m6 (type 2) and HEb = 0.6",
    },
    citations=("DallaMan2007",),
)

BIOMODELS = ParameterSet(
    "biomodels",
    NAME,
    "The curated SBML BIOMD0000000379 as it stands: normal subject, Gb 95, Ib 25, Sb 1.8, and its own "
    "initial state (not a steady state); use with dalla_man_2007('biomodels')",
    values={"Sb": 1.8, "Gb": 95.0, "Ib": 25.0, "BW": 78.0},
    sources={k: "BIOMD0000000379 (curated SBML), parameter values" for k in ("Sb", "Gb", "Ib", "BW")},
    citations=("DallaMan2007", "BIOMD0000000379"),
    initial_state={"Gp": 178.0, "Gt": 135.0, "Il": 4.5, "Ip": 1.25, "Qsto1": 0.0, "Qsto2": 0.0, "Qgut": 0.0,
                   "I1": 25.0, "Id": 25.0, "X": 0.0, "Ipo": 3.6, "Y": 0.0, "D": 0.0},
)

PARAMETER_SETS = {p.name: p for p in (NORMAL, T2D, BIOMODELS)}
