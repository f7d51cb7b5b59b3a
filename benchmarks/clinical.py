"""irsim's clinical measurement against its peers, all measured in this one run.

    .venv/bin/python benchmarks/clinical.py            # 10,000 subjects
    .venv/bin/python benchmarks/clinical.py --n 2000   # quicker

A cohort of ``n`` subjects with full 5-point OGTTs, anthropometry, lipids, blood pressure and HbA1c
(examples/ogtt.csv resampled, every number jittered ±10 %, seed 1) is written as CSV, then timed:
(1) import, (2) the closed-form indices alone, (3) HOMA2 alone, (4) ``compute_indices`` (every
index and diagnosis, HOMA2 included), (5) the whole ``irsim indices FILE --out`` command, process
start included, (6) one minimal-model fit of the Pacini & Bergman FSIGT, Wald and profile intervals.
Peers, in this process right after irsim: ``compute_indices`` called once per subject (a
row-by-row implementation of the same formulas; a subset timed, extrapolated), and HOMA2 by
bilinear interpolation in the Oxford calculator grid (what table-lookup ports do; outside the grid
it cannot answer, and it is the method the issue rules out, kept here only as a speed reference),
and the profile fit with the plain-Python RK4 instead of the numba kernel.
"""

from __future__ import annotations

import argparse
import importlib.util
import tempfile
import warnings
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("engine_benchmark", Path(__file__).with_name("run.py"))
_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_run)
timed, machine, row, run_cli = _run.timed, _run.machine, _run.row, _run.run_cli
REFS = next(p for p in (ROOT.parent / "shared" / "refs" / "clinical", ROOT / "tests" / "data" / "refs" / "clinical")
            if p.exists())


def cohort(n: int, path: Path) -> None:
    """``n`` subjects resampled from the example file's five complete rows, jittered ±10 %."""
    source = pd.read_csv(ROOT / "examples" / "ogtt.csv").iloc[:5]
    rng = np.random.default_rng(1)
    big = source.sample(n, replace=True, random_state=1).reset_index(drop=True)
    numbers = big.columns[2:]
    big[numbers] = big[numbers].astype(float) * rng.uniform(0.9, 1.1, size=(n, len(numbers)))
    big["subject_id"] = [f"S{k:06d}" for k in range(n)]
    big.to_csv(path, index=False, float_format="%.4g")


def closed_form(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The closed-form indices from the canonical frame (mg/dL, pmol/L), as compute_indices calls them."""
    from irsim.analysis import indices as ix

    g = {t: frame[f"glucose_{t}"].to_numpy() for t in (0, 30, 60, 90, 120)}
    i = {t: frame[f"insulin_{t}"].to_numpy() for t in (0, 30, 60, 90, 120)}
    times = [0, 30, 60, 90, 120]
    gs, ins = np.column_stack([g[t] for t in times]), np.column_stack([i[t] for t in times])
    bmi = frame["weight"].to_numpy() / (frame["height"].to_numpy() / 100) ** 2
    return {
        "homa1_ir": ix.homa1_ir(g[0], i[0]), "homa1_b": ix.homa1_b(g[0], i[0]), "quicki": ix.quicki(g[0], i[0]),
        "matsuda": ix.matsuda(times, gs, ins), "matsuda_auc": ix.matsuda(times, gs, ins, mean="trapezoid"),
        "stumvoll_first_phase": ix.stumvoll_first_phase(g[30], i[0], i[30]),
        "stumvoll_isi": ix.stumvoll_isi(bmi, g[90], i[120]),
        "oral_di": ix.oral_disposition_index(g[0], g[30], i[0], i[30]),
        "tyg": ix.tyg(frame["triglycerides"].to_numpy(), g[0]),
        "ogis": ix.ogis(g[0], g[90], g[120], i[0], i[90], height_cm=frame["height"].to_numpy(),
                        weight_kg=frame["weight"].to_numpy(), dose_g=75.0),
    }


def grid_interpolator():
    """Bilinear interpolation of %B and %S in the Oxford v2.2.4 insulin grid (the table-lookup peer)."""
    from scipy.interpolate import RegularGridInterpolator

    grid = pd.read_csv(REFS / "homa2" / "homa2_v224_grid_insulin.csv")
    g, h = np.unique(grid["glucose"]), np.unique(grid["hormone"])
    table = grid.set_index(["glucose", "hormone"]).sort_index()
    return {c: RegularGridInterpolator((g, h), table[c].to_numpy().reshape(g.size, h.size)) for c in ("pct_b", "pct_s")}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="subjects in the cohort (default 10,000)")
    ap.add_argument("--loop", type=int, default=200, help="subjects timed in the per-subject peer (extrapolated)")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")  # the example file's deliberately bad cells warn once per copy

    from irsim.analysis import minimal_model_fit
    from irsim.analysis.homa2 import homa2
    from irsim.analysis.indices import compute_indices
    from irsim.analysis.minimal_model_fit import fit_minimal_model
    from irsim.io.clinical_data import read_clinical_data
    from irsim.units import glucose_mg_dl_to_mmol_l

    print(f"# clinical measurement, {args.n:,} subjects\n\n{machine()}\n")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cohort.csv"
        cohort(args.n, path)
        compute_indices(read_clinical_data(path).frame.iloc[:10])  # warm imports outside the timing
        t_read, data = timed(lambda: read_clinical_data(path), repeat=3)
        frame = data.frame
        t_closed, _ = timed(lambda: closed_form(frame), repeat=3)
        g0, i0 = glucose_mg_dl_to_mmol_l(frame["glucose_0"].to_numpy()), frame["insulin_0"].to_numpy()
        inside = (g0 >= 3) & (g0 <= 25) & (i0 >= 20) & (i0 <= 400)
        t_homa2, ours = timed(lambda: homa2(g0[inside], i0[inside]), repeat=3)
        t_all, table = timed(lambda: compute_indices(frame), repeat=3)
        t_cli = np.median([run_cli(["indices", str(path), "--out", str(Path(tmp) / "out.csv")], ROOT)[0]
                           for _ in range(3)])

        m = min(args.loop, args.n)
        t_loop, _ = timed(lambda: [compute_indices(frame.iloc[k:k + 1]) for k in range(m)])
        t_loop *= args.n / m
        lookup = grid_interpolator()
        points = np.column_stack([g0[inside], i0[inside]])
        t_table, b_table = timed(lambda: lookup["pct_b"](points), repeat=3)
        gap = 100 * np.max(np.abs(ours.percent_b - b_table) / b_table)

    fsigt = pd.read_csv(REFS / "fsigt_pacini_bergman_1986.csv")
    data = (fsigt["time_min"], fsigt["glucose_mg_dL"], fsigt["insulin_uU_mL"])
    fit_minimal_model(*data)  # compile (or load) the numba kernel outside the timing
    t_fit, fit = timed(lambda: fit_minimal_model(*data), repeat=3)
    t_profile, _ = timed(lambda: fit_minimal_model(*data, intervals="profile"), repeat=3)
    with mock.patch.object(minimal_model_fit, "_rk4", minimal_model_fit._rk4_python):
        t_python, _ = timed(lambda: fit_minimal_model(*data, intervals="profile"))

    row("step", f"{args.n:,} subjects, s", "µs per subject", "note")
    row("---", "---", "---", "---")
    row("CSV import (read_clinical_data)", f"{t_read:.3f}", f"{1e6 * t_read / args.n:.0f}", "pint unit conversion, cell checks")
    row("closed-form indices alone", f"{t_closed:.3f}", f"{1e6 * t_closed / args.n:.1f}", "HOMA1, QUICKI, Matsuda ×2, Stumvoll, DI, TyG, OGIS")
    row("HOMA2 alone (structural model)", f"{t_homa2:.3f}", f"{1e6 * t_homa2 / inside.sum():.1f}",
        f"{inside.sum():,} subjects inside the calculator's range")
    row("compute_indices (all + diagnoses)", f"{t_all:.3f}", f"{1e6 * t_all / args.n:.1f}", f"{table.shape[1] - 1} columns and notes")
    row("`irsim indices FILE --out` (CLI)", f"{t_cli:.2f}", f"{1e6 * t_cli / args.n:.0f}", "process start to CSV written, median of 3")
    row("peer: compute_indices per subject", f"{t_loop:.1f}", f"{1e6 * t_loop / args.n:.0f}",
        f"{m} timed, extrapolated; irsim batched is {t_loop / t_all:.0f}× faster")
    row("peer: HOMA2 grid bilinear lookup", f"{t_table:.4f}", f"{1e6 * t_table / inside.sum():.2f}",
        f"{t_homa2 / t_table:.1f}× irsim's model time; %B differs by ≤ {gap:.1f} % between grid points")
    row("minimal-model fit, one FSIGT, Wald", f"{t_fit:.3f}", "",
        f"Pacini & Bergman 1986, {fit.n_fitted} samples, RMSE {fit.rmse:.2f} mg/dL")
    row("minimal-model fit, profile intervals", f"{t_profile:.3f}", "", "numba kernel (fast extra)")
    row("peer: the same profile fit, plain Python", f"{t_python:.2f}", "", f"{t_python / t_profile:.0f}× slower")


if __name__ == "__main__":
    main()
