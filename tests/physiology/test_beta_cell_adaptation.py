"""Ha, Satin & Sherman 2016, qualitatively as the paper reports it: β-cells compensate for rising
insulin resistance (more mass and insulin, glucose held near 100 mg/dL), and past a threshold of
resistance compensation fails abruptly (glucotoxic loss of function σ, then of mass)."""

import numpy as np
import pytest

from irsim import Simulation
from irsim.protocols import Progression
from irsim.units import MIN_PER_DAY

TEN_YEARS = 3652.5


def progress(si_final, days=TEN_YEARS):
    return Simulation("ha-2016", "progressor", Progression(days), overrides={"SI_final": si_final},
                      solver="scipy").solve(step_min=30 * MIN_PER_DAY)


def test_stable_subject_stays_at_its_steady_state():
    r = Simulation("ha-2016", "stable", Progression(TEN_YEARS), solver="scipy").solve(step_min=365 * MIN_PER_DAY)
    for k in ("G", "Iuu", "beta", "sigma", "gamma"):
        assert np.allclose(r[k][:, 0], r[k][0, 0], rtol=1e-6), k
    assert r["G"][0, 0] == pytest.approx(100.0, abs=0.5)


def test_steady_states_compensate_resistance_with_mass_and_insulin():
    """At steady state glucose stays within 1 mg/dL of 100 while SI falls 3-fold; mass and insulin rise."""
    rows = []
    for si in (1.0, 0.8, 0.5, 0.3):
        r = Simulation("ha-2016", "stable", Progression(1), overrides={"SI0": si}).solve(step_min=MIN_PER_DAY)
        rows.append((r["G"][0, 0], r["beta"][0, 0], r["Iuu"][0, 0]))
    glucose, mass, insulin = np.array(rows).T
    assert np.all(np.abs(glucose - 100.0) < 1.0)
    assert np.all(np.diff(mass) > 0) and np.all(np.diff(insulin) > 0)


def test_moderate_progression_is_compensated():
    r = progress(0.4)
    assert r["G"][:, 0].max() < 110.0  # never even impaired fasting glucose
    assert r["beta"][-1, 0] > 1.5 * r["beta"][0, 0] and r["Iuu"][-1, 0] > 1.5 * r["Iuu"][0, 0]


def test_severe_progression_fails_after_compensating():
    """SI to 0.18 (the paper's Fig. 7 progressor): insulin first rises (compensation), then glucose
    crosses the diabetic threshold within three years and function and mass collapse."""
    r = progress(0.18)
    years = r.time_min / MIN_PER_DAY / 365.25
    G, insulin, sigma, beta = (r[k][:, 0] for k in ("G", "Iuu", "sigma", "beta"))
    assert insulin.max() > 2.0 * insulin[0] and insulin[-1] < 0.1 * insulin[0]
    assert years[np.argmax(G > 126.0)] < 3.0 and G[-1] > 400.0
    assert sigma[-1] < 0.1 * sigma[0] and beta[-1] < 0.5 * beta[0]


def test_failure_is_abrupt_past_a_threshold_of_resistance():
    """Final glucose after ten years jumps from normal to > 300 mg/dL between SI∞ = 0.25 and 0.22:
    no subject ends in between (bistability through glucotoxicity)."""
    final = {si: progress(si)["G"][-1, 0] for si in (0.3, 0.25, 0.22, 0.2)}
    assert final[0.3] < 115.0 and final[0.25] < 115.0
    assert final[0.22] > 300.0 and final[0.2] > 300.0
