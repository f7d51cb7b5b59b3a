"""Literature behind every model and parameter set, and the list a run actually used.

Models, blocks and parameter sets register :class:`Citation` objects; a :class:`~irsim.Result`
carries the keys it used, and ``irsim citations`` prints them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    """One published source. ``key`` is short and stable (``DallaMan2007``)."""

    key: str
    authors: str
    year: int
    title: str
    journal: str
    doi: str | None = None

    def __str__(self) -> str:
        doi = f" doi:{self.doi}" if self.doi else ""
        return f"{self.authors} ({self.year}). {self.title}. {self.journal}.{doi}"


_REGISTRY: dict[str, Citation] = {}


def register(citation: Citation) -> Citation:
    """Add a citation to the registry (idempotent) and return it."""
    existing = _REGISTRY.setdefault(citation.key, citation)
    if existing != citation:
        raise ValueError(f"citation key {citation.key!r} registered twice with different content")
    return citation


def _load_all() -> None:
    """Import the modules that register their sources next to the formulas they cite."""
    import irsim.analysis.diagnosis  # noqa: F401
    import irsim.analysis.homa2  # noqa: F401
    import irsim.analysis.indices  # noqa: F401
    import irsim.models  # noqa: F401


def get(key: str) -> Citation:
    """The citation registered as ``key``; suggests the nearest key if unknown."""
    from irsim.errors import UnknownNameError

    if key not in _REGISTRY:
        _load_all()
    try:
        return _REGISTRY[key]
    except KeyError:
        raise UnknownNameError("citation", key, _REGISTRY) from None


def all_citations() -> list[Citation]:
    """Every citation known to irsim, sorted by key."""
    _load_all()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def used_by(model, parameter_set, protocol) -> tuple[str, ...]:
    """Keys of every paper a run of ``protocol`` on ``model`` with ``parameter_set`` rests on."""
    keys = [*model.citations, *(parameter_set.citations if parameter_set else ()), *protocol.citations]
    return tuple(dict.fromkeys(keys))


def format_citations(keys: list[str] | set[str] | tuple[str, ...]) -> str:
    """A numbered reference list for the given keys."""
    return "\n".join(f"[{i}] {get(k)}" for i, k in enumerate(sorted(set(keys)), start=1))


DALLA_MAN_2007 = register(
    Citation(
        "DallaMan2007",
        "Dalla Man C, Rizza RA, Cobelli C",
        2007,
        "Meal simulation model of the glucose-insulin system",
        "IEEE Trans Biomed Eng 54(10):1740-1749",
        "10.1109/TBME.2007.893506",
    )
)
DALLA_MAN_2006 = register(
    Citation(
        "DallaMan2006",
        "Dalla Man C, Camilleri M, Cobelli C",
        2006,
        "A system model of oral glucose absorption: validation on gold standard data",
        "IEEE Trans Biomed Eng 53(12):2472-2478",
        "10.1109/TBME.2006.883792",
    )
)
NATHAN_2008 = register(
    Citation(
        "Nathan2008",
        "Nathan DM, Kuenen J, Borg R, Zheng H, Schoenfeld D, Heine RJ",
        2008,
        "Translating the A1C assay into estimated average glucose values",
        "Diabetes Care 31(8):1473-1478",
        "10.2337/dc08-0545",
    )
)
BIOMODELS_379 = register(
    Citation(
        "BIOMD0000000379",
        "BioModels curators (Dalla Man 2007 encoding)",
        2011,
        "DallaMan2007_MealModel_GlucoseInsulinSystem, curated SBML",
        "BioModels Database, entry BIOMD0000000379",
    )
)
TOPP_2000 = register(
    Citation(
        "Topp2000",
        "Topp B, Promislow K, deVries G, Miura RM, Finegood DT",
        2000,
        "A model of beta-cell mass, insulin, and glucose kinetics: pathways to diabetes",
        "J Theor Biol 206(4):605-619",
        "10.1006/jtbi.2000.2150",
    )
)
BIOMODELS_341 = register(
    Citation(
        "BIOMD0000000341",
        "BioModels curators (Topp 2000 encoding)",
        2011,
        "Topp2000_BetaCellMass_Diabetes, curated SBML",
        "BioModels Database, entry BIOMD0000000341",
    )
)
TAHARA_SHIMA_1995 = register(
    Citation(
        "TaharaShima1995",
        "Tahara Y, Shima K",
        1995,
        "Kinetics of HbA1c, glycated albumin, and fructosamine and analysis of their weight functions against "
        "preceding plasma glucose level",
        "Diabetes Care 18(4):440-447",
        "10.2337/diacare.18.4.440",
    )
)
HALL_2011 = register(
    Citation(
        "Hall2011",
        "Hall KD, Sacks G, Chandramohan D, Chow CC, Wang YC, Gortmaker SL, Swinburn BA",
        2011,
        "Quantification of the effect of energy imbalance on bodyweight",
        "Lancet 378(9793):826-837",
        "10.1016/S0140-6736(11)60812-X",
    )
)
CHOW_HALL_2008 = register(
    Citation(
        "ChowHall2008",
        "Chow CC, Hall KD",
        2008,
        "The dynamics of human body weight change",
        "PLoS Comput Biol 4(3):e1000045",
        "10.1371/journal.pcbi.1000045",
    )
)
FORBES_1987 = register(
    Citation(
        "Forbes1987",
        "Forbes GB",
        1987,
        "Lean body mass-body fat interrelationships in humans",
        "Nutr Rev 45(8):225-231",
        "10.1111/j.1753-4887.1987.tb02684.x",
    )
)
HALL_2007 = register(
    Citation(
        "Hall2007",
        "Hall KD",
        2007,
        "Body fat and fat-free mass inter-relationships: Forbes's theory revisited",
        "Br J Nutr 97(6):1059-1063",
        "10.1017/S0007114507691946",
    )
)
AINSWORTH_2011 = register(
    Citation(
        "Ainsworth2011",
        "Ainsworth BE, Haskell WL, Herrmann SD, et al.",
        2011,
        "2011 Compendium of Physical Activities: a second update of codes and MET values",
        "Med Sci Sports Exerc 43(8):1575-1581",
        "10.1249/MSS.0b013e31821ece12",
    )
)
HA_2016 = register(
    Citation(
        "Ha2016",
        "Ha J, Satin LS, Sherman AS",
        2016,
        "A mathematical model of the pathogenesis, prevention, and reversal of type 2 diabetes",
        "Endocrinology 157(2):624-635",
        "10.1210/en.2015-1564",
    )
)
BERGMAN_1979 = register(
    Citation(
        "Bergman1979",
        "Bergman RN, Ider YZ, Bowden CR, Cobelli C",
        1979,
        "Quantitative estimation of insulin sensitivity",
        "Am J Physiol 236(6):E667-E677",
        "10.1152/ajpendo.1979.236.6.E667",
    )
)
BERGMAN_1981 = register(
    Citation(
        "Bergman1981",
        "Bergman RN, Phillips LS, Cobelli C",
        1981,
        "Physiologic evaluation of factors controlling glucose tolerance in man: measurement of insulin "
        "sensitivity and beta-cell glucose sensitivity from the response to intravenous glucose",
        "J Clin Invest 68(6):1456-1467",
        "10.1172/JCI110398",
    )
)
PACINI_BERGMAN_1986 = register(
    Citation(
        "PaciniBergman1986",
        "Pacini G, Bergman RN",
        1986,
        "MINMOD: a computer program to calculate insulin sensitivity and pancreatic responsivity from the "
        "frequently sampled intravenous glucose tolerance test",
        "Comput Methods Programs Biomed 23(2):113-122",
        "10.1016/0169-2607(86)90106-9",
    )
)
DEFRONZO_1979 = register(
    Citation(
        "DeFronzo1979",
        "DeFronzo RA, Tobin JD, Andres R",
        1979,
        "Glucose clamp technique: a method for quantifying insulin secretion and resistance",
        "Am J Physiol 237(3):E214-E223",
        "10.1152/ajpendo.1979.237.3.E214",
    )
)
BRANNMARK_2013 = register(
    Citation(
        "Brannmark2013",
        "Brännmark C, Nyman E, Fagerholm S, Bergenholm L, Ekstrand EM, Cedersund G, Strålfors P",
        2013,
        "Insulin signaling in type 2 diabetes: experimental and modeling analyses reveal mechanisms of insulin "
        "resistance in human adipocytes",
        "J Biol Chem 288(14):9867-9880",
        "10.1074/jbc.M112.432062",
    )
)
BIOMODELS_448 = register(
    Citation(
        "BIOMD0000000448",
        "BioModels curators (Brännmark 2013 encoding, normal condition)",
        2013,
        "Brännmark2013 - Insulin signalling in human adipocytes (normal condition), curated SBML",
        "BioModels Database, entry BIOMD0000000448",
    )
)
BIOMODELS_449 = register(
    Citation(
        "BIOMD0000000449",
        "BioModels curators (Brännmark 2013 encoding, diabetic condition)",
        2013,
        "Brännmark2013 - Insulin signalling in human adipocytes (diabetic condition), curated SBML",
        "BioModels Database, entry BIOMD0000000449",
    )
)
