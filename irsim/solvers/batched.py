"""Batched Dormand–Prince 5(4) with per-patient step-size control.

Every patient carries its own time and step size, so a stiff or fast patient neither slows nor
spoils the others: all columns advance together through one vectorised right-hand-side call per
stage, but acceptance, step size and output are decided column by column. Finished patients drop
out of the working arrays (compacted when fewer than ``compact_below`` are still running). Outputs
between steps come from the method's own 4th-order dense output (Dormand & Prince 1986, as in
SciPy's RK45), so output times never shorten steps. Protocol discontinuities are handled by the
caller, which integrates segment by segment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from irsim.errors import InputError, SolverError

# Dormand & Prince (1980) tableau; E = b5 − b4 (the embedded error estimate, FSAL stage included).
_C = np.array([0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0])
_A = (
    None,
    np.array([1 / 5]),
    np.array([3 / 40, 9 / 40]),
    np.array([44 / 45, -56 / 15, 32 / 9]),
    np.array([19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729]),
    np.array([9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656]),
)
_B = np.array([35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84])
_E = np.array([71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40])
# Dense output: y(t + θh) = y + h·Σ_j θ^j·(Pᵀ K)_j, j = 1..4 (SciPy's RK45 coefficients).
_P = np.array([
    [1, -8048581381 / 2820520608, 8663915743 / 2820520608, -12715105075 / 11282082432],
    [0, 0, 0, 0],
    [0, 131558114200 / 32700410799, -68118460800 / 10900136933, 87487479700 / 32700410799],
    [0, -1754552775 / 470086768, 14199869525 / 1410260304, -10690763975 / 1880347072],
    [0, 127303824393 / 49829197408, -318862633887 / 49829197408, 701980252875 / 199316789632],
    [0, -282668133 / 205662961, 2019193451 / 616988883, -1453857185 / 822651844],
    [0, 40617522 / 29380423, -110615467 / 29380423, 69997945 / 29380423],
])


def combine(coeffs, K):
    """Σ_j c_j·K[j] by in-place axpy (BLAS dot here would start threads that fight the chunk pool)."""
    acc = None
    for c, k in zip(coeffs, K):
        if c == 0.0:
            continue
        if acc is None:
            acc = c * k
        else:
            acc += c * k
    return acc


def error_norm(err_vec, y, y_new, rtol, atol):
    """Per-patient RMS of the local error over the states, scaled by atol + rtol·|y|."""
    scale = atol + rtol * np.maximum(np.abs(y), np.abs(y_new))
    return np.sqrt(np.mean(np.square(err_vec / scale), axis=0))


def initial_step(f, t0, t1, y, f0, order, rtol, atol):
    """Per-patient first step (Hairer, Nørsett & Wanner, Sect. II.4): one extra RHS call."""
    scale = atol + rtol * np.abs(y)
    d0 = np.sqrt(np.mean(np.square(y / scale), axis=0))
    d1 = np.sqrt(np.mean(np.square(f0 / scale), axis=0))
    h0 = np.where((d0 < 1e-5) | (d1 < 1e-5), 1e-6, 0.01 * d0 / np.maximum(d1, 1e-300))
    h0 = np.minimum(h0, t1 - t0)
    f1 = f(t0 + h0, y + h0 * f0)
    d2 = np.sqrt(np.mean(np.square((f1 - f0) / scale), axis=0)) / h0
    big = np.maximum(d1, d2)
    h1 = np.where(big <= 1e-15, np.maximum(1e-6, h0 * 1e-3), (0.01 / np.maximum(big, 1e-300)) ** (1.0 / (order + 1)))
    return np.minimum(np.minimum(100 * h0, h1), t1 - t0)


def check_progress(step_ok, h, t, t1, idx):
    """Raise on per-patient step-size underflow (rejected steps shrunk to rounding level)."""
    tiny = ~step_ok & (h < 1e-12 * np.maximum(1.0, np.abs(t)) + 1e-300) & (t < t1)
    if tiny.any():
        raise SolverError("step size underflow (the equations may be stiff or ill-posed here)",
                          patients=idx[tiny], time_min=float(t[tiny][0]))


class _Adaptive:
    """The per-patient adaptive loop shared by the batched methods; subclasses supply one step.

    ``_step(f, t, y, f0, h)`` returns ``(y_new, f_new, err_vec, dense)``: the proposed state, the
    RHS there (reused as the next step's ``f0``), the local error estimate and ``dense(sel)``, the
    coefficients ``q0..q3`` of ``y(t + θh) = y + h·θ·(q0 + θ(q1 + θ(q2 + θ·q3)))`` for patients ``sel``.
    """

    order = 4  # of the error estimate: the step factor is err^(-1/(order + 1))

    def rhs_calls_per_step(self, m):
        raise NotImplementedError

    def integrate(self, segment, t0, t1, y0, t_eval, out=None, keep=None):
        m, n = y0.shape
        t_eval = np.ascontiguousarray(t_eval, dtype=float)
        keep = np.arange(m) if keep is None else np.asarray(keep, dtype=np.int64)
        out = np.empty((n, t_eval.size, keep.size)) if out is None else out
        if self._compiled(segment):
            return self._integrate_compiled(segment, t0, t1, y0, t_eval, out, keep)
        y_end = np.array(y0, dtype=float, copy=True)
        eps = 1e-12 * max(1.0, abs(t1))

        idx = np.arange(n)
        f = segment.rhs(idx)
        y = y_end.copy()
        t = np.full(n, float(t0))
        f0 = f(t, y)
        h = initial_step(f, t, t1, y, f0, self.order + 1, self.rtol, self.atol)
        k_next = np.searchsorted(t_eval, t0, side="right") * np.ones(n, dtype=np.intp)
        calls, steps = 2, 0
        for steps in range(1, self.max_steps + 1):
            active = t < t1 - eps
            n_active = np.count_nonzero(active)
            if n_active == 0:
                break
            if n_active < self.compact_below * idx.size:  # keep only running patients
                done = ~active
                y_end[:, idx[done]] = y[:, done]
                idx, y, t, h, k_next, f0 = idx[active], y[:, active], t[active], h[active], k_next[active], f0[:, active]
                f = segment.rhs(idx)
            h = np.minimum(h, t1 - t)
            y_new, f_new, err_vec, dense = self._step(f, t, y, f0, h)
            calls += self.rhs_calls_per_step(y.shape[0])
            err = error_norm(err_vec, y, y_new, self.rtol, self.atol)
            finite = np.isfinite(err) & np.all(np.isfinite(y_new), axis=0)
            ok = finite & (err <= 1.0)
            factor = np.clip(0.9 * np.maximum(err, 1e-10) ** (-1.0 / (self.order + 1)), 0.2, 10.0)
            factor = np.where(ok, factor, np.where(finite, np.minimum(factor, 1.0), 0.2))
            if ok.any():
                t_new = np.where(t1 - (t + h) < eps, t1, t + h)
                _dense_output(out, t_eval, k_next, idx, ok, t, t_new, h, y[keep], dense, keep)
                t = np.where(ok, t_new, t)
                np.copyto(y, y_new, where=ok)
                np.copyto(f0, f_new, where=ok)
            check_progress(ok, h, t, t1, idx)
            h = h * factor
        else:
            raise SolverError(f"more than {self.max_steps} steps", patients=idx[t < t1 - eps], time_min=float(t.min()))
        y_end[:, idx] = y
        return out, y_end, {"rhs_calls": calls, "steps": steps}

    def _compiled(self, segment):
        return False


def _dense_output(out, t_eval, k_next, idx, ok, t, t_new, h, y, dense, keep):
    """Write every output time passed by an accepted step, patient by patient (``k_next`` advances);
    ``y`` and ``out`` hold the kept states only."""
    n_t = t_eval.size
    k = np.minimum(k_next, n_t - 1)
    due = ok & (k_next < n_t) & (t_eval[k] <= t_new) if n_t else ok & False  # a segment may hold no output time
    if not due.any():
        return
    sel = np.flatnonzero(due)
    Q = [q[keep] for q in dense(sel)]
    ys, ts, hs, te = y[:, sel], t[sel], h[sel], t_new[sel]
    ks = k_next[sel]
    pos = np.arange(sel.size)
    while pos.size:
        theta = (t_eval[ks[pos]] - ts[pos]) / hs[pos]
        q = [c[:, pos] for c in Q] if pos.size < sel.size else Q
        val = ys[:, pos] + hs[pos] * theta * (q[0] + theta * (q[1] + theta * (q[2] + theta * q[3])))
        out[idx[sel[pos]], ks[pos]] = val.T
        ks[pos] += 1
        nxt = ks[pos]
        pos = pos[(nxt < n_t) & (t_eval[np.minimum(nxt, n_t - 1)] <= te[pos])]
    k_next[sel] = ks


ENGINES = ("auto", "c", "numba", "numpy")


@dataclass
class BatchedDormandPrince(_Adaptive):
    """Explicit, per-patient adaptive: the default, for the non-stiff physiology models.

    Default tolerances keep plasma glucose and insulin within 1e-4 relative of a 1e-10 reference
    (``tests/solvers``); a 7 h meal takes about 200 steps per patient, bounded by stability
    (insulin exchange rates near 1/min) more than by accuracy.
    """

    rtol: float = 1e-6
    atol: float = 1e-8
    max_steps: int = 100_000
    compact_below: float = 0.7
    #: "numpy"; "c" (:mod:`irsim.solvers.native`, built here if need be); "numba"
    #: (:mod:`irsim.solvers.compiled`, compiled here if need be); or "auto": the C kernel whenever a C
    #: compiler is found (built in the foreground on first use: ≈ 0.4 s, then loaded in a millisecond),
    #: else numba for chunks of at least ``compiled_from`` patients or runs of at least
    #: ``compiled_from_min`` minutes once its kernel is cached (NumPy while it compiles in the
    #: background; loading numba takes ≈ 0.6 s, what the NumPy engine needs for one patient's day),
    #: else NumPy. Same algorithm on every engine, so the choice changes time, not results (to rounding).
    engine: str = "auto"
    compiled_from: int = 64
    compiled_from_min: float = 2880.0
    order = 4

    def __post_init__(self):
        if self.engine not in ENGINES:
            raise InputError("engine", self.engine, allowed=", ".join(ENGINES))

    def rhs_calls_per_step(self, m):
        return 6

    def _step(self, f, t, y, f0, h):
        m, n = y.shape
        K = np.empty((7, m, n))
        K[0] = f0
        for s in range(1, 6):
            K[s] = f(t + _C[s] * h, y + h * combine(_A[s], K))
        y_new = y + h * combine(_B, K)
        K[6] = f(t + h, y_new)

        def dense(sel):
            Ks = K[:, :, sel]
            return [combine(_P[:, j], Ks) for j in range(4)]

        return y_new, K[6], h * combine(_E, K), dense

    def _compiled(self, segment):
        return self.runs_compiled(segment.model, segment.n_patients, segment.run_min)

    def runs_compiled(self, model, n_patients: int, run_min: float = 0.0) -> bool:
        """Whether ``n_patients`` of ``model`` would run on a compiled kernel now (``auto``: the C
        kernel, built now if need be; else numba's once it is cached, and asking starts its background
        compilation). Callers choose their chunks by it: NumPy chunks are bound by Python and the GIL,
        so they gain nothing from threads."""
        return self._kernel(model, n_patients, run_min) is not None

    def _kernel(self, model, n_patients, run_min):
        """``(engine, integrate, parameter names, input names)`` of the compiled kernel to run, or None (NumPy)."""
        if self.engine == "numpy":
            return None
        from irsim.solvers import compiled, native

        if self.engine in ("c", "auto"):
            lib = native.library(model)
            if lib is not None:
                return "c", lib.integrate, lib.param_names, lib.input_names
            if self.engine == "c":
                raise InputError("engine", "c", reason="no C kernel: no C compiler was found or the build failed "
                                 "(see the warning)", allowed="numpy, numba, auto")
        if self.engine == "numba" and not compiled.available():
            raise InputError("engine", "numba", reason="numba is not installed (pip install numba)")
        if self.engine == "auto":
            worth = n_patients >= self.compiled_from or run_min >= self.compiled_from_min
            if not (worth and compiled.available()):
                return None
        found = compiled.kernel(model, wait=self.engine == "numba")
        if found is None:
            return None
        module, traced = found
        return "numba", module.integrate, traced.param_names, traced.input_names

    def _integrate_compiled(self, segment, t0, t1, y0, t_eval, out, keep):
        from irsim.solvers.compiled import columns

        engine, integrate, param_names, input_names = self._kernel(segment.model, segment.n_patients, segment.run_min)
        keep = np.ascontiguousarray(keep)
        n = y0.shape[1]
        y_start = np.ascontiguousarray(y0, dtype=float)
        y_end, status = y_start.copy(), np.zeros(n, dtype=np.int64)
        k0 = int(np.searchsorted(t_eval, t0, side="right"))
        integrate(float(t0), float(t1), y_start, columns(segment.params, param_names, n),
                  columns(segment.inputs, input_names, n), t_eval, k0, keep, float(self.rtol), float(self.atol),
                  int(self.max_steps), out, y_end, status)
        for code, text in ((1, f"more than {self.max_steps} steps"),
                           (2, "step size underflow (the equations may be stiff or ill-posed here)")):
            if np.any(status == code):
                raise SolverError(text, patients=np.flatnonzero(status == code), time_min=float(t0))
        return out, y_end, {"engine": engine}


def hermite(y, y_new, f0, f1, h):
    """Cubic Hermite coefficients (q0..q3) between two accepted points, for :func:`_dense_output`."""
    slope = (y_new - y) / h
    return [f0, 3.0 * slope - 2.0 * f0 - f1, f0 + f1 - 2.0 * slope, np.zeros_like(f0)]


@dataclass
class BatchedRosenbrock(_Adaptive):
    """Linearly implicit Rosenbrock 2(3) (Shampine & Reichelt 1997, MATLAB's ode23s), batched.

    For stiff models: each step builds every patient's Jacobian by forward differences (one RHS
    call per state, all patients at once) and inverts the ``(n, m, m)`` stack of W = I − h·d·J with
    one ``np.linalg.inv``. L-stable, so steps follow accuracy, not the fastest time constant.
    Outputs by cubic Hermite interpolation. Second order: use tight tolerances for accuracy.
    """

    rtol: float = 1e-7
    atol: float = 1e-9
    max_steps: int = 200_000
    compact_below: float = 0.7
    order = 2
    _D = 1.0 / (2.0 + np.sqrt(2.0))
    _E32 = 6.0 + np.sqrt(2.0)

    def rhs_calls_per_step(self, m):
        return m + 4

    def _step(self, f, t, y, f0, h):
        m, n = y.shape
        jac = np.empty((n, m, m))
        for j in range(m):
            dy = 1e-7 * np.maximum(np.abs(y[j]), 1e-3)
            yp = y.copy()
            yp[j] += dy
            jac[:, :, j] = ((f(t, yp) - f0) / dy).T
        dt = 1e-7 * np.maximum(np.abs(t), 1.0)
        hd = h * self._D
        T = hd * (f(t + dt, y) - f0) / dt
        W_inv = np.linalg.inv(np.eye(m) - hd.T[:, None, None] * jac)

        def solve(b):
            return np.einsum("nij,jn->in", W_inv, b)

        k1 = solve(f0 + T)
        f1 = f(t + 0.5 * h, y + 0.5 * h * k1)
        k2 = solve(f1 - k1) + k1
        y_new = y + h * k2
        f2 = f(t + h, y_new)
        k3 = solve(f2 - self._E32 * (k2 - f1) - 2.0 * (k1 - f0) + T)
        err_vec = (h / 6.0) * (k1 - 2.0 * k2 + k3)
        return y_new, f2, err_vec, lambda sel: hermite(y[:, sel], y_new[:, sel], f0[:, sel], f2[:, sel], h[sel])
