"""Indices against worked examples from their sources, and invariants of their formulas.

Worked examples (a published input set with its published result) exist for HOMA1, Matsuda,
the insulinogenic index, OGIS and QUICKI (the last from a calculator page, not from Katz 2000).
For the others none was found in the sources or anywhere reachable, and they are tested by
formula identities, slopes and unit checks only:

* Stumvoll 2000 (1st/2nd phase, ISI): none found — the paper prints equations and group
  statistics of the measured clamp values, no example subject; coefficients agree with the
  secondary transcriptions named in docs/clinical.md.
* Oral disposition index (Utzschneider 2009): none found — only group medians, which do not
  pin a ratio of per-subject values; Oh 2015's group values pin the unit (L/mmol).
* TyG (Simental-Mendía 2008): none found with inputs; the source's published cut-offs lie on
  the ln(TG·FPG)/2 scale, not on the ln(TG·FPG/2) scale of its printed formula (test below).
* Clamp M and M/I (DeFronzo 1979): none found — the definition is a time average and a ratio.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from irsim.analysis import indices as ix
from irsim.errors import InputError
from irsim.units import MOLAR_MASS_G_PER_MOL

MMOL = MOLAR_MASS_G_PER_MOL["glucose"] / 10.0  # mg/dL per mmol/L (irsim.units convention)
UU = 6.0  # pmol/L per µU/mL (irsim.units convention)

# Matsuda reference OGTT (shared/refs/clinical/indices.json; JMLuther/tabletools, checked there
# against the Matsuda online calculator): glucose mg/dL, insulin µU/mL at 0..120 min
T = [0, 30, 60, 90, 120]
G = np.array([[93, 129, 178, 164, 97.0]])
I_UU = np.array([[12.8, 30.7, 68.5, 74.1, 44.0]])

glucose = st.floats(60, 400)  # mg/dL
insulin = st.floats(6, 1500)  # pmol/L


def test_homa1_calibration_point_matthews_1985():
    # G 4.5 mmol/L and I 5 µU/mL define HOMA1-IR 1 and %B 100 (Matthews 1985; Levy 1998)
    assert ix.homa1_ir(4.5 * MMOL, 5 * UU) == pytest.approx(1.0)
    assert ix.homa1_b(4.5 * MMOL, 5 * UU) == pytest.approx(100.0)


def test_homa1_ir_gutch_2015_example():
    # G 100 mg/dL, I 5 µU/mL → 1.23 (Gutch 2015 via tabletools); printed to 2 decimals
    assert round(float(ix.homa1_ir(100, 5 * UU)), 2) == 1.23


def test_homa1_b_undefined_below_3_5_mmol_l():
    assert np.isnan(ix.homa1_b(3.4 * MMOL, 60))
    assert np.isfinite(ix.homa1_b(3.6 * MMOL, 60))


def test_matsuda_both_mean_conventions_reference_example():
    assert ix.matsuda(T, G, I_UU * UU, mean="arithmetic")[0] == pytest.approx(3.716, abs=5e-4)
    assert ix.matsuda(T, G, I_UU * UU, mean="trapezoid")[0] == pytest.approx(3.431, abs=5e-4)


@pytest.mark.parametrize("kept, expected", [((0, 30, 60, 120), 3.68), ((0, 30, 120), 4.72),
                                            ((0, 60, 120), 3.56), ((0, 120), 5.58)])
def test_matsuda_auc_reduced_time_points(kept, expected):
    # DeFronzo & Matsuda 2010 reduced-sample variants; values from the tabletools documentation
    mask = np.isin(T, kept)
    g = np.where(mask, G, np.nan)
    assert ix.matsuda(T, g, I_UU * UU, mean="trapezoid")[0] == pytest.approx(expected, abs=0.005)


def test_matsuda_needs_fasting_sample():
    with pytest.raises(InputError, match="times_min"):
        ix.matsuda([30, 60], G[:, 1:3], I_UU[:, 1:3])
    g = G.copy()
    g[0, 0] = np.nan
    assert np.isnan(ix.matsuda(T, g, I_UU * UU)[0])


@given(st.floats(60, 300), st.floats(10, 600))
def test_matsuda_conventions_agree_on_flat_curves(g, i):
    flat_g, flat_i = np.full((1, 5), g), np.full((1, 5), i)
    a = ix.matsuda(T, flat_g, flat_i, mean="arithmetic")[0]
    assert a == pytest.approx(ix.matsuda(T, flat_g, flat_i, mean="trapezoid")[0])
    assert a == pytest.approx(10_000 / (g * i / UU))


def test_insulinogenic_index_reference_example():
    # (I30 − I0)/(G30 − G0) = 8.95 µU/mL per mmol/L with 18 mg/dL per mmol/L (tabletools doc)
    igi = ix.insulinogenic_index(93, 129, 12.8 * UU, 30.7 * UU)
    assert igi / UU == pytest.approx(8.95, rel=2e-3)  # 18 vs 18.0156 mg/dL per mmol/L


@given(glucose, st.floats(1, 100), insulin, insulin, st.floats(0.1, 10))
def test_oral_di_does_not_depend_on_insulin_unit(g0, rise, i0, i30, factor):
    di = ix.oral_disposition_index(g0, g0 + rise, i0, i30)
    assert ix.oral_disposition_index(g0, g0 + rise, i0 * factor, i30 * factor) == pytest.approx(di)
    assert di == pytest.approx(ix.insulinogenic_index(g0, g0 + rise, i0, i30) / i0)


def test_igi_undefined_when_glucose_flat():
    assert np.isnan(ix.insulinogenic_index(100, 100, 60, 300))


@given(glucose, insulin)
def test_quicki_is_a_transform_of_homa1_ir(g, i):
    # QUICKI = 1/log10(G[mg/dL]·I[µU/mL]) and HOMA1-IR = G·I/(22.5·MMOL), so one determines the other
    assert ix.quicki(g, i) == pytest.approx(1 / np.log10(ix.homa1_ir(g, i) * 22.5 * MMOL))


@pytest.mark.parametrize("g0_mg_dl, i0_uu, expected", [(103, 15, 0.3136), (95, 8, 0.3471)])
def test_quicki_calculator_worked_examples(g0_mg_dl, i0_uu, expected):
    # onlycalculators.com/health/diabetes/quicki-calculator/ (Katz 2000 formula): "Worked example"
    # I 15 µU/mL, G 103 mg/dL -> 1/3.1889 = 0.3136, and its default I 8, G 95 -> 0.3471 (4 decimals).
    # Katz 2000 itself gives no example subject, only group means of the index.
    assert round(float(ix.quicki(g0_mg_dl, i0_uu * UU)), 4) == expected


def test_quicki_katz_2000_order_of_groups():
    # Katz 2000 group means: normal 0.382 > obese 0.331 > T2D 0.304; fasting values typical of each
    normal, obese, t2d = ix.quicki(np.array([88, 95, 160]), np.array([5, 15, 20]) * UU)
    assert normal == pytest.approx(0.382, abs=0.02) and obese == pytest.approx(0.331, abs=0.02)
    assert t2d == pytest.approx(0.304, abs=0.02)


@given(st.floats(30, 1000), glucose)
def test_tyg_definition(tg, g):
    # Simental-Mendía 2008: ln(TG·FPG/2), both mg/dL; doubling TG adds ln 2
    assert ix.tyg(tg, g) == pytest.approx(np.log(tg * g / 2))
    assert ix.tyg(2 * tg, g) - ix.tyg(tg, g) == pytest.approx(np.log(2))


def test_tyg_source_cutoffs_are_on_the_halved_scale():
    # Simental-Mendía 2008 (abstract: best cut-off "Ln 4.65") and Guerrero-Romero 2010 (JCEM
    # 95:3347, abstract: 4.68) print the formula Ln[TG·FPG/2] (mg/dL), but no fasting values
    # reach 4.7 on that scale: TG 30 and FPG 60 mg/dL already give ln(900) = 6.8. Their cut-offs
    # are ln(TG·FPG)/2 = (TyG + ln 2)/2, the form Salazar 2017 (F1000Research 6:1337) states and
    # Hosseini 2017 (J Clin Basic Res 1:11) identifies; irsim keeps the printed formula, on which
    # later cut-offs (8.5-9) are based, so 4.68 corresponds to an irsim TyG of 2·4.68 − ln 2 = 8.67.
    assert ix.tyg(30, 60) > 6.8
    tg, fpg = 116.0, 100.0  # TG·FPG = 11 600, the product at the 4.68 boundary
    assert (ix.tyg(tg, fpg) + np.log(2)) / 2 == pytest.approx(4.68, abs=5e-3)
    assert ix.tyg(tg, fpg) == pytest.approx(2 * 4.68 - np.log(2), abs=1e-2)


def test_oral_di_unit_matches_published_group_values():
    # Oh 2015 (Diabetes Metab J 39:147, shared/refs/clinical/indices.json): IGI 116.8 pmol/L per
    # mmol/L and DIo 3.5 in the same NGT group, so DIo is IGI/I0 with I0 in pmol/L (implied
    # I0 ≈ 33 pmol/L, a normal fasting insulin); with I0 in µU/mL DIo would be ~6× larger. Group
    # means of a ratio do not give an exact check, so this pins only the unit (L/mmol).
    g0, i0 = 90.0, 33.0
    g30 = g0 + MMOL * 2.0  # glucose rise 2 mmol/L; insulin rise 2 × 116.8 pmol/L
    di = ix.oral_disposition_index(g0, g30, i0, i0 + 2 * 116.8)
    assert di == pytest.approx(3.5, rel=0.02)


def test_stumvoll_phases_reference_example():
    # Stumvoll 2000 formulas in their own units (pmol/L, mmol/L) on the reference OGTT
    g30, i0, i30 = 129 / MMOL, 12.8 * UU, 30.7 * UU
    assert ix.stumvoll_first_phase(129, i0, i30) == pytest.approx(1283 + 1.829 * i30 - 138.7 * g30 + 3.772 * i0)
    assert ix.stumvoll_second_phase(129, i0, i30) == pytest.approx(287 + 0.4164 * i30 - 26.07 * g30 + 0.9226 * i0)
    assert ix.stumvoll_isi(24.0, 164, 44 * UU) == pytest.approx(0.226 - 0.0032 * 24 - 0.0000645 * 264 - 0.00375 * 164 / MMOL)


@given(glucose, insulin, insulin, st.floats(1, 100))
def test_stumvoll_first_phase_slope_in_insulin_30(g30, i0, i30, d):
    rise = ix.stumvoll_first_phase(g30, i0, i30 + d) - ix.stumvoll_first_phase(g30, i0, i30)
    assert rise == pytest.approx(1.829 * d)


def test_ogis_reference_example():
    # Mari 2001 OGIS (2-h), example of the tabletools port: G 90/135/115 mg/dL, I 15/150 µU/mL,
    # 170 cm, 70 kg, 75 g → 344.5 mL/min/m²
    assert ix.ogis(90, 135, 115, 15 * UU, 150 * UU, height_cm=170, weight_kg=70) == pytest.approx(344.5, abs=0.05)


def test_ogis_orders_mari_2001_groups():
    # a lean-like response scores higher than a T2D-like one (Mari 2001: 440 vs 239 mL/min/m²)
    lean = ix.ogis(85, 110, 95, 5 * UU, 40 * UU, height_cm=175, weight_kg=68)
    t2d = ix.ogis(160, 280, 260, 15 * UU, 45 * UU, height_cm=175, weight_kg=95)
    assert lean > 400 > 300 > t2d


def test_clamp_m_uses_final_window_and_m_over_i():
    times = [0, 30, 60, 90, 100, 110, 120]
    gir = np.array([[0, 2, 5, 8, 8, 8, 8.0]])  # window = 90–120 min
    assert ix.m_value(times, gir)[0] == pytest.approx(8.0)  # DeFronzo 1979: steady state at the end
    assert ix.m_over_i(8.0, 100 * UU) == pytest.approx(8.0)  # 100 × 8 / 100 µU/mL


def test_impossible_input_names_field_and_unit():
    with pytest.raises(InputError, match=r"insulin_0 = -5.0 pmol/L"):
        ix.homa1_ir(100, -5)
    with pytest.raises(InputError, match="glucose_0"):
        ix.quicki(0, 50)


def test_missing_values_propagate_as_nan():
    out = ix.homa1_ir(np.array([100, np.nan]), np.array([60, 60]))
    assert np.isfinite(out[0]) and np.isnan(out[1])


def _frame(**cols):
    return pd.DataFrame(cols, index=pd.Index([f"s{k}" for k in range(len(next(iter(cols.values()))))],
                                             name="subject_id"))


def test_compute_indices_leaves_out_columns_without_data_and_notes_gaps():
    frame = _frame(glucose_0=[90.0, 95.0], insulin_0=[60.0, np.nan])
    table = ix.compute_indices(frame)
    assert "homa1_ir" in table and "ogis" not in table and "matsuda" not in table
    assert np.isnan(table.loc["s1", "homa1_ir"])
    assert "homa1_ir: no insulin_0" in table.loc["s1", "notes"]
    assert table.loc["s0", "glycaemic_category"] == "normal"
    assert "from FPG only" in table.loc["s0", "notes"]


def test_compute_indices_homa2_columns():
    table = ix.compute_indices(_frame(glucose_0=[5.2 * MMOL], insulin_0=[58.0]))
    # Oxford HOMA2 calculator v2.2.4 grid point (shared/refs/clinical/homa.json): %B 93.0, %S 91.4
    assert table.loc["s0", "homa2_b"] == pytest.approx(93.0, abs=1.0)
    assert table.loc["s0", "homa2_s"] == pytest.approx(91.4, abs=1.0)


def test_compute_indices_homa2_per_subject_measure_and_range_notes():
    """C-peptide is preferred where present; a subject outside the calculator's range gets a note, not an error."""
    from irsim.analysis.homa2 import homa2

    frame = _frame(glucose_0=[5.2 * MMOL, 6.0 * MMOL, 30.0 * MMOL, 5.0 * MMOL],
                   insulin_0=[58.0, 80.0, 60.0, 900.0], cpeptide_0=[np.nan, 0.9, np.nan, np.nan])
    table = ix.compute_indices(frame)
    by_insulin, by_cpeptide = homa2(5.2, 58.0), homa2(6.0, cpeptide_nmol_l=0.9)
    assert table.loc["s0", "homa2_b"] == pytest.approx(float(by_insulin.percent_b), rel=1e-12)
    assert table.loc["s1", "homa2_s"] == pytest.approx(float(by_cpeptide.percent_s), rel=1e-12)
    assert table.loc["s1", "homa2_b"] != pytest.approx(float(homa2(6.0, 80.0).percent_b), rel=1e-3)
    assert np.isnan(table.loc["s2", "homa2_b"]) and np.isnan(table.loc["s3", "homa2_ir"])
    assert "homa2: glucose_mmol_l = 30.0 mmol/L: outside the HOMA2 calculator's range (allowed: 3-25 mmol/L)" in table.loc["s2", "notes"]
    assert "homa2: insulin_pmol_l = 900.0 pmol/L: outside the HOMA2 calculator's range (allowed: 20-400 pmol/L)" in table.loc["s3", "notes"]
    assert table.loc["s3", "notes"].count("homa2") == 1  # one note for the three HOMA2 columns


def test_acute_insulin_response_pacini_bergman_example_by_hand():
    # Pacini & Bergman 1986 FSIGT (shared/refs/clinical): basal 11, then 26, 130, 85, 51, 49 µU/mL at
    # 2-10 min. Increments 15, 119, 74, 40, 38: mean 57.2; trapezoid from basal at 0 min with 2-min
    # steps: 2 × (0/2 + 15 + 119 + 74 + 40 + 38/2) = 534 µU/mL·min.
    t = np.array([0, 2, 4, 6, 8, 10, 12, 14])
    insulin = np.array([11, 26, 130, 85, 51, 49, 45, 41], dtype=float)
    mean, area = ix.acute_insulin_response(t, insulin, 11.0)
    assert mean == pytest.approx(57.2) and area == pytest.approx(534.0)


def test_acute_insulin_response_closes_the_window_and_needs_samples():
    # samples at 3, 5, 8, 12 min: the 0-10 min area is closed by interpolating 8 -> 12 at 10 min
    t, rise = np.array([0.0, 3, 5, 8, 12]), np.array([0.0, 30, 50, 40, 20])
    mean, area = ix.acute_insulin_response(t, rise + 5.0, 5.0)
    assert mean == pytest.approx((30 + 50 + 40) / 3)
    assert area == pytest.approx(1.5 * 30 + 40 * 2 + 45 * 3 + 0.5 * (40 + 30) * 2)
    short = ix.acute_insulin_response(t[:4], rise[:4], 0.0)[1]
    assert np.isnan(short)  # nothing at or after 10 min: the area cannot be closed


@given(st.floats(1, 300), st.floats(0, 50))
def test_acute_insulin_response_area_is_ten_times_a_flat_mean(level, basal):
    # a step to a constant level at the bolus, sampled every minute but at 3 min (not the FSIGT
    # schedule, so every sample counts): area = 10 × mean − the first half-minute
    t = np.delete(np.arange(0.0, 21.0), 3)
    insulin = np.where(t > 0, basal + level, basal)
    mean, area = ix.acute_insulin_response(t, insulin, basal)
    assert mean == pytest.approx(level)
    assert area == pytest.approx(level * 9.5)
    # every minute holds the whole schedule (2, 3, 4, 5, 6, 8, 10): only those count, the area
    # rising from the bolus to the 2-min sample, as on the schedule alone
    t = np.arange(0.0, 21.0)
    insulin = np.where(t > 0, basal + level, basal)
    on_schedule = np.isin(t, [0, *ix.AIRG_SAMPLES_MIN, 12])
    dense = ix.acute_insulin_response(t, insulin, basal)
    assert dense == pytest.approx(ix.acute_insulin_response(t[on_schedule], insulin[on_schedule], basal))
    assert dense[1] == pytest.approx(level * 9.0)


def test_acute_insulin_response_per_subject_columns():
    t = np.array([0.0, 2, 4, 6, 8, 10])
    insulin = np.column_stack([np.linspace(10, 60, 6), np.full(6, 20.0)])
    mean, area = ix.acute_insulin_response(t, insulin, np.array([10.0, 20.0]))
    assert mean.shape == area.shape == (2,) and mean[1] == 0 and area[1] == 0
    assert mean[0] == pytest.approx(np.mean([10, 20, 30, 40, 50]))


def test_a_simulated_ogtt_file_reads_back_to_the_simulators_own_indices(tmp_path):
    """Simulator and clinic agree: the CSV that ``Result.to_csv`` writes (what ``irsim simulate --out``
    writes) is a valid clinical file, one subject named after it, and the fasting and 30-min indices
    computed from it equal the simulator's own summary of the same run."""
    from irsim.analysis.summary import summarize
    from irsim.io.clinical_data import read_clinical_data
    from irsim.patients import get_patient
    from irsim.protocols import protocol_from_name
    from irsim.simulation import Simulation

    patient = get_patient("igt")
    result = Simulation(patient.model, patient.parameter_set, protocol_from_name("ogtt")).solve()
    own = summarize(result).iloc[0]
    table = ix.compute_indices(read_clinical_data(result.to_csv(tmp_path / "igt_ogtt.csv"), warn=False).frame)
    row = table.loc["igt_ogtt"]
    for column, summary_key in (("homa1_ir", "homa1_ir"), ("quicki", "quicki"),
                                ("insulinogenic_index", "insulinogenic_index_pmol_l_per_mmol_l"),
                                ("stumvoll_first_phase", "stumvoll_first_phase_pmol_l")):
        assert row[column] == pytest.approx(own[summary_key], rel=1e-6), column
    assert "IGT" in row["glycaemic_category"]


def test_matsuda_ignores_samples_before_the_load():
    """A pre-load sample (−10 min) is neither G0/I0 nor part of the means (Matsuda 1999: 0–120 min)."""
    g, i = [[90.0, 150, 120]], [[60.0, 360, 240]]
    plain = ix.matsuda([0, 30, 120], g, i)
    with_pre = ix.matsuda([-10, 0, 30, 120], [[200.0, *g[0]]], [[300.0, *i[0]]])
    assert with_pre == pytest.approx(plain)


def test_quicki_is_undefined_where_the_log_sum_is_not_positive():
    assert np.isnan(ix.quicki(100.0, 0.06)[()])  # I0·G0 = 0.01 µU/mL × 100 mg/dL = 1: log sum 0
    assert np.isnan(ix.quicki(100.0, 0.03)[()])  # below 1: the formula would turn negative
    assert ix.quicki(100.0, 60.0) > 0


def test_clamp_m_window_ends_at_each_subjects_own_last_sample():
    t = [60, 90, 120]
    m = ix.m_value(t, np.array([[4.0, 5.0, 6.0], [4.0, 5.0, np.nan]]), window_min=30)
    assert m[0] == pytest.approx(5.5) and m[1] == pytest.approx(4.5)


def test_compute_indices_notes_name_what_is_missing_for_every_empty_cell():
    frame = _frame(glucose_0=[90.0, 95.0, np.nan], insulin_0=[60.0, 70.0, 50.0],
                   glucose_30=[150.0, np.nan, np.nan], insulin_30=[360.0, np.nan, np.nan],
                   gir_100=[5.0, np.nan, 6.0], gir_120=[5.2, np.nan, 6.1],
                   clamp_insulin_100=[np.nan, 600.0, 650.0], clamp_insulin_120=[np.nan, 610.0, 640.0])
    table = ix.compute_indices(frame)
    assert "m_over_i: no clamp_insulin" in table.loc["s0", "notes"]
    assert "m_value: no gir" in table.loc["s1", "notes"] and "m_over_i: no gir" in table.loc["s1", "notes"]
    assert "matsuda: needs a glucose and insulin pair after 0 min" in table.loc["s1", "notes"]
    assert pd.isna(table.loc["s2", "glycaemic_category"])
    assert "glycaemic_category: no glucose_0 or glucose_120 or hba1c" in table.loc["s2", "notes"]
    assert table.loc["s2", "m_over_i"] == pytest.approx(100 * 6.05 / (645 / 6.0))


def test_matsuda_note_for_a_lone_subject_with_a_reduced_schedule():
    """Fewer samples than 0-30-60-90-120 change the index (DeFronzo & Matsuda 2010): say so, even alone."""
    frame = _frame(glucose_0=[90.0], glucose_30=[150.0], glucose_120=[120.0],
                   insulin_0=[60.0], insulin_30=[360.0], insulin_120=[240.0])
    assert "matsuda, matsuda_auc: from the samples at 0, 30, 120 min only" in ix.compute_indices(frame).loc["s0", "notes"]


def test_a_glucose_fall_over_0_30_min_is_noted_on_igi_and_oral_di():
    frame = _frame(glucose_0=[100.0, 100.0], glucose_30=[150.0, 95.0], insulin_0=[60.0, 60.0], insulin_30=[300.0, 200.0])
    table = ix.compute_indices(frame)
    assert table.loc["s1", "insulinogenic_index"] < 0  # reported as computed ...
    assert "glucose fell over 0–30 min" in table.loc["s1", "notes"]  # ... and flagged
    assert "glucose fell" not in table.loc["s0", "notes"]
