"""β-cell function and mass adapting over years: the T2D pathogenesis model of Ha, Satin & Sherman
2016 (Endocrinology 157:624), human version.

Topp 2000 lets only the β-cell *mass* adapt, so compensation takes months. Ha et al. add two
faster, reversible adaptations of *function*: a shift γ of the glucose dependence of secretion
(KATP channels and the triggering pathway, days) and the secretory capacity σ per β-cell
(amplifying pathway, months). All three are driven by β-cell metabolism M (a Hill function of
glucose) and the secretion rate ISR per β-cell:

    M   = Mmax·G^kM/(αM^kM + G^kM)
    ISR = σ·(M + γ)^kISR/(αISR^kISR + (M + γ)^kISR)
    dγ/dt = (γ∞(G) − γ)/τγ,        γ∞ = γmax/(1 + exp(−(G − Gγ)/nγ)) − γshift
    dσ/dt = (σ∞ − σ)/τσ,           σ∞ = σM(M')·σISR(ISR') + σb
    dβ/dt = (P(ISR) − A(M))·β/τβ   P = Pmax·ISR^kP/(αP^kP + ISR^kP),  A = Amax·M^kA/(αA^kA + M^kA) + Ab

σISR, a rising sigmoid of secretion, is the workload that raises capacity (compensation);
σM = 1 − 1/(1 + kM'·exp(−(M' − sM)/nM)) falls steeply once metabolism is high: glucotoxicity, the
positive feedback that makes failure abrupt once glucose passes a threshold. M' and ISR' are M and
ISR at glucose shifted down by Gσ = 75 mg/dL (as the authors' code writes it, (G − Gσ)² is even in
G − Gσ, so it rises again below 75 mg/dL: outside the fasting range the model describes). The
glucose–insulin loop is Topp 2000's with this secretion, and insulin resistance progresses as the
paper imposes it, SI relaxing exponentially from SI0 to SI∞ (:class:`InsulinResistanceProgression`).

Numbers: the authors' published XPP files for the human simulations (Figure 7 set files,
supplementary material of the paper, github.com/artielbm/artielbm.github.io Models/Pathogenesis);
the equations were re-derived from them and the paper, not the code copied. Time in days, as in the
paper; ``rates`` divides by :data:`~irsim.units.MIN_PER_DAY`. Units of σ and ISR follow from
dI/dt = β·ISR/BV − k·I: µU·L/(mL·mg·day), insulin secreted per mg of β-cells into the blood volume
BV. The brief that asked for this cited "Ha & Sherman 2016, Am J Physiol Endocrinol Metab
310:E703"; the σ/β model with glucotoxicity is the Endocrinology paper above (the later Ha & Sherman
2020, AJP Endocrinol Metab 319:E410, extends it) — the lead should confirm the citation.
"""

from __future__ import annotations

from irsim.core.block import Block, Output, Parameter, Rates, State
from irsim.units import INSULIN_PMOL_PER_UU, MIN_PER_DAY

HA_2016 = "Ha, Satin & Sherman 2016, human model (authors' XPP set files for Fig. 7)"
#: near the steady state at SI = 0.8 mL/µU/day, rounded: where the steady-state solver starts (the
#: authors' Fig. 7 runs start off it, at β = 1000 mg, σ = 537, and drift for a few years)
NEAR_STEADY = {"G": 100.0, "Iuu": 9.0, "beta": 850.0, "gamma": 0.0056, "sigma": 581.0}


def hill(x, half, n, xp):
    """x^n/(half^n + x^n) for x ≥ 0 (0 below)."""
    xn = xp.maximum(x, 0.0) ** n
    return xn / (half**n + xn)


def shifted_metabolism(G, p):
    """Ha et al.'s metabolic rate at G − G_sigma: what the slow σ drives (workload, glucotoxicity) read."""
    shifted = G - p["G_sigma"]
    return p["Mmax"] * shifted**p["k_M"] / (p["alpha_M"] ** p["k_M"] + shifted**p["k_M"])


def glucotoxic_drive(M_shifted, p, xp):
    """Ha et al.'s glucotoxicity sigmoid of the shifted metabolic rate, 0 (normal glucose) to 1."""
    return 1.0 / (1.0 + p["k_M_tox"] * xp.exp(-(M_shifted - p["s_M_tox"]) / p["n_M_tox"]))


class BetaCellAdaptation(Block):
    """β-cell mass β, secretory capacity σ and glucose-sensitivity shift γ (Ha et al. 2016)."""

    name = "beta_cell_adaptation"
    states = (
        State("beta", "mg", "β-cell mass"),
        State("sigma", "µU·L/(mL·mg·day)", "secretory capacity per β-cell mass (β-cell function)"),
        State("gamma", "1", "shift of β-cell glucose sensitivity (KATP / triggering pathway)", lower=-1.0),
    )
    parameters = (
        Parameter("Mmax", 1.0, "1", "maximal β-cell metabolic rate", HA_2016, 0.0, 10.0),
        Parameter("alpha_M", 150.0, "mg/dL", "glucose at half-maximal metabolism", HA_2016, 1.0, 1000.0),
        Parameter("k_M", 2.0, "1", "Hill coefficient of metabolism", HA_2016, 0.1, 10.0),
        Parameter("alpha_ISR", 1.2, "1", "metabolism (+γ) at half-maximal secretion", HA_2016, 0.01, 10.0),
        Parameter("k_ISR", 2.0, "1", "Hill coefficient of secretion", HA_2016, 0.1, 10.0),
        Parameter("BV", 5.0, "L", "blood volume", HA_2016, 0.1, 20.0),
        Parameter("P_max", 4.55, "1", "maximal proliferation (per τβ)", HA_2016, 0.0, 100.0),
        Parameter("alpha_P", 41.77, "µU·L/(mL·mg·day)", "secretion rate at half-maximal proliferation", HA_2016,
                  0.01, 1e4),
        Parameter("k_P", 4.0, "1", "Hill coefficient of proliferation", HA_2016, 0.1, 20.0),
        Parameter("A_max", 9.0, "1", "maximal metabolism-driven apoptosis (per τβ)", HA_2016, 0.0, 100.0),
        Parameter("alpha_A", 0.44, "1", "metabolic rate at half-maximal apoptosis", HA_2016, 0.01, 10.0),
        Parameter("k_A", 6.0, "1", "Hill coefficient of apoptosis", HA_2016, 0.1, 20.0),
        Parameter("A_b", 0.8, "1", "basal apoptosis (per τβ)", HA_2016, 0.0, 100.0),
        Parameter("tau_beta", 8570.0, "day", "time scale of β-cell mass", HA_2016, 1.0, 1e6),
        Parameter("gamma_max", 0.2, "1", "range of the glucose-sensitivity shift", HA_2016, 0.0, 1.0),
        Parameter("G_gamma", 99.9, "mg/dL", "glucose at the midpoint of the γ shift", HA_2016, 10.0, 500.0),
        Parameter("n_gamma", 1.0, "mg/dL", "steepness (width) of the γ shift", HA_2016, 0.01, 100.0),
        Parameter("gamma_shift", 0.1, "1", "offset of the γ shift", HA_2016, -1.0, 1.0),
        Parameter("tau_gamma", 2.14, "day", "time scale of the γ shift", HA_2016, 0.01, 1e4),
        Parameter("G_sigma", 75.0, "mg/dL", "glucose shift of the σ drives (M', ISR')", HA_2016, 0.0, 200.0),
        Parameter("sigma_ISR_max", 600.0, "µU·L/(mL·mg·day)", "maximal workload-driven capacity", HA_2016, 0.0, 1e5),
        Parameter("s_ISR", 0.1, "µU·L/(mL·mg·day)", "midpoint of the workload sigmoid", HA_2016, -100.0, 1e4),
        Parameter("n_ISR", 0.1, "µU·L/(mL·mg·day)", "width of the workload sigmoid", HA_2016, 1e-4, 1e4),
        Parameter("k_ISR_sigmoid", 1.0, "1", "prefactor of the workload sigmoid", HA_2016, 0.0, 100.0),
        Parameter("sigma_b", 3.0, "µU·L/(mL·mg·day)", "basal capacity", HA_2016, 0.0, 1e4),
        Parameter("M_tox_max", 1.0, "1", "depth of glucotoxic loss of capacity", HA_2016, 0.0, 1.0),
        Parameter("k_M_tox", 0.2, "1", "prefactor of the glucotoxicity sigmoid", HA_2016, 0.0, 100.0),
        Parameter("s_M_tox", 0.2, "1", "metabolic rate at the glucotoxicity midpoint", HA_2016, 0.0, 10.0),
        Parameter("n_M_tox", 0.02, "1", "width of the glucotoxicity sigmoid", HA_2016, 1e-4, 10.0),
        Parameter("tau_sigma", 249.9, "day", "time scale of secretory capacity", HA_2016, 1.0, 1e5),
    )
    reads = ("G",)
    outputs = (
        Output("M", "1", "β-cell metabolic rate"),
        Output("ISR", "µU·L/(mL·mg·day)", "insulin secretion rate per β-cell mass"),
        Output("insulin_secretion", "µU/mL/day", "whole-pancreas secretion into plasma"),
    )
    citations = ("Ha2016",)

    def rates(self, v, xp):
        G, sigma, gamma, beta = v["G"], v["sigma"], v["gamma"], v["beta"]

        def metabolism(g):
            return v["Mmax"] * hill(g, v["alpha_M"], v["k_M"], xp)

        def secretion(m):
            return sigma * hill(m + gamma, v["alpha_ISR"], v["k_ISR"], xp)

        M = metabolism(G)
        ISR = secretion(M)
        M_shifted = shifted_metabolism(G, v)
        ISR_shifted = secretion(M_shifted)
        workload = v["sigma_ISR_max"] / (1.0 + v["k_ISR_sigmoid"] * xp.exp(-(ISR_shifted - v["s_ISR"]) / v["n_ISR"]))
        toxicity = 1.0 - v["M_tox_max"] * glucotoxic_drive(M_shifted, v, xp)
        sigma_inf = toxicity * workload + v["sigma_b"]
        gamma_inf = v["gamma_max"] / (1.0 + xp.exp(-(G - v["G_gamma"]) / v["n_gamma"])) - v["gamma_shift"]
        proliferation = v["P_max"] * hill(ISR, v["alpha_P"], v["k_P"], xp)
        apoptosis = v["A_max"] * hill(M, v["alpha_A"], v["k_A"], xp) + v["A_b"]
        per_day = {
            "beta": (proliferation - apoptosis) * beta / v["tau_beta"],
            "sigma": (sigma_inf - sigma) / v["tau_sigma"],
            "gamma": (gamma_inf - gamma) / v["tau_gamma"],
        }
        return Rates({k: d / MIN_PER_DAY for k, d in per_day.items()},
                     {"M": M, "ISR": ISR, "insulin_secretion": beta * ISR / v["BV"]})

    def initial_guess(self, v):
        return {k: NEAR_STEADY[k] for k in ("beta", "sigma", "gamma")}


class InsulinResistanceProgression(Block):
    """Insulin sensitivity falling over years as Ha et al. impose it: dSI/dt = −r·(SI − SI∞), i.e.
    SI(t) = SI∞ + (SI0 − SI∞)·exp(−r·t). The subject starts at the steady state of SI0."""

    name = "insulin_resistance_progression"
    parameters = (
        Parameter("SI0", 0.8, "mL/µU/day", "insulin sensitivity at the start", HA_2016, 1e-3, 100.0),
        Parameter("SI_final", 0.18, "mL/µU/day", "insulin sensitivity approached over years", HA_2016, 1e-3, 100.0),
        Parameter("SI_decline_rate", 0.00756, "1/day", "rate of approach to SI_final", HA_2016, 0.0, 10.0),
    )
    reads = ("t",)
    outputs = (Output("SI", "mL/µU/day", "insulin sensitivity"),)
    citations = ("Ha2016",)

    def rates(self, v, xp):
        days = xp.maximum(v["t"], 0.0) / MIN_PER_DAY
        return Rates({}, {"SI": v["SI_final"] + (v["SI0"] - v["SI_final"]) * xp.exp(-v["SI_decline_rate"] * days)})


class HaGlucoseInsulin(Block):
    """Fasting glucose and insulin: Topp 2000's loop (dG/dt = R0 − (EG0 + SI·I)·G) with secretion
    from :class:`BetaCellAdaptation` and the clearance of Ha et al. (k = 700/day)."""

    name = "ha_glucose_insulin"
    states = (
        State("G", "mg/dL", "plasma glucose concentration"),
        State("Iuu", "µU/mL", "plasma insulin concentration"),
    )
    parameters = (
        Parameter("R0", 864.0, "mg/dL/day", "net glucose production rate at zero glucose", HA_2016, 0.0, 1e5),
        Parameter("EG0", 1.44, "1/day", "glucose effectiveness at zero insulin", HA_2016, 0.0, 1e3),
        Parameter("k", 700.0, "1/day", "insulin clearance rate", HA_2016, 1e-3, 1e5),
    )
    reads = ("SI", "insulin_secretion")
    outputs = (Output("I", "pmol/L", "plasma insulin concentration"),)
    citations = ("Ha2016", "Topp2000")

    def rates(self, v, xp):
        G, Iuu = v["G"], v["Iuu"]
        dG = v["R0"] - (v["EG0"] + v["SI"] * Iuu) * G
        dI = v["insulin_secretion"] - v["k"] * Iuu
        return Rates({"G": dG / MIN_PER_DAY, "Iuu": dI / MIN_PER_DAY}, {"I": INSULIN_PMOL_PER_UU * Iuu})

    def initial_guess(self, v):
        return {k: NEAR_STEADY[k] for k in ("G", "Iuu")}
