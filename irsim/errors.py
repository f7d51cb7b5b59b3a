"""Errors a user can cause or meet, each saying what was expected.

Every error irsim raises on purpose derives from :class:`IrsimError`, so the CLI can turn it into a
one-line message (exit code 2) and never a traceback for a user's mistake.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import get_args

#: units of pure numbers (fractions, flags, ratios): printed as the bare number, as SI writes them
DIMENSIONLESS = frozenset({"1", "", "dimensionless"})


def with_unit(value: object, unit: str | None) -> str:
    """``value`` followed by its unit, or alone when there is none (``2.0``, not ``2.0 1``)."""
    return f"{value}" if unit is None or unit in DIMENSIONLESS else f"{value} {unit}"


class IrsimError(Exception):
    """Base class of every error irsim raises deliberately."""

    def typed_as(self, names: Mapping[str, str]) -> IrsimError:
        """This error in the words of an interface: irsim's Python names replaced by what the user typed.

        ``names`` maps Python names (``carbs_g``, ``protocol``) to, e.g., CLI flags (``--carbs-g``), so an
        interface translates every error in one place instead of rewording each message.
        """
        return self


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
        self.field, self.value, self.unit, self.allowed, self.reason = field, value, unit, allowed, reason
        message = f"{field} = {with_unit(value, unit)}: {reason or 'out of range'}"
        if allowed:
            message += f" (allowed: {allowed})"
        super().__init__(message)

    def typed_as(self, names: Mapping[str, str]) -> InputError:
        """The field renamed, and Python identifiers (names with ``_``) renamed inside ``allowed`` and ``reason``."""
        identifiers = sorted((k for k in names if "_" in k), key=len, reverse=True)
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, identifiers)) + r")\b") if identifiers else None

        def rename(text: str | None) -> str | None:
            return text if text is None or pattern is None else pattern.sub(lambda m: names[m.group(1)], text)

        return InputError(names.get(self.field, self.field), self.value, unit=self.unit,
                          allowed=rename(self.allowed), reason=rename(self.reason))


def one_of(choices, value: object, field: str):
    """``value`` if it is one of the ``choices`` (a ``typing.Literal`` or a sequence), else an
    InputError naming ``field`` and the choices."""
    allowed = get_args(choices) or tuple(choices)
    if value not in allowed:
        raise InputError(field, value, allowed=" or ".join(f'"{m}"' for m in allowed))
    return value


class UnknownNameError(IrsimError, KeyError):
    """A name (patient, protocol, parameter, …) that does not exist; suggests the nearest one."""

    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        known = sorted(known)
        self.kind, self.name, self.known = kind, name, known
        lowered = name.lower()
        close = (difflib.get_close_matches(name, known, n=1, cutoff=0.5)
                 or [k for k in known if k.lower() == lowered]
                 or [k for k in known if lowered and k.lower().startswith(lowered)][:1])  # 'dalla' → 'dalla-man-2007'
        hint = f"; did you mean '{close[0]}'?" if close else ""
        listing = ", ".join(known) if len(known) <= 12 else ", ".join(known[:12]) + ", …"
        super().__init__(f"unknown {kind} '{name}'{hint} (known: {listing})")

    def typed_as(self, names: Mapping[str, str]) -> UnknownNameError:
        """Prefixed with what the user typed for this kind of name (first word of ``kind``: ``model`` → ``--model``)."""
        typed = names.get(self.kind, names.get(self.kind.split(" ")[0]))
        if typed is None:
            return self
        error = UnknownNameError(self.kind, self.name, self.known)
        error.args = (f"{typed}: {error.args[0]}",)
        return error

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
