"""Adipose tissue: fat mass and its visceral share → adipokines, cytokines and lipolysis (plasma FFA).

Two blocks, because secretion depends only on the drivers while lipolysis is suppressed by insulin
through the adipocyte's own (serine-blockable) insulin signalling, which reads the inflammation
block — one block doing both would be a wiring cycle.

Plasma levels of the adipokine drivers are *fold-changes* on what the fat depots predict (1 = as
predicted): a preset or a population changes fat mass and the levels follow; ``--set tnf_alpha=2``
doubles TNF-α beyond what fat explains (an inflammatory genotype, an infection, a drug).
The depot→level relations are power laws through two group means (lean, obese), a documented
simplification: what the tests check is the direction and the group ranges.
"""

from __future__ import annotations

from irsim.core.block import Block, Output, Parameter, Rates, State
from irsim.physiology.response import hill, tyrosine_transmission, weighted_load

ASSUMED = "irsim assumption (see docs/mechanisms.md)"
_FOLD = dict(unit="fold", lower=0.05, upper=20.0)


def _fold(name: str, what: str, anchor: str, spread: str) -> Parameter:
    """A plasma-level driver: 1 = the level fat predicts, anchored at ``anchor``; ``spread``: why 0.05-20."""
    return Parameter(name, 1.0, description=f"{what}, as a fold-change on the level the fat depots predict "
                     "(1 = as predicted)", source=f"driver; 1 = {anchor}; range: {spread}", **_FOLD)


class Adipokines(Block):
    """Leptin, adiponectin, resistin, visfatin, TNF-α and IL-6 in plasma from the fat depots.

    * leptin ∝ total fat (Considine 1996: 7.5 ng/mL normal weight, 31.3 obese); women about twice
      men per kg fat (assumption from the sex difference at equal adiposity, Rosenbaum 1996 — memory).
    * adiponectin falls with visceral fat, ∝ (visceral/reference)^−0.5: 8.6 (men) and 14.2 µg/mL
      (women) at the lean reference (Kern 2003), about half in insulin-resistant obesity (Kern 2003:
      5.6; Abbasi 2004: ratio 0.5) at 4× the visceral fat.
    * TNF-α ∝ visceral^0.25 (plasma 3.1 pg/mL NGT → 4.4 T2D, Miyazaki 2003; adipose secretion
      rises far more, Kern 2001, but plasma is what is modelled), IL-6 ∝ visceral^0.6 (2.3× in
      insulin-resistant vs sensitive at equal BMI, Kern 2001; lean ~1.2 pg/mL).
    * leptin is reported but acts on nothing here: its peripheral AMPK action (Minokoshi 2002, in
      rodents) is offset by leptin resistance in obesity, and no human size is known (assumption).
    * resistin ∝ total fat^0.2 and visfatin constant: human data are inconsistent (Heilbronn 2004,
      Utzschneider 2005; Sandeep 2007: no difference after BMI adjustment), so fat barely moves them.
    """

    name = "adipokines"
    parameters = (
        Parameter("total_fat_kg", 12.0, "kg", "total body fat mass",
                  "driver; 12 kg = 15 % of the 78 kg reference, a lean man (normal-weight men ~15-20 % fat; US men "
                  "average 28 %, 25.4 kg by DXA: Li 2009 Am J Clin Nutr 90:1457, NHANES 1999-2004); range: from below "
                  "essential fat (~3 % of weight) to super-obesity (≈55 % of 270 kg), a plausibility bound", 1.0, 150.0),
        Parameter("visceral_fat_kg", 1.2, "kg", "visceral (intra-abdominal) fat mass",
                  "driver; 1.2 kg ≈ 1.3 L of visceral adipose tissue (0.92 kg/L), 10 % of total fat in a lean man: MRI "
                  "visceral AT 0.5-8.5 L, 18 % of total AT, in 27 men of BMI 28.5±4.8 (Ross 1992 J Appl Physiol "
                  "72:787); range: below the leanest MRI value to ~2× the largest, room for severe obesity", 0.05, 15.0),
        Parameter("sex", 1.0, "1", "sex: 1 male, 0 female (fractions for mixed groups)",
                  "driver; 1 = a man, as the lean adiponectin (Kern 2003: men 8.6 µg/mL) and leptin (Considine 1996) "
                  "anchors are men's; range: 0-1, a fraction being the share of men in a mixed group (Dalla Man 2007's "
                  "normal database held both sexes)", 0.0, 1.0),
        _fold("tnf_alpha", "plasma TNF-α", "NGT plasma 3.1 pg/mL at the lean reference's fat (Miyazaki 2003 Int J Obes "
              "27:88)", "group means 3.1-8.6 pg/mL from NGT to morbid obesity (Miyazaki 2003; Kopp 2003 ATVB 23:1042); "
              "×20 reaches the sepsis median of 26 pg/mL (Casey 1993 Ann Intern Med 119:771), far beyond chronic "
              "inflammation"),
        _fold("il6", "plasma IL-6", "lean ~1.2 pg/mL (il6_ref: memory-level in group_values.md, no primary found; "
              "IL-6 rises with % body fat, Vozarova 2001 Obes Res 9:414, gives the direction only)",
              "morbid obesity median 5.1 pg/mL, IQR to 12 (Kopp 2003 ATVB 23:1042); ×20 (24 pg/mL) covers chronic "
              "inflammation but not sepsis (median 415 pg/mL, Casey 1993), which this model is not for"),
        _fold("adiponectin", "plasma adiponectin", "lean men 8.6, women 14.2 µg/mL (Kern 2003 Diabetes 52:1779)",
              "group means 4.6-34 µg/mL across assays and groups (obese T2D to insulin-sensitive obese, Abbasi 2004 "
              "Diabetes 53:585), ≈×0.5-×4; wider as a plausibility bound"),
        _fold("leptin", "plasma leptin", "0.5 ng/mL per kg fat in men (Considine 1996 NEJM 334:292: 7.5 normal weight, "
              "31.3 obese)", "SDs as large as the means at equal fatness (Considine 1996: 7.5±9.3, 31.3±24.1 ng/mL); "
              "×0.05 admits congenital leptin deficiency (Montague 1997 Nature 387:903)"),
        _fold("resistin", "plasma resistin", "5 ng/mL (Heilbronn 2004 JCEM 89:1844: 4.1 non-obese; Utzschneider 2005 "
              "Diabetologia 48:2330: 5.4 lean)", "group means 3.7-24.6 ng/mL, assays differing ~5× (Heilbronn 2004; "
              "group_values.md)"),
        _fold("visfatin", "plasma visfatin", "10 ng/mL (Sandeep 2007 Metabolism 56:565: 9.8 NGT)",
              "group means 9.8-36.7 ng/mL, assay-dependent (Sandeep 2007; Egypt J Intern Med 2013 25:27)"),
        Parameter("fat_ref_kg", 12.0, "kg", "total fat of the lean reference", ASSUMED, 1.0, 100.0),
        Parameter("visceral_ref_kg", 1.2, "kg", "visceral fat of the lean reference", ASSUMED, 0.05, 15.0),
        Parameter("leptin_per_kg_fat", 0.5, "ng/mL/kg", "leptin per kg fat (men)",
                  "Considine 1996 NEJM 334:292 (7.5 ng/mL normal weight, 31.3 obese)", 0.0, 10.0),
        Parameter("adiponectin_male", 8.6, "µg/mL", "adiponectin of lean men", "Kern 2003 Diabetes 52:1779", 0.1, 100.0),
        Parameter("adiponectin_female", 14.2, "µg/mL", "adiponectin of lean women", "Kern 2003 Diabetes 52:1779", 0.1, 100.0),
        Parameter("tnf_ref", 3.1, "pg/mL", "plasma TNF-α of the lean reference", "Miyazaki 2003 Int J Obes 27:88 (NGT)",
                  0.0, 100.0),
        Parameter("il6_ref", 1.2, "pg/mL", "plasma IL-6 of the lean reference",
                  "lean ~1-1.5 pg/mL (group_values.md, memory-level; Kopp 2003 morbid obesity 5.1)", 0.0, 100.0),
        Parameter("resistin_ref", 5.0, "ng/mL", "plasma resistin of the lean reference",
                  "Heilbronn 2004 (4.1 non-obese), Utzschneider 2005 (5.4 lean)", 0.0, 100.0),
        Parameter("visfatin_ref", 10.0, "ng/mL", "plasma visfatin of the reference",
                  "Sandeep 2007 Metabolism 56:565 (9.8 NGT)", 0.0, 200.0),
    )
    outputs = (
        Output("plasma_leptin", "ng/mL", "plasma leptin"),
        Output("plasma_adiponectin", "µg/mL", "plasma adiponectin"),
        Output("plasma_resistin", "ng/mL", "plasma resistin"),
        Output("plasma_visfatin", "ng/mL", "plasma visfatin"),
        Output("plasma_tnf_alpha", "pg/mL", "plasma TNF-α"),
        Output("plasma_il6", "pg/mL", "plasma IL-6"),
        Output("visceral_ratio", "fold", "visceral fat relative to the lean reference"),
        Output("adiponectin_ratio", "fold", "adiponectin relative to a lean person of the same sex (what AMPK, "
               "ceramidase and NF-κB respond to)"),
    )
    citations = ("Considine1996", "Kern2003", "Kern2001", "Miyazaki2003")

    def rates(self, v, xp):
        visceral = v["visceral_fat_kg"] / v["visceral_ref_kg"]
        total = v["total_fat_kg"] / v["fat_ref_kg"]
        female = 1.0 - v["sex"]
        adiponectin_ratio = v["adiponectin"] * visceral**-0.5
        return Rates({}, {
            "plasma_leptin": v["leptin"] * v["leptin_per_kg_fat"] * v["total_fat_kg"] * (1.0 + female),
            "plasma_adiponectin": adiponectin_ratio * (v["sex"] * v["adiponectin_male"] + female * v["adiponectin_female"]),
            "plasma_resistin": v["resistin"] * v["resistin_ref"] * total**0.2,
            "plasma_visfatin": v["visfatin"] * v["visfatin_ref"] + 0.0 * visceral,
            "plasma_tnf_alpha": v["tnf_alpha"] * v["tnf_ref"] * visceral**0.25,
            "plasma_il6": v["il6"] * v["il6_ref"] * visceral**0.6,
            "visceral_ratio": visceral,
            "adiponectin_ratio": adiponectin_ratio,
        })


class Lipolysis(Block):
    """Plasma free fatty acids from insulin-suppressed lipolysis, cleared in minutes.

    dFFA/dt = k_FFA·(FFA_ref·R − FFA): a turnover with half-life ln2/k_FFA ≈ 2.8 min (Karpe 2011:
    2-4 min). R, lipolysis relative to the lean reference at its fasting insulin, grows with fat mass
    as fat^0.6 (palmitate Ra 161 vs 92 µmol/min in upper-body obese vs non-obese at ≈2.5× the fat,
    Martin & Jensen 1991) and with TNF-α (which stimulates lipolysis), and falls with insulin at
    the adipocyte: 1 − smax·Hill(θ·I_isf), where θ is the adipocyte's IRS transmission (serine
    kinases and PPARγ genotype) and I_isf the interstitial insulin. Insulin suppresses lipolysis far
    more potently than glucose uptake (half-maximal ~100 pmol/L, ~92 % at clamp levels: Conte 2012,
    Brehm 2006).
    """

    name = "lipolysis"
    states = (State("FFA", "mmol/L", "plasma free fatty acids"),)
    parameters = (
        Parameter("ffa_ref", 0.40, "mmol/L", "fasting FFA of the lean reference",
                  "lean ~0.3-0.5 mmol/L (Karpe 2011 Diabetes 60:2441)", 0.05, 3.0),
        Parameter("k_ffa", 0.25, "1/min", "FFA fractional turnover", "half-life 2-4 min: Karpe 2011", 0.01, 5.0),
        Parameter("lipolysis_fat_exponent", 0.6, "1", "power of fat mass in whole-body lipolysis",
                  "Martin & Jensen 1991 J Clin Invest 88:609 (161 vs 92 µmol/min palmitate Ra)", 0.0, 2.0),
        Parameter("antilipolysis_max", 0.92, "1", "largest fractional suppression of lipolysis by insulin",
                  "clamp FFA ≈36 µmol/L in lean (Brehm 2006); 79-90 % at high insulin (Conte 2012)", 0.0, 0.999),
        Parameter("antilipolysis_half", 100.0, "pmol/L", "interstitial insulin half-suppressing lipolysis",
                  "Conte 2012 Diabetes Care 35:1316 (52-68 % suppression at low-dose clamp in obese)", 1.0, 5000.0),
        Parameter("insulin_ref", 25.6, "pmol/L", "fasting insulin of the lean reference (normalises R)",
                  "Dalla Man 2007 normal subject's steady state", 1.0, 500.0),
        Parameter("tnf_lipolysis", 0.3, "1", "elasticity of lipolysis to plasma TNF-α",
                  "assumption: TNF-α stimulates adipocyte lipolysis (Ryden 2002); size not measured in vivo", 0.0, 2.0),
        Parameter("genetic_pparg", 1.0, "fold", "PPARγ (Pro12Ala) multiplier on IRS transmission in fat and muscle "
                  "(Ala carriers > 1)", "driver; 1 = Pro12Pro, the common genotype (Deeb 1998 Nat Genet 20:284: higher sensitivity in Ala "
                  "carriers); range: 0.3 admits dominant-negative PPARG mutations with severe insulin resistance "
                  "(Barroso 1999 Nature 402:880), 3 a plausibility bound", 0.3, 3.0),
    )
    reads = ("Ii", "total_fat_kg", "fat_ref_kg", "plasma_tnf_alpha", "tnf_ref", "ikk_beta", "jnk", "irs1_serine_kinase", "k_serine")
    outputs = (
        Output("lipolysis_rel", "fold", "whole-body lipolysis relative to the lean fasting reference"),
        Output("adipose_akt", "fraction", "insulin signal in adipocytes (fraction of maximal antilipolysis)"),
    )
    citations = ("Karpe2011", "MartinJensen1991", "Conte2012")

    def rates(self, v, xp):
        load = weighted_load(((1.0, v["ikk_beta"]), (1.0, v["jnk"])), v["irs1_serine_kinase"])
        theta = tyrosine_transmission(load, v["k_serine"]) * v["genetic_pparg"]
        signal = hill(theta * v["Ii"], v["antilipolysis_half"], 1.0, xp)
        reference = hill(v["insulin_ref"], v["antilipolysis_half"], 1.0, xp)
        stimulus = (v["total_fat_kg"] / v["fat_ref_kg"]) ** v["lipolysis_fat_exponent"] \
            * (v["plasma_tnf_alpha"] / v["tnf_ref"]) ** v["tnf_lipolysis"]
        rel = stimulus * (1.0 - v["antilipolysis_max"] * signal) / (1.0 - v["antilipolysis_max"] * reference)
        return Rates({"FFA": v["k_ffa"] * (v["ffa_ref"] * rel - v["FFA"])}, {"lipolysis_rel": rel, "adipose_akt": signal})

    def initial_guess(self, v):
        return {"FFA": 0.5}
