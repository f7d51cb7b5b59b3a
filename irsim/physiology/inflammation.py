"""Chronic low-grade inflammation: IKKβ/NF-κB and JNK activity, the NLRP3 inflammasome (IL-1β) and CRP.

IKKβ and JNK are the serine kinases through which cytokines and lipids block IRS (Hotamisligil
2006). They are states relaxing towards their stimulus over hours (τ, documented assumption: the
insulin resistance of a lipid infusion appears after 3-4 h, Itani 2002/Boden), so a meal's fall in
FFA does not restore insulin action within minutes. Each is relative to the lean reference (1):

    IKKβ* = (1 − inhibition) · S,  JNK* = S,  S = weighted mean of TNF-α, IL-1β, FFA (TLR4),
                                                  ceramide, resistin, visfatin, each / reference,
                                                  times (adiponectin / reference)^−0.3

— adiponectin is anti-inflammatory (NF-κB inhibition in macrophages and endothelium; Ouchi 2003).
The weights are irsim's documented assumption (cytokines and lipids share the blockade about
equally; resistin and visfatin small, because human data are inconsistent). IL-1β comes from the
adipose NLRP3 inflammasome, primed by NF-κB and activated by ceramide (Vandanmagsar 2011); CRP is
made by hepatocytes under IL-6 (and IL-1β), fitted as CRP ∝ IL-6^1.5 through the lean and morbidly
obese medians (0.87 and 8.6 mg/L at IL-6 ≈1.2 and 5.1 pg/mL: Hong Kong IGT cohort 2003; Kopp 2003).
"""

from __future__ import annotations

from irsim.core.block import Block, Output, Parameter, Rates, State
from irsim.physiology.response import weighted_load

ASSUMED = "irsim assumption (see docs/mechanisms.md)"


class Inflammation(Block):
    name = "inflammation"
    states = (
        State("ikk_beta", "fold", "IKKβ (NF-κB pathway) activity, relative to the lean reference"),
        State("jnk", "fold", "JNK activity, relative to the lean reference"),
    )
    parameters = (
        Parameter("irs1_serine_kinase", 1.0, "fold", "IRS-1 serine-kinase activity (JNK/IKKβ/PKC) beyond what "
                  "cytokines and lipids explain",
                  "driver; 1 = no serine-kinase activity beyond what the modelled cytokines and lipids explain, as in lean "
                  "insulin-sensitive controls (Morino 2005 J Clin Invest 115:3587); range: IRS-1 serine phosphorylation "
                  "is raised in lean insulin-resistant offspring (Morino 2005; size not read), ×0.05-×20 a plausibility "
                  "bound", 0.05, 20.0),
        Parameter("k_serine", 0.25, "1", "serine-blocked IRS per unit kinase load at the reference",
                  ASSUMED + ": 20 % of IRS-1 serine-blocked in lean tissue", 0.0, 10.0),
        Parameter("ikk_beta_inhibition", 0.0, "1", "fractional pharmacological inhibition of IKKβ (salsalate)",
                  "intervention; 0 untreated", 0.0, 0.99),
        Parameter("tau_inflammation", 120.0, "min", "time constant of stress-kinase activation",
                  ASSUMED + ": lipid-induced insulin resistance appears after 3-4 h (Itani 2002 Diabetes 51:2005)",
                  1.0, 1e5),
        Parameter("il1b_ref", 0.5, "pg/mL", "plasma IL-1β of the lean reference",
                  "healthy plasma IL-1β < 1 pg/mL (Spranger 2003 EPIC-Potsdam, most below detection)", 0.0, 100.0),
        Parameter("crp_ref", 0.87, "mg/L", "hs-CRP of the lean reference",
                  "NGT median 0.87 mg/L (Diabetes Care 2003;26:2323)", 0.0, 100.0),
        Parameter("crp_il6_exponent", 1.5, "1", "elasticity of CRP to IL-6",
                  "fit through 0.87 mg/L (NGT) and 8.6 mg/L at IL-6 5.1 pg/mL (Kopp 2003 ATVB 23:1042)", 0.0, 5.0),
    )
    reads = ("plasma_tnf_alpha", "tnf_ref", "plasma_il6", "il6_ref", "adiponectin_ratio", "plasma_resistin",
             "resistin_ref", "plasma_visfatin", "visfatin_ref",
             "FFA", "ffa_ref", "ceramide_muscle", "visceral_ratio")
    outputs = (
        Output("nfkb", "fold", "NF-κB activity, relative to the lean reference"),
        Output("plasma_il1b", "pg/mL", "plasma IL-1β (adipose NLRP3 inflammasome)"),
        Output("plasma_crp", "mg/L", "high-sensitivity C-reactive protein"),
    )
    citations = ("Hotamisligil2006", "Vandanmagsar2011", "Itani2002", "Kopp2003")

    def rates(self, v, xp):
        nfkb = v["ikk_beta"]
        il1b_rel = (v["visceral_ratio"] * xp.maximum(nfkb, 0.0) * xp.maximum(v["ceramide_muscle"], 0.0)) ** 0.5
        stimulus = weighted_load((
            (1.0, v["plasma_tnf_alpha"] / v["tnf_ref"]),
            (0.5, il1b_rel),
            (1.0, v["FFA"] / v["ffa_ref"]),
            (1.0, v["ceramide_muscle"]),
            (0.25, v["plasma_resistin"] / v["resistin_ref"]),
            (0.25, v["plasma_visfatin"] / v["visfatin_ref"]),
        )) * v["adiponectin_ratio"] ** -0.3
        rate = 1.0 / v["tau_inflammation"]
        return Rates(
            {"ikk_beta": rate * ((1.0 - v["ikk_beta_inhibition"]) * stimulus - v["ikk_beta"]),
             "jnk": rate * (stimulus - v["jnk"])},
            {"nfkb": nfkb, "plasma_il1b": v["il1b_ref"] * il1b_rel,
             "plasma_crp": v["crp_ref"] * (v["plasma_il6"] / v["il6_ref"]) ** v["crp_il6_exponent"]},
        )

    def initial_guess(self, v):
        return {"ikk_beta": 1.0, "jnk": 1.0}
