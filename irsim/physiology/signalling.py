"""Insulin signalling in skeletal muscle (and adipocytes' glucose uptake): receptor → IRS-1 → PI3K/Akt
→ AS160 → GLUT4 at the membrane → insulin-dependent glucose uptake.

The steps from receptor to AS160 settle within a few minutes (Brännmark 2013: phosphorylations peak
at 1-10 min), far faster than the interstitial insulin that drives them (t½ ≈ 20 min, Dalla Man's
p2U), so they are solved quasi-steady — algebraic outputs — and only interstitial insulin and GLUT4
at the membrane are states. This keeps the whole-body model non-stiff (docs/mechanisms.md measures
the reduction against the full Brännmark 2013 ODE).

    receptor   r = I_isf / (Kd + I_isf)
    IRS-1 pY   y = θ · r,     θ = (1 + k)/(1 + k·L) · PPARγ,  L = serine-kinase load (1 = lean):
                                weighted IKKβ, JNK, PKCθ (muscle DAG), S6K (mTORC1 feedback) × driver
    Akt        a = Hill(y; K_akt, n) · (1 + c)/(1 + c·ceramide)       (ceramide → PP2A/PKCζ on Akt)
    AS160 pT642 follows Akt; GLUT4 at the membrane relaxes to g_b + (1 − g_b)·a with τ_GLUT4
    Uid = Vmax · content · GLUT4_m · Gt / (Km0 + Gt),  content rises with training.

S6K is driven by receptor occupancy rather than by the Akt it feeds back on (mTORC1 is activated
by insulin and nutrients together; taking it from the receptor avoids an algebraic loop — its
response is as fast as Akt's). Vmax, K_akt, n and g_b are calibrated so that the lean reference
reproduces Dalla Man 2007's normal subject (Vm0 = 2.5 mg/kg/min at fasting insulin; the meal) and
a lean clamp M-value (docs/mechanisms.md).
"""

from __future__ import annotations

from irsim.core.block import Block, Output, Parameter, Rates, State
from irsim.physiology.response import hill, tyrosine_transmission, weighted_load

T1 = "Dalla Man 2007, Table 1 (normal subject)"
CAL = "calibrated to Dalla Man 2007 normal subject (docs/mechanisms.md)"


class MuscleInsulinSignalling(Block):
    name = "muscle_signalling"
    states = (
        State("Ii", "pmol/L", "interstitial insulin at muscle and adipose tissue"),
        State("GLUT4_membrane", "fraction", "fraction of GLUT4 at the plasma membrane"),
    )
    parameters = (
        Parameter("Fcns", 1.0, "mg/kg/min", "insulin-independent utilisation (brain, erythrocytes)", T1, 0.0, 10.0),
        Parameter("Km0", 225.59, "mg/kg", "Michaelis constant of insulin-dependent utilisation", T1, 1.0, 5000.0),
        Parameter("p2U", 0.0331, "1/min", "rate of insulin transfer to the interstitium", T1, 1e-5, 1.0),
        Parameter("receptor_kd", 1000.0, "pmol/L", "insulin receptor occupancy half-saturation",
                  "high-affinity insulin receptor Kd ~0.1-1 nM, with spare receptors (Kahn 1978)", 1.0, 1e5),
        Parameter("akt_half", 0.548, "1", "IRS-1 pY (receptor units) half-activating Akt", CAL, 1e-4, 10.0),
        Parameter("akt_hill", 1.57, "1", "Hill coefficient of Akt activation", CAL, 0.5, 5.0),
        Parameter("glut4_basal", 0.03, "1", "GLUT4 at the membrane without insulin",
                  "~5 % at the surface in unstimulated cells (Brännmark 2013 model; Stenkula 2010)", 0.0, 0.5),
        Parameter("tau_glut4", 5.0, "min", "time constant of GLUT4 translocation",
                  "t½ ~3-7 min (Brännmark 2013; Stenkula 2010)", 0.1, 120.0),
        Parameter("Vmax_glut4", 67.7, "mg/kg/min", "insulin-dependent utilisation with all GLUT4 at the membrane", CAL,
                  0.0, 500.0),
        Parameter("ceramide_akt", 0.5, "1", "Akt inhibition per relative rise of muscle ceramide",
                  "direction from Chavez & Summers 2003; size assumed", 0.0, 10.0),
        Parameter("s6k_max", 0.5, "1", "S6K serine-kinase activity at full receptor occupancy, relative",
                  "negative feedback on IRS-1 (Um 2004 Nature 431:200); size assumed", 0.0, 10.0),
        Parameter("exercise_uptake", 0.0, "mg/kg/min", "insulin-independent glucose uptake of exercising muscle, "
                  "averaged over the day", "intervention; 0 at rest (contraction-stimulated uptake, Richter & Hargreaves "
                  "2013; size: docs/interventions.md)", 0.0, 5.0),
        Parameter("glut4_activity_gain", 0.01, "1/(MET-h/week)", "GLUT4 content per MET-h/week of activity",
                  "training raises muscle GLUT4 ~20-40 % (Dela 1994; Holloszy 2005)", 0.0, 0.1),
    )
    reads = ("I", "Gt", "ikk_beta", "jnk", "pkc_theta", "ceramide_muscle", "irs1_serine_kinase", "k_serine",
             "genetic_pparg", "physical_activity_met_h_week", "activity_ref")
    outputs = (
        Output("insulin_receptor", "fraction", "insulin receptor occupancy"),
        Output("irs1_serine_load", "fold", "serine-kinase load on muscle IRS-1 (1 = lean reference)"),
        Output("irs1_pY", "fraction", "IRS-1 tyrosine phosphorylation, in receptor units"),
        Output("akt_muscle", "fraction", "Akt activation in muscle (fraction of maximal)"),
        Output("as160_p", "fraction", "AS160 phosphorylation (follows Akt)"),
        Output("s6k", "fold", "S6K activity (mTORC1 feedback), relative"),
        Output("Uii", "mg/kg/min", "insulin-independent glucose utilisation"),
        Output("Uid", "mg/kg/min", "insulin-dependent glucose utilisation"),
        Output("U", "mg/kg/min", "total glucose utilisation"),
    )
    citations = ("DallaMan2007", "Brannmark2013", "Um2004")

    def rates(self, v, xp):
        receptor = v["Ii"] / (v["receptor_kd"] + xp.maximum(v["Ii"], 0.0))
        s6k = 1.0 + v["s6k_max"] * (receptor - 0.025)  # 1 at the lean fasting occupancy
        load = weighted_load(((1.0, v["ikk_beta"]), (1.0, v["jnk"]), (1.0, v["pkc_theta"]), (0.5, s6k)),
                             v["irs1_serine_kinase"])
        irs1 = tyrosine_transmission(load, v["k_serine"]) * v["genetic_pparg"] * receptor
        akt = hill(irs1, v["akt_half"], v["akt_hill"], xp) * (1.0 + v["ceramide_akt"]) \
            / (1.0 + v["ceramide_akt"] * v["ceramide_muscle"])
        target = v["glut4_basal"] + (1.0 - v["glut4_basal"]) * xp.minimum(akt, 1.0)
        content = xp.maximum(1.0 + v["glut4_activity_gain"] * (v["physical_activity_met_h_week"] - v["activity_ref"]), 0.5)
        uid = v["Vmax_glut4"] * content * v["GLUT4_membrane"] * v["Gt"] / (v["Km0"] + v["Gt"])
        uii = v["Fcns"] + v["exercise_uptake"] + 0.0 * uid
        return Rates(
            {"Ii": v["p2U"] * (v["I"] - v["Ii"]), "GLUT4_membrane": (target - v["GLUT4_membrane"]) / v["tau_glut4"]},
            {"insulin_receptor": receptor, "irs1_serine_load": load, "irs1_pY": irs1, "akt_muscle": akt,
             "as160_p": akt, "s6k": s6k, "Uii": uii, "Uid": uid, "U": uii + uid},
        )

    def initial_guess(self, v):
        return {"Ii": 30.0, "GLUT4_membrane": 0.05}
