"""Errors raised for bad input, written for the analyst who has to fix the file."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MAX_PROBLEMS_SHOWN", "InputError", "InputProblem", "InputWarning"]

#: Problems listed in one message; the rest are counted ("... and 12 more").
MAX_PROBLEMS_SHOWN = 50


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
    sheet : str or None
        Excel sheet the problem is on (None for CSV files and in-memory frames).
    cell : str or None
        Spreadsheet cell reference such as ``"N5"``, when one cell is at fault.
    """

    file: str
    column: str | None
    row: int | None
    value: str | None
    expected: str
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = [f"file {self.file}"]
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.row is not None:
            where.append(f"row {self.row}" + (f" (cell {self.cell})" if self.cell else ""))
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


@dataclass(frozen=True)
class InputWarning:
    """An oddity in an input file that was accepted, said out loud.

    Printed by ``edi-report validate`` and ``build`` and recorded in the report's
    data-quality section (a byte-order mark, Windows-1252 text, title rows skipped, codes
    mapped to the contract's values, rows outside the organisation's area ...).

    Attributes
    ----------
    file : str
        Name of the file.
    message : str
        What was found and what was done about it, in plain words, for the analyst (may
        hold counts, rows and values of the private file).
    public : str or None
        The whole sentence for the published report, without counts, rows or values
        (which would go around disclosure control); None when ``file`` and ``message``
        hold none of them.
    """

    file: str
    message: str
    public: str | None = None

    def __str__(self) -> str:
        return f"file {self.file}: {self.message}"

    @property
    def public_text(self) -> str:
        """The warning as the published report says it."""
        return self.public or f"{self.file}: {self.message}"

