"""Ectopic lipids: DAG and ceramide in muscle, triglyceride and DAG in liver, from the FFA balance.

Each pool P (relative to the lean reference, liver fat in %) follows a balance of supply and
removal,

    dP/dt = (supply − (φ·ox + 1 − φ)·P) / τ,

with supply ∝ plasma FFA (uptake is proportional to concentration), raised by dietary fat, and
removal by mitochondrial oxidation (share φ at the reference) and storage/export. So a shortfall of
oxidative capacity, more FFA or a fattier diet raise the pools (Shulman 2014; Bergman 2012: muscle
DAG 1.33× athletes in obese, 1.52× in T2D). Ceramide synthesis is also driven by IKKβ/TLR4
(Holland 2011 J Clin Invest 121:1858) and lowered by adiponectin's receptor ceramidase activity
(Holland 2011 Nat Med 17:55). Liver supply adds the portal FFA of visceral fat; export saturates,
so liver fat rises as supply^1.5 (documented assumption, fitted so that the T2D group's drivers give
liver fat in the published 12-22 % range, Petersen 2005, Gastaldelli 2007, from 2 % in the lean).
Hepatic DAG ∝ liver fat^0.5 (Kumashiro 2011: hepatic DAG the best predictor of hepatic IR).
The time constants (hours for muscle, days for liver) make these slow states: nearly constant
within a test, at balance in the fasting steady state.
"""

from __future__ import annotations

from irsim.core.block import Block, Output, Parameter, Rates, State

ASSUMED = "irsim assumption (see docs/mechanisms.md)"


class LipidIntermediates(Block):
    name = "lipids"
    states = (
        State("DAG_muscle", "fold", "muscle diacylglycerol, relative to the lean reference"),
        State("ceramide_muscle", "fold", "muscle ceramide, relative to the lean reference"),
        State("liver_fat", "%", "intrahepatic triglyceride (¹H-MRS percentage)"),
    )
    parameters = (
        Parameter("dietary_fat_fraction", 0.33, "1", "share of dietary energy from fat",
                  "driver; 0.33 ≈ US adults' share of energy from fat (Austin, Ogden & Hill 2011 Am J Clin Nutr 93:836: "
                  "NHANES 1971–2006); range: very-low-fat (~10 %) to ketogenic (70–80 %) diets, a plausibility bound", 0.05, 0.8),
        Parameter("diet_fat_gain", 0.6, "1", "rise of ectopic lipid supply per relative rise of dietary fat",
                  ASSUMED, 0.0, 5.0),
        Parameter("ffa_uptake_exponent", 0.6, "1", "elasticity of tissue FFA uptake to plasma FFA (CD36/FATP saturate)",
                  "assumption; lipid infusion doubling FFA raised muscle DAG ~1.5-2× at 4-6 h (Itani 2002)", 0.0, 2.0),
        Parameter("oxidised_share", 0.4, "1", "share of the lean reference's lipid removal that is oxidation",
                  ASSUMED + " (~40-50 % of muscle FFA uptake is oxidised at rest: Kelley 1999)", 0.0, 1.0),
        Parameter("tau_muscle_lipid", 360.0, "min", "time constant of muscle DAG and ceramide",
                  "Itani 2002 Diabetes 51:2005 (DAG ×4 after 6 h of lipid infusion)", 1.0, 1e6),
        Parameter("tau_liver_fat", 4320.0, "min", "time constant of liver fat",
                  "assumption: days (liver fat falls ~30 % in 3 days of hypocaloric diet, Kirk 2009)", 10.0, 1e7),
        Parameter("liver_fat_ref", 2.0, "%", "liver fat of the lean reference",
                  "Amaro 2010 (2.2 %), Seppälä-Lindroos 2002 (1.7 %)", 0.1, 60.0),
        Parameter("portal_share", 0.3, "1", "rise of hepatic FFA supply per relative rise of visceral fat",
                  "Nielsen 2004 J Clin Invest 113:1582 (visceral lipolysis 5-20 % of hepatic FFA delivery, "
                  "rising with visceral fat)", 0.0, 3.0),
        Parameter("liver_export_exponent", 1.5, "1", "liver fat per hepatic lipid supply (saturating VLDL export)",
                  ASSUMED, 0.5, 3.0),
        Parameter("ceramide_ikk_gain", 0.1, "1", "ceramide synthesis per relative rise of IKKβ (TLR4 → IKKβ → SPT)",
                  "direction from Holland 2011 J Clin Invest 121:1858; size assumed", 0.0, 5.0),
        Parameter("ceramide_adiponectin", 0.3, "1", "elasticity of ceramide removal to adiponectin (AdipoR ceramidase)",
                  "direction from Holland 2011 Nat Med 17:55; size assumed", 0.0, 3.0),
    )
    reads = ("FFA", "ffa_ref", "oxidative_capacity_muscle", "oxidative_capacity_liver", "ikk_beta", "visceral_ratio",
             "adiponectin_ratio")
    outputs = (
        Output("DAG_liver", "fold", "hepatic diacylglycerol, relative to the lean reference"),
        Output("pkc_theta", "fold", "muscle PKCθ activation (follows muscle DAG), relative"),
        Output("pkc_epsilon", "fold", "hepatic PKCε activation (follows hepatic DAG), relative"),
    )
    citations = ("Shulman2014", "Bergman2012", "Holland2011", "Kumashiro2011")

    def rates(self, v, xp):
        diet = 1.0 + v["diet_fat_gain"] * (v["dietary_fat_fraction"] / 0.33 - 1.0)
        ffa = (xp.maximum(v["FFA"], 0.0) / v["ffa_ref"]) ** v["ffa_uptake_exponent"]
        phi = v["oxidised_share"]
        removal_muscle = phi * v["oxidative_capacity_muscle"] + 1.0 - phi
        removal_liver = phi * v["oxidative_capacity_liver"] + 1.0 - phi
        ceramide_supply = ffa * diet * (1.0 + v["ceramide_ikk_gain"] * (v["ikk_beta"] - 1.0))
        ceramide_removal = removal_muscle * v["adiponectin_ratio"] ** v["ceramide_adiponectin"]
        hepatic_supply = ffa * diet * (1.0 + v["portal_share"] * (v["visceral_ratio"] - 1.0))
        liver_target = hepatic_supply ** v["liver_export_exponent"] * v["liver_fat_ref"]
        dag_liver = (xp.maximum(v["liver_fat"], 0.0) / v["liver_fat_ref"]) ** 0.5
        return Rates(
            {"DAG_muscle": (ffa * diet - removal_muscle * v["DAG_muscle"]) / v["tau_muscle_lipid"],
             "ceramide_muscle": (ceramide_supply - ceramide_removal * v["ceramide_muscle"]) / v["tau_muscle_lipid"],
             "liver_fat": (liver_target - removal_liver * v["liver_fat"]) / v["tau_liver_fat"]},
            {"DAG_liver": dag_liver, "pkc_theta": v["DAG_muscle"] + 0.0 * dag_liver, "pkc_epsilon": dag_liver},
        )

    def initial_guess(self, v):
        return {"DAG_muscle": 1.0, "ceramide_muscle": 1.0, "liver_fat": 2.0}
