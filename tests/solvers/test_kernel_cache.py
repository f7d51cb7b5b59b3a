"""The compiled kernels never make a user wait: compiled once, in the background, into a cache the
user can write (``$IRSIM_CACHE_DIR``), whatever the install folder allows; NumPy runs meanwhile."""

import os
import shutil
import subprocess
import sys
import time
import weakref
from pathlib import Path

import numpy as np
import pytest

import irsim
from irsim.core.parameters import Variation
from irsim.protocols import OGTT
from irsim.simulation import Simulation
from irsim.solvers import BatchedDormandPrince, compiled, native

pytest.importorskip("numba")

ROOT = Path(irsim.__file__).parent


def python(code, cache, package_root):
    env = {**os.environ, "IRSIM_CACHE_DIR": str(cache), "PYTHONPATH": str(package_root)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


KERNEL = """
from irsim.models import get_model
from irsim.solvers import compiled
found = compiled.kernel(get_model("bergman-minimal"), wait={wait})
print("none" if found is None else f"{{len(found[0].integrate.stats.cache_hits)}} {{found[0].__file__}}")
"""


def wait_for(marker_glob, folder, seconds=240):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not list(folder.glob(marker_glob)):
        time.sleep(0.2)
    return list(folder.glob(marker_glob))


def test_a_read_only_install_compiles_once_into_the_users_cache(tmp_path):
    """The package copy is made read-only; the first process finds no kernel and starts one
    background compilation; once it is marked done, a new process loads it from numba's cache
    (a cache hit, no compilation), and nothing was ever written into the package."""
    package = tmp_path / "site"
    shutil.copytree(ROOT, package / "irsim", ignore=shutil.ignore_patterns("__pycache__"))
    before = sorted(p.relative_to(package) for p in package.rglob("*"))
    for p in package.rglob("*"):
        p.chmod(0o555 if p.is_dir() else 0o444)
    cache = tmp_path / "cache"
    try:
        assert python(KERNEL.format(wait=False), cache, package) == "none"
        kernels = cache / "kernels"
        assert wait_for("dp5_*.compiled", kernels), [log.read_text() for log in kernels.glob("*.log")]
        hits, path = python(KERNEL.format(wait=False), cache, package).split()
        assert int(hits) == 1 and Path(path).parent == kernels
        assert not list(kernels.glob("*.compiling")) and not list(kernels.glob("*.log"))
    finally:
        for p in package.rglob("*"):
            p.chmod(0o755 if p.is_dir() else 0o644)
    after = [p for p in package.rglob("*") if "__pycache__" not in p.parts]  # (root may write bytecode anyway)
    assert sorted(p.relative_to(package) for p in after) == before


def test_auto_engine_runs_numpy_until_the_kernel_is_cached(tmp_path, monkeypatch):
    """No C compiler and no numba kernel in the cache: the run is the NumPy engine's (identical
    numbers) and a background compilation is started, once, whatever the number of chunks."""
    monkeypatch.setenv("IRSIM_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("CC", "/nonexistent")
    monkeypatch.setattr(native, "_BY_MODEL", weakref.WeakKeyDictionary())
    monkeypatch.setattr(native, "_WARNED", set())
    monkeypatch.setattr(compiled, "_BY_SOURCE", {})
    started = []
    monkeypatch.setattr(compiled.subprocess, "Popen", lambda args, **kw: started.append(args))
    sim = lambda engine: Simulation("dalla-man-2007", "normal", OGTT(), variation=Variation(128, {"Vmx": 0.3}, seed=1),
                                    solver=BatchedDormandPrince(engine=engine))
    with pytest.warns(RuntimeWarning, match="no C compiler"):
        auto = sim("auto").solve(step_min=5.0, variables=["G"], chunk_size=64)
    numpy = sim("numpy").solve(step_min=5.0, variables=["G"])
    np.testing.assert_array_equal(auto["G"], numpy["G"])
    assert len(started) == 2 and {Path(a[-1]).name.split("_")[0] for a in started} == {"dp5", "steady"}
    assert all(Path(a[-1]).with_suffix(".compiling").exists() for a in started)
