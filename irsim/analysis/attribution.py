"""Mechanism attribution: how much of a patient's change in a measure each driver causes.

A patient differs from a reference subject in some parameters (the *drivers*). A clinical measure
(clamp M-value, fasting EGP, HOMA-IR) changes from its reference value to the patient's, and the
mechanisms interact, so "the share of each" is defined by exact Shapley values: a driver's share is
its change of the measure when it is moved from the reference to the patient's value, averaged over
every order in which the drivers could be moved (Shapley 1953; used for model attribution by
Štrumbelj & Kononenko 2014). The shares sum exactly to patient − reference (efficiency), a driver
that changes nothing gets zero, and with no interactions each share is the driver's own effect.

The 2^k coalitions (some drivers at the patient's values, the rest at the reference's) are solved as
one population of one batched simulation, never as a loop. Parameters can be grouped
(``groups={"liver": ["kp1", "kp2", "kp3", "kp4", "ki"]}``) so k stays small.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from irsim.core.parameters import ParameterSet
from irsim.errors import InputError, SolverError, UnknownNameError

if TYPE_CHECKING:
    import pandas as pd

    from irsim.core.model import Model
    from irsim.protocols.base import Protocol
    from irsim.result import Result

#: most drivers solved at once: 2^12 = 4096 coalitions, one batched population (seconds per measure)
MAX_DRIVERS = 12

#: the reference subject of each model when none is given: its healthy patient preset. A model
#: with mechanism drivers points at its own healthy preset here (one entry).
REFERENCE = {"dalla-man-2007": "normal", "integrated": "healthy_lean"}


@dataclass(frozen=True)
class Measure:
    """A scalar measure per patient, read off a simulated fasting state or (``clamp=True``) clamp;
    ``variables`` are those of the run it reads."""

    name: str
    label: str
    unit: str
    variables: tuple[str, ...]
    value: Callable[[Result], np.ndarray]
    clamp: bool = False


def _m_value(result: Result) -> np.ndarray:
    from irsim.analysis.summary import MEASURES as SUMMARIES

    return SUMMARIES["clamp"](result)["m_value_mg_kg_min"]


def _homa_ir(result: Result) -> np.ndarray:
    from irsim.analysis.indices import homa1_ir

    return homa1_ir(result["G"][0], result["I"][0])


MEASURES = {m.name: m for m in (
    Measure("m_value", "clamp M-value", "mg/kg/min", ("G", "I", "glucose_infusion"), _m_value, clamp=True),
    Measure("fasting_egp", "fasting endogenous glucose production", "mg/kg/min", ("EGP",), lambda r: r["EGP"][0]),
    Measure("homa_ir", "HOMA1-IR (Matthews 1985)", "1", ("G", "I"), _homa_ir),
    Measure("fasting_glucose", "fasting plasma glucose", "mg/dL", ("G",), lambda r: r["G"][0]),
    Measure("fasting_insulin", "fasting plasma insulin", "pmol/L", ("I",), lambda r: r["I"][0]),
)}
DEFAULT_MEASURES = ("m_value", "fasting_egp", "homa_ir")


@dataclass(frozen=True)
class Attribution:
    """Shares of each driver in each measure's change, and the coalition runs they come from.

    ``shares``: one row per (driver, measure) with ``share`` (the measure's unit) and
    ``share_percent`` (of the total change; NaN when the total is 0). ``totals``: per measure its
    reference and patient values and change. ``coalitions``: one row per coalition (patient of the
    batched run): a boolean column per driver (at the patient's value) and one column per measure.
    """

    patient: str
    reference: str
    model: str
    protocol: str
    drivers: Mapping[str, tuple[str, ...]]
    shares: pd.DataFrame
    totals: pd.DataFrame
    coalitions: pd.DataFrame
    notes: tuple[str, ...] = ()

    def plot(self, path: str | Path | None = None):
        """Horizontal bars of each driver's share, one panel per measure (in its unit)."""
        import matplotlib.pyplot as plt

        measures = list(self.totals.index)
        drivers = list(self.drivers)
        fig, axes = plt.subplots(1, len(measures), figsize=(4.2 * len(measures), 0.45 * len(drivers) + 1.8),
                                 sharey=True, squeeze=False)
        for ax, name in zip(axes[0], measures):
            total = self.totals.loc[name]
            rows = self.shares[self.shares["measure"] == name].set_index("driver").loc[drivers]
            colours = ["#c0392b" if s < 0 else "#2471a3" for s in rows["share"]]
            bars = ax.barh(range(len(drivers)), rows["share"], color=colours)
            ax.bar_label(bars, [f"{p + 0.0:.0f} %" if np.isfinite(p) else "" for p in rows["share_percent"]],
                         padding=2, fontsize=7)
            ax.margins(x=0.2)
            ax.axvline(0.0, color="black", lw=0.8)
            ax.set_yticks(range(len(drivers)), drivers)
            ax.invert_yaxis()
            unit = "" if total["unit"] == "1" else f" [{total['unit']}]"
            ax.set_title(f"{total['label']}\n{total['reference']:.3g} → {total['patient']:.3g} "
                         f"(Δ {total['change']:+.3g}){unit}", fontsize=9)
            ax.set_xlabel(f"share of the change{unit}", fontsize=8)
            ax.grid(axis="x", alpha=0.3)
        fig.suptitle(f"Mechanism attribution (exact Shapley values): {self.patient} vs {self.reference}", fontsize=10)
        fig.tight_layout()
        if path is not None:
            fig.savefig(path, dpi=120)
            plt.close(fig)
        return fig


def attribute(patient: ParameterSet | str, reference: ParameterSet | str | None = None,
              measures: Sequence[str | Measure] = DEFAULT_MEASURES, *, model: Model | None = None,
              overrides: Mapping[str, float] | None = None, groups: Mapping[str, Sequence[str]] | None = None,
              clamp: Protocol | None = None, solver: str | Any = "batched") -> Attribution:
    """Exact Shapley attribution of ``patient`` − ``reference`` in each measure.

    ``patient`` and ``reference`` are parameter sets or patient preset names (``"t2d"``); the
    reference defaults to :data:`REFERENCE` of the patient's model. ``overrides`` change the
    patient (``--set``). Drivers: each group of ``groups``, then every other parameter in which the
    patient differs from the reference, alone. Basal parameters (the subject's own fasting values,
    e.g. Gb, Ib) are computed, never drivers. ``clamp`` defaults to the standard ``Clamp()``, the
    one ``irsim simulate --protocol clamp`` runs.
    """
    from irsim.models import get_model
    from irsim.protocols import Clamp, Fasting
    from irsim.simulation import Simulation

    patient_set = _parameter_set(patient)
    model = model or get_model(patient_set.model)
    if reference is None:
        if model.name not in REFERENCE:
            raise InputError("reference", None, reason=f"model {model.name} has no default reference subject",
                             allowed="a patient preset or parameter set of the same model")
        reference = REFERENCE[model.name]
    reference_set = _parameter_set(reference, patient_set.model)
    if reference_set.model != patient_set.model:
        raise InputError("reference", _label(reference), reason=f"is a subject of model {reference_set.model}, "
                         f"the patient of {patient_set.model}", allowed=f"a subject of {patient_set.model}")
    chosen = list({m.name: m for m in map(_measure, measures)}.values())  # each once
    if not chosen:
        raise InputError("measures", "[]", allowed=", ".join(MEASURES))
    protocol = (clamp or Clamp()) if any(m.clamp for m in chosen) else Fasting(duration_min=1.0)

    for pset in (patient_set, reference_set):
        if pset.initial_state:
            raise InputError("subject", pset.name, reason="starts from a fixed initial state, not its fasting "
                             "steady state", allowed="a parameter set without initial_state")
    patient_values = Simulation(model, patient_set, protocol, overrides=overrides).params
    reference_values = Simulation(model, reference_set, protocol).params
    drivers = _drivers(model, patient_values, reference_values, groups or {})

    k = len(drivers)
    bits = (np.arange(2 ** k)[:, None] >> np.arange(k)) & 1 == 1  # coalition × driver: at the patient's value
    population = {name: np.where(bits[:, j], patient_values[name], reference_values[name])
                  for j, members in enumerate(drivers.values()) for name in members}
    sim = Simulation(model, reference_set, protocol, overrides=population, solver=solver)
    try:
        result = sim.solve(variables=sim.check_variables(list(dict.fromkeys(v for m in chosen for v in m.variables))))
    except SolverError as exc:  # "patient 5" means nothing here: name the mixed subject
        moved = [d for j, d in enumerate(drivers) if bits[exc.patients[0], j]] if exc.patients else []
        raise type(exc)(f"{str(exc).split(' (patient')[0]} for the reference with the patient's "
                        f"{', '.join(moved) or 'nothing'} (coalition {exc.patients[:1]} of {2 ** k})",
                        time_min=exc.time_min) from exc
    values = {m.name: np.broadcast_to(np.asarray(m.value(result), dtype=float), (2 ** k,)) for m in chosen}
    notes = _clamp_notes(result, protocol, bits) if protocol.name == "clamp" else ()
    return _tables((_label(patient), _label(reference), model.name, protocol.description), drivers, bits, chosen,
                   values, notes)


def shapley_values(values: np.ndarray, k: int) -> np.ndarray:
    """Exact Shapley values of k players from ``values[c]``, the worth of coalition ``c`` (a bit
    mask: bit j set = player j in), as φ_j = Σ_{S ∌ j} |S|!(k−|S|−1)!/k! · (v(S ∪ j) − v(S))."""
    c = np.arange(2 ** k)
    size = np.array([bin(x).count("1") for x in c])
    weight = np.array([math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) if s < k else 0.0
                       for s in range(k + 1)])
    phi = np.empty(k)
    for j in range(k):
        without = c[(c >> j) & 1 == 0]
        phi[j] = np.sum(weight[size[without]] * (values[without | (1 << j)] - values[without]))
    return phi


def _parameter_set(subject: ParameterSet | str, model_name: str | None = None) -> ParameterSet:
    """A parameter set, a patient preset by name, or a parameter set of ``model_name`` by name."""
    if isinstance(subject, ParameterSet):
        return subject
    from irsim.patients import PATIENTS, get_patient

    if model_name is not None and subject not in PATIENTS:
        from irsim.models import get_parameter_set

        return get_parameter_set(model_name, subject)
    return get_patient(subject).parameter_set


def _label(subject: ParameterSet | str) -> str:
    return subject if isinstance(subject, str) else subject.name


def _measure(measure: str | Measure) -> Measure:
    if isinstance(measure, Measure):
        return measure
    if measure not in MEASURES:
        raise UnknownNameError("measure", measure, MEASURES)
    return MEASURES[measure]


def _drivers(model: Model, patient: Mapping[str, Any], reference: Mapping[str, Any],
             groups: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """Named groups, then each other parameter that differs, alone; basal parameters never."""
    declared = model.parameters
    basal = {p for b in model.blocks for p in b.basal}
    owner: dict[str, str] = {}
    for group, members in groups.items():
        if not members:
            raise InputError(f"group {group}", "[]", reason="has no parameters", allowed="one or more parameters")
        for name in members:
            if name not in declared:
                raise UnknownNameError(f"parameter of model {model.name} (group {group})", name, declared)
            if name in basal:
                raise InputError(f"group {group}", name, reason="is a basal parameter (the subject's own fasting "
                                 "value, computed from the steady state), not a driver",
                                 allowed=f"parameters other than {', '.join(sorted(basal))}")
            if name in owner:
                raise InputError(f"group {group}", name, reason=f"is already in group {owner[name]}",
                                 allowed="each parameter in one group at most")
            owner[name] = group
    clash = [g for g, members in groups.items() if g in declared and g not in members]
    if clash:
        raise InputError("group", clash[0], reason="is the name of another parameter",
                         allowed="a group name that is not a parameter name, or a group holding that parameter")
    singles = [n for n in declared
               if n not in owner and n not in basal and not np.array_equal(patient[n], reference[n])]
    drivers = {**{g: tuple(members) for g, members in groups.items()}, **{n: (n,) for n in singles}}
    if len(drivers) > MAX_DRIVERS:
        raise InputError("drivers", len(drivers), reason=f"{len(drivers)} drivers need 2^{len(drivers)} coalitions "
                         f"({', '.join(singles[:8])}{', …' if len(singles) > 8 else ''} differ)",
                         allowed=f"at most {MAX_DRIVERS}: group parameters, e.g. --group liver=kp1,kp2,kp3,kp4")
    return drivers


def _clamp_notes(result: Result, protocol: Protocol, bits: np.ndarray) -> tuple[str, ...]:
    """A clamp whose glucose is off target over the M window measures no steady state: say where."""
    from irsim.analysis.summary import MEASURES as SUMMARIES

    target = protocol.settings["target_mg_dl"]
    off = np.flatnonzero(np.abs(SUMMARIES["clamp"](result)["clamp_glucose_mg_dl"] - target) > 0.05 * target)
    if not off.size:
        return ()
    return (f"in {off.size} of {bits.shape[0]} coalitions the clamp glucose over the M window is more than 5 % "
            f"from its {target:g} mg/dL target: their M is not a clamped steady state (raise the insulin rate or "
            "the duration)",)


def _tables(labels: tuple[str, str, str, str], drivers: Mapping[str, tuple[str, ...]], bits: np.ndarray,
            measures: Sequence[Measure], values: Mapping[str, np.ndarray], notes: tuple[str, ...]) -> Attribution:
    import pandas as pd

    k = len(drivers)
    rows, totals = [], {}
    for m in measures:
        v = values[m.name]
        change = v[-1] - v[0]  # the last coalition holds every driver: the patient
        totals[m.name] = {"label": m.label, "unit": m.unit, "reference": v[0], "patient": v[-1], "change": change}
        for driver, share in zip(drivers, shapley_values(v, k)):
            percent = 100.0 * share / change if change != 0 else math.nan
            rows.append({"driver": driver, "measure": m.name, "share": share, "share_percent": percent,
                         "unit": m.unit})
    coalitions = pd.DataFrame({**{d: bits[:, j] for j, d in enumerate(drivers)}, **values})
    coalitions.index.name = "coalition"
    shares = pd.DataFrame(rows, columns=["driver", "measure", "share", "share_percent", "unit"])
    return Attribution(*labels, dict(drivers), shares, pd.DataFrame.from_dict(totals, orient="index"),
                       coalitions, notes)
