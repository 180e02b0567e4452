"""Errors raised for bad input, written for the analyst who has to fix the file."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["InputError", "InputProblem"]


@dataclass(frozen=True)
class InputProblem:
    """One problem found in an input file.

    Attributes
    ----------
    file : str
        Path or name of the file (or ``"<DataFrame>"`` for in-memory input).
    column : str or None
        Column the problem is in, or None for file-level problems.
    row : int or None
        1-based data row as the analyst sees it in a spreadsheet (header is row 1,
        so the first data row is row 2), or None when the problem is not row-specific.
    value : str or None
        The offending value, as text.
    expected : str
        What was expected instead, in plain words.
    """

    file: str
    column: str | None
    row: int | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [f"file {self.file}"]
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        got = f": found {self.value!r}" if self.value is not None else ""
        return f"{', '.join(where)}{got}; expected {self.expected}"


@dataclass
class InputError(ValueError):
    """Raised when an input file or table does not meet its contract.

    Carries every problem found (not just the first), so an analyst can fix a file in
    one pass. ``str(error)`` lists them, at most ``max_shown`` lines.
    """

    problems: list[InputProblem] = field(default_factory=list)
    max_shown: int = 50

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the input:"
        lines = [f"  - {p}" for p in self.problems[: self.max_shown]]
        if n > self.max_shown:
            lines.append(f"  ... and {n - self.max_shown} more")
        return "\n".join([head, *lines])

    @classmethod
    def single(
        cls,
        file: str,
        expected: str,
        column: str | None = None,
        row: int | None = None,
        value: object | None = None,
    ) -> InputError:
        """Build an error holding one problem."""
        shown = None if value is None else str(value)
        return cls([InputProblem(file, column, row, shown, expected)])
