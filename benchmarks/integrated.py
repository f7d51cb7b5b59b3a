"""The integrated mechanism model against the Dalla Man model alone, measured in this one run.

    .venv/bin/python benchmarks/integrated.py [--patients 1000] [--repeats 3]

A population OGTT (75 g, 180 min, G and I kept; drivers / Vmx varied ±30 %) on each model, best of
``--repeats`` warm runs after one run that may compile (its time is printed as the first use),
and the ratio integrated / Dalla Man. The issue's bound is 5×.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from irsim import OGTT, Simulation, Variation


def _time(model, subject, vary, n):
    t0 = time.perf_counter()
    Simulation(model, subject, OGTT(), variation=Variation(n, vary, seed=1)).solve(variables=["G", "I"])
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    rows = {}
    for label, model, subject, vary in (
            ("dalla-man-2007", "dalla-man-2007", "normal", {"Vmx": 0.3}),
            ("integrated", "integrated", "reference", {"visceral_fat_kg": 0.3, "mitochondrial_capacity": 0.3})):
        first = _time(model, subject, vary, args.patients)
        warm = min(_time(model, subject, vary, args.patients) for _ in range(args.repeats))
        rows[label] = warm
        print(f"{label:16s} {args.patients} patients OGTT: first use {first:6.2f} s, warm {warm:6.3f} s")
    print(f"integrated / dalla-man-2007 (warm): {rows['integrated'] / rows['dalla-man-2007']:.2f}x")


if __name__ == "__main__":
    main()
