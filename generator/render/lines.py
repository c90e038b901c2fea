"""Occurrences as they travel from the per-event stage to the site-wide pass: one line of text
each, so that sorted files of them merge in start order without holding a large site in memory.

    <start>\t<slug>\t<end>\t<original local start, or empty>\t<the feed's JSON for it>

Sorting the lines sorts by start, then event: the feed's order. This module is the only one
that writes or reads the format.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from ..model import Occurrence, Session
from ..schedule.dates import iso_utc
from .feed import occurrence_fragment


def occurrence_line(occurrence: Occurrence, session: Session | None = None) -> str:
    """`session`: the occurrence's record, whose key, join link and note the feed carries."""
    original = occurrence.original.isoformat() if occurrence.original else ""
    return (f"{iso_utc(occurrence.start)}\t{occurrence.event}\t{iso_utc(occurrence.end)}\t"
            f"{original}\t{occurrence_fragment(occurrence, session)}\n")


def line_ends_after(line: str, instant_text: str) -> bool:
    """Whether the occurrence on `line` ends after `instant_text` (an iso_utc string): the
    same format compares as text, without parsing the line."""
    return line.split("\t", 3)[2] > instant_text


@dataclass(slots=True)
class Line:
    start: str
    event: str
    end: str
    original: str
    fragment: str  # the occurrence's JSON in the feed

    @property
    def instant(self) -> datetime:
        return parse_instant(self.start)

    def occurrence(self) -> Occurrence:
        title = dates = None
        if '"title"' in self.fragment or '"all_day"' in self.fragment:
            entry = json.loads(self.fragment)
            title = entry.get("title")
            if entry.get("all_day"):
                dates = (date.fromisoformat(entry["date"]), date.fromisoformat(entry["end_date"]))
        original = datetime.fromisoformat(self.original) if self.original else None
        return Occurrence(self.event, parse_instant(self.start), parse_instant(self.end), title,
                          original, dates)


def parse_instant(text: str) -> datetime:
    """An iso_utc string back to an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_lines(lines: Iterable[str]) -> Iterator[Line]:
    for line in lines:
        yield Line(*line.rstrip("\n").split("\t", 4))


def parse_line(line: str) -> Occurrence:
    return Line(*line.rstrip("\n").split("\t", 4)).occurrence()
