"""Topp et al. 2000 reproduced: irsim's topp-2000 vs libroadrunner on the curated SBML.

Source: BioModels BIOMD0000000341 (../shared/refs/sbml/BIOMD0000000341_Topp2000.xml). Two runs:
the file's own initial state (G = 250 mg/dL, I = 2.8 µU/mL, β = 37 mg, next to the saddle, so any
drift in the equations shows) over 500 days, and three years from the physiological steady state
after a step down of insulin sensitivity SI, once compensated (more β-cells) and once failing
(glucose crosses 250 mg/dL and the mass collapses). Agreement: 2 % of each value, with a floor of
1 % of the trajectory's range where a variable falls to zero.
"""

import numpy as np
import pytest

from irsim import ParameterSet, Simulation
from irsim.core.parameters import resolve
from irsim.models import get_model, get_parameter_set
from irsim.physiology.beta_cell_mass import physiological_fixed_point
from irsim.protocols import Progression
from irsim.units import MIN_PER_DAY
from tests.refs import ref_path

SBML = ref_path("sbml/BIOMD0000000341_Topp2000.xml")
roadrunner = pytest.importorskip("roadrunner")
OURS_TO_SBML = {"G": "G", "Iuu": "I", "beta": "B"}


def oracle(days, si=None, start=None):
    """Daily G, I, B from libroadrunner; parameters and initial values edited in the XML (see the
    refs README: setting init() values on a loaded model can reset others)."""
    if not SBML.exists():
        pytest.skip(f"reference SBML not found at {SBML}")
    text = SBML.read_text()
    if si is not None:
        text = text.replace('id="si" metaid="_274484" name="si" sboTerm="SBO:0000009" value="0.72"',
                            f'id="si" metaid="_274484" name="si" sboTerm="SBO:0000009" value="{si!r}"')
    for ours, theirs in (start or {}).items():
        default = {"G": "250", "I": "2.8", "B": "37"}[OURS_TO_SBML[ours]]
        text = text.replace(f'id="{OURS_TO_SBML[ours]}" initialConcentration="{default}"',
                            f'id="{OURS_TO_SBML[ours]}" initialConcentration="{theirs!r}"')
    rr = roadrunner.RoadRunner(text)
    if si is not None:
        assert rr["si"] == pytest.approx(si)
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-12
    out = rr.simulate(0, days, days + 1, ["time", *OURS_TO_SBML.values()])
    daily = {ours: np.asarray(out[:, i + 1]) for i, ours in enumerate(OURS_TO_SBML)}
    for ours, value in (start or {}).items():  # the edits took effect
        assert daily[ours][0] == pytest.approx(value)
    return daily


def worst_error(result, ref):
    """Largest error over the run, relative to each value with a floor of 1 % of the range."""
    worst = {}
    for name, expected in ref.items():
        floor = 0.01 * (expected.max() - expected.min())
        worst[name] = float(np.max(np.abs(result[name][:, 0] - expected) / np.maximum(np.abs(expected), floor)))
    return worst


@pytest.mark.parametrize("solver", ["rosenbrock", "scipy"])
def test_matches_curated_sbml_from_its_initial_state(solver):
    ref = oracle(500)
    result = Simulation("topp-2000", "biomodels", Progression(500), solver=solver).solve(step_min=MIN_PER_DAY)
    assert np.allclose(result.time_min / MIN_PER_DAY, np.arange(501))
    worst = worst_error(result, ref)
    assert max(worst.values()) < 0.02, worst
    # not vacuous: the mass recovers from 37 mg to ~300 mg and glucose from 250 to ~100 mg/dL
    assert ref["beta"][-1] > 5 * ref["beta"][0] and ref["G"][-1] < 110.0


@pytest.mark.parametrize(("si", "outcome"), [(0.36, "compensated"), (0.07, "failed")])
def test_matches_curated_sbml_after_insulin_sensitivity_falls(si, outcome):
    normal = resolve(get_model("topp-2000"), get_parameter_set("topp-2000", "normal"))
    start = {k: float(v) for k, v in physiological_fixed_point(normal).items()}
    subject = ParameterSet("si-step", "topp-2000", f"normal subject whose SI falls to {si} at day 0",
                           {"SI": si}, {"SI": "test scenario"}, ("Topp2000",), initial_state=start)
    ref = oracle(3 * 365, si=si, start=start)
    result = Simulation("topp-2000", subject, Progression(3 * 365), solver="rosenbrock").solve(step_min=MIN_PER_DAY)
    worst = worst_error(result, ref)
    assert max(worst.values()) < 0.02, worst
    if outcome == "compensated":  # glucose back to 100 mg/dL, held by a doubled mass (SI halved)
        assert ref["G"][-1] == pytest.approx(100.0, abs=0.5) and ref["beta"][-1] == pytest.approx(600.0, rel=0.01)
    else:  # glucose above the saddle: the mass dies and glucose settles at R0/EG0 = 600 mg/dL
        assert ref["beta"][-1] < 1e-3 and ref["G"][-1] == pytest.approx(600.0, rel=1e-3)
