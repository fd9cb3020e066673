"""Error types. `UserError` and its subclasses are the user's mistakes (exit code 2)."""

from __future__ import annotations

from dataclasses import dataclass


class UserError(Exception):
    """A mistake in the user's input: shown as a message, never as a traceback."""


class TimeFormatError(UserError):
    """A time string that is neither ISO-8601 UTC nor `jd:<TDB Julian date>`."""


class EphemerisRangeError(UserError):
    """A time outside the span of the ephemeris kernel."""


class UnknownNameError(UserError):
    """A name that matches no body, asteroid, site, facility or ship."""

    def __init__(self, name: str, candidates: list[str] | None = None, known: list[str] | None = None):
        self.name = name
        self.candidates = candidates or []
        if self.candidates:
            msg = f"'{name}' is ambiguous; it matches: " + ", ".join(self.candidates)
        else:
            msg = f"unknown name '{name}'"
            if known:
                shown = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
                msg += f"; known names include: {shown}"
        super().__init__(msg)


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, printed as `FILE:LINE: field: message`."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class InputFileError(UserError):
    """An input file with one or more problems, each naming file, line and field."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class GraphicsUnavailableError(UserError):
    """No usable OpenGL (no display, no EGL, or a GL older than 2.1)."""
