"""The integrated mechanism model against the Dalla Man model alone, measured in this one run.

    .venv/bin/python benchmarks/integrated.py [--patients 1000] [--repeats 3]

A population OGTT (75 g, 180 min, G and I kept; drivers / Vmx varied ±30 %) on each model: one run
that may compile (its time is printed as the first use), then ``--repeats`` warm runs of the two
models alternating, so that a change of machine load hits both alike. Printed: each model's best
wall time and CPU time (all threads), and the ratio integrated / Dalla Man of each — the CPU ratio
is the one other jobs on the machine disturb least. The issue's bound is 5×.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from irsim import OGTT, Simulation, Variation


def _time(model, subject, vary, n):
    """Wall and CPU seconds of one population OGTT, set-up included."""
    wall, cpu = time.perf_counter(), time.process_time()
    Simulation(model, subject, OGTT(), variation=Variation(n, vary, seed=1)).solve(variables=["G", "I"])
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    models = {"dalla-man-2007": ("dalla-man-2007", "normal", {"Vmx": 0.3}),
              "integrated": ("integrated", "reference", {"visceral_fat_kg": 0.3, "mitochondrial_capacity": 0.3})}
    for label, (model, subject, vary) in models.items():
        print(f"{label:16s} {args.patients} patients OGTT: first use {_time(model, subject, vary, args.patients)[0]:6.2f} s")
    runs = {label: [] for label in models}
    for _ in range(args.repeats):  # the two models alternate
        for label, spec in models.items():
            runs[label].append(_time(*spec, args.patients))
    best = {label: (min(w for w, _ in r), min(c for _, c in r)) for label, r in runs.items()}
    for label, (wall, cpu) in best.items():
        print(f"{label:16s} warm, best of {args.repeats}: {wall:6.3f} s wall, {cpu:6.3f} s CPU")
    ratio = [best["integrated"][k] / best["dalla-man-2007"][k] for k in (0, 1)]
    print(f"integrated / dalla-man-2007 (warm): {ratio[0]:.2f}x wall, {ratio[1]:.2f}x CPU")

if __name__ == "__main__":
    main()
