"""Ready-made clinical protocols, readable as sentences: ``OGTT(glucose_g=75)``, ``Clamp(insulin_mU_m2_min=80)``.

Clinical units are converted once, here: grams of glucose → mg into the stomach; g/kg → mg/kg into
plasma; U/kg of insulin → pmol/kg (1 mU = 6 pmol, irsim's 6.0 convention); mU/m²/min → pmol/kg/min
through body surface area (Mosteller 1987) and the model's body weight BW.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from irsim.errors import InputError, UnknownNameError
from irsim.protocols.base import MAX_DURATION_MIN, Controller, Dose, Infusion, Protocol, check_positive
from irsim.units import INSULIN_PMOL_PER_UU

PMOL_PER_MU = INSULIN_PMOL_PER_UU  # 1 µU/mL = 6 pmol/L  ⇔  1 mU = 6 pmol
DEFAULT_BW_KG = 70.0  # only for models without a BW parameter (minimal model)
#: plausibility bounds (a value beyond them is most often a unit mistake): 300 g for an OGTT (75 g
#: standard, 100 g in pregnancy), 500 g of carbohydrate in one meal, 1 g/kg of IV glucose (FSIGT 0.3),
#: 1 U/kg of IV insulin (insulin-modified FSIGT 0.02–0.05), 2000 mU/m²/min of clamp insulin (dose–
#: response clamps reach 1000–2000), clamp targets 40–400 mg/dL (hypo- to hyperglycaemic clamps)
MAX_MEAL_G = 500.0
#: the indices an OGTT's summary computes (see irsim.analysis.summary): HOMA1, QUICKI, Matsuda,
#: insulinogenic index, oral disposition index, Stumvoll phases
OGTT_INDEX_SOURCES = ("Matthews1985", "Katz2000", "Matsuda1999", "Seltzer1967", "Utzschneider2009", "Stumvoll2000")
FSIGT_SAMPLES = (0, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 19, 22, 25, 30, 40, 50, 60, 70, 80, 90, 100, 120, 140, 160, 180)
OGTT_SAMPLES = (0, 30, 60, 90, 120)


def Fasting(duration_min: float = 1440.0) -> Protocol:
    """No food, no infusion: a model started at its steady state must stay there."""
    return Protocol("fasting", f"fasting for {duration_min:g} min", check_positive("duration_min", duration_min, "min", upper=MAX_DURATION_MIN),
                    sample_times_min=(0.0,), measures=("fasting",))


def OGTT(glucose_g: float = 75.0, duration_min: float = 180.0) -> Protocol:
    """Oral glucose tolerance test: ``glucose_g`` of glucose at t = 0, samples 0/30/60/90/120 min."""
    grams = check_positive("glucose_g", glucose_g, "g", upper=300.0)
    return Protocol(
        "ogtt", f"{grams:g} g oral glucose tolerance test", check_positive("duration_min", duration_min, "min", upper=MAX_DURATION_MIN),
        doses=(Dose(0.0, "oral_glucose_mg", grams * 1000.0, f"{grams:g} g glucose"),),
        sample_times_min=OGTT_SAMPLES, measures=("fasting", "excursion", "ogtt"),
        citations=OGTT_INDEX_SOURCES, settings={"glucose_g": grams},
    )


#: how long a meal protocol runs past its last meal unless told: 7 h, the span of Dalla Man 2007's meal data
AFTER_LAST_MEAL_MIN = 420.0


def Meal(carbs_g: float | Sequence[float] = 78.0, times_min: float | Sequence[float] = 0.0,
         duration_min: float | None = None) -> Protocol:
    """Mixed meal(s): carbohydrate grams eaten at the given times (minutes from the start).

    ``duration_min`` defaults to 7 h after the last meal.
    """
    grams = np.atleast_1d(np.asarray(carbs_g, dtype=float))
    times = np.atleast_1d(np.asarray(times_min, dtype=float))
    if grams.size != times.size:
        raise InputError("times_min", [float(t) for t in times], reason=f"{times.size} times for {grams.size} meal{'s' * (grams.size != 1)}")
    for g in grams:
        check_positive("carbs_g", g, "g", upper=MAX_MEAL_G)
    for t in times:
        check_positive("times_min", t, "min", allow_zero=True)
    if duration_min is None:
        duration_min = float(times.max()) + AFTER_LAST_MEAL_MIN
    duration = check_positive("duration_min", duration_min, "min", upper=MAX_DURATION_MIN)
    for t in times:
        if t >= duration:
            raise InputError("times_min", t, unit="min", reason="not before the end of the protocol",
                             allowed=f"0 ≤ time < duration_min ({duration:g} min)")
    doses = tuple(Dose(float(t), "oral_glucose_mg", float(g) * 1000.0, f"meal {g:g} g") for g, t in zip(grams, times))
    text = ", ".join(f"{g:g} g at {t:g} min" for g, t in zip(grams, times))
    return Protocol("meal", f"mixed meal: {text}", duration, doses=doses, sample_times_min=tuple(times),
                    measures=("fasting", "excursion"), settings={"carbs_g": grams.tolist()})


def DailyLife(days: int = 1, meals: Sequence[tuple[str, float]] = (("08:00", 45.0), ("12:00", 70.0), ("20:00", 70.0))
              ) -> Protocol:
    """Normal daily life: the same meals (clock time, carbohydrate g) every day, from midnight.

    Default: breakfast 45 g at 08:00, lunch 70 g at 12:00, dinner 70 g at 20:00 — the daily-life
    scenario of Dalla Man 2007 (Section IV; amounts as recalled from the paper's figure, documented
    assumption).
    """
    if not isinstance(days, (int, np.integer)) or days < 1:
        raise InputError("days", days, unit="days", allowed="an integer ≥ 1")
    clock = []
    for when, grams in meals:
        try:
            hh, mm = (int(x) for x in str(when).split(":"))
            assert 0 <= hh < 24 and 0 <= mm < 60
        except (ValueError, AssertionError):
            raise InputError("meal clock time", when, allowed="HH:MM, 00:00 to 23:59") from None
        clock.append((hh * 60 + mm, check_positive("carbs_g", grams, "g", upper=MAX_MEAL_G)))
    doses = tuple(Dose(day * 1440.0 + t, "oral_glucose_mg", g * 1000.0, f"day {day + 1} {t // 60:02d}:{t % 60:02d} {g:g} g")
                  for day in range(days) for t, g in sorted(clock))
    return Protocol("day", f"{days} day(s) of daily life, {len(clock)} meals a day", days * 1440.0, doses=doses,
                    sample_times_min=tuple(d.time_min for d in doses), measures=("fasting", "excursion", "daily"),
                    citations=("DallaMan2007", "Nathan2008"), settings={"days": days})


def IVGTT(glucose_g_per_kg: float = 0.3, insulin_modified: bool = False, insulin_u_per_kg: float = 0.03,
          insulin_time_min: float = 20.0, duration_min: float = 180.0, injection_min: float = 1.0) -> Protocol:
    """Frequently sampled intravenous glucose tolerance test (Bergman 1979; Pacini & Bergman 1986).

    Glucose bolus at t = 0, injected over ``injection_min`` (1 min, as in practice: an instantaneous
    jump would hide the glucose rise from secretion driven by its rate of change; 0 gives the jump).
    The insulin-modified variant adds an insulin bolus (default 0.03 U/kg) at 20 min. Samples on the
    standard FSIGT schedule.
    """
    g = check_positive("glucose_g_per_kg", glucose_g_per_kg, "g/kg", upper=1.0)
    inject = check_positive("injection_min", injection_min, "min", allow_zero=True, upper=30.0)
    label = f"{g:g} g/kg IV glucose"
    doses = [] if inject else [Dose(0.0, "iv_glucose_mg_kg", g * 1000.0, label)]
    infusions = (Infusion(0.0, inject, "glucose_infusion", g * 1000.0 / inject, label),) if inject else ()
    duration = check_positive("duration_min", duration_min, "min", upper=MAX_DURATION_MIN)
    if insulin_modified:
        u = check_positive("insulin_u_per_kg", insulin_u_per_kg, "U/kg", upper=1.0)
        t_ins = check_positive("insulin_time_min", insulin_time_min, "min")
        if t_ins >= duration:
            raise InputError("insulin_time_min", t_ins, unit="min", reason="not before the end of the protocol",
                             allowed=f"0 < time < duration_min ({duration:g} min)")
        doses.append(Dose(t_ins, "iv_insulin_pmol_kg", u * 1000.0 * PMOL_PER_MU, f"{u:g} U/kg IV insulin"))
    return Protocol("ivgtt", ("insulin-modified " if insulin_modified else "") + f"FSIGT, {g:g} g/kg glucose",
                    duration, doses=tuple(doses), infusions=infusions,
                    sample_times_min=tuple(t for t in FSIGT_SAMPLES if t <= duration),
                    measures=("fasting", "excursion", "ivgtt"), citations=("Bergman1979", "PaciniBergman1986"),
                    settings={"glucose_g_per_kg": g, "insulin_modified": insulin_modified})


def _body_weight(params):
    return params.get("BW", DEFAULT_BW_KG)


def Clamp(insulin_mU_m2_min: float = 80.0, target_mg_dl: float = 90.0, duration_min: float = 180.0,
          height_cm: float = 170.0, prime: bool = True, period_min: float = 5.0, m_window_min: float = 30.0) -> Protocol:
    """Hyperinsulinaemic–euglycaemic clamp (DeFronzo, Tobin & Andres 1979).

    The defaults are irsim's one standard clamp (``irsim simulate --protocol clamp``, ``irsim
    explain``, the presets' M-values). 180 min, M over the last 30: DeFronzo's clamp lasted 120 min,
    but insulin action keeps rising for hours in insulin-resistant subjects (Prager, Wallace &
    Olefsky 1986), so clamps of them commonly run 180 min. 80 mU/m²/min: the rate is chosen by the
    plasma insulin it reaches, not copied — Dalla Man's insulin kinetics clear infused insulin faster
    than people do, and 80 gives ≈520 pmol/L (≈87 µU/mL), the level published 40 mU/m²/min clamps
    reach (≈100 µU/mL, DeFronzo 1979); 40 gives only ≈265 pmol/L. M still rises after 180 min in
    this model (docs/clinical.md, "Clamp length").

    Insulin is infused at ``insulin_mU_m2_min`` (body surface area by Mosteller from ``height_cm``
    and the model's BW), after a 10-min prime that decreases stepwise (2-min steps at 4, 3, 2, 1.5
    and 1.25 times the rate — an approximation of DeFronzo's logarithmically decreasing prime).
    Every ``period_min`` plasma glucose is "measured" and the glucose infusion rate (GIR) reset by a
    documented feedback rule in the spirit of DeFronzo's algorithm:

        GIR ← max(0, GIR·target/G + ½·VG·(target − G)/period)

    — the proportional term rescales the rate in force by how far glucose is from target, the second
    corrects half of the glucose-space deficit over the next period (VG: the model's glucose
    distribution volume, 1.88 dL/kg if it has none). The M-value is the mean GIR over the last
    ``m_window_min`` minutes, in mg/kg/min.
    """
    rate = check_positive("insulin_mU_m2_min", insulin_mU_m2_min, "mU/m²/min", upper=2000.0)
    target = check_positive("target_mg_dl", target_mg_dl, "mg/dL", lower=40.0, upper=400.0)
    duration = check_positive("duration_min", duration_min, "min", upper=MAX_DURATION_MIN)
    height = check_positive("height_cm", height_cm, "cm")
    period = check_positive("period_min", period_min, "min", upper=60.0)
    window = check_positive("m_window_min", m_window_min, "min")
    if not 50.0 <= height <= 250.0:
        raise InputError("height_cm", height, unit="cm", allowed="50 to 250 cm")
    if window > duration:
        raise InputError("m_window_min", window, unit="min", allowed=f"≤ duration_min ({duration:g} min)")

    def pmol_kg_min(factor):
        def rate_of(params):
            bw = _body_weight(params)
            bsa = np.sqrt(height * bw / 3600.0)  # Mosteller 1987, m²
            return factor * rate * PMOL_PER_MU * bsa / bw
        return rate_of

    steps = [(0, 2, 4.0), (2, 4, 3.0), (4, 6, 2.0), (6, 8, 1.5), (8, 10, 1.25)] if prime else []
    start_constant = 10.0 if prime else 0.0
    infusions = [Infusion(a, b, "insulin_infusion", pmol_kg_min(f), f"prime ×{f:g}") for a, b, f in steps]
    infusions.append(Infusion(start_constant, duration, "insulin_infusion", pmol_kg_min(1.0),
                              f"insulin {rate:g} mU/m²/min"))

    def update(t, v, previous, params):
        g = np.maximum(v["G"], 1.0)
        vg = params.get("VG", 1.88)
        return np.maximum(0.0, previous * target / g + 0.5 * vg * (target - g) / period)

    controller = Controller("glucose_infusion", 0.0, duration, period, update, f"glucose clamp at {target:g} mg/dL")
    return Protocol("clamp", f"hyperinsulinaemic–euglycaemic clamp, {rate:g} mU/m²/min insulin for {duration:g} min, "
                    f"target {target:g} mg/dL, M over the last {window:g} min",
                    duration, infusions=tuple(infusions), controllers=(controller,),
                    sample_times_min=tuple(np.arange(0.0, duration + 1e-9, period)), measures=("fasting", "clamp"),
                    citations=("DeFronzo1979",),
                    settings={"insulin_mU_m2_min": rate, "target_mg_dl": target, "m_window_min": window})


PROTOCOLS = {
    "fasting": (Fasting, "no food for a day: the fasting steady state and its stability"),
    "ogtt": (OGTT, "oral glucose tolerance test, 75 g by default, samples at 0/30/60/90/120 min"),
    "meal": (Meal, "mixed meal(s): carbohydrate grams at given times"),
    "day": (DailyLife, "daily life: three meals a day over N days"),
    "ivgtt": (IVGTT, "frequently sampled IV glucose tolerance test (0.3 g/kg), optionally insulin-modified"),
    "clamp": (Clamp, "hyperinsulinaemic–euglycaemic clamp with feedback glucose infusion; M-value"),
}


def protocol_from_name(name: str, **options) -> Protocol:
    """Build a ready-made protocol by name; options left ``None`` are not given.

    An option the protocol does not take is refused, not ignored (an OGTT has no ``carbs_g``).
    """
    import inspect

    if name not in PROTOCOLS:
        raise UnknownNameError("protocol", name, PROTOCOLS)
    factory = PROTOCOLS[name][0]
    accepted = inspect.signature(factory).parameters
    given = {k: v for k, v in options.items() if v is not None}
    foreign = sorted(set(given) - set(accepted))
    if foreign:
        raise InputError(foreign[0], given[foreign[0]], reason=f"is not an option of the {name} protocol",
                         allowed=", ".join(accepted) or "no options")
    return factory(**given)
