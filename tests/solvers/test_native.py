"""The C engine (irsim.solvers.native) is the numba and NumPy engines' algorithm: same results to
rounding, same failures, a library built once per model structure and reused, and a clean fallback
when no compiler is found or the build fails."""

import os
import subprocess
import sys
import threading
import time
import warnings
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irsim.core import steady_state
from irsim.core.parameters import Variation
from irsim.errors import InputError, SolverError
from irsim.models import get_model
from irsim.patients import PATIENTS
from irsim.protocols import Clamp, DailyLife, Meal
from irsim.simulation import Simulation
from irsim.solvers import BatchedDormandPrince, compiled_steady_state, native
from irsim.solvers.batched import ENGINES
from irsim.solvers.compiled import available as numba_available

pytestmark = pytest.mark.skipif(native.compiler() is None, reason="no C compiler")
NUMBA = pytest.mark.skipif(not numba_available(), reason="numba absent")


def relative(a, b):
    return float(np.max(np.abs(a - b) / np.abs(b)))


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """An empty kernel cache and no library loaded in this process."""
    monkeypatch.setenv("IRSIM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(native, "_BY_MODEL", weakref.WeakKeyDictionary())
    monkeypatch.setattr(native, "_WARNED", set())
    return tmp_path / "kernels"


def run(model, parameters, protocol, engine, n=4, **kwargs):
    variation = Variation(n, {"Vmx": 0.3, "kp3": 0.3} if model == "dalla-man-2007" else {"visceral_fat_kg": 0.3},
                          seed=1)
    return Simulation(model, parameters, protocol, variation=variation,
                      solver=BatchedDormandPrince(engine=engine, compiled_from=1, **kwargs)).solve(
        variables=["G", "I"], step_min=5.0)


CASES = {"dalla-man meal": ("dalla-man-2007", "t2d", Meal(78)),
         "dalla-man clamp": ("dalla-man-2007", "normal", Clamp()),
         "integrated meal": ("integrated", PATIENTS["t2d"].parameter_set, Meal(78)),
         "integrated clamp": ("integrated", PATIENTS["obese_insulin_resistant"].parameter_set, Clamp()),
         "integrated daily life": ("integrated", PATIENTS["t2d"].parameter_set, DailyLife(days=1))}


@pytest.mark.parametrize("other", ["numpy", pytest.param("numba", marks=NUMBA)])
@pytest.mark.parametrize("case", CASES)
def test_c_engine_agrees_with_the_other_engines(case, other):
    """Within 1e-6 relative, as the numba engine agrees with NumPy (tests/solvers/test_batching.py)."""
    c, ref = run(*CASES[case], "c"), run(*CASES[case], other)
    for k in ("G", "I"):
        assert relative(c[k], ref[k]) < 1e-6


@settings(max_examples=5, deadline=None)
@given(st.floats(0.5, 2.0), st.floats(0.5, 2.0), st.floats(20.0, 120.0))
def test_c_engine_agrees_with_numpy_whatever_the_patient(a, b, carbs):
    def solve(engine):
        return Simulation("dalla-man-2007", "t2d", Meal(carbs), overrides={"Vmx": 0.034 * a, "kp3": 0.005 * b},
                          solver=BatchedDormandPrince(engine=engine)).solve(variables=["G", "I"])

    fast, slow = solve("c"), solve("numpy")
    for k in ("G", "I"):
        assert relative(fast[k], slow[k]) < 1e-6


@pytest.mark.parametrize("engine", ["c", "numpy", pytest.param("numba", marks=NUMBA)])
def test_too_many_steps_is_the_same_solver_error(engine):
    """A step limit the meal cannot meet: every engine names every patient in the same words (the
    compiled ones give the segment's start as the time, NumPy the earliest time reached)."""
    with pytest.raises(SolverError, match=r"more than 20 steps \(patient 0, 1, 2; t = [0-9.]+ min\)"):
        run("dalla-man-2007", "normal", Meal(78), engine, n=3, max_steps=20)


@pytest.mark.parametrize("engine", ["c", pytest.param("numba", marks=NUMBA)])
def test_compiled_steady_state_is_the_numpy_one(engine):
    model = get_model("integrated")
    from irsim.core.parameters import resolve

    params = resolve(model, PATIENTS["t2d"].parameter_set, None, Variation(100, {"visceral_fat_kg": 0.3}, seed=2))
    y0 = model.initial_guess(params, (100,))
    y, status = compiled_steady_state.newton(model, params, y0.copy(), 1e-11, 60, engine=engine)
    expected, bad = steady_state._newton_numpy(model, params, y0, 1e-11, 60)
    assert not np.any(status) and bad.size == 0
    np.testing.assert_allclose(y, expected, rtol=1e-10, atol=1e-12)


def test_library_is_built_once_then_loaded(fresh, monkeypatch):
    model = get_model("bergman-minimal")
    first = native.library(model)
    assert first is not None and first.path.parent == fresh and [p.name for p in fresh.iterdir()] == [first.path.name]
    monkeypatch.setattr(native, "_BY_MODEL", weakref.WeakKeyDictionary())  # as a new process would

    def no_build(*args):
        raise AssertionError("built again")

    monkeypatch.setattr(native, "_build", no_build)
    assert native.library(model).path == first.path


def test_concurrent_first_builds_leave_one_whole_library(fresh):
    """Two processes building the same library at once: both load it, one file remains, no leftovers."""
    code = ("from irsim.models import get_model; from irsim.solvers import native; "
            "print(native.library(get_model('bergman-minimal')).path)")
    env = {**os.environ, "IRSIM_CACHE_DIR": str(fresh.parent)}
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    paths = {p.communicate(timeout=120)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs) and len(paths) == 1
    assert [p.name for p in fresh.iterdir()] == [os.path.basename(paths.pop())]


def test_no_compiler_falls_back_to_numpy_with_one_warning(fresh, monkeypatch):
    monkeypatch.setenv("CC", "/nonexistent")
    with pytest.warns(RuntimeWarning, match="no C compiler"):
        auto = run("dalla-man-2007", "normal", Meal(78), "auto", n=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once
        assert native.library(get_model("dalla-man-2007")) is None
    numpy = run("dalla-man-2007", "normal", Meal(78), "numpy", n=2)
    for k in ("G", "I"):  # numba's kernel if cached, else NumPy's
        assert relative(auto[k], numpy[k]) < 1e-6
    with pytest.raises(InputError, match="engine = c"):
        run("dalla-man-2007", "normal", Meal(78), "c", n=2)
    assert not fresh.exists() or not list(fresh.iterdir())


def test_a_failed_build_says_why_and_falls_back(fresh, monkeypatch, tmp_path):
    broken = tmp_path / "broken-cc"
    broken.write_text('#!/bin/sh\n[ "$1" = --version ] && echo "broken-cc 1.0" && exit 0\necho "no such luck" >&2\n'
                      "exit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("CC", str(broken))
    with pytest.warns(RuntimeWarning, match="did not build.*no such luck"):
        assert native.library(get_model("bergman-minimal")) is None
    assert not list(fresh.iterdir())  # no half-written library, no source left behind


@given(st.text(max_size=8).filter(lambda e: e not in ENGINES))
def test_unknown_engine_is_refused_when_the_solver_is_made(engine):
    with pytest.raises(InputError, match=r"(?s)engine = .*allowed: auto, c, numba, numpy"):
        BatchedDormandPrince(engine=engine)


def test_arrays_the_c_code_would_misread_are_refused():
    """ctypes checks nothing: the wrapper refuses what numba's signatures refuse, before any memory is read."""
    model = get_model("bergman-minimal")
    lib = native.library(model)
    m, n_p = len(model.state_names), len(model.parameters)
    P, U = np.ones((2, n_p)), np.zeros((2, 1))
    status, err = np.zeros(2, dtype=np.int64), np.zeros(2)
    with pytest.raises(TypeError, match="do not fit"):
        lib.newton(np.ones((m + 1, 2)), P, U, 1e-11, 60, status, err)
    with pytest.raises(TypeError, match="int64"):
        lib.newton(np.ones((m, 2)), P, U, 1e-11, 60, status.astype(np.int32), err)
    with pytest.raises(TypeError, match="C-contiguous"):
        lib.newton(np.ones((2, m)).T, P, U, 1e-11, 60, status, err)


def test_the_kernel_call_releases_the_gil(monkeypatch):
    """Chunk threads run in parallel only if the C call lets other Python threads run meanwhile."""
    model = get_model("dalla-man-2007")
    lib = native.library(model)
    calls, real = [], lib._integrate

    def timed(*args):
        start = time.perf_counter()
        real(*args)
        calls.append((start, time.perf_counter()))

    monkeypatch.setattr(lib, "_integrate", timed)
    worker = threading.Thread(target=lambda: Simulation(model, "normal", Meal(78), variation=Variation(
        2000, {"Vmx": 0.3}, seed=1), solver=BatchedDormandPrince(engine="c")).solve(variables=["G"], workers=1))
    ticks = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
    worker.join()
    (start, end), = calls
    inside = [start, *(t for t in ticks if start < t < end), end]
    assert np.max(np.diff(inside)) < 0.5 * (end - start)  # this thread kept running during the call (held: one gap)
