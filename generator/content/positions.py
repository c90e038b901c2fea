"""Where each key and array element sits in a TOML document.

tomllib parses but forgets positions; error messages need "line 7, column 12". This scanner
reads the same text line by line and records the position of every value, keyed by its path:
("title",), ("repeat", "on"), ("repeat", "on", 1), ("overrides", 0, "start"), ("exdates", 2).
It only has to understand the layout of TOML, not its values: tomllib has already accepted
the document by the time this runs.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

_BARE_OR_QUOTED = r'(?:[A-Za-z0-9_-]+|"[^"\\]*(?:\\.[^"\\]*)*"|\'[^\']*\')'
_DOTTED_KEY = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"
_KEY_VALUE = re.compile(rf"\s*({_DOTTED_KEY})\s*=\s*")
_ARRAY_TABLE = re.compile(rf"\s*\[\[\s*({_DOTTED_KEY})\s*\]\]")
_TABLE = re.compile(rf"\s*\[\s*({_DOTTED_KEY})\s*\]")
_KEY_PART = re.compile(_BARE_OR_QUOTED)


def _split_key(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _KEY_PART.findall(dotted))


def scan_positions(text: str, first_line: int = 1) -> dict[tuple, tuple[int, int]]:
    """Map key paths to the (line, column) where their value starts, both 1-based.

    `first_line` is the file line of the document's first line, so that positions are file
    positions even when the TOML is front matter inside a larger file.
    """
    positions: dict[tuple, tuple[int, int]] = {}
    lines = text.split("\n")
    prefix: tuple = ()
    array_table_counts: dict[tuple, int] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        line_no = first_line + index
        match = _ARRAY_TABLE.match(line)
        if match:
            name = _split_key(match.group(1))
            count = array_table_counts.get(name, 0)
            array_table_counts[name] = count + 1
            prefix = name + (count,)
            positions[prefix] = (line_no, match.start(1) + 1)
            _note_parents(positions, name, (line_no, match.start(1) + 1))
            index += 1
            continue
        match = _TABLE.match(line)
        if match:
            prefix = _split_key(match.group(1))
            positions[prefix] = (line_no, match.start(1) + 1)
            _note_parents(positions, prefix[:-1], (line_no, match.start(1) + 1))
            index += 1
            continue
        match = _KEY_VALUE.match(line)
        if match:
            key = prefix + _split_key(match.group(1))
            positions[key] = (line_no, match.end() + 1)
            # A dotted key (repeat.every = ...) also places the tables it implies.
            _note_parents(positions, key[:-1], (line_no, match.start(1) + 1), len(prefix))
            # Values can span lines (arrays, multi-line strings); skip past them, noting
            # where each top-level array element starts.
            index = _scan_value(lines, index, match.end(), key, first_line, positions)
            continue
        index += 1
    return positions


def _note_parents(positions, path: tuple, position, skip: int = 0) -> None:
    """Place the tables a header or dotted key implies ("a", "a.b"), unless placed already."""
    for end in range(max(skip, 1), len(path) + 1):
        positions.setdefault(path[:end], position)


def _scan_value(lines, index, column, key, first_line, positions) -> int:
    """Walk one value from lines[index][column:]; return the index of the line after it."""
    depth = 0
    in_array = False  # the value is an array (not an inline table): depth 1 holds elements
    element = 0
    expecting_element = False
    while index < len(lines):
        line = lines[index]
        while column < len(line):
            char = line[column]
            if char == "#":
                break  # comment: rest of the line
            if char in "\"'":
                if depth == 1 and expecting_element:
                    positions[key + (element,)] = (first_line + index, column + 1)
                    element += 1
                    expecting_element = False
                index, column = _skip_string(lines, index, column)
                line = lines[index] if index < len(lines) else ""
                continue
            if char in "[{":
                if depth == 1 and expecting_element:
                    positions[key + (element,)] = (first_line + index, column + 1)
                    element += 1
                    expecting_element = False
                depth += 1
                if depth == 1:
                    in_array = char == "["
                    expecting_element = in_array
            elif char in "]}":
                depth -= 1
            elif char == ",":
                expecting_element = depth == 1 and in_array
            elif not char.isspace() and depth == 1 and expecting_element:
                positions[key + (element,)] = (first_line + index, column + 1)
                element += 1
                expecting_element = False
            if depth == 0 and char not in "[{":
                # A scalar value, or the end of an array or inline table.
                if char in "]}" or not char.isspace():
                    return index + 1
            column += 1
        if depth == 0:
            return index + 1
        index += 1
        column = 0
    return index


def _skip_string(lines, index, column) -> tuple[int, int]:
    """Return the (line index, column) just after the string starting at lines[index][column]."""
    line = lines[index]
    quote = line[column]
    triple = line.startswith(quote * 3, column)
    if triple:
        closing = quote * 3
        column += 3
        while index < len(lines):
            found = lines[index].find(closing, column)
            while found != -1 and quote == '"' and _escaped(lines[index], found):
                found = lines[index].find(closing, found + 1)
            if found != -1:
                return index, found + 3
            index += 1
            column = 0
        return index, 0
    column += 1
    while column < len(line):
        if line[column] == "\\" and quote == '"':
            column += 2
            continue
        if line[column] == quote:
            return index, column + 1
        column += 1
    return index, column


def _escaped(line: str, position: int) -> bool:
    backslashes = 0
    while position > 0 and line[position - 1] == "\\":
        backslashes += 1
        position -= 1
    return backslashes % 2 == 1


def nesting_position(text: str, limit: int, first_line: int = 1) -> tuple[int, int] | None:
    """Where brackets in a value first nest deeper than `limit` (file line, column), or None.

    Used only after tomllib gave up on deep nesting, to point at the place; strings and
    comments are skipped, so brackets inside them do not count.
    """
    lines = text.split("\n")
    depth = 0
    index = 0
    while index < len(lines):
        line, column = lines[index], 0
        while column < len(line):
            char = line[column]
            if char == "#":
                break
            if char in "\"'":
                index, column = _skip_string(lines, index, column)
                if index >= len(lines):
                    return None
                line = lines[index]
                continue
            if char in "[{":
                depth += 1
                if depth > limit:
                    return first_line + index, column + 1
            elif char in "]}":
                depth = max(depth - 1, 0)
            column += 1
        index += 1
    return None


_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def string_character_position(text: str, position: tuple[int, int], wanted, first_line: int = 1
                              ) -> tuple[int, int] | None:
    """Where, in the source, the first character of a string value for which `wanted(char)` is
    true is written (file line, column): the character itself, or the escape (\\n, \\u0000)
    that stands for it. `position` is where the value starts (its opening quote). None if the
    value there is not a string or nothing matches."""
    lines = text.split("\n")
    index, column = position[0] - first_line, position[1] - 1
    if not 0 <= index < len(lines) or not lines[index].startswith(("\"", "'"), column):
        return None
    line = lines[index]
    quote = line[column]
    triple = line.startswith(quote * 3, column)
    closing = quote * 3 if triple else quote
    column += len(closing)
    if triple and column == len(line):  # a newline right after the opening quotes is dropped
        index, column = index + 1, 0
    while index < len(lines):
        line = lines[index]
        continued = False  # the line ends in a backslash: its line break is not in the value
        while column < len(line):
            if line.startswith(closing, column):
                return None
            char = line[column]
            if char == "\\" and quote == '"':
                following = line[column + 1:column + 2]
                if following in _ESCAPES:
                    meaning, length = _ESCAPES[following], 2
                elif following in ("u", "U"):
                    length = 6 if following == "u" else 10
                    try:
                        meaning = chr(int(line[column + 2:column + length], 16))
                    except ValueError:
                        meaning = ""
                else:  # a line-ending backslash in a multi-line string: no character
                    meaning, length, continued = "", len(line) - column, True
                if meaning and wanted(meaning):
                    return first_line + index, column + 1
                column += length
                continue
            if wanted(char):
                return first_line + index, column + 1
            column += 1
        if not triple:
            return None
        if not continued and wanted("\n") and index + 1 < len(lines):
            return first_line + index, len(line) + 1
        index, column = index + 1, 0
    return None


class LazyPositions(Mapping):
    """scan_positions, run on first use. Positions only serve problem messages, and most files
    have none, so a build of many events never pays for the scan."""

    __slots__ = ("_text", "_first_line", "_positions")

    def __init__(self, text: str, first_line: int = 1):
        self._text, self._first_line, self._positions = text, first_line, None

    def _scan(self) -> dict[tuple, tuple[int, int]]:
        if self._positions is None:
            try:
                self._positions = scan_positions(self._text, self._first_line)
            except Exception:  # noqa: BLE001 - positions only improve messages: never fail them
                self._positions = {}
        return self._positions

    @property
    def text(self) -> str:
        """The TOML text the positions are in."""
        return self._text

    @property
    def first_line(self) -> int:
        return self._first_line

    def __getitem__(self, key):
        return self._scan()[key]

    def __iter__(self):
        return iter(self._scan())

    def __len__(self):
        return len(self._scan())
