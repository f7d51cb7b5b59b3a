"""Body weight and fat mass from energy balance (Hall et al. 2011, Lancet 378:826, simplified).

A documented simplification of Hall's adult model (Hall 2011; Chow & Hall 2008): body weight is
fat mass F plus fat-free mass L, and L follows F along Forbes's curve, dL/dF = C/F with
C = 10.4 kg (Forbes 1987; Hall 2007), so one state carries both. The energy imbalance (kcal/day)
is stored as fat and lean tissue at their energy densities ρF, ρL:

    ΔE = (1 − βTEF − βAT)·ΔEI − [γF·ΔF + γL·ΔL + δ·ΔBW + ε·BW]
    (ρF + ρL·C/F)·dF/dt = ΔE,        L = L0 + C·ln(F/F0),   BW = F + L

ΔEI is the change of intake from the subject's weight-stable intake and ε the added exercise
(MET-h/week over 7 days, 1 MET ≈ 1 kcal/kg/h, Ainsworth 2011): both are protocol inputs, zero at the
steady state, so a subject starts at their own baseline F0, L0. Hall's glycogen and water pools
(days) and the week-long lag of adaptive thermogenesis are left out: the model describes weeks to
years, where they are small. With the default 90-kg subject a sustained 500 kcal/day cut gives
about 21 kg (Hall's "10 kcal/day per lb": 22.7 kg) with half of it in 9 months.
"""

from __future__ import annotations

from irsim.core.block import Block, Input, Output, Parameter, Rates, State
from irsim.units import MIN_PER_DAY

CHOW_HALL = "Chow & Hall 2008, PLoS Comput Biol 4:e1000045 (as used by Hall et al. 2011)"
HALL_2011 = "Hall et al. 2011, Lancet 378:826, web appendix"


class BodyWeight(Block):
    """Fat mass F (state), fat-free mass and body weight from energy balance."""

    name = "body_weight"
    states = (State("F", "kg", "body fat mass"),)
    parameters = (
        Parameter("F0", 30.0, "kg", "baseline (weight-stable) fat mass",
                  "assumed: an overweight adult of 90 kg with 33 % body fat, as in Hall 2011's examples", 1.0, 300.0),
        Parameter("L0", 60.0, "kg", "baseline fat-free mass", "assumed, with F0", 20.0, 200.0),
        Parameter("rho_F", 9440.0, "kcal/kg", "energy density of fat tissue change", CHOW_HALL, 1000.0, 20000.0),
        Parameter("rho_L", 1816.0, "kcal/kg", "energy density of fat-free tissue change", CHOW_HALL, 100.0, 10000.0),
        Parameter("gamma_F", 3.2, "kcal/kg/day", "resting expenditure per kg of fat", CHOW_HALL, 0.0, 50.0),
        Parameter("gamma_L", 22.0, "kcal/kg/day", "resting expenditure per kg of fat-free mass", CHOW_HALL, 0.0, 100.0),
        Parameter("delta_PA", 8.8, "kcal/kg/day", "physical-activity expenditure per kg of body weight",
                  "Hall 2011: δ = ((1 − βTEF)·PAL − 1)·RMR/BW with PAL 1.6, RMR 1800 kcal/day, BW 90 kg (assumed)",
                  0.0, 100.0),
        Parameter("beta_TEF", 0.1, "1", "thermic effect of feeding, fraction of intake", HALL_2011, 0.0, 0.5),
        Parameter("beta_AT", 0.14, "1", "adaptive thermogenesis, fraction of the intake change", HALL_2011, 0.0, 0.5),
        Parameter("forbes_C", 10.4, "kg", "Forbes constant: dL/dF = C/F", "Forbes 1987; Hall 2007, Br J Nutr 97:1059",
                  0.1, 100.0),
    )
    reads = ("intake_change", "exercise")
    inputs = (
        Input("intake_change", "kcal/day", "energy intake minus the weight-stable intake"),
        Input("exercise", "MET-h/week", "added exercise above rest"),
    )
    outputs = (
        Output("FFM", "kg", "fat-free mass"),
        Output("BW", "kg", "body weight"),
        Output("energy_imbalance", "kcal/day", "energy stored per day (negative: lost)"),
    )
    citations = ("Hall2011", "ChowHall2008", "Forbes1987", "Hall2007", "Ainsworth2011")

    def rates(self, v, xp):
        F, F0, L0, C = v["F"], v["F0"], v["L0"], v["forbes_C"]
        lean = L0 + C * xp.log(F / F0)
        weight = F + lean
        expenditure_change = (v["gamma_F"] * (F - F0) + v["gamma_L"] * (lean - L0) + v["delta_PA"] * (weight - F0 - L0)
                              + v["exercise"] / 7.0 * weight)
        imbalance = (1.0 - v["beta_TEF"] - v["beta_AT"]) * v["intake_change"] - expenditure_change
        dF = imbalance / (v["rho_F"] + v["rho_L"] * C / F)
        return Rates({"F": dF / MIN_PER_DAY}, {"FFM": lean, "BW": weight, "energy_imbalance": imbalance})

    def initial_guess(self, v):
        return {"F": v["F0"]}
