"""Mitochondrial oxidative capacity of muscle and liver: how much fatty acid is burnt, not stored.

Capacity (relative, 1 = lean reference) is a genetic/acquired baseline times the effects of
physical activity, age and adiponectin (AMPK):

    ox = capacity · (1 + a·(activity − reference)) · (1 − b·max(age − 30, 0)) · (adiponectin/ref)^c

* activity: endurance training raises muscle oxidative capacity by ~20-50 % (Holloszy 1984;
  Toledo 2007: +~20 % mitochondrial density with 20 weeks of exercise in T2D); a = 0.02 per
  MET-h/week (10 MET-h/week ≈ 150 min of brisk walking → +20 %), floored at 0.5.
* age: ~40 % lower muscle mitochondrial oxidative phosphorylation in the elderly (Petersen 2003
  Science 300:1140, ~70 vs ~27 years) → b ≈ 0.01 per year above 30.
* adiponectin activates AMPK and fatty-acid oxidation in muscle and liver (Yamauchi 2002);
  c = 0.3 (assumption; direction well established, size not).
Liver capacity shares the baseline and the adiponectin and age terms but not the training term.
"""

from __future__ import annotations

from irsim.core.block import Block, Output, Parameter, Rates


class Mitochondria(Block):
    name = "mitochondria"
    parameters = (
        Parameter("mitochondrial_capacity", 1.0, "fold", "oxidative capacity of muscle and liver before activity, "
                  "age and adiponectin (genetics, inactivity history)",
                  "driver; 1 = lean insulin-sensitive controls (Befroy 2007 Diabetes 56:1376: insulin-resistant "
                  "offspring 38 % lower; Petersen 2004 NEJM 350:664); range: citrate synthase 1.8× in elite vs active "
                  "athletes (29±7 vs 16±4 nmol/min/mg; Jacobs & Lundby 2013 J Appl Physiol, details not verified); 0.1 "
                  "admits mitochondrial myopathy", 0.1, 3.0),
        Parameter("physical_activity_met_h_week", 10.0, "MET-h/week", "habitual physical activity",
                  "driver; 10 MET-h/week ≈ 150 min/week of moderate activity (WHO 2010 guideline); range: bed rest to "
                  "~15-20 h/week of endurance training at 8-10 MET (Ainsworth 2011 Med Sci Sports Exerc 43:1575, "
                  "Compendium of Physical Activities)", 0.0, 150.0),
        Parameter("age_years", 35.0, "years", "age",
                  "driver; 35 years, a young adult just past the onset (30) of the age loss, fitted to Petersen 2003 "
                  "Science 300:1140 (~27 vs ~70 years); range: adults, as in the cohorts of age and muscle mitochondria "
                  "(18-89 years: Short 2005 PNAS 102:5618)", 18.0, 100.0),
        Parameter("activity_ref", 10.0, "MET-h/week", "activity of the lean reference", "WHO 2010 guideline", 0.0, 150.0),
        Parameter("activity_gain", 0.02, "1/(MET-h/week)", "rise of muscle oxidative capacity per MET-h/week",
                  "Toledo 2007 Diabetes 56:2142 (+~20 % with training); Holloszy 1984", 0.0, 0.2),
        Parameter("age_loss", 0.01, "1/year", "fall of oxidative capacity per year above 30",
                  "Petersen 2003 Science 300:1140 (−40 % in the elderly)", 0.0, 0.05),
        Parameter("adiponectin_oxidation", 0.3, "1", "elasticity of fat oxidation to adiponectin (AMPK)",
                  "assumption; direction from Yamauchi 2002 Nat Med 8:1288", 0.0, 2.0),
    )
    reads = ("adiponectin_ratio",)
    outputs = (
        Output("oxidative_capacity_muscle", "fold", "muscle mitochondrial fat oxidation capacity (1 = lean reference)"),
        Output("oxidative_capacity_liver", "fold", "hepatic mitochondrial fat oxidation capacity (1 = lean reference)"),
    )
    citations = ("Petersen2003", "Toledo2007", "Yamauchi2002")

    def rates(self, v, xp):
        shared = v["mitochondrial_capacity"] * xp.maximum(1.0 - v["age_loss"] * xp.maximum(v["age_years"] - 30.0, 0.0), 0.2) \
            * v["adiponectin_ratio"] ** v["adiponectin_oxidation"]
        training = xp.maximum(1.0 + v["activity_gain"] * (v["physical_activity_met_h_week"] - v["activity_ref"]), 0.5)
        return Rates({}, {"oxidative_capacity_muscle": shared * training, "oxidative_capacity_liver": shared})
