"""Import of wide and long CSV/Excel files: unit conversion, layout detection, bad-cell reports."""

import warnings

import numpy as np
import pandas as pd
import pytest

from irsim.io.clinical_data import (
    ClinicalDataError,
    ClinicalDataWarning,
    from_dataframe,
    read_clinical_data,
    read_samples,
)

MMOL = 18.0156  # mg/dL per mmol/L glucose (irsim.units)

WIDE = """subject_id,sex,glucose_0_mmol_l,glucose_30_mg_dl,insulin_0_uu_ml,insulin_30_pmol_l,hba1c_mmol_mol,waist_cm
A,F,5.0,140,10,300,48,80
B,male,6.1,abc,12,360,,95
C,X,5.5,150,9999,200,42,
"""


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_wide_units_are_converted_to_canonical(tmp_path):
    data = read_clinical_data(write(tmp_path, WIDE), warn=False)
    f = data.frame
    assert list(f.index) == ["A", "B", "C"]
    assert f.loc["A", "glucose_0"] == pytest.approx(5.0 * MMOL)
    assert f.loc["A", "insulin_0"] == pytest.approx(60.0)  # 10 µU/mL × 6.0
    assert f.loc["A", "hba1c"] == pytest.approx(0.09148 * 48 + 2.152)  # IFCC → NGSP (Hoelzel 2004)
    assert f.loc["B", "sex"] == "M" and data.report.layout == "wide"


def test_bad_cells_are_reported_and_the_rest_is_kept(tmp_path):
    data = read_clinical_data(write(tmp_path, WIDE), warn=False)
    issues = {(i.row, i.column): i for i in data.report.issues}
    assert set(issues) == {(3, "glucose_30_mg_dl"), (4, "sex"), (4, "insulin_0_uu_ml")}
    assert issues[3, "glucose_30_mg_dl"].value == "abc" and "not a number" in issues[3, "glucose_30_mg_dl"].reason
    assert "plausible range" in issues[4, "insulin_0_uu_ml"].reason
    f = data.frame
    assert np.isnan(f.loc["B", "glucose_30"]) and f.loc["B", "glucose_0"] == pytest.approx(6.1 * MMOL)
    assert np.isnan(f.loc["C", "insulin_0"]) and pd.isna(f.loc["C", "sex"])
    assert "row 3 (subject B), column 'glucose_30_mg_dl': 'abc'" in data.report.messages()[0]


def test_issues_are_issued_as_warnings(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_clinical_data(write(tmp_path, WIDE))
    assert sum(issubclass(w.category, ClinicalDataWarning) for w in caught) == 3


def test_long_layout_gives_the_same_table(tmp_path):
    long = "\n".join([
        "subject_id,time_min,analyte,value,unit",
        "A,,sex,F,", "A,0,glucose,5.0,mmol/L", "A,30,glucose,140,mg/dL", "A,0,insulin,10,uU/mL",
        "A,30,insulin,300,pmol/L", "A,,hba1c,48,mmol/mol", "A,,waist,80,cm",
    ])
    a = read_clinical_data(write(tmp_path, long), warn=False)
    wide = read_clinical_data(write(tmp_path, WIDE, "w.csv"), warn=False).frame.loc[["A"]]
    assert a.report.layout == "long" and not a.report.issues
    pd.testing.assert_frame_equal(a.frame[sorted(wide.columns)], wide[sorted(wide.columns)], check_dtype=False)


def test_long_layout_reports_bad_rows(tmp_path):
    long = "subject_id,time_min,analyte,value,unit\nA,0,glucose,5,mmol/L\nA,0,glucose,5.2,mmol/L\nA,0,leptin,3,ng/mL\n"
    data = read_clinical_data(write(tmp_path, long), warn=False)
    reasons = [(i.row, i.reason) for i in data.report.issues]
    assert (3, "repeats glucose at 0 min of this subject (row 2, column 'value': '5') with a different value") in reasons
    assert any(row == 4 and "not a known analyte" in why for row, why in reasons)
    assert data.frame.loc["A", "glucose_0"] == pytest.approx(5 * MMOL)  # the first value is kept


def test_excel_is_read_like_csv(tmp_path):
    csv = read_clinical_data(write(tmp_path, WIDE), warn=False).frame
    path = tmp_path / "data.xlsx"
    pd.read_csv(write(tmp_path, WIDE), dtype=str, keep_default_na=False).to_excel(path, index=False)
    pd.testing.assert_frame_equal(read_clinical_data(path, warn=False).frame, csv)


def test_same_quantity_in_two_units_fills_gaps_and_flags_disagreement():
    raw = pd.DataFrame({"subject_id": ["A", "B", "C"], "insulin_0_pmol_l": ["60", "", "60"],
                        "insulin_0_uu_ml": ["10", "12", "20"]})
    data = from_dataframe(raw)
    assert list(data.frame["insulin_0"]) == pytest.approx([60, 72, 60])
    assert [(i.row, i.column) for i in data.report.issues] == [(4, "insulin_0_uu_ml")]


@pytest.mark.parametrize("text, match", [
    ("id,glucose_0_mmol_l\n1,5\n2,6\n", "no 'subject_id' column"),  # several wide rows need ids
    ("subject_id,insulin_0_cm\n1,5\n", "insulin_0_cm"),
    ("subject_id,age_years\n1,50\n", "no measurement column"),
])
def test_file_level_problems_raise(tmp_path, text, match):
    with pytest.raises(ClinicalDataError, match=match):
        read_clinical_data(write(tmp_path, text), warn=False)


def test_a_file_without_subject_id_holds_one_subject_named_after_it(tmp_path):
    """A time series (or one wide row) without ids is one subject: the file's stem names it."""
    series = read_clinical_data(write(tmp_path, "time_min,glucose_mg_dl,insulin_pmol_l\n0,90,60\n30,150,300\n",
                                      "visit_3.csv"), warn=False)
    assert list(series.frame.index) == ["visit_3"] and series.frame.loc["visit_3", "insulin_30"] == 300
    row = read_clinical_data(write(tmp_path, "glucose_0_mmol_l,insulin_0_uu_ml\n5,10\n", "p7.csv"), warn=False)
    assert list(row.frame.index) == ["p7"] and row.frame.loc["p7", "insulin_0"] == pytest.approx(60.0)


def test_a_simulated_populations_patient_column_is_its_subject_id(tmp_path):
    text = "patient,time_min,glucose_mg_dl,insulin_pmol_l\n0,0,90,60\n0,30,150,300\n1,0,95,70\n1,30,160,250\n"
    data = read_clinical_data(write(tmp_path, text, "pop.csv"), warn=False)
    assert list(data.frame.index) == ["0", "1"] and not data.report.messages()
    assert data.frame.loc["1", "insulin_30"] == 250


def test_ignored_columns_are_reported_once_per_reason(tmp_path):
    text = "subject_id,glucose_0_mmol_l,Qsto1_mg,Gp_mg_kg,leptin_ng_ml\nA,5,1,2,3\n"
    messages = read_clinical_data(write(tmp_path, text), warn=False).report.messages()
    grouped = [m for m in messages if "ignored" in m]
    assert len(grouped) == 1 and grouped[0].startswith("3 columns ignored (Qsto1_mg, Gp_mg_kg, leptin_ng_ml): ")


def test_missing_file_raises(tmp_path):
    with pytest.raises(ClinicalDataError, match="no such file"):
        read_clinical_data(tmp_path / "absent.csv")


def test_untimed_glucose_column_is_ignored_with_reason():
    data = from_dataframe(pd.DataFrame({"subject_id": ["A"], "glucose_mmol_l": ["5"], "hba1c_pct": ["5.5"]}))
    assert "glucose_0_mmol_l" in data.report.ignored_columns["glucose_mmol_l"]


# --- the tidy table of samples: the one parser behind `indices` and `fit-minimal` -----------------

BY_TIME = """subject_id,time_min,glucose_mmol_L,insulin_uU_mL
A,0,5.0,10
A,30,7.5,60
B,30,8.0,70
B,0,5.5,12
"""
LONG = """subject_id,time_min,analyte,value,unit
B,0,insulin,12,uU/mL
A,30,glucose,135.1,mg/dL
A,0,insulin,60,pmol/L
A,0,glucose,5.0,mmol/L
B,30,glucose,8.0,mmol/L
A,30,insulin,60,uU/mL
B,0,glucose,5.5,mmol/L
B,30,insulin,420,pmol/L
"""


def _tidy(samples):
    cols = ["subject_id", "time_min", "analyte", "value"]
    return samples.samples[cols].sort_values(cols[:3]).reset_index(drop=True)


def test_wide_by_time_and_long_give_the_same_tidy_samples(tmp_path):
    by_time = read_samples(write(tmp_path, BY_TIME, "t.csv"))
    long = read_samples(write(tmp_path, LONG, "l.csv"))
    assert (by_time.report.layout, long.report.layout) == ("wide_by_time", "long")
    assert not by_time.report.issues and not long.report.issues
    pd.testing.assert_frame_equal(_tidy(by_time), _tidy(long), rtol=1e-3)  # 135.1 mg/dL = 7.5 mmol/L to 4 digits
    a = _tidy(by_time).set_index(["subject_id", "analyte", "time_min"])["value"]
    assert a["A", "glucose", 30.0] == pytest.approx(7.5 * MMOL) and a["B", "insulin", 30.0] == pytest.approx(420.0)
    assert list(by_time.subjects.index) == ["A", "B"]


def test_wide_by_time_becomes_the_per_subject_table(tmp_path):
    frame = read_clinical_data(write(tmp_path, BY_TIME), warn=False).frame
    assert list(frame.index) == ["A", "B"]
    assert frame.loc["B", "glucose_30"] == pytest.approx(8.0 * MMOL) and frame.loc["B", "insulin_0"] == pytest.approx(72.0)


def test_default_subject_and_time_in_hours(tmp_path):
    data = read_samples(write(tmp_path, "time_h,glucose_mg_dl,insulin_pmol_l\n0,90,60\n0.5,150,300\n"),
                        default_subject="p1")
    assert list(data.samples["subject_id"].unique()) == ["p1"]
    assert sorted(data.samples["time_min"].unique()) == [0.0, 30.0]
    with pytest.raises(ClinicalDataError, match="no 'subject_id' column"):
        read_samples(write(tmp_path, "time_h,glucose_mg_dl\n0,90\n", "n.csv"))


def test_bad_cells_of_a_time_series_are_reported_and_skipped(tmp_path):
    """Each bad cell is reported where it is written (column names as in the file); the rest is kept.
    A repeat within 2 % is the same measurement (row 6), a different one is reported (row 8)."""
    text = ("Subject_ID,Time_min,Glucose_mg_dL,Insulin_uU_mL\n"
            "A,0,90,10\nA,x,150,60\nA,60,abc,40\nA,90,120,-3\nA,90,121,30\nA,120,200,30\nA,120,150,30\n")
    data = read_samples(write(tmp_path, text))
    issues = {(i.row, i.column): (i.value, i.reason) for i in data.report.issues}
    assert issues == {
        (3, "Time_min"): ("x", "is not a number: the glucose and insulin of this row cannot be timed"),
        (4, "Glucose_mg_dL"): ("abc", "is not a number"),
        (5, "Insulin_uU_mL"): ("-3", "(= -18 pmol/L) is outside the plausible range 0-20000 pmol/L"),
        (8, "Glucose_mg_dL"): ("150", "repeats glucose at 120 min of this subject (row 7, column 'Glucose_mg_dL': '200') "
                                      "with a different value"),
    }
    kept = _tidy(data).set_index(["analyte", "time_min"])["value"]
    assert kept["glucose"].to_dict() == {0.0: 90.0, 90.0: 120.0, 120.0: 200.0}
    assert kept["insulin"].to_dict() == pytest.approx({0.0: 60.0, 60.0: 240.0, 90.0: 180.0, 120.0: 180.0})
    assert data.samples.set_index("row").loc[6, "column"] == "Insulin_uU_mL"  # where each kept value came from


def test_long_unit_cell_that_cannot_express_its_analyte_is_one_bad_cell(tmp_path):
    text = "subject_id,time_min,analyte,value,unit\nA,0,glucose,5,mmol/L\nA,30,glucose,7,kg\nA,0,insulin,10,uU/mL\n"
    data = read_samples(write(tmp_path, text))
    assert [(i.row, i.column, i.value) for i in data.report.issues] == [(3, "unit", "kg")]
    assert "cannot express glucose (allowed: units convertible to mg/dL)" in data.report.issues[0].reason
    assert len(data.samples) == 2


def test_timed_sample_without_a_time_is_reported(tmp_path):
    text = "subject_id,analyte,value,unit\nA,glucose,5,mmol/L\nA,hba1c,5.5,%\n"
    data = read_clinical_data(write(tmp_path, text), warn=False)
    assert [(i.row, i.column) for i in data.report.issues] == [(2, "time_min")]
    assert list(data.frame.columns) == ["hba1c"]


def test_fractional_minutes_do_not_fit_the_per_subject_table(tmp_path):
    data = read_clinical_data(write(tmp_path, "subject_id,time_min,glucose_mg_dl\nA,0,90\nA,2.5,300\n"), warn=False)
    assert [(i.row, i.reason[:9]) for i in data.report.issues] == [(3, "is at 2.5")]
    assert list(data.frame.columns) == ["glucose_0"]


def test_a_trailing_delimiter_does_not_shift_the_columns(tmp_path):
    data = read_clinical_data(write(tmp_path, "subject_id,glucose_0_mmol_l,insulin_0_uu_ml\nA,5.5,10,\nB,6.0,12,\n"),
                              warn=False)
    assert list(data.frame.index) == ["A", "B"]
    assert data.frame.loc["A", "glucose_0"] == pytest.approx(5.5 * MMOL)


def test_european_export_semicolons_and_decimal_commas(tmp_path):
    text = "subject_id;glucose_0_mmol_l;insulin_0_µU_mL\nA;5,5;10\nB;6;12,5\n"
    data = read_clinical_data(write(tmp_path, text), warn=False)
    assert data.frame.loc["A", "glucose_0"] == pytest.approx(5.5 * MMOL)
    assert data.frame.loc["B", "insulin_0"] == pytest.approx(75.0) and not data.report.messages()


@pytest.mark.parametrize("unit", ["µU/mL", "μU/mL", "uIU/mL", "µIU/mL", "mU/L", "mIU/L"])
def test_insulin_unit_spellings_of_lab_exports(tmp_path, unit):
    long = f"subject_id,time_min,analyte,value,unit\nA,0,insulin,10,{unit}\nA,0,glucose,5,mmol/L\n"
    assert read_clinical_data(write(tmp_path, long), warn=False).frame.loc["A", "insulin_0"] == pytest.approx(60.0)


def test_mass_concentrations_of_c_peptide_and_insulin(tmp_path):
    text = "subject_id,glucose_0_mmol_l,C-peptide_0_ng_ml,insulin_0_ng_ml\nA,5,1,1\n"
    f = read_clinical_data(write(tmp_path, text), warn=False).frame
    assert f.loc["A", "cpeptide_0"] == pytest.approx(1 / 3.0203, rel=1e-3)  # 3020.3 g/mol
    assert f.loc["A", "insulin_0"] == pytest.approx(1e3 / 5.8076, rel=1e-3)  # 5807.6 g/mol


def test_a_negative_time_written_with_spaces_keeps_its_sign(tmp_path):
    text = "subject_id,Glucose -10 mmol/L,Glucose 0 mmol/L,Glucose 10 mmol/L\nA,5.1,5.0,9.0\n"
    f = read_clinical_data(write(tmp_path, text), warn=False).frame
    assert f.loc["A", "glucose_-10"] == pytest.approx(5.1 * MMOL) and f.loc["A", "glucose_10"] == pytest.approx(9 * MMOL)


@pytest.mark.parametrize("header", ["subject_id,glucose_0_mmol_l,Glucose 0 mmol/L", "subject_id,glucose_0_mmol_l,glucose_0_mmol_l"])
def test_the_same_column_twice_is_a_file_level_error(tmp_path, header):
    with pytest.raises(ClinicalDataError, match="the same column is given more than once"):
        read_clinical_data(write(tmp_path, f"{header}\nA,5,5.2\n"), warn=False)


def test_malformed_unit_text_is_one_bad_cell_not_a_crash(tmp_path):
    long = ("subject_id,time_min,analyte,value,unit\nA,0,glucose,5,mg/dL)\nA,0,insulin,10,uU/mL\n"
            "B,0,glucose,5,1/0\nB,0,insulin,10,uU/mL\nC,0,glucose,5.5,mmol/L\nC,0,insulin,10,uU/mL\n")
    data = read_clinical_data(write(tmp_path, long), warn=False)
    assert data.frame.loc["C", "glucose_0"] == pytest.approx(5.5 * MMOL)
    assert sum("cannot express glucose" in m for m in data.report.messages()) == 2


def test_blank_rows_are_skipped_silently_and_a_header_alone_is_an_error(tmp_path):
    data = read_clinical_data(write(tmp_path, "subject_id,glucose_0_mmol_l\nA,5\n,\n,,\n\nB,6\n"), warn=False)
    with pytest.raises(ClinicalDataError, match="row 3 has 3 fields but the header has 2"):
        read_clinical_data(write(tmp_path, "subject_id,glucose_0_mmol_l\nA,5\nB,6,7\n", "extra.csv"), warn=False)
    assert list(data.frame.index) == ["A", "B"] and not data.report.messages()
    with pytest.raises(ClinicalDataError, match="no data rows"):
        read_clinical_data(write(tmp_path, "subject_id,glucose_0_mmol_l\n", "empty.csv"), warn=False)


def test_a_legacy_xls_without_its_reader_package_is_a_clear_error(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))  # the OLE2 signature of .xls files
    with pytest.raises(ClinicalDataError, match="old.xls"):
        read_clinical_data(path, warn=False)


def test_an_unknown_unit_spelling_is_named_as_the_reason(tmp_path):
    data = read_clinical_data(write(tmp_path, "subject_id,glucose_0_mmol_dl,glucose_infusion_mg_kg_min,glucose_30_mmol_l"
                                    "\nA,5,2,7\n"), warn=False)
    why = data.report.ignored_columns
    assert why["glucose_0_mmol_dl"].startswith("'mmol_dl' is not a unit spelling irsim knows")
    assert why["glucose_infusion_mg_kg_min"].startswith("not a known measurement")


def test_a_workbook_with_several_sheets_says_which_were_not_read(tmp_path):
    path = tmp_path / "visits.xlsx"
    with pd.ExcelWriter(path) as book:
        pd.DataFrame({"subject_id": ["A"], "glucose_0_mmol_l": [5.0]}).to_excel(book, sheet_name="baseline", index=False)
        pd.DataFrame({"subject_id": ["A"], "glucose_0_mmol_l": [6.0]}).to_excel(book, sheet_name="year 1", index=False)
    data = read_clinical_data(path, warn=False)
    assert data.frame.loc["A", "glucose_0"] == pytest.approx(5.0 * MMOL)
    assert data.report.messages() == ["only the first sheet, 'baseline', was read; not read: 'year 1'"]
