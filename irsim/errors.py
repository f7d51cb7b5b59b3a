"""Errors a user can cause or meet, each saying what was expected.

Every error irsim raises on purpose derives from :class:`IrsimError`, so the CLI can turn it into a
one-line message (exit code 2) and never a traceback for a user's mistake.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class IrsimError(Exception):
    """Base class of every error irsim raises deliberately."""


class InputError(IrsimError, ValueError):
    """A value outside what the quantity allows: names the field, value, unit and allowed range."""

    def __init__(
        self,
        field: str,
        value: object,
        *,
        unit: str | None = None,
        allowed: str | None = None,
        reason: str | None = None,
    ) -> None:
        self.field, self.value, self.unit, self.allowed = field, value, unit, allowed
        shown = f"{value}" if unit is None else f"{value} {unit}"
        message = f"{field} = {shown}: {reason or 'out of range'}"
        if allowed:
            message += f" (allowed: {allowed})"
        super().__init__(message)


class UnknownNameError(IrsimError, KeyError):
    """A name (patient, protocol, parameter, …) that does not exist; suggests the nearest one."""

    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        known = sorted(known)
        self.kind, self.name, self.known = kind, name, known
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        if not close:
            lowered = {k.lower(): k for k in known}
            close = [lowered[name.lower()]] if name.lower() in lowered else []
        hint = f"; did you mean '{close[0]}'?" if close else ""
        listing = ", ".join(known) if len(known) <= 12 else ", ".join(known[:12]) + ", …"
        super().__init__(f"unknown {kind} '{name}'{hint} (known: {listing})")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class SolverError(IrsimError, RuntimeError):
    """The integrator could not advance: names the patient(s) and the time it stopped at."""

    def __init__(self, message: str, *, patients: Iterable[int] = (), time_min: float | None = None) -> None:
        self.patients = list(patients)
        self.time_min = time_min
        where = []
        if self.patients:
            shown = ", ".join(str(p) for p in self.patients[:10])
            more = f" and {len(self.patients) - 10} more" if len(self.patients) > 10 else ""
            where.append(f"patient {shown}{more}")
        if time_min is not None:
            where.append(f"t = {time_min:.6g} min")
        super().__init__(message + (f" ({'; '.join(where)})" if where else ""))


class SteadyStateError(SolverError):
    """No fasting steady state could be found for some patients' parameters."""
