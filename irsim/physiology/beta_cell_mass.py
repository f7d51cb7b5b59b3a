"""β-cell mass as a slow state: the βIG model of Topp et al. 2000 (J Theor Biol 206:605).

Two blocks. :class:`BetaCellMass` is the slow piece other models reuse: β-cells replicate and die
at rates set by glucose, dβ/dt = (−d0 + r1·G − r2·G²)·β, so mild hyperglycaemia grows the mass
(compensation) and glycaemia above the upper root of −d0 + r1·G − r2·G² (250 mg/dL with the
paper's values) shrinks it (glucotoxicity). :class:`ToppGlucoseInsulin` is the paper's reduced
glucose–insulin loop that closes the model:

    dG/dt = R0 − (EG0 + SI·I)·G          dI/dt = β·σ·G²/(α + G²) − k·I

Glucose and insulin here are fasting-like, daily-averaged levels (the paper's fast subsystem
settles in hours), not meal excursions. The paper states its rates per day; irsim integrates in
minutes, so parameters keep the paper's per-day values and units, and ``rates`` divides by
:data:`~irsim.units.MIN_PER_DAY` once. Protocols for these models run for days to years
(:func:`irsim.protocols.Progression`).
"""

from __future__ import annotations

import numpy as np

from irsim.core.block import Block, Output, Parameter, Rates, State
from irsim.units import INSULIN_PMOL_PER_UU, MIN_PER_DAY

TOPP_TABLE = "Topp et al. 2000, Table 1 (as encoded in BioModels BIOMD0000000341)"


class BetaCellMass(Block):
    """β-cell mass β (mg) with glucose-dependent net growth (Topp 2000, eq. 3).

    The quadratic growth law is the paper's phenomenological summary of rat data (replication
    rising, then apoptosis rising faster, with glucose); its human values are uncertain and the
    paper itself uses rat-derived rates.
    """

    name = "beta_cell_mass"
    states = (State("beta", "mg", "β-cell mass"),)
    parameters = (
        Parameter("d0", 0.06, "1/day", "β-cell death rate at zero glucose", TOPP_TABLE, 0.0, 10.0),
        Parameter("r1", 0.84e-3, "dL/mg/day", "linear glucose term of β-cell net growth", TOPP_TABLE, 0.0, 1.0),
        Parameter("r2", 0.24e-5, "dL²/mg²/day", "quadratic glucose term of β-cell net growth (glucotoxicity)",
                  TOPP_TABLE, 0.0, 1.0),
    )
    reads = ("G",)
    outputs = (Output("beta_growth", "1/day", "net specific growth rate of β-cell mass"),)
    citations = ("Topp2000",)

    def rates(self, v, xp):
        growth = -v["d0"] + v["r1"] * v["G"] - v["r2"] * v["G"] ** 2
        return Rates({"beta": growth * v["beta"] / MIN_PER_DAY}, {"beta_growth": growth})

    def initial_guess(self, v):
        # the mass at steady state is whatever the glucose-insulin loop needs: the block closing the
        # loop guesses it (guessing β = 0 would land Newton on the trivial steady state)
        return {"beta": v.get("beta", 0.0)}


class ToppGlucoseInsulin(Block):
    """Fasting glucose G and insulin Iuu driven by β-cell mass (Topp 2000, eqs. 1–2).

    Insulin is in the paper's µU/mL (state ``Iuu``) and reported in pmol/L as ``I`` (6.0 pmol/L
    per µU/mL, irsim's convention).
    """

    name = "topp_glucose_insulin"
    states = (
        State("G", "mg/dL", "plasma glucose concentration"),
        State("Iuu", "µU/mL", "plasma insulin concentration"),
    )
    parameters = (
        Parameter("R0", 864.0, "mg/dL/day", "net glucose production rate at zero glucose", TOPP_TABLE, 0.0, 1e5),
        Parameter("EG0", 1.44, "1/day", "glucose effectiveness at zero insulin", TOPP_TABLE, 0.0, 1e3),
        Parameter("SI", 0.72, "mL/µU/day", "insulin sensitivity", TOPP_TABLE, 0.0, 1e3),
        Parameter("sigma", 43.2, "µU/mL/day/mg", "maximal insulin secretion rate per mg of β-cells", TOPP_TABLE,
                  0.0, 1e4),
        Parameter("alpha", 20000.0, "mg²/dL²", "square of the glucose giving half-maximal secretion (141 mg/dL)",
                  TOPP_TABLE, 1.0, 1e7),
        Parameter("k", 432.0, "1/day", "insulin clearance rate", TOPP_TABLE, 1e-3, 1e5),
    )
    reads = ("beta",)
    outputs = (Output("I", "pmol/L", "plasma insulin concentration"),)
    citations = ("Topp2000",)

    def rates(self, v, xp):
        G, Iuu = v["G"], v["Iuu"]
        dG = v["R0"] - (v["EG0"] + v["SI"] * Iuu) * G
        dI = v["beta"] * v["sigma"] * G**2 / (v["alpha"] + G**2) - v["k"] * Iuu
        return Rates({"G": dG / MIN_PER_DAY, "Iuu": dI / MIN_PER_DAY}, {"I": INSULIN_PMOL_PER_UU * Iuu})

    def initial_guess(self, v):
        return physiological_fixed_point(v)


def physiological_fixed_point(p) -> dict[str, np.ndarray]:
    """The paper's physiological steady state (G, Iuu, beta), from the lower root of the growth law.

    Where the growth law has no root (d0 > r1²/4r2: the mass shrinks at any glucose), the only
    steady state left is the trivial one, β = 0, G = R0/EG0: it is returned instead.
    """
    d0, r1, r2 = (np.asarray(p[k], dtype=float) for k in ("d0", "r1", "r2"))
    disc = r1**2 - 4.0 * r2 * d0
    alive = disc >= 0.0
    g = np.where(alive, (r1 - np.sqrt(np.where(alive, disc, 0.0))) / (2.0 * np.where(r2 > 0, r2, 1.0)), 0.0)
    g = np.where(alive & (r2 <= 0), d0 / np.where(r1 > 0, r1, 1.0), g)
    iuu = np.where(alive, (p["R0"] / np.where(g > 0, g, 1.0) - p["EG0"]) / p["SI"], 0.0)
    beta = np.where(alive, p["k"] * iuu * (p["alpha"] + g**2) / (p["sigma"] * np.where(g > 0, g, 1.0) ** 2), 0.0)
    g = np.where(alive, g, p["R0"] / p["EG0"])
    return {"G": g, "Iuu": iuu, "beta": beta}
