"""Virtual populations: people drawn from documented distributions, mapped to the integrated model's drivers.

A :class:`PopulationSpec` names the marginal distribution of each characteristic (age, BMI, waist,
height, activity, diet, mitochondrial capacity, β-cell mass and function; sex and two genotypes
from their frequencies) and their correlations, joined by a Gaussian copula. Characteristics become
drivers through published formulas: body weight from BMI and height, total fat from BMI, age and sex
(Deurenberg 1991), visceral fat from waist (a documented assumption, see :func:`visceral_fat_kg`),
genetic multipliers from allele counts.

Inclusion criteria are met by rejection: each candidate takes the screening test a trial would give
(fasting glucose and a 75 g OGTT on the integrated model, all candidates in one batched call) and
is drawn again until accepted. By default the criteria read the test as one day measures it — the
model's values times the day-to-day factor of :mod:`irsim.patients.day_to_day` — since real trials
enrol on one measured OGTT: some people enrolled have a usual level outside the range, and their
later values regress to the mean (``screening="model"`` enrols on the model's values instead).

Reproducibility: candidate ``j`` of patient ``i`` is drawn from its own counter-based stream
(:func:`irsim.patients.streams.stream`), so a patient depends only on (seed, i) — never on chunk
size, worker count or which other patients were drawn with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from irsim.citations import Citation, register
from irsim.errors import InputError, UnknownNameError, one_of
from irsim.patients.day_to_day import COLUMNS, WITHIN_PERSON_CV, one_day
from irsim.patients.streams import Purpose, stream

for _source in (
    ("Deurenberg1991", "Deurenberg P, Weststrate JA, Seidell JC", 1991, "Body mass index as a measure of body "
     "fatness: age- and sex-specific prediction formulas", "Br J Nutr 65:105-114", "10.1079/BJN19910073"),
    ("DPP2000", "Diabetes Prevention Program Research Group", 2000, "The Diabetes Prevention Program: baseline "
     "characteristics of the randomized cohort", "Diabetes Care 23:1619-1629", "10.2337/diacare.23.11.1619"),
    ("Fryar2021", "Fryar CD, Carroll MD, Gu Q, Afful J, Ogden CL", 2021, "Anthropometric reference data for children "
     "and adults: United States, 2015-2018", "Vital Health Stat 3(46), NCHS", None),
    ("Grant2006", "Grant SFA, Thorleifsson G, Reynisdottir I, et al.", 2006, "Variant of transcription factor 7-like 2 "
     "(TCF7L2) gene confers risk of type 2 diabetes", "Nat Genet 38:320-323", "10.1038/ng1732"),
    ("Altshuler2000", "Altshuler D, Hirschhorn JN, Klannemark M, et al.", 2000, "The common PPARγ Pro12Ala polymorphism "
     "is associated with decreased risk of type 2 diabetes", "Nat Genet 26:76-80", "10.1038/79216"),
):
    register(Citation(*_source))

Kind = Literal["normal", "lognormal"]
#: what inclusion criteria on glucose read: the screening test as one day measures it, or the model's values
Screening = Literal["measured", "model"]


@dataclass(frozen=True)
class Marginal:
    """One characteristic's distribution: normal or log-normal with this mean and SD, truncated to [lower, upper].

    ``mean`` and ``sd`` are one number, or a pair (women, men) where the source tabulates by sex.
    Truncation is by the inverse CDF, so the copula's ranks (and correlations) are kept.
    """

    name: str
    unit: str
    kind: Kind
    mean: float | tuple[float, float]
    sd: float | tuple[float, float]
    lower: float
    upper: float
    source: str

    def __post_init__(self) -> None:
        if self.kind not in ("normal", "lognormal"):
            raise InputError(f"{self.name} distribution", self.kind, allowed="normal, lognormal")
        for which, value in (("mean", self.mean), ("sd", self.sd)):
            for v in np.atleast_1d(value):
                if not (np.isfinite(v) and v > 0):
                    raise InputError(f"{self.name} {which}", v, unit=self.unit, allowed="a finite number > 0")
        if not self.lower < self.upper:
            raise InputError(f"{self.name} range", (self.lower, self.upper), unit=self.unit, allowed="lower < upper")

    def quantile(self, u: np.ndarray, male: np.ndarray) -> np.ndarray:
        """Values at probabilities ``u``, each patient on their own sex's truncated distribution."""
        mean, sd = (np.where(male, *_by_sex(x)[::-1]) for x in (self.mean, self.sd))
        bounds = np.array([self.lower, self.upper], dtype=float)
        if self.kind == "lognormal":  # the normal law of log x that gives x this mean and SD
            scale = np.sqrt(np.log1p((sd / mean) ** 2))
            loc = np.log(mean) - scale**2 / 2
            lo, hi = np.log(np.maximum(bounds, 1e-300))
        else:
            loc, scale, (lo, hi) = mean, sd, bounds
        p_lo, p_hi = ndtr((lo - loc) / scale), ndtr((hi - loc) / scale)
        x = loc + scale * ndtri(np.clip(p_lo + u * (p_hi - p_lo), 1e-15, 1 - 1e-15))
        return np.clip(np.exp(x) if self.kind == "lognormal" else x, self.lower, self.upper)


def _by_sex(x: float | tuple[float, float]) -> tuple[float, float]:
    """(women, men) from one shared value or a pair."""
    return (x, x) if np.ndim(x) == 0 else (float(x[0]), float(x[1]))


@dataclass(frozen=True)
class Allele:
    """A genotype from its allele frequency (Hardy–Weinberg), acting on a driver multiplicatively per allele."""

    driver: str
    variant: str
    frequency: float
    fold_per_allele: float
    source: str

    def __post_init__(self) -> None:
        if not (np.isfinite(self.frequency) and 0.0 <= self.frequency <= 1.0):
            raise InputError(f"{self.variant} allele frequency", self.frequency, allowed="0 to 1")
        if not (np.isfinite(self.fold_per_allele) and self.fold_per_allele > 0):
            raise InputError(f"{self.variant} fold per allele", self.fold_per_allele, unit="fold", allowed="> 0")

    def count(self, u: np.ndarray) -> np.ndarray:
        """Risk alleles (0, 1, 2) carried, from uniform draws ``u`` (Hardy–Weinberg)."""
        q = self.frequency
        return (u >= (1 - q) ** 2).astype(int) + (u >= 1 - q * q)


@dataclass(frozen=True)
class InclusionCriteria:
    """Closed ranges a screened candidate must fall in; ``None`` leaves a measure unrestricted.

    Fasting and 2-h glucose are the screening OGTT's values on the integrated model (as measured,
    or the model's own: :data:`Screening`), so a population restricted on them is simulated once
    before it is accepted.
    """

    bmi_kg_m2: tuple[float, float] | None = None
    age_years: tuple[float, float] | None = None
    fasting_glucose_mg_dl: tuple[float, float] | None = None
    glucose_2h_mg_dl: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        for name, bounds in self.ranges().items():
            if len(bounds) != 2 or not all(isinstance(b, (int, float)) and not np.isnan(b) for b in bounds) \
                    or bounds[0] > bounds[1]:
                raise InputError(f"criteria {name}", bounds, allowed="[lower, upper] with lower ≤ upper")

    def ranges(self) -> dict[str, tuple[float, float]]:
        """Each criterion's allowed range, by measure name."""
        return {k: tuple(v) for k, v in vars(self).items() if v is not None}

    def as_json(self) -> dict[str, list[float | None]]:
        """The ranges with an open bound (±inf) as null, which JSON can hold."""
        return {k: [b if np.isfinite(b) else None for b in v] for k, v in self.ranges().items()}

    @property
    def needs_screening(self) -> bool:
        """Whether a criterion needs a simulated fasting state or OGTT."""
        return self.fasting_glucose_mg_dl is not None or self.glucose_2h_mg_dl is not None

    def met(self, table: pd.DataFrame, screening: Screening = "model") -> np.ndarray:
        """Which rows of ``table`` meet every criterion; glucose criteria read the ``*_measured``
        columns when ``screening`` is "measured"."""
        ok = np.ones(len(table), dtype=bool)
        for name, (lo, hi) in self.ranges().items():
            column = f"{name}_measured" if screening == "measured" and name in SCREENED.values() else name
            ok &= (table[column].to_numpy() >= lo) & (table[column].to_numpy() <= hi)
        return ok


#: DPP entry criteria (DPP 2000, Table 1 notes): BMI ≥ 24 kg/m², fasting glucose 95–125 mg/dL,
#: 2-h glucose 140–199 mg/dL, age ≥ 25 years
DPP_CRITERIA = InclusionCriteria(bmi_kg_m2=(24.0, np.inf), age_years=(25.0, 100.0),
                                 fasting_glucose_mg_dl=(95.0, 125.0), glucose_2h_mg_dl=(140.0, 199.0))

#: the screening test's measures (irsim.patients.day_to_day) → their columns
SCREENED = {name: COLUMNS[name] for name in ("fpg", "glucose_2h")}

#: candidates screened per round at least (below ~64 patients a batched OGTT costs about the same)
SCREENING_BATCH = 128

#: the characteristics joined by the copula, in the order of the correlation matrix
CHARACTERISTICS = ("age_years", "bmi_kg_m2", "waist_cm", "height_cm", "physical_activity_met_h_week",
                   "dietary_fat_fraction", "mitochondrial_capacity", "beta_cell_mass", "beta_cell_function")


@dataclass(frozen=True)
class PopulationSpec:
    """A population: marginals of :data:`CHARACTERISTICS`, their correlations, sex ratio and genotypes.

    ``correlations`` lists the non-zero pairs of the Gaussian copula's correlation matrix (on the
    normal scores); the matrix must be positive definite. ``sources`` are the citation keys of the
    tables and formulas used (a trial's report lists them).
    """

    name: str
    description: str
    marginals: Mapping[str, Marginal]
    correlations: Mapping[tuple[str, str], float]
    male_fraction: float
    alleles: Sequence[Allele]
    sources: tuple[str, ...]
    criteria: InclusionCriteria = field(default_factory=InclusionCriteria)

    def __post_init__(self) -> None:
        missing = sorted(set(CHARACTERISTICS) - set(self.marginals))
        if missing:
            raise InputError("marginals", ", ".join(missing), reason="missing", allowed=", ".join(CHARACTERISTICS))
        if not 0.0 <= self.male_fraction <= 1.0:
            raise InputError("male_fraction", self.male_fraction, allowed="0 to 1")
        for (a, b), r in self.correlations.items():
            if a not in CHARACTERISTICS or b not in CHARACTERISTICS or a == b:
                raise InputError("correlation", f"{a}–{b}", allowed=f"pairs of two of {', '.join(CHARACTERISTICS)}")
            if not -1.0 < r < 1.0:
                raise InputError(f"correlation {a}–{b}", r, allowed="-1 < r < 1")
        try:
            np.linalg.cholesky(self.correlation_matrix())
        except np.linalg.LinAlgError:
            raise InputError("correlations", dict(self.correlations), reason="not a positive definite matrix",
                             allowed="correlations a real population could have") from None

    def correlation_matrix(self) -> np.ndarray:
        """The copula's correlation matrix over the characteristics, in their order."""
        index = {name: k for k, name in enumerate(CHARACTERISTICS)}
        c = np.eye(len(CHARACTERISTICS))
        for (a, b), r in self.correlations.items():
            c[index[a], index[b]] = c[index[b], index[a]] = r
        return c

    # ------------------------------------------------------------------------------------------
    def draw(self, patients: np.ndarray, seed: int, attempt: np.ndarray | int = 0) -> pd.DataFrame:
        """Candidate ``attempt`` of each patient in ``patients``: characteristics and drivers, one row each.

        Each row depends only on (seed, patient, attempt).
        """
        patients = np.asarray(patients, dtype=np.int64)
        attempts = np.broadcast_to(np.asarray(attempt, dtype=np.int64), patients.shape)
        d = len(CHARACTERISTICS)
        normals = np.empty((patients.size, d))
        uniforms = np.empty((patients.size, 1 + len(self.alleles)))
        for row, (i, j) in enumerate(zip(patients.tolist(), attempts.tolist())):
            rng = stream(seed, i, Purpose.CANDIDATE, j)
            normals[row], uniforms[row] = rng.standard_normal(d), rng.random(uniforms.shape[1])
        u = ndtr(normals @ np.linalg.cholesky(self.correlation_matrix()).T)
        male = uniforms[:, 0] < self.male_fraction
        table = pd.DataFrame({name: self.marginals[name].quantile(u[:, k], male)
                              for k, name in enumerate(CHARACTERISTICS)}, index=pd.Index(patients, name="patient"))
        table.insert(1, "sex", male.astype(float))
        table["attempt"] = attempts
        for k, allele in enumerate(self.alleles, start=1):
            table[f"{allele.variant}_alleles"] = allele.count(uniforms[:, k])
        return drivers_from_characteristics(table, self.alleles)

    def sample(self, n: int, seed: int, criteria: InclusionCriteria | None = None, *, first: int = 0,
               max_attempts: int = 200, screening: Screening = "measured",
               within_person_cv: Mapping[str, float] = WITHIN_PERSON_CV) -> pd.DataFrame:
        """Patients ``first … first+n-1``, each meeting ``criteria`` (default: the spec's own).

        One row per patient (index ``patient``): characteristics, drivers (:data:`~irsim.models.integrated.DRIVERS`),
        the screening test's model values, with ``screening="measured"`` also as measured (``*_measured``,
        by :func:`measured_screening` with ``within_person_cv``; the criteria read these), and ``attempt``,
        the accepted candidate's number (0: the first). Identical for any split into calls.
        """
        for label, value, lowest in (("population", n, 1), ("first", first, 0), ("max_attempts", max_attempts, 1)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lowest:
                raise InputError(label, value, allowed=f"an integer ≥ {lowest}")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**63:
            raise InputError("seed", seed, allowed="an integer, 0 ≤ seed < 2^63")
        screening = screening_mode(screening)
        criteria = self.criteria if criteria is None else criteria
        pending, tried = np.arange(first, first + n), 0  # every pending patient has tried `tried` candidates
        accepted: list[pd.DataFrame] = []
        while pending.size and tried < max_attempts:
            # a round screens at least SCREENING_BATCH candidates (small batches cost as much as large ones);
            # each patient keeps its lowest-numbered passing candidate, so the result is the same as one by one
            each = min(-(-SCREENING_BATCH // pending.size), max_attempts - tried)
            candidates = self.draw(np.repeat(pending, each), seed, tried + np.tile(np.arange(each), pending.size))
            if criteria.needs_screening:  # by position: a patient's candidates share its index
                screened = screening_test(candidates)
                if screening == "measured":
                    measured = measured_screening(screened, candidates["attempt"], seed, within_person_cv)
                    screened[list(measured)] = measured.to_numpy()
                candidates[list(screened)] = screened.to_numpy()
            passed = candidates[criteria.met(candidates, screening)]
            accepted.append(passed[~passed.index.duplicated()])
            pending, tried = np.setdiff1d(pending, passed.index), tried + each
        if pending.size == 0:
            return pd.concat(accepted).sort_index()
        raise InputError("criteria", criteria.ranges(), reason=f"{pending.size} of {n} patients of population "
                         f"{self.name} met no candidate in {max_attempts} draws",
                         allowed="criteria this population reaches more often, or a population closer to them")


def visceral_fat_kg(waist_cm: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Visceral fat mass from waist circumference, linear by sex (floor 0.2 kg).

    Assumption (uncertain): the integrated model's visceral driver is a mass, population tables give
    waist. The lines pass through the model's lean reference (1.2 kg at a man's 88 cm waist) and the
    obese group's 4.5 kg (Conte 2012, Goodpaster 2003 group means, via the presets) at ~115 cm, i.e.
    0.12 kg/cm in men; women carry about half the visceral fat of men at equal waist (MRI/CT
    studies report 40–60 % less), 0.7 kg at 80 cm rising 0.065 kg/cm.
    """
    men = 1.2 + 0.12 * (waist_cm - 88.0)
    women = 0.7 + 0.065 * (waist_cm - 80.0)
    return np.maximum(np.where(male, men, women), 0.2)


def drivers_from_characteristics(table: pd.DataFrame, alleles: Sequence[Allele] = ()) -> pd.DataFrame:
    """Add the integrated model's drivers to a table of characteristics (returns a new table).

    BW = BMI·height²; total fat = BW·(1.2·BMI + 0.23·age − 10.8·sex − 5.4)/100 (Deurenberg 1991,
    sex 1 = male, SEE ≈ 4 % fat); visceral fat from waist (:func:`visceral_fat_kg`); genetic
    multipliers = fold_per_allele ** allele count.
    """
    out = table.copy()
    height_m = out["height_cm"].to_numpy() / 100.0
    bmi, age, sex = (out[k].to_numpy() for k in ("bmi_kg_m2", "age_years", "sex"))
    out["BW"] = bmi * height_m**2
    fat_percent = np.clip(1.2 * bmi + 0.23 * age - 10.8 * sex - 5.4, 3.0, 70.0)
    out["total_fat_kg"] = out["BW"] * fat_percent / 100.0
    out["visceral_fat_kg"] = np.minimum(visceral_fat_kg(out["waist_cm"].to_numpy(), sex > 0.5),
                                        0.5 * out["total_fat_kg"])
    for allele in alleles:
        out[allele.driver] = allele.fold_per_allele ** out[f"{allele.variant}_alleles"].to_numpy()
    return out


def screening_test(candidates: pd.DataFrame) -> pd.DataFrame:
    """Fasting and 2-h glucose of a 75 g OGTT on the integrated model, all candidates in one batched run."""
    from irsim.models.integrated import DRIVERS, integrated
    from irsim.protocols import OGTT
    from irsim.simulation import Simulation

    overrides = {k: candidates[k].to_numpy() for k in DRIVERS if k in candidates}
    result = Simulation(integrated(), None, OGTT(glucose_g=75.0), overrides=overrides).solve(
        t_eval=[0.0, 120.0], variables=["G"])
    return pd.DataFrame({"fasting_glucose_mg_dl": result["G"][0], "glucose_2h_mg_dl": result["G"][1]},
                        index=candidates.index)


def measured_screening(screened: pd.DataFrame, attempts: pd.Series, seed: int,
                       within_person_cv: Mapping[str, float] = WITHIN_PERSON_CV) -> pd.DataFrame:
    """The screening test's values (``screened``, indexed by patient) as one test day measures them:
    ``<column>_measured``. Candidate ``attempts`` of each patient draws from its own stream."""
    z = np.array([stream(seed, i, Purpose.SCREENING, j).standard_normal(len(SCREENED))
                  for i, j in zip(screened.index.tolist(), attempts.tolist())]).reshape(-1, len(SCREENED))
    cv = {**WITHIN_PERSON_CV, **within_person_cv}
    return pd.DataFrame({f"{column}_measured": one_day(screened[column].to_numpy(), cv[name], z[:, k])
                         for k, (name, column) in enumerate(SCREENED.items())}, index=screened.index)


def screening_mode(value: object, field: str = "screening") -> Screening:
    """``value`` if it names a :data:`Screening` reading, else an error naming ``field``."""
    return one_of(Screening, value, field)


def driver_values(population: pd.DataFrame) -> dict[str, np.ndarray]:
    """The drivers of a sampled population as per-patient arrays (overrides of the integrated model)."""
    from irsim.models.integrated import DRIVERS

    return {k: population[k].to_numpy(dtype=float) for k in DRIVERS if k in population}


# ---------------------------------------------------------------------------------------------------
# Documented populations. Sureness of each number: "read" in the source's tables, or "memory"
# (recalled, to be checked against the primary table before a validation relies on it).

HEIGHT = Marginal("height_cm", "cm", "normal", (161.7, 175.4), (7.1, 7.6), 135.0, 210.0,
                  "NHANES 2015–2018 adults, women / men (Fryar 2021, tables 10–11; memory)")
ACTIVITY_NOTE = "leisure-time activity is right-skewed; log-normal with this mean/SD is an assumption"
DIET = Marginal("dietary_fat_fraction", "1", "normal", 0.34, 0.065, 0.15, 0.6,
                "share of energy from fat, US adults ~33–35 % (NHANES What We Eat in America; memory)")
MITO = "inter-individual CV ~20 % of muscle oxidative capacity (assumption); −38 % in IR offspring (Petersen 2004)"
#: correlations on the normal scores (assumptions with the direction and rough size reported):
#: BMI–waist ~0.85–0.9 in population surveys; activity lower and mitochondria poorer at higher BMI;
#: activity trains mitochondria (Toledo 2007); β-cell mass rises with BMI (Butler 2003, +50 % in obesity)
CORRELATIONS = {
    ("bmi_kg_m2", "waist_cm"): 0.85, ("age_years", "waist_cm"): 0.15, ("height_cm", "waist_cm"): 0.15,
    ("bmi_kg_m2", "physical_activity_met_h_week"): -0.2, ("bmi_kg_m2", "mitochondrial_capacity"): -0.2,
    ("physical_activity_met_h_week", "mitochondrial_capacity"): 0.3, ("bmi_kg_m2", "beta_cell_mass"): 0.2,
    ("age_years", "mitochondrial_capacity"): -0.1,
}
TCF7L2 = Allele("genetic_tcf7l2", "tcf7l2_rs7903146_t", 0.30, 0.90,
                "risk-allele frequency ~0.30 in European ancestry (Grant 2006); −10 % β-cell function per allele "
                "(assumption from reduced insulin secretion in carriers, Lyssenko 2007; memory)")
PPARG = Allele("genetic_pparg", "pparg_pro12ala_ala", 0.12, 1.10,
               "Ala frequency ~0.12–0.15 in European ancestry (Altshuler 2000); +10 % IRS transmission per Ala "
               "allele (assumption from higher insulin sensitivity in carriers, Deeb 1998; memory)")

US_ADULTS = PopulationSpec(
    "us_adults", "US adults 18–80 years (NHANES 2015–2018 anthropometry)",
    {
        "age_years": Marginal("age_years", "years", "normal", 47.5, 17.0, 18.0, 80.0, "NHANES adult age (memory)"),
        "bmi_kg_m2": Marginal("bmi_kg_m2", "kg/m²", "lognormal", (29.6, 29.1), (7.4, 6.1), 16.0, 60.0,
                              "Fryar 2021: mean BMI women 29.6, men 29.1 (read); SDs memory"),
        "waist_cm": Marginal("waist_cm", "cm", "normal", (98.0, 102.1), (15.6, 15.8), 60.0, 170.0,
                             "Fryar 2021: mean waist women 98.0, men 102.1 cm (read); SDs memory"),
        "height_cm": HEIGHT,
        "physical_activity_met_h_week": Marginal("physical_activity_met_h_week", "MET-h/week", "lognormal", 12.0,
                                                 12.0, 0.2, 100.0, ACTIVITY_NOTE),
        "dietary_fat_fraction": DIET,
        "mitochondrial_capacity": Marginal("mitochondrial_capacity", "fold", "lognormal", 1.0, 0.2, 0.3, 2.0, MITO),
        "beta_cell_mass": Marginal("beta_cell_mass", "fold", "lognormal", 1.0, 0.3, 0.2, 2.5,
                                   "wide inter-individual spread of β-cell mass at autopsy (Rahier 2008; CV ~30 % "
                                   "assumed)"),
        "beta_cell_function": Marginal("beta_cell_function", "fold", "lognormal", 1.0, 0.3, 0.2, 2.5,
                                       "β-cell function spread, CV ~30 % assumed"),
    },
    CORRELATIONS, 0.49, (TCF7L2, PPARG), ("Fryar2021", "Deurenberg1991", "Grant2006", "Altshuler2000"),
)

DPP_IGT = PopulationSpec(
    "dpp_igt", "adults with impaired glucose tolerance and overweight: the DPP randomized cohort's baseline",
    {
        "age_years": Marginal("age_years", "years", "normal", 50.6, 10.7, 25.0, 85.0, "DPP 2000: age 50.6 ± 10.7 (read)"),
        "bmi_kg_m2": Marginal("bmi_kg_m2", "kg/m²", "lognormal", 34.0, 6.7, 22.0, 60.0,
                              "DPP 2000: BMI 34.0 ± 6.7 (read)"),
        "waist_cm": Marginal("waist_cm", "cm", "normal", (103.0, 110.0), (14.0, 14.0), 70.0, 170.0,
                             "DPP 2000: waist ~105 cm overall, men > women (memory)"),
        "height_cm": HEIGHT,
        "physical_activity_met_h_week": Marginal("physical_activity_met_h_week", "MET-h/week", "lognormal", 10.0,
                                                 10.0, 0.2, 100.0, "DPP baseline leisure activity median "
                                                 "~8–10 MET-h/week (memory); " + ACTIVITY_NOTE),
        "dietary_fat_fraction": DIET,
        "mitochondrial_capacity": Marginal("mitochondrial_capacity", "fold", "lognormal", 0.85, 0.2, 0.3, 2.0, MITO),
        "beta_cell_mass": Marginal("beta_cell_mass", "fold", "lognormal", 1.2, 0.35, 0.2, 2.5,
                                   "obese non-diabetic +50 %, obese IFG −40 % vs obese (Butler 2003): a mean of 1.2"),
        "beta_cell_function": Marginal("beta_cell_function", "fold", "lognormal", 0.7, 0.25, 0.15, 2.0,
                                       "IGT: β-cell function reduced (DeFronzo 2009); mean 0.7, CV ~35 % assumed"),
    },
    CORRELATIONS, 0.32, (TCF7L2, PPARG), ("DPP2000", "Fryar2021", "Deurenberg1991", "Grant2006", "Altshuler2000"),
    DPP_CRITERIA,
)

POPULATIONS = {p.name: p for p in (US_ADULTS, DPP_IGT)}


def get_population(name: str) -> PopulationSpec:
    """The population spec called ``name``; an unknown name suggests the nearest."""
    if name not in POPULATIONS:
        raise UnknownNameError("population", name, POPULATIONS)
    return POPULATIONS[name]
