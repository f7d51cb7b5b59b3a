"""The liver: hepatic insulin signalling → FoxO1 → PEPCK/G6Pase → gluconeogenesis and glycogenolysis,
and hepatic insulin clearance.

Insulin reaches hepatocytes through Dalla Man's delayed signal Id (two compartments, rate ki:
transcriptional control of PEPCK/G6Pase takes hours) and acts through IRS → Akt, which excludes
FoxO1 from the nucleus. Nuclear FoxO1 drives PEPCK (gluconeogenesis) and G6Pase (the last step of
both gluconeogenesis and glycogenolysis), so

    Akt_l  = Hill(θ_l · Id; K_l, n_l),   θ_l = (1 + k)/(1 + k·L_l) from IKKβ, JNK, PKCε (hepatic DAG,
             on the insulin receptor: Samuel 2004/2010), IL-6 (SOCS3: Senn 2003) and resistin
    FoxO1  = 1 − Akt_l
    GNG₀   = V_gng · FoxO1 · (FFA/ref)^0.3 · (adiponectin/ref)^−0.2   (FFA supply: acetyl-CoA/ATP;
             adiponectin: AMPK suppresses gluconeogenic genes)
    GNG    = GNG₀ − (1 − m)·max(GNG₀ − GNG_ref, 0)   (m: share of the excess over the lean reference
             GNG_ref that a drug leaves; metformin m < 1)
    EGP    = max(0, (GNG + V_gly · glycogen · FoxO1) − kp2·Gp − θ_l·kp4·Ipo)

kp2 (glucose autoregulation) and kp4 are Dalla Man's. kp4·Ipo is portal insulin's fast arm: Akt's
direct, non-transcriptional brake on glycogenolysis (glycogen synthase and phosphorylase act within
minutes, FoxO1's genes over hours); it passes through the same receptor and IRS, so the hepatic
transmission θ_l scales it too and hepatic insulin resistance blunts both arms (until December 2026
the fast arm was a fixed constant: IL-6 ×12 moved the meal's lowest EGP only 0.64 → 0.69 mg/kg/min,
now 0.64 → 0.87). Glycogenolysis is reported as EGP − GNG (negative when the liver stores glucose).

At fasting insulin the liver is nearly unrestrained — hepatic Akt 1 %, the fast arm 10 % of the
unrestrained output — so hepatic insulin resistance shows first in suppression (meals, clamps) and in
the insulin it takes, and only a little in fasting EGP at the same insulin; ~11 % is also what Rizza
1981's dose–response implies at basal insulin (half-maximal suppression at 29 µU/mL). Doubt: the
suppression is slower and right-shifted against Rizza's: after 180 min of clamp the lean reference's
EGP is 76 % of basal at 25 µU/mL and 61 % at 35 µU/mL (Rizza: 50 % at 29), because Dalla Man's
two-compartment delay (ki, mean 250 min) carries the transcriptional arm.
Liver glycogen is a slow quantity held at its overnight-fasted level within a test (documented
simplification: a state for it would drift during any fasting steady state).
V_gng, V_gly, K_l and n_l are calibrated so the lean reference reproduces Dalla Man 2007's normal
subject (EGP 1.92 mg/kg/min fasting, its suppression after a meal) with gluconeogenesis 47 % of
fasting EGP (Gastaldelli 2000). Glucagon is not modelled separately: its basal action is in V_gly.

Metformin acts on the gluconeogenesis *above* the lean reference, not on all of it: it antagonises
glucagon's cAMP signal (Miller 2013 Nature 494:256), which drives the excess. Hundal 2000 (Diabetes
49:2063, FPG 15.5 mmol/L) measured GNG 0.59 → 0.38 mmol/m²/min against 0.18 in matched controls:
51 % of the excess removed; the same 2 g/day leaves fasting glucose and EGP of non-diabetic people
unchanged (Gormsen 2019 Diabetologia 62:1251), which a cut of all gluconeogenesis would not
(it lowered a lean person's fasting glucose 90 → 79 mg/dL here).

Hepatic insulin clearance falls as liver fat rises (Kotronen 2008): :class:`HepaticInsulinClearance`
overrides the insulin-kinetics block's extraction at zero secretion m6 by m6·(ref/liver fat)^e (a
block of its own: the liver block reads plasma insulin, which the overridden m6 shapes).
"""

from __future__ import annotations

from irsim.core.block import Block, Output, Parameter, Rates, State
from irsim.physiology.response import hill, tyrosine_transmission, weighted_load

T1 = "Dalla Man 2007, Table 1 (normal subject)"
CAL = "calibrated to Dalla Man 2007 normal subject (docs/mechanisms.md)"


class HepaticGlucoseProduction(Block):
    name = "liver"
    states = (
        State("I1", "pmol/L", "first delay compartment of insulin action on the liver"),
        State("Id", "pmol/L", "delayed insulin signal acting on the liver"),
    )
    parameters = (
        Parameter("kp2", 0.0021, "1/min", "liver glucose effectiveness", T1, 0.0, 1.0),
        Parameter("kp4", 0.0618, "mg/kg/min per pmol/kg", "suppression of EGP by portal insulin", T1, 0.0, 5.0),
        Parameter("ki", 0.0079, "1/min", "rate of the delay between insulin and its hepatic action", T1, 1e-5, 1.0),
        Parameter("V_gng", 0.945, "mg/kg/min", "gluconeogenesis with all FoxO1 nuclear", CAL, 0.0, 20.0),
        Parameter("V_gly", 1.62, "mg/kg/min", "glycogenolysis with all FoxO1 nuclear, before fast suppression",
                  CAL, 0.0, 20.0),
        Parameter("hepatic_akt_half", 157.7, "pmol/L", "delayed insulin (× transmission) half-activating hepatic Akt",
                  CAL, 1.0, 1e5),
        Parameter("hepatic_akt_hill", 2.65, "1", "Hill coefficient of hepatic Akt activation", CAL, 0.3, 5.0),
        Parameter("liver_glycogen", 1.0, "fold", "liver glycogen relative to the lean overnight-fasted content",
                  "1 by definition (overnight fast; Magnusson 1992 for T2D depletion)", 0.0, 3.0),
        Parameter("ffa_gng", 0.3, "1", "elasticity of gluconeogenesis to plasma FFA",
                  "direction from Chen 1999 / Boden 2002 (FFA raise GNG); size assumed", 0.0, 2.0),
        Parameter("adiponectin_gng", 0.2, "1", "elasticity of gluconeogenesis to adiponectin (negative)",
                  "direction from Yamauchi 2002 / Combs 2001; size assumed", 0.0, 2.0),
        Parameter("excess_gng_multiplier", 1.0, "fold", "share of gluconeogenesis above the lean reference that "
                  "treatment leaves (metformin < 1)", "intervention; 1 untreated (metformin: Hundal 2000 Diabetes "
                  "49:2063, 51 % of the excess removed)", 0.0, 2.0),
        Parameter("gng_reference", 0.927, "mg/kg/min", "fasting gluconeogenesis of the lean reference",
                  "the healthy_lean preset's fasting steady state (47 % of EGP: Gastaldelli 2000)", 0.0, 20.0),
    )
    reads = ("Gp", "Ipo", "I", "FFA", "ffa_ref", "ikk_beta", "jnk", "pkc_epsilon", "plasma_il6", "il6_ref",
             "plasma_resistin", "resistin_ref", "adiponectin_ratio",
             "liver_fat", "liver_fat_ref", "irs1_serine_kinase", "k_serine")
    outputs = (
        Output("hepatic_serine_load", "fold", "serine-kinase load on hepatic IRS (1 = lean reference)"),
        Output("akt_liver", "fraction", "hepatic Akt activation (fraction of maximal)"),
        Output("foxo1_nuclear", "fraction", "nuclear FoxO1 fraction (drives PEPCK and G6Pase)"),
        Output("GNG", "mg/kg/min", "gluconeogenesis"),
        Output("glycogenolysis", "mg/kg/min", "net glycogenolysis (negative: net glycogen synthesis)"),
        Output("EGP", "mg/kg/min", "endogenous glucose production"),
    )
    citations = ("DallaMan2007", "Gastaldelli2000", "Samuel2010", "Kotronen2008", "Rizza1981")

    def rates(self, v, xp):
        load = weighted_load(((1.0, v["ikk_beta"]), (1.0, v["jnk"]), (1.0, v["pkc_epsilon"]),
                              (0.5, v["plasma_il6"] / v["il6_ref"]), (0.25, v["plasma_resistin"] / v["resistin_ref"])),
                             v["irs1_serine_kinase"])
        theta = tyrosine_transmission(load, v["k_serine"])
        akt = hill(theta * v["Id"], v["hepatic_akt_half"], v["hepatic_akt_hill"], xp)
        foxo1 = 1.0 - akt
        untreated = v["V_gng"] * foxo1 * (xp.maximum(v["FFA"], 0.0) / v["ffa_ref"]) ** v["ffa_gng"] \
            * v["adiponectin_ratio"] ** -v["adiponectin_gng"]
        gng = untreated - (1.0 - v["excess_gng_multiplier"]) * xp.maximum(untreated - v["gng_reference"], 0.0)
        fast = v["kp4"] * theta * v["Ipo"]  # portal insulin's fast arm, through the same hepatic transmission
        egp = xp.maximum(gng + v["V_gly"] * v["liver_glycogen"] * foxo1 - v["kp2"] * v["Gp"] - fast, 0.0)
        return Rates(
            {"I1": -v["ki"] * (v["I1"] - v["I"]), "Id": -v["ki"] * (v["Id"] - v["I1"])},
            {"hepatic_serine_load": load, "akt_liver": akt, "foxo1_nuclear": foxo1, "GNG": gng,
             "glycogenolysis": egp - gng, "EGP": egp},
        )

    def initial_guess(self, v):
        return {"I1": 30.0, "Id": 30.0}


class HepaticInsulinClearance(Block):
    """Hepatic insulin extraction falls as liver fat rises (Kotronen 2008): overrides Dalla Man's m6
    (extraction at zero secretion) with m6·(ref/liver fat)^e for the insulin-kinetics block."""

    name = "hepatic_clearance"
    parameters = (
        Parameter("clearance_liver_fat", 0.15, "1", "elasticity of hepatic insulin extraction to liver fat (negative)",
                  "Kotronen 2008 Gastroenterology 135:122 (insulin clearance falls with liver fat); size assumed",
                  0.0, 1.0),
    )
    reads = ("m6", "liver_fat", "liver_fat_ref")
    outputs = (Output("m6", "fraction", "hepatic insulin extraction at zero secretion, after liver fat"),)
    citations = ("Kotronen2008",)

    def rates(self, v, xp):
        m6 = v["m6"] * (v["liver_fat_ref"] / xp.maximum(v["liver_fat"], 0.01)) ** v["clearance_liver_fat"]
        return Rates({}, {"m6": xp.minimum(m6, 0.95)})
