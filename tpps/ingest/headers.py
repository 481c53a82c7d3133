"""Find the header row of an export and map its columns to a contract.

Exports put title rows above the header and some workbooks split the header over two merged rows
("Identitas Ibu" over "NIK", "Nama"). The header is the row (or pair of rows) within the first
``HEADER_SEARCH_ROWS`` whose labels match the most contract columns; the same function serves CSV
lines and worksheet rows, so both formats follow one rule.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tpps.ingest.contracts import ZERO_WIDTH, Contract, label_key

HEADER_SEARCH_ROWS = 20
_IGNORED = ""  # marks a known label that is deliberately dropped


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header is and which position holds which contract column."""

    first_row: int  # 1-based, within the rows searched
    last_row: int  # equal to first_row unless the header spans two rows
    labels: tuple[str, ...]  # the header label of every position ("" when unlabelled)
    positions: Mapping[str, int]  # column name -> 0-based position
    unknown: tuple[str, ...]  # labels the contract does not know: new optional columns

    @property
    def width(self) -> int:
        """Positions up to the last labelled one; data beyond it has no column to go to."""
        labelled = [i for i, label in enumerate(self.labels) if label]
        return labelled[-1] + 1 if labelled else 0

    def missing_required(self, contract: Contract) -> tuple[str, ...]:
        """Required columns neither in the header nor read from the title rows."""
        return tuple(
            c.name for c in contract.required if c.name not in self.positions and not c.from_title
        )

    def label(self, column: str) -> str:
        return self.labels[self.positions[column]]


def find_header(rows: Sequence[Sequence[str | None]], contract: Contract) -> HeaderMatch | None:
    """The best header among the first rows, or None when no row matches any contract column."""
    vocabulary, prefixes = _vocabulary(contract), _prefixes(contract)
    searched = [[_text(value) for value in row] for row in rows[:HEADER_SEARCH_ROWS]]
    keys = [[label_key(text) for text in row] for row in searched]
    best: HeaderMatch | None = None
    for index in range(len(searched)):
        candidates = []
        # Most searched rows are titles or data. A row none of whose labels is known cannot map
        # a column; an upper row none of whose labels begins a known label cannot add one to
        # the row below (a pair's key is the upper key followed by the lower key). Skipping
        # them leaves the result as it was and takes about a third off the search's time.
        if any(key in vocabulary for key in keys[index]):
            candidates.append(_match([searched[index]], index, vocabulary))
        if index > 0 and any(key and key in prefixes for key in keys[index - 1]):
            candidates.append(_match([searched[index - 1], searched[index]], index - 1, vocabulary))
        for candidate in candidates:
            if len(candidate.positions) > len(best.positions if best else ()):
                best = candidate
    return best if best and best.positions else None


@functools.cache
def _vocabulary(contract: Contract) -> dict[str, str]:
    """Loose label -> column name (or _IGNORED); a column's own name is always one of its labels."""
    vocabulary = {label_key(label): _IGNORED for label in contract.ignored}
    for column in contract.columns:
        for label in (column.name, *column.aliases):
            vocabulary[label_key(label)] = column.name
    return vocabulary


@functools.cache
def _prefixes(contract: Contract) -> frozenset[str]:
    """Every non-empty beginning of every known loose label."""
    return frozenset(key[:end] for key in _vocabulary(contract) for end in range(1, len(key) + 1))


def _match(header_rows: list[list[str]], first: int, vocabulary: dict[str, str]) -> HeaderMatch:
    """Map one header row, or two (upper row's merged labels carried right over their span)."""
    width = max(len(r) for r in header_rows)
    lower = _padded(header_rows[-1], width)
    upper = [""] * width
    if len(header_rows) == 2:
        upper = _carry_right(_padded(header_rows[0], width), lower)

    labels: list[str] = []
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for position, (parent, child) in enumerate(zip(upper, lower, strict=True)):
        tries = ([f"{parent} {child}", child] if parent else [child]) if child else [parent]
        keys = [label_key(t) for t in tries]
        found = next((i for i, k in enumerate(keys) if k in vocabulary), None)
        column = None if found is None else vocabulary[keys[found]]
        label = tries[found or 0]
        labels.append(label)
        if column is None:
            if label and label not in unknown:
                unknown.append(label)
        elif column != _IGNORED and column not in positions:
            positions[column] = position
    last = first + len(header_rows) - 1
    return HeaderMatch(first + 1, last + 1, tuple(labels), positions, tuple(unknown))


def _text(value: str | None) -> str:
    """A cell's text with invisible characters removed and runs of white space collapsed."""
    return " ".join(value.translate(ZERO_WIDTH).split()) if value is not None else ""


def _padded(row: list[str], width: int) -> list[str]:
    return row + [""] * (width - len(row))


def _carry_right(upper: list[str], lower: list[str]) -> list[str]:
    """Repeat a merged upper label over the labelled columns below its span.

    A workbook leaves the other cells of a merged range empty; an empty upper cell above an empty
    lower cell is simply unlabelled.
    """
    carried, current = [], ""
    for parent, child in zip(upper, lower, strict=True):
        current = parent or (current if child else "")
        carried.append(current)
    return carried
