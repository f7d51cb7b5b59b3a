"""Stomach and gut: oral glucose to plasma rate of appearance (Dalla Man, Camilleri & Cobelli 2006).

Two stomach compartments (solid, then triturated) and one gut compartment; gastric emptying slows
in the middle of a meal, through a tanh-shaped dependence on stomach content relative to the dose.
"""

from __future__ import annotations

from irsim.core.block import Block, Output, Parameter, Rates, State

T1 = "Dalla Man 2007, Table 1 (normal subject)"


class GastrointestinalTract(Block):
    """Gastric emptying and intestinal absorption of ingested glucose.

    ``D`` is the size of the last ingestion (the paper's dose D); it is a memory state set by each
    ingestion. Assumption where the paper is silent: with food still in the stomach, D becomes the
    whole stomach content after the new ingestion, so emptying restarts as for one larger meal.
    """

    name = "gut"
    states = (
        State("Qsto1", "mg", "solid glucose in the stomach"),
        State("Qsto2", "mg", "triturated glucose in the stomach"),
        State("Qgut", "mg", "glucose in the intestine"),
        State("D", "mg", "size of the last ingestion, which shapes gastric emptying", memory=True),
    )
    parameters = (
        Parameter("kmax", 0.0558, "1/min", "maximal gastric emptying rate", T1, 1e-5, 1.0),
        Parameter("kmin", 0.0080, "1/min", "minimal gastric emptying rate", T1, 0.0, 1.0),
        Parameter("kabs", 0.057, "1/min", "intestinal absorption rate", T1, 1e-5, 1.0),
        Parameter("kgri", 0.0558, "1/min", "rate of grinding (solid to triturated)", T1, 1e-5, 1.0),
        Parameter("f", 0.90, "1", "fraction of intestinal absorption that appears in plasma", T1, 0.0, 1.0),
        Parameter("b", 0.82, "1", "fraction of the dose at which emptying reaches its minimum slope", T1, 0.01, 0.99),
        Parameter("d", 0.010, "1", "fraction of the dose at which emptying recovers to kmax", T1, 1e-4, 0.99),
        Parameter("BW", 78.0, "kg", "body weight", "Dalla Man 2007, Section III (mean normal subject); range: adults "
                  "from severe underweight to super-obesity (BMI 80 at 1.9 m ≈ 290 kg), a plausibility bound", 20.0,
                  300.0),
    )
    outputs = (Output("Ra", "mg/kg/min", "rate of appearance of ingested glucose in plasma"),
               Output("k_empt", "1/min", "gastric emptying rate"))
    doses = ("oral_glucose_mg",)
    citations = ("DallaMan2007", "DallaMan2006")

    def rates(self, v, xp):
        qsto = v["Qsto1"] + v["Qsto2"]
        dose = xp.maximum(v["D"], 1.0)  # D = 0 only while the stomach is empty; 1 mg keeps α, β finite
        alpha = 5.0 / (2.0 * dose * (1.0 - v["b"]))
        beta = 5.0 / (2.0 * dose * v["d"])
        k_empt = v["kmin"] + 0.5 * (v["kmax"] - v["kmin"]) * (
            xp.tanh(alpha * (qsto - v["b"] * dose)) - xp.tanh(beta * (qsto - v["d"] * dose)) + 2.0
        )
        return Rates(
            {
                "Qsto1": -v["kgri"] * v["Qsto1"],
                "Qsto2": -k_empt * v["Qsto2"] + v["kgri"] * v["Qsto1"],
                "Qgut": -v["kabs"] * v["Qgut"] + k_empt * v["Qsto2"],
            },
            {"Ra": v["f"] * v["kabs"] * v["Qgut"] / v["BW"], "k_empt": k_empt},
        )

    def apply_dose(self, kind, amount, v):
        qsto1 = v["Qsto1"] + amount
        return {"Qsto1": qsto1, "D": qsto1 + v["Qsto2"]}
