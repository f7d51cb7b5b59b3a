"""Glycaemic category (ADA or WHO) and metabolic syndrome (NCEP ATP III, IDF) from measurements.

Both work from whatever is measured and never fill a gap: a criterion that cannot be assessed
is unknown, and the result is only as definite as the known criteria make it — "diabetes" from
one fasting glucose ≥ 126 mg/dL is certain, "normal" from a fasting glucose alone says nothing
about the 2-h value, and the result says which measures it used. Clinically a diabetes
diagnosis needs confirming by a repeat test unless symptoms are present (ADA 2024); this is a
classification of one set of values, not a diagnosis of a person.

Treatment flags (antihypertensive, lipid or glucose-lowering drugs), which both metabolic
syndrome definitions count as meeting a criterion, are not read: criteria come from
measured values only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from irsim.citations import Citation, register
from irsim.errors import InputError, UnknownNameError
from irsim.units import to_canonical

#: sources of the criteria below: (key, authors, year, title, journal, doi)
SOURCES = (
    ("ADA2024", "American Diabetes Association Professional Practice Committee", 2024, "2. Diagnosis and "
     "classification of diabetes: Standards of Care in Diabetes-2024", "Diabetes Care 47(Suppl 1):S20-S42",
     "10.2337/dc24-S002"),
    ("WHO2006", "World Health Organization, International Diabetes Federation", 2006, "Definition and diagnosis "
     "of diabetes mellitus and intermediate hyperglycaemia", "WHO, Geneva", None),
    ("WHO2011", "World Health Organization", 2011, "Use of glycated haemoglobin (HbA1c) in the diagnosis of "
     "diabetes mellitus", "WHO/NMH/CHP/CPM/11.1", None),
    ("Grundy2005", "Grundy SM, Cleeman JI, Daniels SR, et al.", 2005, "Diagnosis and management of the metabolic "
     "syndrome: an AHA/NHLBI scientific statement", "Circulation 112:2735-2752",
     "10.1161/CIRCULATIONAHA.105.169404"),
    ("Alberti2005", "Alberti KG, Zimmet P, Shaw J; IDF Epidemiology Task Force", 2005, "The metabolic syndrome - "
     "a new worldwide definition", "Lancet 366:1059-1062", "10.1016/S0140-6736(05)67402-8"),
    ("IDF2006", "International Diabetes Federation", 2006, "The IDF consensus worldwide definition of the "
     "metabolic syndrome", "IDF, Brussels", None),
)
for _source in SOURCES:
    register(Citation(*_source))

#: glycaemic thresholds, mg/dL (glucose, each met in either published unit, see _cut) and NGSP % (HbA1c,
#: 6.5 % = 48 mmol/mol and 5.7 % = 39 mmol/mol convert above the % form); lower bounds inclusive.
#: ADA 2024: IFG 100–125, IGT 140–199, HbA1c 5.7–6.4 % prediabetes, diabetes FPG ≥ 126,
#: 2-h ≥ 200, HbA1c ≥ 6.5 %. WHO 2006: IFG 110–125, same IGT and diabetes glucose cut-offs;
#: WHO 2011 accepts HbA1c ≥ 6.5 % for diabetes and defines no HbA1c intermediate category.
def _cut(canonical: float, other: float | None = None, unit: str = "", analyte: str = "") -> float:
    """A cut-off the guideline publishes in two units: the lower form, in irsim's canonical unit.

    Why: the two forms are two roundings of one threshold (11.1 mmol/L = 199.97 mg/dL vs 200; WHO
    6.1 mmol/L = 109.9 vs 110; HDL 1.03 mmol/L = 39.82 mg/dL vs 40; waist 40 in = 101.6 cm vs 102),
    so a value read exactly on either published form meets the criterion.
    """
    return canonical if other is None else min(canonical, float(to_canonical(other, unit, analyte)))


def reaches(x: np.ndarray, cut) -> np.ndarray:
    """x ≥ cut up to floating-point rounding of unit conversion (False where x is NaN)."""
    with np.errstate(invalid="ignore"):
        return x >= np.asarray(cut, dtype=float) * (1.0 - 1e-9)


GLYCAEMIC_THRESHOLDS = {
    "ADA": {"ifg": _cut(100.0, 5.6, "mmol/L", "glucose"), "igt": _cut(140.0, 7.8, "mmol/L", "glucose"),
            "hba1c_pre": 5.7, "fpg_dm": _cut(126.0, 7.0, "mmol/L", "glucose"),
            "ogtt_dm": _cut(200.0, 11.1, "mmol/L", "glucose"), "hba1c_dm": 6.5},
    "WHO": {"ifg": _cut(110.0, 6.1, "mmol/L", "glucose"), "igt": _cut(140.0, 7.8, "mmol/L", "glucose"),
            "hba1c_pre": None, "fpg_dm": _cut(126.0, 7.0, "mmol/L", "glucose"),
            "ogtt_dm": _cut(200.0, 11.1, "mmol/L", "glucose"), "hba1c_dm": 6.5},
}


@dataclass(frozen=True)
class GlycaemicResult:
    """Per subject: the category, the measures it rests on, and whether any of the three was missing."""

    category: np.ndarray  # "normal" | "IFG" | "IGT" | "IFG+IGT" | "prediabetes (HbA1c)" | "diabetes" | ""
    basis: np.ndarray  # e.g. "FPG, 2-h glucose"; "" when nothing was measured
    incomplete: np.ndarray  # bool: a measure is missing that could change the category


def _values(field: str, x, unit: str, n: int | None = None) -> np.ndarray:
    arr = np.full(n, np.nan) if x is None else np.atleast_1d(np.asarray(x, dtype=float))
    if (arr <= 0).any() or np.isinf(arr).any():
        bad = arr[(arr <= 0) | np.isinf(arr)].flat[0]
        raise InputError(field, float(bad), unit=unit, allowed=f"> 0 {unit}", reason="not a possible value")
    return arr


def glycaemic_category(*, fpg_mg_dl=None, ogtt_2h_mg_dl=None, hba1c_pct=None, criteria: str = "ADA") -> GlycaemicResult:
    """ADA or WHO glycaemic category from fasting glucose, 2-h OGTT glucose and HbA1c (any subset)."""
    if criteria not in GLYCAEMIC_THRESHOLDS:
        raise UnknownNameError("criteria", criteria, GLYCAEMIC_THRESHOLDS)
    th = GLYCAEMIC_THRESHOLDS[criteria]
    sizes = [np.size(x) for x in (fpg_mg_dl, ogtt_2h_mg_dl, hba1c_pct) if x is not None]
    n = max(sizes) if sizes else 0
    fpg = _values("fpg", fpg_mg_dl, "mg/dL", n)
    two_h = _values("glucose_120", ogtt_2h_mg_dl, "mg/dL", n)
    a1c = _values("hba1c", hba1c_pct, "%", n)
    has = {"FPG": np.isfinite(fpg), "2-h glucose": np.isfinite(two_h), "HbA1c": np.isfinite(a1c)}
    diabetes = reaches(fpg, th["fpg_dm"]) | reaches(two_h, th["ogtt_dm"]) | reaches(a1c, th["hba1c_dm"])
    ifg = reaches(fpg, th["ifg"]) & ~reaches(fpg, th["fpg_dm"])
    igt = reaches(two_h, th["igt"]) & ~reaches(two_h, th["ogtt_dm"])
    a1c_pre = reaches(a1c, th["hba1c_pre"]) if th["hba1c_pre"] is not None else np.zeros(n, dtype=bool)
    measured = has["FPG"] | has["2-h glucose"] | has["HbA1c"]
    category = np.select(
        [diabetes, ifg & igt, ifg, igt, a1c_pre, measured],
        ["diabetes", "IFG+IGT", "IFG", "IGT", "prediabetes (HbA1c)", "normal"],
        default="",
    ).astype(object)
    names = np.array(list(has))
    present = np.column_stack(list(has.values()))
    basis = np.array([", ".join(names[row]) for row in present], dtype=object)
    # incomplete: a missing measure could still change the category (nothing changes "diabetes")
    return GlycaemicResult(category, basis, measured & ~present.all(axis=1) & (category != "diabetes"))


# --- metabolic syndrome ---------------------------------------------------------------------

#: NCEP ATP III as revised by AHA/NHLBI (Grundy 2005): ≥ 3 of 5. Waist ≥ 102 cm men / ≥ 88 women;
#: TG ≥ 150 mg/dL; HDL < 40 mg/dL men / < 50 women; BP ≥ 130 systolic or ≥ 85 mmHg diastolic;
#: FPG ≥ 100 mg/dL (the 2001 ATP III used 110; Grundy 2005 lowered it to the ADA IFG cut-off).
NCEP_WAIST_CM = {"M": _cut(102.0, 40.0, "in", "waist"), "F": _cut(88.0, 35.0, "in", "waist")}
HDL_MG_DL = {"M": _cut(40.0, 1.03, "mmol/L", "hdl"), "F": _cut(50.0, 1.29, "mmol/L", "hdl")}  # NCEP 2005 = IDF 2005
TG_MG_DL = _cut(150.0, 1.7, "mmol/L", "triglycerides")  # this and the next three: the same in both definitions
FPG_MG_DL = _cut(100.0, 5.6, "mmol/L", "glucose")
SBP_MMHG, DBP_MMHG = 130.0, 85.0

#: IDF central obesity, waist cm (men, women) by ethnic group, as in the IDF 2006 consensus table
#: (South and Central Americans use South Asian values, Sub-Saharan Africans and Eastern
#: Mediterranean / Middle East populations use Europid values until specific data exist). Japanese
#: 90/80 is the 2006 revision ("new data support" it); Alberti 2005 had listed 85 (men) / 90 (women).
IDF_WAIST_CM = {
    "europid": (94.0, 80.0),
    "south_asian": (90.0, 80.0),
    "chinese": (90.0, 80.0),
    "japanese": (90.0, 80.0),
    "south_central_american": (90.0, 80.0),
    "sub_saharan_african": (94.0, 80.0),
    "middle_eastern": (94.0, 80.0),
}
#: IDF: with BMI > 30 kg/m² central obesity may be assumed (used here only when waist is missing)
IDF_BMI_KG_M2 = 30.0


@dataclass(frozen=True)
class MetabolicSyndromeResult:
    """Per subject: "yes", "no" or "undetermined", with counts and the components not measured."""

    status: np.ndarray
    criteria_met: np.ndarray
    criteria_assessed: np.ndarray
    missing: np.ndarray  # e.g. "waist, HDL"; "" when all were assessed


def _cut_range(sex: np.ndarray, by_sex: dict[str, tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """(lowest, highest) cut-off that could apply to each subject: one value when sex is known."""
    lo = np.full(sex.size, min(v[0] for v in by_sex.values()))
    hi = np.full(sex.size, max(v[1] for v in by_sex.values()))
    for s, (low, high) in by_sex.items():
        lo = np.where(sex == s, low, lo)
        hi = np.where(sex == s, high, hi)
    return lo, hi


def _at_least(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Three-valued x ≥ cut: 1 met under every possible cut-off, 0 under none, NaN otherwise or unmeasured."""
    return np.select([np.isnan(x), reaches(x, hi), ~reaches(x, lo)], [np.nan, 1.0, 0.0], default=np.nan)


def _below(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Three-valued x < cut, with the same meaning as :func:`_at_least`."""
    return np.select([np.isnan(x), ~reaches(x, lo), reaches(x, hi)], [np.nan, 1.0, 0.0], default=np.nan)


def _either(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Three-valued OR: met if either is met, not met only if both are known and not met."""
    return np.select([(a == 1) | (b == 1), (a == 0) & (b == 0)], [1.0, 0.0], default=np.nan)


def _sex(sex, n: int) -> np.ndarray:
    out = np.full(n, "", dtype=object) if sex is None else np.asarray(sex, dtype=object)
    out = np.array(["" if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in out], dtype=object)
    bad = ~np.isin(out, ["M", "F", ""])
    if bad.any():
        raise InputError("sex", out[bad][0], allowed="'M', 'F' or missing", reason="unknown sex code")
    return out


def _waist_cuts(definition: str, sex: np.ndarray, ethnicity) -> tuple[np.ndarray, np.ndarray]:
    if definition == "NCEP":
        return _cut_range(sex, {s: (c, c) for s, c in NCEP_WAIST_CM.items()})
    n = sex.size
    eth = np.full(n, "", dtype=object) if ethnicity is None else np.asarray(ethnicity, dtype=object)
    lo, hi = np.empty(n), np.empty(n)
    for k in range(n):  # a handful of groups; this loop only picks cut-offs
        e = eth[k] if isinstance(eth[k], str) else ""
        if e and e not in IDF_WAIST_CM:
            raise UnknownNameError("ethnicity", e, IDF_WAIST_CM)
        groups = [IDF_WAIST_CM[e]] if e else list(IDF_WAIST_CM.values())
        men, women = [g[0] for g in groups], [g[1] for g in groups]
        options = {"M": men, "F": women}.get(sex[k], men + women)
        lo[k], hi[k] = min(options), max(options)
    return lo, hi


def metabolic_syndrome(*, definition: str = "NCEP", sex=None, waist_cm=None, triglycerides_mg_dl=None,
                       hdl_mg_dl=None, systolic_bp_mmhg=None, diastolic_bp_mmhg=None, fpg_mg_dl=None,
                       ethnicity=None, bmi_kg_m2=None) -> MetabolicSyndromeResult:
    """Metabolic syndrome by NCEP ATP III (Grundy 2005, 3 of 5) or IDF (Alberti 2005, waist + 2 of 4).

    Sex decides the waist and HDL cut-offs and, for IDF, ethnicity the waist cut-off; when one is
    missing, a value that meets (or misses) the criterion under every possible cut-off still
    counts, and one in between is left unknown.
    """
    if definition not in ("NCEP", "IDF"):
        raise UnknownNameError("metabolic syndrome definition", definition, ("NCEP", "IDF"))
    given = [x for x in (waist_cm, triglycerides_mg_dl, hdl_mg_dl, systolic_bp_mmhg, diastolic_bp_mmhg, fpg_mg_dl)
             if x is not None]
    n = max((np.size(x) for x in given), default=np.size(sex) if sex is not None else 0)
    sex = _sex(sex, n)
    waist = _values("waist", waist_cm, "cm", n)
    lo, hi = _waist_cuts(definition, sex, ethnicity)
    central = _at_least(waist, lo, hi)
    hdl_lo, hdl_hi = _cut_range(sex, {s: (c, c) for s, c in HDL_MG_DL.items()})
    ones = np.ones(n)
    others = {
        "triglycerides": _at_least(_values("triglycerides", triglycerides_mg_dl, "mg/dL", n), TG_MG_DL * ones,
                                   TG_MG_DL * ones),
        "HDL": _below(_values("hdl", hdl_mg_dl, "mg/dL", n), hdl_lo, hdl_hi),
        "blood pressure": _either(
            _at_least(_values("systolic_bp", systolic_bp_mmhg, "mmHg", n), SBP_MMHG * ones, SBP_MMHG * ones),
            _at_least(_values("diastolic_bp", diastolic_bp_mmhg, "mmHg", n), DBP_MMHG * ones, DBP_MMHG * ones)),
        "FPG": _at_least(_values("fpg", fpg_mg_dl, "mg/dL", n), FPG_MG_DL * ones, FPG_MG_DL * ones),
    }
    if definition == "IDF" and bmi_kg_m2 is not None:  # stands in for an unmeasured waist only
        obese = np.asarray(bmi_kg_m2, dtype=float) > IDF_BMI_KG_M2
        central = np.where(np.isnan(waist) & obese, 1.0, central)
    components = {"waist": central, **others}
    stack = np.column_stack(list(components.values()))
    met, unknown = (stack == 1).sum(axis=1), np.isnan(stack).sum(axis=1)
    if definition == "NCEP":
        yes, no = met >= 3, met + unknown < 3
    else:
        o = np.column_stack(list(others.values()))
        o_met, o_unknown = (o == 1).sum(axis=1), np.isnan(o).sum(axis=1)
        yes = (central == 1) & (o_met >= 2)
        no = (central == 0) | (o_met + o_unknown < 2)
    status = np.select([yes, no], ["yes", "no"], default="undetermined").astype(object)
    names = np.array(list(components))
    missing = np.array([", ".join(names[row]) for row in np.isnan(stack)], dtype=object)
    return MetabolicSyndromeResult(status, met, stack.shape[1] - unknown, missing)
