"""Calibrate the integrated model's lean reference to Dalla Man 2007's normal subject.

The free constants (muscle Akt/GLUT4, hepatic Akt/FoxO1 fluxes, β-cell dose–response) are fitted
by least squares so that, with every driver at its normal value, the integrated model reproduces
the normal subject's 78 g meal (glucose and insulin every 5 min over 7 h, as the paper's
simulation shows), its fasting EGP, a gluconeogenic share of 47 % of fasting EGP (Gastaldelli 2000)
and a lean clamp M-value of 7.5 mg/kg/min at ≈100 µU/mL steady-state insulin (DeFronzo 1982/1985:
6.4-9.5). Every candidate of a finite-difference Jacobian is one patient of a single batched run.

    python tools/calibrate_integrated.py      # prints the fitted values for irsim/physiology/*
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import least_squares

from irsim import Clamp, Meal, Simulation
from irsim.models.integrated import integrated

FREE = {  # name: (start, lower, upper)
    "akt_half": (0.105, 0.01, 2.0), "akt_hill": (1.6, 0.7, 4.0), "Vmax_glut4": (60.0, 10.0, 300.0),
    "V_gng": (1.0, 0.2, 5.0), "V_gly": (1.8, 0.2, 8.0), "hepatic_akt_half": (250.0, 20.0, 3000.0),
    "hepatic_akt_hill": (1.0, 0.5, 3.0), "S_max": (9.0, 2.0, 80.0), "G_half": (140.0, 90.0, 400.0),
    "secretion_hill": (4.0, 1.5, 10.0),
}
TIMES = np.arange(0.0, 421.0, 5.0)
M_TARGET = 7.5


def _reference():
    r = Simulation("dalla-man-2007", "normal", Meal(78.0, duration_min=420.0)).solve(t_eval=TIMES, variables=["G", "I"])
    return r["G"][:, 0], r["I"][:, 0]


def _residuals(thetas: np.ndarray, model, g_ref, i_ref) -> np.ndarray:
    """Residual vectors, one row per candidate (thetas: candidates × free)."""
    over = {k: thetas[:, j] for j, k in enumerate(FREE)}
    meal = Simulation(model, None, Meal(78.0, duration_min=420.0), overrides=over).solve(
        t_eval=TIMES, variables=["G", "I", "EGP", "GNG"])
    clamp = Simulation(model, None, Clamp(insulin_mU_m2_min=80.0), overrides=over).solve(
        variables=["G", "I", "glucose_infusion"]).summary()
    res = [
        (meal["G"] - g_ref[:, None]) / g_ref[:, None] * 10.0,
        (meal["I"] - i_ref[:, None]) / i_ref.max() * 3.0,
        [(meal["EGP"][0] - 1.92) * 5.0],
        [(meal["GNG"][0] / meal["EGP"][0] - 0.47) * 5.0],
        [(clamp["m_value_mg_kg_min"].to_numpy() - M_TARGET) / M_TARGET * 5.0],
    ]
    return np.concatenate([np.atleast_2d(r) for r in res], axis=0).T


def main() -> None:
    model = integrated()
    g_ref, i_ref = _reference()
    lo = np.array([v[1] for v in FREE.values()])
    hi = np.array([v[2] for v in FREE.values()])
    x0 = np.array([v[0] for v in FREE.values()])

    def fun(x):
        return _residuals(x[None, :], model, g_ref, i_ref)[0]

    def jac(x):
        h = 1e-4 * np.maximum(np.abs(x), 1e-2)
        cands = np.vstack([x, x + np.diag(h)])
        r = _residuals(cands, model, g_ref, i_ref)
        return ((r[1:] - r[0]) / h[:, None]).T

    fit = least_squares(fun, x0, jac=jac, bounds=(lo, hi), x_scale=np.abs(x0), max_nfev=60, verbose=1)
    for name, value in zip(FREE, fit.x):
        print(f"{name:20s} {value:.6g}")
    r = fun(fit.x)
    print("cost", fit.cost, "max |glucose residual| (% of DM)", np.abs(r[:TIMES.size]).max() * 10)


if __name__ == "__main__":
    main()
