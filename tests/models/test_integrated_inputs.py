"""Bad input to the integrated model: drivers that contradict each other, dimensionless units, --vary intervals."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim import OGTT, Simulation
from irsim.core.parameters import Variation
from irsim.errors import InputError, with_unit

FAT = st.floats(1.0, 14.0)


def _build(**kwargs):
    return Simulation("integrated", None, OGTT(), **kwargs)


@settings(max_examples=30, deadline=None)
@given(FAT, st.floats(0.01, 1.0))
def test_visceral_fat_above_total_fat_is_refused_naming_both_drivers(total, excess):
    visceral = min(total + excess, 15.0)
    with pytest.raises(InputError) as err:
        _build(overrides={"total_fat_kg": total, "visceral_fat_kg": visceral})
    text = str(err.value)
    assert err.value.field == "visceral_fat_kg" and err.value.unit == "kg"
    assert f"visceral_fat_kg = {float(f'{visceral:.6g}')} kg" in text and f"total_fat_kg = {total:g} kg" in text
    assert "patient" not in text  # one subject: no patient numbers


@settings(max_examples=30, deadline=None)
@given(FAT, st.floats(0.0, 1.0))
def test_visceral_fat_within_total_fat_is_accepted(total, share):
    visceral = max(0.05, share * total)
    sim = _build(overrides={"total_fat_kg": total, "visceral_fat_kg": visceral})
    assert sim.params["visceral_fat_kg"] == visceral and sim.params["total_fat_kg"] == total


@settings(max_examples=30, deadline=None)
@given(st.floats(20.0, 150.0), st.floats(0.0, 1.0))
def test_total_fat_not_below_body_weight_is_refused(weight, above):
    total = weight + above * (150.0 - weight)
    with pytest.raises(InputError) as err:
        _build(overrides={"BW": weight, "total_fat_kg": total, "visceral_fat_kg": 1.0})
    assert err.value.field == "total_fat_kg" and f"BW = {weight:g} kg" in str(err.value)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.booleans(), min_size=2, max_size=30).filter(any))
def test_every_population_patient_breaking_a_rule_is_named(breaks):
    visceral = np.where(breaks, 6.0, 2.0)
    with pytest.raises(InputError) as err:
        _build(overrides={"total_fat_kg": 5.0, "visceral_fat_kg": visceral})
    named = [i for i, b in enumerate(breaks) if b]
    listing = ", ".join(map(str, named[:10])) + (f" and {len(named) - 10} more" if len(named) > 10 else "")
    assert f"(patient {listing})" in str(err.value)


def test_a_varied_population_is_checked_after_drawing():
    """Visceral fat drawn up to 9.5 kg against a total of 6 kg: some drawn patients break the rule."""
    with pytest.raises(InputError, match=r"visceral_fat_kg = .* kg: above total_fat_kg = 6 kg.*\(patient \d"):
        _build(overrides={"visceral_fat_kg": 5.0, "total_fat_kg": 6.0},
               variation=Variation(40, {"visceral_fat_kg": 0.9}, seed=1))


@settings(max_examples=30, deadline=None)
@given(st.one_of(st.floats(-1e3, -1e-3), st.floats(1.001, 1e3)))
def test_a_dimensionless_driver_prints_without_a_unit(sex):
    with pytest.raises(InputError) as err:
        _build(overrides={"sex": sex})
    text = str(err.value)
    assert text.startswith(f"sex = {sex}:") and text.endswith("(allowed: 0 to 1)"), text


@given(st.floats(allow_nan=False), st.sampled_from(["1", "", "dimensionless"]))
def test_with_unit_omits_dimensionless_units(value, unit):
    assert with_unit(value, unit) == f"{value}" and with_unit(value, "kg") == f"{value} kg"


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["sex", "beta_cell_function", "genetic_tcf7l2"]), st.floats(0.01, 0.99))
def test_a_vary_interval_leaving_the_allowed_range_is_refused_before_drawing(driver, fraction):
    """sex = 1 sits on its bound (always refused); TCF7L2 1 in [0.3, 2] (refused past ±0.7); β-cell function never."""
    declared = _build().model.parameters[driver]
    low, high = declared.value * (1 - fraction), declared.value * (1 + fraction)
    if declared.lower <= low and high <= declared.upper:
        _build(variation=Variation(4, {driver: fraction}, seed=0))
        return
    with pytest.raises(InputError) as err:
        _build(variation=Variation(4, {driver: fraction}, seed=0))
    text = str(err.value)
    assert err.value.field == f"vary {driver}" and f"±{fraction:g}" in text
    assert f"from {low:g} to {with_unit(f'{high:g}', declared.unit)}" in text
    assert f"allowed: {declared.lower:g} to {with_unit(f'{declared.upper:g}', declared.unit)}" in text


def test_cli_reports_the_vary_interval_not_a_draw():
    from typer.testing import CliRunner

    from irsim.cli import app

    r = CliRunner().invoke(app, ["simulate", "--patient", "t2d", "--protocol", "ogtt", "--population", "5",
                                 "--vary", "sex=0.45", "--seed", "1", "--json"])
    assert isinstance(r.exception, InputError)  # main() prints it as one line, exit code 2
    assert str(r.exception) == "vary sex = ±0.45 fraction: draws sex from 0.55 to 1.45, outside its allowed range " \
                               "(allowed: 0 to 1)"
