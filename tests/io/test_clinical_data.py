"""Import of wide and long CSV/Excel files: unit conversion, layout detection, bad-cell reports."""

import warnings

import numpy as np
import pandas as pd
import pytest

from irsim.io.clinical_data import ClinicalDataError, ClinicalDataWarning, from_dataframe, read_clinical_data

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
    assert (3, "repeats glucose_0 of this subject: skipped") in reasons
    assert any(row == 4 and "not a known analyte" in why for row, why in reasons)


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
    ("id,glucose_0_mmol_l\n1,5\n", "no 'subject_id' column"),
    ("subject_id,insulin_0_mg_dl\n1,5\n", "insulin_0_mg_dl"),
    ("subject_id,age_years\n1,50\n", "no measurement column"),
])
def test_file_level_problems_raise(tmp_path, text, match):
    with pytest.raises(ClinicalDataError, match=match):
        read_clinical_data(write(tmp_path, text), warn=False)


def test_missing_file_raises(tmp_path):
    with pytest.raises(ClinicalDataError, match="no such file"):
        read_clinical_data(tmp_path / "absent.csv")


def test_untimed_glucose_column_is_ignored_with_reason():
    data = from_dataframe(pd.DataFrame({"subject_id": ["A"], "glucose_mmol_l": ["5"], "hba1c_pct": ["5.5"]}))
    assert "glucose_0_mmol_l" in data.report.ignored_columns["glucose_mmol_l"]
