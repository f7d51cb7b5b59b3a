"""The compiled fasting steady state (the C library's by default, numba's without a compiler) is the NumPy one: same states, same failures."""

import weakref

import numpy as np
import pytest

from irsim.core import steady_state
from irsim.core.parameters import Variation, resolve
from irsim.core.steady_state import fasting_steady_state
from irsim.errors import SteadyStateError
from irsim.models import get_model, get_parameter_set
from irsim.solvers.codegen import trace_steady_residual

pytest.importorskip("numba")

MODEL = get_model("dalla-man-2007")
# ±30 % on uptake, production, secretion, kinetics and volumes (kp1 below nominal can leave no steady state)
VARIED = {"Vmx": 0.3, "kp3": 0.3, "kp2": 0.3, "Km0": 0.3, "beta": 0.3, "k1": 0.3, "m1": 0.3, "ki": 0.3, "VG": 0.3}


def population(subject, n, seed=3):
    return resolve(MODEL, get_parameter_set(MODEL.name, subject), None, Variation(n, VARIED, seed=seed))


def both(params, n):
    y0 = MODEL.initial_guess(params, (n,))
    return (steady_state._newton_compiled(MODEL, params, y0, 1e-11, 60),
            steady_state._newton_numpy(MODEL, params, y0, 1e-11, 60))


@pytest.mark.parametrize("subject", ["normal", "t2d"])
def test_compiled_and_numpy_steady_states_agree(subject):
    params = population(subject, 500)
    (yc, bad_c), (yn, bad_n) = both(params, 500)
    assert bad_c.size == 0 and bad_n.size == 0
    np.testing.assert_allclose(yc, yn, rtol=1e-10, atol=1e-12)
    # and it is a steady state of the model as Model.rhs computes it
    y, basal = fasting_steady_state(MODEL, params, 500)
    np.testing.assert_array_equal(y, yc)
    assert np.max(np.abs(MODEL.rhs(0.0, y, basal))) < 1e-8


def test_traced_residual_is_model_rhs_at_rest_with_basal_ties():
    from irsim.solvers import compiled_steady_state

    params = population("normal", 80)
    y = MODEL.initial_guess(params, (80,)) * np.random.default_rng(1).uniform(0.8, 1.2, (len(MODEL.state_names), 80))
    free = np.flatnonzero(~MODEL.memory_mask)
    expected = MODEL.rhs(0.0, y, {**params, "at_rest": 1.0}, basal=True)[free]
    traced = trace_steady_residual(MODEL)
    assert "Gb" in MODEL.basal_ties and f"p[{list(MODEL.parameters).index('Gb')}]" not in traced.body + traced.pre
    mod, _ = compiled_steady_state.module(MODEL)
    from irsim.solvers.compiled import columns

    P = columns(params, traced.param_names, 80)
    got = np.empty_like(expected)
    c, f = np.empty(traced.n_invariant), np.empty(free.size)
    for i in range(80):
        yi = np.ascontiguousarray(y[:, i])
        mod.pre(yi, P[i], np.zeros(2), c)
        mod.residual(yi, P[i], np.zeros(2), c, f)
        got[:, i] = f
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12 * np.max(np.abs(expected)))


@pytest.mark.parametrize("cc", ["/nonexistent", None])
def test_which_chunks_use_the_compiled_path(monkeypatch, cc):
    """numba's Newton for large chunks only (loading numba costs more than a small chunk's NumPy
    Newton); the C library's, when a compiler is found, for every chunk."""
    from irsim.solvers import compiled_steady_state, native

    if cc:
        monkeypatch.setenv("CC", cc)
        monkeypatch.setattr(native, "_BY_MODEL", weakref.WeakKeyDictionary())
        monkeypatch.setattr(native, "_WARNED", {"no C compiler"})
    elif native.library(MODEL) is None:
        pytest.skip("no C compiler")
    compiled_steady_state.module(MODEL)  # compiled (or loaded) now, not in the background
    calls = []
    for name in ("_newton_compiled", "_newton_numpy"):
        original = getattr(steady_state, name)
        monkeypatch.setattr(steady_state, name, lambda *a, _o=original, _n=name: calls.append(_n) or _o(*a))
    fasting_steady_state(MODEL, population("normal", steady_state.COMPILED_FROM), steady_state.COMPILED_FROM)
    fasting_steady_state(MODEL, population("normal", steady_state.COMPILED_FROM - 1), steady_state.COMPILED_FROM - 1)
    assert calls == ["_newton_compiled", "_newton_numpy" if cc else "_newton_compiled"]


@pytest.mark.parametrize("bad", [[7], [0, 65, 99]])
def test_failures_name_the_patients_on_the_compiled_path(bad):
    """No glucose production (kp1 = 0) or a NaN parameter leaves no fasting state: the compiled
    path hands these patients to the NumPy path, whose error names them; the others are solved."""
    params = resolve(MODEL, get_parameter_set(MODEL.name, "normal"), None, Variation(100, {"Vmx": 0.3}, seed=3))
    kp1 = np.full(100, float(params["kp1"]))
    kp1[bad[0]] = 0.0
    kp1[bad[1:]] = np.nan
    params = {**params, "kp1": kp1}
    with pytest.raises(SteadyStateError, match=rf"patient {', '.join(map(str, bad))}; t = 0 min") as info:
        fasting_steady_state(MODEL, params, 100)
    assert info.value.patients == bad
    (yc, bad_c), (yn, bad_n) = both(params, 100)
    assert bad_c.tolist() == bad_n.tolist() == bad
    good = np.setdiff1d(np.arange(100), bad)
    np.testing.assert_allclose(yc[:, good], yn[:, good], rtol=1e-10, atol=1e-12)
