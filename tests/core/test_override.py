"""A block may output a parameter's name to override it downstream — how mechanisms will drive the
whole-body model (e.g. IRS-1 signalling setting the effective insulin action Vmx)."""

import numpy as np
import pytest

from irsim import OGTT, Simulation, Variation
from irsim.core.block import Block, Output, Parameter, Rates
from irsim.core.model import Model
from irsim.models import get_model, get_parameter_set
from irsim.solvers import BatchedDormandPrince


class InsulinActionDefect(Block):
    """Toy mechanism: the effective Vmx is the nominal Vmx times (1 − defect)."""

    name = "insulin_action_defect"
    parameters = (Parameter("defect", 0.0, "1", "fractional loss of insulin action", "test", 0.0, 0.99),)
    reads = ("Vmx",)
    outputs = (Output("Vmx", "mg/kg/min per pmol/L", "effective insulin action on utilisation"),)

    def rates(self, v, xp):
        return Rates({}, {"Vmx": v["Vmx"] * (1.0 - v["defect"])})


def with_defect():
    base = get_model("dalla-man-2007")
    return Model("dalla-man-2007+defect", [InsulinActionDefect(), *base.blocks], base.citations)


def test_override_runs_before_every_block_using_the_parameter():
    order = [b.name for b in with_defect()._wiring.order]
    assert order.index("insulin_action_defect") < order.index("utilisation")


@pytest.mark.parametrize("engine", ["numpy", "auto"])
def test_a_defect_of_f_equals_setting_vmx_to_its_reduced_value(engine):
    n = 64  # large enough for the compiled engine when numba is installed
    solver = BatchedDormandPrince(engine=engine)
    normal = get_parameter_set("dalla-man-2007", "normal")
    with_mechanism = Simulation(with_defect(), normal, OGTT(), overrides={"defect": 0.3},
                                variation=Variation(n, {}, seed=0), solver=solver).solve(variables=["G", "I"])
    direct = Simulation("dalla-man-2007", "normal", OGTT(), overrides={"Vmx": 0.047 * 0.7},
                        variation=Variation(n, {}, seed=0), solver=solver).solve(variables=["G", "I"])
    np.testing.assert_allclose(with_mechanism["G"], direct["G"], rtol=1e-9)
    nominal = Simulation("dalla-man-2007", "normal", OGTT()).solve(variables=["G"])
    assert with_mechanism["G"][120, 0] > nominal["G"][120, 0] + 5
