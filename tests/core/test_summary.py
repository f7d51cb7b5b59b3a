"""Summary measures: the fast area-under-curve equals NumPy's trapezoid rule on any grid."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim.analysis.summary import _auc


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.01, 30.0), min_size=1, max_size=40), st.integers(1, 5), st.integers(0, 2**31 - 1))
def test_auc_equals_trapezoid_rule(steps, n_patients, seed):
    t = np.concatenate([[0.0], np.cumsum(steps)])
    y = np.random.default_rng(seed).uniform(0, 300, (t.size, n_patients))
    np.testing.assert_allclose(_auc(y, t), np.trapezoid(y, t, axis=0), rtol=1e-12, atol=1e-9)


def test_estimated_hba1c_reproduces_the_adag_table():
    """Nathan et al. 2008 (ADAG), Table 1: estimated average glucose 154 mg/dL ↔ HbA1c 7 %, 126 ↔ 6 %."""
    from irsim.analysis.summary import _daily

    for mean_glucose, hba1c in ((154.0, 7.0), (126.0, 6.0), (183.0, 8.0)):
        out = _daily({"G": np.full((24, 1), mean_glucose)})
        assert abs(out["estimated_hba1c_pct"][0] - hba1c) < 0.05


def test_daily_life_hba1c_separates_healthy_from_type_2():
    """ADA: HbA1c < 5.7 % normal, ≥ 6.5 % diabetes."""
    from irsim import DailyLife, Simulation

    healthy, t2d = (Simulation("dalla-man-2007", s, DailyLife()).solve(step_min=5).summary().iloc[0]
                    for s in ("normal", "t2d"))
    assert healthy.estimated_hba1c_pct < 5.7 and t2d.estimated_hba1c_pct >= 6.5


def test_clinical_measures_do_not_depend_on_the_output_step():
    """The protocol's sample times are always on the output grid, so a coarse step cannot move them."""
    import pytest

    from irsim import OGTT, Simulation

    sim = Simulation("dalla-man-2007", "normal", OGTT())
    fine, coarse = sim.solve(step_min=1).summary().iloc[0], sim.solve(step_min=60).summary().iloc[0]
    for key in ("glucose_30_mg_dl", "glucose_2h_mg_dl", "insulin_30_pmol_l", "homa1_ir", "matsuda",
                "stumvoll_first_phase_pmol_l"):
        assert coarse[key] == pytest.approx(fine[key], rel=1e-6), key


def test_a_custom_t_eval_without_the_samples_is_refused_not_interpolated():
    import pytest

    from irsim import OGTT, Simulation
    from irsim.errors import InputError

    result = Simulation("dalla-man-2007", "normal", OGTT()).solve(t_eval=[30.0, 60.0, 120.0])
    with pytest.raises(InputError, match="reads the samples at 0, 90 min"):
        result.summary()


def test_bad_t_eval_and_variables_name_the_field():
    import pytest

    from irsim import OGTT, Simulation
    from irsim.errors import InputError

    sim = Simulation("dalla-man-2007", "normal", OGTT())
    for t_eval in ([], [0.0, float("nan")]):
        with pytest.raises(InputError, match="t_eval"):
            sim.solve(t_eval=t_eval)
    with pytest.raises(InputError, match="variables"):
        sim.solve(variables=[])


def test_an_insulin_overdose_stops_with_the_patient_and_time_instead_of_negative_glucose():
    """0.2 U/kg IV insulin drives the Dalla Man model's glucose mass below zero (its insulin-independent
    uptake does not fall with glucose): the run stops naming the state, patient and time."""
    import pytest

    from irsim import IVGTT, Simulation
    from irsim.errors import SolverError

    with pytest.raises(SolverError, match=r"state Gp fell below its physiological minimum 0 mg/kg.*patient 0"):
        Simulation("dalla-man-2007", "normal", IVGTT(insulin_modified=True, insulin_u_per_kg=0.2)).solve()
    ok = Simulation("dalla-man-2007", "normal", IVGTT(insulin_modified=True)).solve()  # the standard 0.03 U/kg
    assert ok["G"].min() > 0


def test_a_summary_names_the_variables_it_needs_kept():
    import pytest

    from irsim import Clamp, Simulation
    from irsim.errors import InputError

    result = Simulation("dalla-man-2007", "normal", Clamp(duration_min=60)).solve(variables=["G", "I"])
    with pytest.raises(InputError, match="the clamp summary needs glucose_infusion kept"):
        result.summary()
