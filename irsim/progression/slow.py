"""The slow states of a course and their rates: β-cell mass and function, HbA1c (fat mass and body
weight come from :class:`irsim.physiology.body_weight.BodyWeight`).

They read the **day-mean glucose** Ḡ: Topp's and Ha's glucose is that of models without meals, a
level the β-cell lives at for days, not the minute-by-minute excursion (their fasting set point,
100 mg/dL, is a day-mean of ~104 mg/dL with meals in the lean reference). Written once, so that the
multi-rate course (:mod:`irsim.progression.course`: Ḡ of a representative day, frozen over a cycle)
and the brute-force check (:class:`SlowBetaCell`: Ḡ a one-day running mean of plasma glucose,
integrated minute by minute with the fast model) run the same equations. Time in days.

* **mass** M (fold of the lean reference): Topp 2000's net growth −d0 + r1·G − r2·G² =
  −r2·(G − 100)(G − 250), growth between a set point and a glucotoxic threshold, death outside, on
  the human time scale of Ha et al. 2016 (τβ = 8570 days). The set point is the lean reference's
  day-mean glucose (103.8 mg/dL). The threshold is placed by human autopsies, not rodents: Butler
  2003's obese normoglycaemic people (fasting < 110 mg/dL) carry 50 % more mass than lean ones, its
  obese IFG people (110–125 mg/dL) 40 % less than the obese normoglycaemic — so mass turns from
  growth to loss inside the prediabetic range (day-means of 105–125 mg/dL on the presets). Where
  inside is an assumption: at 117 mg/dL, the ADAG mean glucose of HbA1c 5.7 %, the ADA's lower bound
  of prediabetes. (Topp's 250 mg/dL would let T2D glucose *grow* mass; Ha's own balance of apoptosis
  and proliferation, ~130 mg/dL, would let IFG and IGT grow ~4 %/year, against Butler.) The threshold
  is Topp's unstable one: below it added mass brings glucose back to the set point, above it lost
  mass raises glucose further. Net death is bounded by Ha's largest, (A_max + A_b)/τβ = 41.7 %/year,
  and scaled by s = 0.072 to the rate autopsies show (Rahier 2008: −24 % at < 5 and −54 % at > 15
  years of T2D, ≈ −3 %/year; at Ha's rate the t2d preset's mass would go 0.80 → 0.01 in ten years):

      r = max((Ḡ − G_set)(G_tox − Ḡ)/((G_tox − G_set)/2)², −9.8),   dM/dt = M · (r if r > 0 else s·r) / τβ

* **function** F (fold): Ha et al.'s secretory capacity σ relaxes with τσ = 250 days to a target cut
  by glucotoxicity, their sigmoid of β-cell metabolism at glucose shifted by 75 mg/dL (half effect
  near 142 mg/dL, width ~5 mg/dL; the shift floored at 0 so it does not rise again below 75 mg/dL as
  in the authors' code). Ha's toxicity removes all capacity; here it removes a share D = 0.6
  (assumption: function recovers up to 1/(1 − D) = 2.5-fold when glucose normalises, as first-phase
  insulin did, 0.19 → 0.46 nmol/min/m², within 8 weeks of a 600 kcal diet: Lim 2011). An intrinsic
  decline (genetic susceptibility, lipotoxicity not otherwise modelled) is a per-year rate, 0 by
  default:

      dF/dt = (F_cap·(1 − D·T(Ḡ))·e^(−k_decline·t) − F)/τσ

  F_cap, the capacity without glucotoxicity, is set at the start so that the starting function is
  at balance with the starting day: a preset's β-cell function is a snapshot of a person at their
  own balance, and only changes — of glucose, age, weight, treatment — move it.
* **HbA1c**: the ADAG relation and half-life of :class:`irsim.physiology.glycation.Glycation`.
"""

from __future__ import annotations

import numpy as np

from irsim.core.block import Block, Output, Parameter, Rates, State
from irsim.physiology.beta_cell_adaptation import BetaCellAdaptation, glucotoxic_drive, shifted_metabolism
from irsim.physiology.glycation import Glycation, adag_hba1c
from irsim.units import MIN_PER_DAY

HA = "Ha, Satin & Sherman 2016 Endocrinology 157:624 (human set files)"

PARAMETERS = {p.name: p for p in (
    Parameter("beta_mass_set_glucose", 103.8, "mg/dL", "day-mean glucose at which β-cell mass neither grows nor "
              "shrinks", "the lean reference's day-mean glucose on DailyLife (Topp 2000's set point, day-averaged)",
              50.0, 200.0),
    Parameter("beta_mass_toxic_glucose", 117.0, "mg/dL", "day-mean glucose above which β-cell mass shrinks",
              "assumption inside the window Butler 2003 Diabetes 52:102 bounds (obese normoglycaemic +50 %, obese "
              "IFG −40 % of that): the ADAG mean glucose of HbA1c 5.7 %, the ADA's prediabetes bound", 105.0, 600.0),
    Parameter("tau_beta_mass", 8570.0, "day", "time scale of β-cell mass", HA, 100.0, 1e6),
    Parameter("beta_mass_loss_scale", 0.072, "1", "net β-cell mass loss relative to Ha's largest",
              "Rahier 2008 Diabetes Obes Metab 10(S4):32 (autopsies): mass −24 % at < 5 and −54 % at > 15 years "
              "of T2D, ≈ −3 %/year, against Ha's largest net death (A_max + A_b)/τβ = 41.7 %/year", 0.0, 1.0),
    Parameter("tau_beta_function", 250.0, "day", "time scale of β-cell function (secretory capacity σ)", HA,
              1.0, 1e5),
    Parameter("glucotoxicity_depth", 0.6, "1", "share of β-cell function glucotoxicity can remove",
              "assumption; reversible up to 2.5-fold as in Lim 2011 Diabetologia 54:2506", 0.0, 0.95),
    Parameter("beta_function_decline", 0.0, "1/year", "intrinsic decline of β-cell function",
              "driver; 0 by default (UKPDS 16: ~4 %/year after diagnosis, for scenarios)", 0.0, 0.5),
)}
#: Ha et al. 2016's β-cell parameters (the human set files), as the Ha block declares them
HA_PARAMETERS = {p.name: p.value for p in BetaCellAdaptation.parameters}


def glucotoxicity(G, xp=np):
    """Ha et al.'s glucotoxic drive on β-cell function, 0 (normal glucose) to 1 (above ~150 mg/dL):
    the same sigmoid as the Ha block's, with its parameters."""
    return glucotoxic_drive(shifted_metabolism(G, HA_PARAMETERS), HA_PARAMETERS, xp)


#: Ha et al.'s largest net apoptosis, A_max + A_b (per τβ)
_MAX_DEATH = 9.8


def mass_growth(G, p, xp=np):
    """Net β-cell mass growth per day per unit mass at day-mean glucose G (Topp's shape, Ha's scale for
    growth; net loss slowed to the human autopsy rate)."""
    low, high = p["beta_mass_set_glucose"], p["beta_mass_toxic_glucose"]
    net = xp.maximum((G - low) * (high - G) / ((high - low) / 2.0) ** 2, -_MAX_DEATH)
    return xp.where(net < 0.0, net * p["beta_mass_loss_scale"], net) / p["tau_beta_mass"]


def function_target(capacity, toxicity, t_days, p, xp=np):
    """β-cell function the present glucotoxicity and intrinsic decline call for."""
    decline = xp.exp(-p["beta_function_decline"] * t_days / 365.25)
    return capacity * (1.0 - p["glucotoxicity_depth"] * toxicity) * decline


GLYCATION = {p.name: p.value for p in Glycation.parameters}


def hba1c_target(G, p=GLYCATION):
    """HbA1c a sustained mean glucose G leads to (ADAG)."""
    return adag_hba1c(G, p["adag_slope"], p["adag_intercept"])


def capacity_at_balance(function, toxicity, p):
    """F_cap such that ``function`` is at balance with the day's mean ``toxicity``."""
    return function / (1.0 - p["glucotoxicity_depth"] * toxicity)


class SlowBetaCell(Block):
    """β-cell mass, function and HbA1c as minute-scale states coupled to the integrated model: the
    brute-force reference for the multi-rate course (outputs override the drivers they name)."""

    name = "slow_beta_cell"
    states = (
        State("mass_slow", "1", "β-cell mass (fold)", memory=True),
        State("function_slow", "1", "β-cell function (fold)", memory=True),
        State("hba1c_slow", "%", "HbA1c", memory=True),
        State("glucose_day_mean", "mg/dL", "plasma glucose averaged over the last day (running mean)", memory=True),
    )
    parameters = (
        *PARAMETERS.values(),
        Parameter("beta_function_capacity", 1.0, "fold", "β-cell function without glucotoxicity (F_cap)",
                  "set at balance with the starting day (module docstring)", 0.01, 10.0),
        Parameter("glucose_day_mean_start", 104.0, "mg/dL", "day-mean glucose at the start", "the starting day",
                  20.0, 600.0),
        *Glycation.parameters,
    )
    reads = ("G", "t", "beta_cell_mass", "beta_cell_function")
    outputs = (
        Output("beta_cell_mass", "fold", "β-cell mass, from the slow state"),
        Output("beta_cell_function", "fold", "β-cell function, from the slow state"),
    )

    def rates(self, v, xp):
        G, t_days = v["glucose_day_mean"], v["t"] / MIN_PER_DAY
        target = function_target(v["beta_function_capacity"], glucotoxicity(G, xp), t_days, v, xp)
        per_day = {"mass_slow": mass_growth(G, v, xp) * v["mass_slow"],
                   "glucose_day_mean": v["G"] - G,  # a one-day memory
                   "function_slow": (target - v["function_slow"]) / v["tau_beta_function"],
                   "hba1c_slow": (hba1c_target(v["G"], v) - v["hba1c_slow"]) / v["tau_A1c"]}
        return Rates({k: d / MIN_PER_DAY for k, d in per_day.items()},
                     {"beta_cell_mass": v["mass_slow"], "beta_cell_function": v["function_slow"]})

    def initial_guess(self, v):
        return {"mass_slow": v["beta_cell_mass"], "function_slow": v["beta_cell_function"],
                "hba1c_slow": hba1c_target(v["glucose_day_mean_start"], v),
                "glucose_day_mean": v["glucose_day_mean_start"]}
