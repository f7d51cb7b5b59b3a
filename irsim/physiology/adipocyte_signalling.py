"""Insulin signalling in the human adipocyte, normal and type 2 diabetic (Brännmark et al. 2013).

Receptor binding and autophosphorylation → internalisation → IRS1 tyrosine phosphorylation →
PKB (Akt) T308/S473 → AS160 → GLUT4 at the membrane, with mTORC2 phosphorylating PKB-S473 and
mTORC1 → S6K → S6. mTORC1 feeds back *positively* on IRS1 through S307 phosphorylation, and the
paper's finding is that type 2 diabetes weakens that feedback (``diabetes`` < 1), besides halving
the receptor and GLUT4 (their totals here). A hypothetical mediator X, activated by IRS1-Y,
dephosphorylates the internalised receptor (the paper's overshoot mechanism; its identity is
unknown).

Each reaction is mass action or Hill kinetics, exactly as the curated SBML BIOMD0000000448 (normal)
and BIOMD0000000449 (diabetic) encode them (34 reactions over 27 species); the rate constants are the
paper's fitted values, taken from that file. Amounts are arbitrary units with each protein's total
normalised to 100 in the normal cell; time is minutes; insulin nM (in the incubation medium).

Insulin in the medium is a protocol input, ``medium_insulin`` (nM), zero at rest: the steady state is
the insulin-free cell the paper starts from, and a step of insulin at t = 0 is an
:class:`~irsim.protocols.base.Infusion` of that input (``irsim.models.brannmark_2013.insulin_stimulation``).

Each protein's forms only exchange among themselves, so their sum is constant and the system alone
has no isolated steady state. While the steady-state solver runs (``at_rest`` = 1) the equation of
each protein's unmodified form is replaced by its conservation law, relaxed at 1/min (the textbook
reduction: the steady state is the same and the Jacobian becomes regular); during a simulation
``at_rest`` is 0 and the equations are the SBML's.
"""

from __future__ import annotations

from irsim.core.block import Block, Input, Output, Parameter, Rates, State

SBML = "Brännmark 2013, fitted to the paper's normal and diabetic data; value as in BIOMD0000000448"
SCALE = "Brännmark 2013, fitted scale of an immunoblot read-out; value as in BIOMD0000000448"
TOTAL = "BIOMD0000000448 initial values (sum of the protein's forms; the paper normalises to 100)"
AU = "a.u."


def _k(name: str, value: float, unit: str, meaning: str, source: str = SBML, upper: float = 1e7) -> Parameter:
    return Parameter(name, value, unit, meaning, source, 0.0, upper)


def _total(name: str, protein: str) -> Parameter:
    return Parameter(name, 100.0, AU, f"total {protein} (all its forms)", TOTAL, 1e-3, 1e6)


#: the forms of each conserved protein, unmodified form first, and the parameter holding its total
PROTEINS = {
    "ir_total": ("ir", "ir_insulin", "ir_y", "ir_y_internal", "ir_internal"),
    "irs1_total": ("irs1", "irs1_y", "irs1_y_s307", "irs1_s307"),
    "x_total": ("x", "x_active"),
    "pkb_total": ("pkb", "pkb_t308", "pkb_s473", "pkb_t308_s473"),
    "mtorc1_total": ("mtorc1", "mtorc1_active"),
    "mtorc2_total": ("mtorc2", "mtorc2_active"),
    "as160_total": ("as160", "as160_t642"),
    "glut4_total": ("glut4_internal", "glut4_membrane"),
    "s6k_total": ("s6k", "s6k_t389"),
    "s6_total": ("s6", "s6_s235"),
}

#: the immunoblot read-outs of the paper: what is measured, its fitted scale, the forms that carry it
MEASURED = {
    "measured_ir_y": ("IR tyrosine phosphorylation", "scale_ir_y", ("ir_y", "ir_y_internal")),
    "measured_irs1_y": ("IRS1 tyrosine phosphorylation", "scale_irs1_y", ("irs1_y", "irs1_y_s307")),
    "measured_irs1_s307": ("IRS1 S307 phosphorylation", "scale_irs1_s307", ("irs1_y_s307", "irs1_s307")),
    "measured_pkb_t308": ("PKB T308 phosphorylation", "scale_pkb_t308", ("pkb_t308", "pkb_t308_s473")),
    "measured_pkb_s473": ("PKB S473 phosphorylation", "scale_pkb_s473", ("pkb_s473", "pkb_t308_s473")),
    "measured_as160_t642": ("AS160 T642 phosphorylation", "scale_as160_t642", ("as160_t642",)),
    "measured_s6k_t389": ("S6K T389 phosphorylation", "scale_s6k_t389", ("s6k_t389",)),
    "measured_s6_s235": ("S6 S235/236 phosphorylation", "scale_s6_s235", ("s6_s235",)),
}

#: share (%) of each form in the normal insulin-free cell: the initial values of BIOMD0000000448
INSULIN_FREE_SHARES = {
    "ir": 99.87, "ir_insulin": 0.0, "ir_y": 0.001863, "ir_y_internal": 0.01884, "ir_internal": 0.1056,
    "irs1": 82.97, "irs1_y": 0.001195, "irs1_y_s307": 0.3275, "irs1_s307": 16.70,
    "x": 99.998, "x_active": 0.001666,
    "pkb": 68.18, "pkb_t308": 13.30, "pkb_s473": 16.82, "pkb_t308_s473": 1.706,
    "mtorc1": 86.50, "mtorc1_active": 13.50, "mtorc2": 99.85, "mtorc2_active": 0.1522,
    "as160": 83.81, "as160_t642": 16.19, "glut4_internal": 73.48, "glut4_membrane": 26.52,
    "s6k": 99.27, "s6k_t389": 0.7268, "s6": 92.76, "s6_s235": 7.240,
}

#: rate (1/min) at which the conservation laws pull the unmodified forms at rest: any positive
#: value gives the same steady state; 1/min keeps the residuals on the scale of the amounts
CONSERVATION_RATE = 1.0


def _hill(x, vmax_scale, km, n, xp):
    """x^n / (km^n + x^n) · vmax_scale; x clipped at 0 so a rounding-level undershoot never gives NaN."""
    xn = xp.maximum(x, 0.0) ** n
    return vmax_scale * xn / (km ** n + xn)


class AdipocyteInsulinSignalling(Block):
    """The Brännmark 2013 human adipocyte insulin-signalling network (27 species, 34 reactions)."""

    name = "adipocyte_signalling"
    states = (
        State("ir", AU, "insulin receptor at the membrane, free and unphosphorylated (SBML IR)"),
        State("ir_insulin", AU, "insulin-bound receptor, not yet autophosphorylated (IRins)"),
        State("ir_y", AU, "tyrosine-autophosphorylated receptor at the membrane (IRp)"),
        State("ir_y_internal", AU, "internalised tyrosine-phosphorylated receptor, the one that signals (IRip)"),
        State("ir_internal", AU, "internalised dephosphorylated receptor, recycling to the membrane (IRi)"),
        State("irs1", AU, "IRS1, unphosphorylated (IRS1)"),
        State("irs1_y", AU, "IRS1 tyrosine-phosphorylated (IRS1p)"),
        State("irs1_y_s307", AU, "IRS1 phosphorylated at tyrosine and S307 (IRS1p307)"),
        State("irs1_s307", AU, "IRS1 phosphorylated at S307 only (IRS1307)"),
        State("x", AU, "hypothetical receptor-dephosphorylating mediator, inactive (X)"),
        State("x_active", AU, "the mediator X, activated by IRS1-Y (Xp)"),
        State("pkb", AU, "PKB/Akt, unphosphorylated (PKB)"),
        State("pkb_t308", AU, "PKB phosphorylated at T308 (PKB308p)"),
        State("pkb_s473", AU, "PKB phosphorylated at S473 (PKB473p)"),
        State("pkb_t308_s473", AU, "PKB phosphorylated at T308 and S473 (PKB308p473p)"),
        State("mtorc1", AU, "mTOR in complex with raptor, inactive (mTORC1)"),
        State("mtorc1_active", AU, "mTORC1, active (mTORC1a)"),
        State("mtorc2", AU, "mTOR in complex with rictor, inactive (mTORC2)"),
        State("mtorc2_active", AU, "mTORC2, active (mTORC2a)"),
        State("as160", AU, "AS160 (TBC1D4), unphosphorylated (AS160)"),
        State("as160_t642", AU, "AS160 phosphorylated at T642 (AS160p)"),
        State("glut4_internal", AU, "GLUT4 in intracellular vesicles (GLUT4)"),
        State("glut4_membrane", AU, "GLUT4 at the plasma membrane (GLUT4m)"),
        State("s6k", AU, "S6 kinase, unphosphorylated (S6K)"),
        State("s6k_t389", AU, "S6 kinase phosphorylated at T389 (S6Kp)"),
        State("s6", AU, "ribosomal protein S6, unphosphorylated (S6)"),
        State("s6_s235", AU, "ribosomal protein S6 phosphorylated at S235/236 (S6p)"),
    )
    parameters = (
        Parameter("diabetes", 1.0, "1", "strength of the mTORC1 → IRS1-S307 positive feedback (1 normal, "
                  "0.15 in type 2 diabetes)", "Brännmark 2013; BIOMD0000000448 (1) / BIOMD0000000449 (0.15)",
                  0.0, 100.0),
        _total("ir_total", "insulin receptor"),
        _total("irs1_total", "IRS1"),
        _total("x_total", "mediator X"),
        _total("pkb_total", "PKB"),
        _total("mtorc1_total", "mTORC1"),
        _total("mtorc2_total", "mTORC2"),
        _total("as160_total", "AS160"),
        _total("glut4_total", "GLUT4"),
        _total("s6k_total", "S6K"),
        _total("s6_total", "S6"),
        _k("k1a", 0.6331, "1/(nM·min)", "insulin binding to the free receptor"),
        _k("k1basal", 0.03683, "1/min", "insulin-independent receptor autophosphorylation"),
        _k("k1c", 0.8768, "1/min", "autophosphorylation of the insulin-bound receptor"),
        _k("k1d", 31.01, "1/min", "internalisation of the phosphorylated receptor"),
        _k("k1f", 1840.0, "1/(a.u.·min)", "dephosphorylation of the internalised receptor by active X"),
        _k("k1g", 1944.0, "1/min", "dephosphorylation (insulin release) of the membrane receptor"),
        _k("k1r", 0.5471, "1/min", "recycling of the internalised receptor to the membrane"),
        _k("k2a", 3.227, "1/(a.u.·min)", "IRS1 tyrosine phosphorylation by the internalised receptor"),
        _k("k2b", 3424.0, "1/min", "IRS1 tyrosine dephosphorylation"),
        _k("k2c", 5759.0, "1/(a.u.·min)", "S307 phosphorylation of IRS1-Y by active mTORC1 (the feedback)"),
        _k("k2d", 280.8, "1/min", "S307 dephosphorylation of IRS1-Y-S307"),
        _k("k2f", 2.913, "1/min", "tyrosine dephosphorylation of IRS1-Y-S307"),
        _k("k2basal", 0.04228, "1/min", "insulin-independent S307 phosphorylation of IRS1"),
        _k("k2g", 0.2671, "1/min", "S307 dephosphorylation of IRS1-S307"),
        _k("k3a", 0.001377, "1/(a.u.·min)", "activation of X by IRS1-Y"),
        _k("k3b", 0.09876, "1/min", "inactivation of X"),
        _k("k4a", 5790.0, "1/(a.u.·min)", "PKB T308 phosphorylation driven by IRS1-Y (PI3K/PDK1)"),
        _k("k4b", 34.8, "1/min", "T308 dephosphorylation of PKB-T308"),
        _k("k4c", 4.456, "1/(a.u.·min)", "S473 phosphorylation of PKB-T308 by active mTORC2"),
        _k("k4e", 42.84, "1/(a.u.·min)", "T308 phosphorylation of PKB-S473 driven by IRS1-Y-S307"),
        _k("k4f", 143.6, "1/min", "T308 dephosphorylation of PKB-T308-S473"),
        _k("k4h", 0.5361, "1/min", "S473 dephosphorylation of PKB-S473"),
        _k("k5a1", 1.842, "1/(a.u.·min)", "mTORC1 activation by PKB-T308-S473"),
        _k("k5a2", 0.05506, "1/(a.u.·min)", "mTORC1 activation by PKB-T308"),
        _k("k5b", 24.83, "1/min", "mTORC1 inactivation"),
        _k("k5c", 0.08575, "1/(a.u.·min)", "mTORC2 activation by the internalised phosphorylated receptor"),
        _k("k5d", 1.06, "1/min", "mTORC2 inactivation"),
        _k("k6f1", 2.652, "1/(a.u.·min)", "AS160 T642 phosphorylation by PKB-T308-S473"),
        _k("k6f2", 36.93, "1/min", "maximal AS160 T642 phosphorylation by PKB-S473 (Hill term)"),
        _k("km6", 30.54, AU, "PKB-S473 giving half the maximal AS160 phosphorylation"),
        _k("n6", 2.137, "1", "Hill coefficient of AS160 phosphorylation by PKB-S473", upper=20.0),
        _k("k6b", 65.18, "1/min", "AS160 dephosphorylation"),
        _k("k7f", 50.98, "1/(a.u.·min)", "GLUT4 translocation to the membrane driven by AS160-T642"),
        _k("k7b", 2286.0, "1/min", "GLUT4 endocytosis"),
        _k("k8", 724.2, "a.u./(a.u.·mM·min)", "glucose uptake per membrane GLUT4 and per mM glucose"),
        _k("glut1", 7042.0, "a.u./(mM·min)", "insulin-independent (GLUT1) glucose uptake per mM glucose"),
        _k("gluc", 0.05, "mM", "2-deoxyglucose concentration of the uptake assay",
           "Brännmark 2013, Methods (0.05 mM 2-deoxy-[³H]glucose); BIOMD0000000448"),
        _k("k9f1", 0.1298, "1/min", "maximal S6K T389 phosphorylation by active mTORC1 (Hill term)"),
        _k("km9", 5873.0, AU, "active mTORC1 giving half the maximal S6K phosphorylation"),
        _k("n9", 0.9855, "1", "Hill coefficient of S6K phosphorylation by mTORC1", upper=20.0),
        _k("k9b1", 0.04441, "1/min", "S6K dephosphorylation"),
        _k("k9f2", 3.329, "1/(a.u.·min)", "S6 S235/236 phosphorylation by S6K-T389"),
        _k("k9b2", 31.0, "1/min", "S6 dephosphorylation"),
        _k("scale_ir_y", 5.2022, "1", "immunoblot scale of IR tyrosine phosphorylation", SCALE),
        _k("scale_irs1_y", 0.37615, "1", "immunoblot scale of IRS1 tyrosine phosphorylation", SCALE),
        _k("scale_irs1_s307", 0.058663, "1", "immunoblot scale of IRS1 S307 phosphorylation", SCALE),
        _k("scale_pkb_t308", 0.043564, "1", "immunoblot scale of PKB T308 phosphorylation", SCALE),
        _k("scale_pkb_s473", 0.012996, "1", "immunoblot scale of PKB S473 phosphorylation", SCALE),
        _k("scale_as160_t642", 0.026656, "1", "immunoblot scale of AS160 T642 phosphorylation", SCALE),
        _k("scale_s6k_t389", 0.74654, "1", "immunoblot scale of S6K T389 phosphorylation", SCALE),
        _k("scale_s6_s235", 0.11494, "1", "immunoblot scale of S6 S235/236 phosphorylation", SCALE),
    )
    reads = ("medium_insulin", "at_rest")
    inputs = (Input("medium_insulin", "nM", "insulin concentration in the incubation medium"),)
    outputs = (
        *(Output(name, AU, f"{what} as measured: {scale} × ({' + '.join(forms)})")
          for name, (what, scale, forms) in MEASURED.items()),
        Output("glut4_membrane_fraction", "fraction", "fraction of the cell's GLUT4 at the plasma membrane"),
        Output("glucose_uptake", "a.u./min", "2-deoxyglucose uptake: (k8 × membrane GLUT4 + GLUT1) × glucose"),
    )
    citations = ("Brannmark2013", "BIOMD0000000448")

    def rates(self, v, xp):
        insulin = v["medium_insulin"]
        # receptor (v1*)
        binding = v["k1a"] * insulin * v["ir"]
        basal_autophos = v["k1basal"] * v["ir"]
        autophos = v["k1c"] * v["ir_insulin"]
        internalisation = v["k1d"] * v["ir_y"]
        internal_dephos = v["k1f"] * v["x_active"] * v["ir_y_internal"]
        membrane_dephos = v["k1g"] * v["ir_y"]
        recycling = v["k1r"] * v["ir_internal"]
        # IRS1 (v2*) and X (v3*)
        irs1_y_on = v["k2a"] * v["ir_y_internal"] * v["irs1"]
        irs1_y_off = v["k2b"] * v["irs1_y"]
        feedback = v["k2c"] * v["mtorc1_active"] * v["diabetes"] * v["irs1_y"]
        s307_off_y = v["k2d"] * v["irs1_y_s307"]
        y_off_s307 = v["k2f"] * v["irs1_y_s307"]
        s307_basal = v["k2basal"] * v["irs1"]
        s307_off = v["k2g"] * v["irs1_s307"]
        x_on = v["k3a"] * v["irs1_y"] * v["x"]
        x_off = v["k3b"] * v["x_active"]
        # PKB (v4*)
        t308_on = v["k4a"] * v["irs1_y"] * v["pkb"]
        t308_off = v["k4b"] * v["pkb_t308"]
        s473_on = v["k4c"] * v["mtorc2_active"] * v["pkb_t308"]
        t308_on_s473 = v["k4e"] * v["irs1_y_s307"] * v["pkb_s473"]
        t308_off_s473 = v["k4f"] * v["pkb_t308_s473"]
        s473_off = v["k4h"] * v["pkb_s473"]
        # mTORC1, mTORC2 (v5*)
        mtorc1_on = (v["k5a1"] * v["pkb_t308_s473"] + v["k5a2"] * v["pkb_t308"]) * v["mtorc1"]
        mtorc1_off = v["k5b"] * v["mtorc1_active"]
        mtorc2_on = v["k5c"] * v["ir_y_internal"] * v["mtorc2"]
        mtorc2_off = v["k5d"] * v["mtorc2_active"]
        # AS160 (v6*), GLUT4 (v7*), S6K and S6 (v9*)
        as160_on = (v["k6f1"] * v["pkb_t308_s473"] + _hill(v["pkb_s473"], v["k6f2"], v["km6"], v["n6"], xp)) * v["as160"]
        as160_off = v["k6b"] * v["as160_t642"]
        glut4_out = v["k7f"] * v["as160_t642"] * v["glut4_internal"]
        glut4_in = v["k7b"] * v["glut4_membrane"]
        s6k_on = _hill(v["mtorc1_active"], v["k9f1"], v["km9"], v["n9"], xp) * v["s6k"]
        s6k_off = v["k9b1"] * v["s6k_t389"]
        s6_on = v["k9f2"] * v["s6k_t389"] * v["s6"]
        s6_off = v["k9b2"] * v["s6_s235"]

        d = {
            "ir": membrane_dephos + recycling - binding - basal_autophos,
            "ir_insulin": binding - autophos,
            "ir_y": basal_autophos + autophos - internalisation - membrane_dephos,
            "ir_y_internal": internalisation - internal_dephos,
            "ir_internal": internal_dephos - recycling,
            "irs1": irs1_y_off + s307_off - irs1_y_on - s307_basal,
            "irs1_y": irs1_y_on + s307_off_y - irs1_y_off - feedback,
            "irs1_y_s307": feedback - s307_off_y - y_off_s307,
            "irs1_s307": y_off_s307 + s307_basal - s307_off,
            "x": x_off - x_on,
            "x_active": x_on - x_off,
            "pkb": t308_off + s473_off - t308_on,
            "pkb_t308": t308_on - t308_off - s473_on,
            "pkb_s473": t308_off_s473 - t308_on_s473 - s473_off,
            "pkb_t308_s473": s473_on + t308_on_s473 - t308_off_s473,
            "mtorc1": mtorc1_off - mtorc1_on,
            "mtorc1_active": mtorc1_on - mtorc1_off,
            "mtorc2": mtorc2_off - mtorc2_on,
            "mtorc2_active": mtorc2_on - mtorc2_off,
            "as160": as160_off - as160_on,
            "as160_t642": as160_on - as160_off,
            "glut4_internal": glut4_in - glut4_out,
            "glut4_membrane": glut4_out - glut4_in,
            "s6k": s6k_off - s6k_on,
            "s6k_t389": s6k_on - s6k_off,
            "s6": s6_off - s6_on,
            "s6_s235": s6_on - s6_off,
        }
        at_rest = v["at_rest"]
        for total, forms in PROTEINS.items():  # at rest, the unmodified form's equation is its conservation law
            deficit = v[total] - sum(v[f] for f in forms)
            d[forms[0]] = (1.0 - at_rest) * d[forms[0]] + at_rest * CONSERVATION_RATE * deficit

        outputs = {name: v[scale] * sum(v[f] for f in forms) for name, (_, scale, forms) in MEASURED.items()}
        outputs["glut4_membrane_fraction"] = v["glut4_membrane"] / v["glut4_total"]
        outputs["glucose_uptake"] = (v["k8"] * v["glut4_membrane"] + v["glut1"]) * v["gluc"]
        return Rates(d, outputs)

    def initial_guess(self, v):
        """Each protein split as in the normal insulin-free cell (BIOMD0000000448's initial values),
        scaled to this subject's totals: from the unmodified forms alone Newton needs hundreds of
        iterations, from here about 30 (the guess only sets where the solver starts)."""
        guess = {}
        for total, forms in PROTEINS.items():
            weights = [INSULIN_FREE_SHARES[f] for f in forms]
            guess.update({f: v[total] * w / sum(weights) for f, w in zip(forms, weights)})
        return guess
