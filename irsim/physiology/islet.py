"""An adaptive β-cell: secretion from β-cell mass × function through a glucose dose–response.

Static secretion follows a sigmoid glucose dose–response, as isolated islets and the hyperglycaemic
clamp show (Topp 2000 uses σ·G²/(α + G²); a steeper Hill fits human islets' threshold near 5 mM),

    σ(G) = S_max · M · F · G^n / (G_h^n + G^n),   M = β-cell mass, F = function × TCF7L2 × age,

and second-phase secretion Y approaches it with Dalla Man's delay α; the first phase is Dalla Man's
K·max(dG/dt, 0), scaled by M·F. So basal secretion — and fasting insulin, HOMA-IR, HOMA-%B — is an
outcome: at the fasting steady state Y = σ(G_fasting). More resistance raises fasting glucose a
little and, through the steep σ, secretion a lot (compensation); less mass or function needs a higher
glucose for the same secretion (failure). β-cell mass and function are drivers here (slow states in
progression). S_max, G_h and n are calibrated so the lean reference (M = F = 1) reproduces Dalla Man
2007's normal subject (basal secretion 1.55 pmol/kg/min at 92 mg/dL, its meal insulin).

Ageing: β-cell function falls ~0.7 %/year (Chang & Halter 2003, secondary), applied above 35.
TCF7L2 risk alleles lower insulin secretion (Lyssenko 2007 J Clin Invest 117:2155): a multiplier.
"""

from __future__ import annotations

from irsim.core.block import Block, Output, Parameter, Rates, State
from irsim.physiology.response import hill

T1 = "Dalla Man 2007, Table 1 (normal subject)"
CAL = "calibrated to Dalla Man 2007 normal subject (docs/mechanisms.md)"


class AdaptiveBetaCell(Block):
    name = "beta_cell"
    states = (
        State("Ipo", "pmol/kg", "insulin in the portal vein"),
        State("Y", "pmol/kg/min", "second-phase (and basal) insulin secretion"),
    )
    parameters = (
        Parameter("beta_cell_mass", 1.0, "fold", "β-cell mass relative to the lean reference",
                  "driver; 1 = lean non-diabetic autopsy reference (Butler 2003 Diabetes 52:102: +~50 % in non-diabetic "
                  "obesity, −~60 % in T2D); range: 0.05 admits near-total loss, 3 ≈ twice obese compensation, a "
                  "plausibility bound", 0.05, 3.0),
        Parameter("beta_cell_function", 1.0, "fold", "secretory capacity per β-cell relative to the lean reference",
                  "driver; 1 = lean NGT, against which DeFronzo 2009 Diabetes 58:773 (Banting lecture) scales it; range: "
                  "upper-tertile IGT has lost > 80 %, 0.02 near-absent secretion, 3 a bound for hypersecretion", 0.02, 3.0),
        Parameter("genetic_tcf7l2", 1.0, "fold", "TCF7L2 genotype multiplier on β-cell function (risk alleles < 1)",
                  "driver; 1 = CC (non-risk) genotype (Lyssenko 2007 J Clin Invest 117:2155); range: TT carriers secrete "
                  "less, 0.3–2 a plausibility bound around one common variant", 0.3, 2.0),
        Parameter("beta_age_loss", 0.007, "1/year", "fall of β-cell function per year above 35",
                  "Chang & Halter 2003 Am J Physiol 284:E7 (secondary; size uncertain)", 0.0, 0.05),
        Parameter("incretin_gain", 1.0, "fold", "pharmacological potentiation of glucose-stimulated secretion "
                  "(GLP-1 receptor agonist > 1)", "intervention; 1 untreated (Kjems 2003 Diabetes 52:380)", 0.2, 10.0),
        Parameter("S_max", 24.3, "pmol/kg/min", "maximal static secretion of the lean reference", CAL, 0.0, 500.0),
        Parameter("G_half", 187.1, "mg/dL", "glucose of half-maximal static secretion", CAL, 20.0, 1000.0),
        Parameter("secretion_hill", 3.5, "1", "Hill coefficient of static secretion", CAL, 0.5, 12.0),
        Parameter("gamma", 0.5, "1/min", "transfer rate from portal vein to liver", T1, 1e-3, 10.0),
        Parameter("K", 2.30, "pmol/kg per mg/dL", "first-phase responsivity to the glucose rate of rise", T1, 0.0, 100.0),
        Parameter("alpha", 0.050, "1/min", "delay of second-phase secretion", T1, 1e-4, 10.0),
    )
    reads = ("G", "dGdt", "at_rest", "age_years")
    outputs = (
        Output("Spo", "pmol/kg/min", "insulin secretion into the portal vein"),
        Output("beta_cell_capacity", "fold", "β-cell mass × function (× genotype, age): the secretory capacity"),
        Output("static_secretion", "pmol/kg/min", "second-phase secretion the present glucose calls for"),
    )
    citations = ("DallaMan2007", "Topp2000", "Butler2003")

    def rates(self, v, xp):
        age = xp.maximum(1.0 - v["beta_age_loss"] * xp.maximum(v["age_years"] - 35.0, 0.0), 0.3)
        capacity = v["beta_cell_mass"] * v["beta_cell_function"] * v["genetic_tcf7l2"] * age * v["incretin_gain"]
        static = v["S_max"] * capacity * hill(v["G"], v["G_half"], v["secretion_hill"], xp)
        rise = xp.maximum(v["dGdt"], 0.0) * (1.0 - v["at_rest"])
        spo = v["Y"] + v["K"] * capacity * rise
        return Rates({"Ipo": -v["gamma"] * v["Ipo"] + spo, "Y": -v["alpha"] * (v["Y"] - static)},
                     {"Spo": spo, "beta_cell_capacity": capacity, "static_secretion": static})

    def initial_guess(self, v):
        return {"Ipo": 3.0, "Y": 1.5}
