"""An .ics file as written: its components and the line each one and each of its properties
starts on, before the icalendar package reads them.

The icalendar package knows no line numbers, and one line it cannot parse outside an event
makes it refuse the whole file. So the file is first cut here into its top-level components
(each VEVENT, VTIMEZONE, ... of each VCALENDAR), with their lines; each is then read on its
own, and whatever is wrong is reported at its line while the rest of the calendar imports.
Lines that are not iCalendar content lines at all, ENDs without a BEGIN, components left open
and nesting deeper than iCalendar ever goes are reported here and left out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# VCALENDAR > VEVENT > VALARM is as deep as RFC 5545 goes (VTIMEZONE > STANDARD likewise);
# a little room for other producers' extensions, and no more: a file nested thousands deep
# would otherwise make later steps recurse that deep.
MAX_DEPTH = 6
# Top-level components read from one file. A calendar with more is a whole account's history
# (or garbage): reading it would take minutes, so the rest is reported, not read.
MAX_COMPONENTS = 10_000

# NAME, then parameters or the value: RFC 5545 3.1 (names are letters, digits and hyphens).
_NAME = re.compile(r"([A-Za-z0-9-]+)[;:]")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


@dataclass
class Component:
    """One top-level component (a VEVENT, VTIMEZONE, ...), as lines ready for the parser."""

    name: str  # upper case: VEVENT, VTIMEZONE, VTODO, ...
    line: int  # of its BEGIN, 1-based
    lines: list[str] = field(default_factory=list)  # unfolded content lines, BEGIN to END
    # Where each of its own properties (not those of a VALARM inside it) is written, in order:
    # "EXDATE" -> [14, 15].
    property_lines: dict[str, list[int]] = field(default_factory=dict)

    def text(self) -> str:
        return "".join(line + "\r\n" for line in self.lines)

    def line_of(self, name: str, index: int = 0) -> int:
        """The line of the `index`-th `name` property, or the component's own line."""
        lines = self.property_lines.get(name.upper(), [])
        return lines[index] if index < len(lines) else self.line


@dataclass
class CalendarText:
    line: int  # of BEGIN:VCALENDAR
    properties: list[str] = field(default_factory=list)  # the calendar's own, unfolded
    components: list[Component] = field(default_factory=list)


@dataclass
class ScannedFile:
    calendars: list[CalendarText]
    problems: list[tuple[int, str]]  # (line, what was wrong and left out)


def scan_calendar_file(text: str) -> ScannedFile:
    """Cut an iCalendar text into calendars and their top-level components. Never raises; each
    line is looked at once, and nothing recurses."""
    scanner = _Scanner()
    for number, line in _content_lines(text):
        scanner.read(number, line)
    return scanner.finish()


class _Scanner:
    def __init__(self) -> None:
        self.calendars: list[CalendarText] = []
        self.problems: list[tuple[int, str]] = []
        self.calendar: CalendarText | None = None  # the VCALENDAR being read
        self.component: Component | None = None  # its top-level component being read
        self.open: list[str] = []  # names BEGUN and not yet ENDed inside that component
        self.too_deep_at: int | None = None  # where that component first went too deep
        self.outside: bool = False  # that component is outside any VCALENDAR: read, then dropped
        self.kept = 0  # top-level components kept, in every calendar of the file
        self.not_read: list[int] = []  # lines of components beyond MAX_COMPONENTS

    def read(self, number: int, line: str) -> None:
        match = _NAME.match(line)
        if match is None:
            self.problems.append((number, f"not an iCalendar line ({shown(line)}): left out; "
                                  "each line must be NAME:value, and a line that continues the "
                                  "one before starts with a space"))
            return
        name = match.group(1).upper()
        argument = line.partition(":")[2].strip().upper()
        if name == "BEGIN":
            self._begin(number, line, argument)
        elif name == "END":
            self._end(number, line, argument)
        elif self.component is not None:
            self.component.lines.append(line)
            # The icalendar package drops an empty RDATE line; so do its line numbers here.
            if len(self.open) == 1 and not (name == "RDATE" and not argument):
                self.component.property_lines.setdefault(name, []).append(number)
        elif self.calendar is not None:
            self.calendar.properties.append(line)
        else:
            self.problems.append((number, f"{shown(name)} is outside any VCALENDAR: left out"))

    def _begin(self, number: int, line: str, name: str) -> None:
        if self.component is not None:  # something inside a component: part of it
            self.open.append(name)
            if len(self.open) + 1 > MAX_DEPTH and self.too_deep_at is None:
                self.too_deep_at = number
            self.component.lines.append(line)
        elif self.calendar is None and name == "VCALENDAR":
            self.calendar = CalendarText(number)
            self.calendars.append(self.calendar)
        else:
            self.component = Component(name, number, [f"BEGIN:{name}"])
            self.open, self.too_deep_at = [name], None
            self.outside = self.calendar is None
            if self.outside:
                self.problems.append((number, f"BEGIN:{shown(name)} is not inside a VCALENDAR: "
                                      "left out, up to its END"))

    def _end(self, number: int, line: str, name: str) -> None:
        if self.component is not None:
            if name != self.open[-1]:
                self.problems.append((number, f"END:{shown(name)} closes BEGIN:"
                                      f"{shown(self.open[-1])}: read as END:{shown(self.open[-1])}"))
            self.component.lines.append(f"END:{self.open.pop()}")
            if not self.open:
                self._keep(self.component)
                self.component = None
        elif self.calendar is not None:
            if name != "VCALENDAR":
                self.problems.append((number, f"END:{shown(name)} closes BEGIN:VCALENDAR: read "
                                      "as END:VCALENDAR"))
            self.calendar = None
        else:
            self.problems.append((number, f"END:{shown(name)} has no BEGIN: left out"))

    def _keep(self, component: Component) -> None:
        if self.outside:
            return
        if self.too_deep_at is not None:
            self.problems.append((component.line, f"{shown(component.name)} holds components "
                                  f"nested more than {MAX_DEPTH} deep (from line "
                                  f"{self.too_deep_at}); iCalendar nests three (VCALENDAR > "
                                  "VEVENT > VALARM): left out"))
            return
        if self.kept >= MAX_COMPONENTS:
            self.not_read.append(component.line)
            return
        self.kept += 1
        self.calendar.components.append(component)

    def finish(self) -> ScannedFile:
        if self.component is not None:
            name = shown(self.component.name)
            self.problems.append((self.component.line, f"BEGIN:{name} has no END:{name}: left "
                                  "out"))
        if self.not_read:
            self.problems.append((self.not_read[0], f"the file has more than {MAX_COMPONENTS} "
                                  f"events and other components; this one and the "
                                  f"{len(self.not_read) - 1} after it were not read: import the "
                                  "file in parts, or export a shorter period"))
        return ScannedFile(self.calendars, sorted(self.problems))


def _content_lines(text: str):
    """(first physical line number, unfolded line) for each content line (RFC 5545 3.1: a line
    starting with a space or tab continues the one before). Blank lines are skipped."""
    pieces: list[str] = []  # of the line being unfolded
    first = 0
    for number, physical in enumerate(_LINE_BREAK.split(text), start=1):
        if physical[:1] in (" ", "\t") and pieces:
            pieces.append(physical[1:])
            continue
        if pieces:
            yield first, "".join(pieces)
        pieces, first = ([physical], number) if physical.strip() else ([], 0)
    if pieces:
        yield first, "".join(pieces)


def shown(text: str, limit: int = 40) -> str:
    """Part of a line as it can be shown in a one-line message."""
    printable = "".join(c if c.isprintable() else "?" for c in text)
    return printable if len(printable) <= limit else printable[:limit] + "..."


def broken_reason(prop) -> str | None:
    """What is wrong with a property value the icalendar package could not parse (it keeps
    such a value as a vBroken), or None if the value was read."""
    from icalendar.prop import vBroken

    if isinstance(prop, vBroken):
        return shown(" ".join(str(prop.parse_error or "not a valid value").split()), 160)
    return None
