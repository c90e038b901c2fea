"""An event on its way in from another system, and the event file it becomes.

Importers turn foreign records into `Draft`s (pure functions); `event_file_text` writes one as
a Nextup event file; `place` checks it with the real validator before anything is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

APPROXIMATED = "approximated"  # imported, but not exactly as the source had it: says why
REVIEW = "review"  # imported as well as we could; a person should look at it
INFO = "info"  # what was done, for the record (an exclusive end date made inclusive, ...)


@dataclass(frozen=True, slots=True)
class Note:
    kind: str  # APPROXIMATED, REVIEW or INFO
    text: str


@dataclass
class Override:
    original: datetime  # local start the occurrence would have had
    start: datetime | None = None
    duration: int | None = None
    title: str | None = None


@dataclass
class Draft:
    """Fields of a Nextup event file, in the file's own terms: wall-clock times in `timezone`."""

    source: str  # where it came from, for the report: "events.csv line 4"
    slug: str  # preferred; `place` makes it unique
    title: str
    category: str
    timezone: str
    start: datetime
    duration: int  # minutes; all day: whole days of 1440
    all_day: bool = False  # written as date (and days): the start's day, whole days long
    repeat: dict | None = None  # the friendly [repeat] table, or
    rrule: str | None = None  # an RFC 5545 rule where [repeat] cannot say it
    rdates: list[datetime] = field(default_factory=list)
    exdates: list[datetime | date] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    url: str | None = None
    project: str | None = None
    audience: str | None = None
    draft: bool = False
    description: str = ""  # Markdown
    comments: list[str] = field(default_factory=list)  # written as # lines at the top
    notes: list[Note] = field(default_factory=list)
    # The source's own meetings from about now for a year, as (start, end, title or None) in
    # UTC, worked out from the source's rules: `place` checks the written file against them.
    expected: list[tuple[datetime, datetime, str | None]] | None = None
    # The source's meetings are known only before this instant (UTC), when working them out
    # hit its bound or the file stops early on purpose; None: for the whole year.
    expected_until: datetime | None = None
    # Or a function that works both out (expected, expected_until) when `place` compares.
    source_meetings: Callable[[], tuple[list | None, datetime | None]] | None = None

    def note(self, kind: str, text: str) -> None:
        self.notes.append(Note(kind, text))


# --- writing an event file -------------------------------------------------------------------

_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b",
                 "\f": "\\f"}


def toml_string(text: str) -> str:
    """A TOML basic string. Control characters other than tab are not allowed raw."""
    out = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, datetime):  # local: no offset, seconds always written
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return _toml_list([toml_value(v) for v in value])
    raise TypeError(f"no TOML for {value!r}")


def _toml_list(items: list[str]) -> str:
    one_line = "[" + ", ".join(items) + "]"
    if len(one_line) <= 80:
        return one_line
    return "[\n" + "".join(f"    {item},\n" for item in items) + "]"


def event_file_text(draft: Draft) -> str:
    """The event file: `+++` TOML front matter in the order the README documents, then the
    description. Comments carry what the report said, so the file explains itself later."""
    lines = ["+++"]
    lines += [f"# {line}".rstrip() for comment in draft.comments for line in comment.split("\n")]
    # An all-day event's moments are its days (validate.py reads them as dates).
    day = (lambda moment: moment.date() if isinstance(moment, datetime) else moment) \
        if draft.all_day else (lambda moment: moment)
    when = ([("date", draft.start.date()), ("days", draft.duration // 1440
                                             if draft.duration > 1440 else None)]
            if draft.all_day else [("start", draft.start), ("duration", draft.duration)])
    fields = [("title", draft.title), ("category", draft.category),
              ("timezone", draft.timezone), *when, ("rrule", draft.rrule),
              ("rdates", sorted({day(r) for r in draft.rdates}) or None),
              ("exdates", sorted({day(x) for x in draft.exdates}, key=_sort_key) or None),
              ("url", draft.url), ("project", draft.project), ("audience", draft.audience),
              ("draft", True if draft.draft else None)]
    lines += [f"{name} = {toml_value(value)}" for name, value in fields if value is not None]
    if draft.repeat:
        lines += ["", "[repeat]"]
        lines += [f"{name} = {toml_value(value)}" for name, value in draft.repeat.items()]
    for override in sorted(draft.overrides, key=lambda o: o.original):
        lines += ["", "[[overrides]]", f"original = {toml_value(day(override.original))}"]
        for name in ("start", "duration", "title"):
            value = getattr(override, name)
            if name == "start" and value is not None:
                value = day(value)
            if value is not None:
                lines.append(f"{name} = {toml_value(value)}")
    lines.append("+++")
    body = draft.description.strip("\n")
    return "\n".join(lines) + "\n" + (body + "\n" if body else "")


def _sort_key(value: datetime | date) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())


# --- plain text to Markdown ------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|mailto:|www\.)[^\s<>\"]+", re.I)
_INLINE_SPECIAL = re.compile(r"([\\`*\[\]<~|])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=\-]|\d+[.)])")
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def markdown_from_plain_text(text: str) -> str:
    """Plain text (as the original site and calendars store descriptions) as Markdown that
    renders to the same text: characters Markdown would read as formatting are escaped, links
    are left alone so they still become links, and a single line break stays a line break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    paragraphs = re.split(r"\n\s*\n", text)
    out = []
    for paragraph in paragraphs:
        lines = [_escape_line(line.strip()) for line in paragraph.split("\n") if line.strip()]
        if lines:
            # A backslash at the end of a line is Markdown's hard line break.
            out.append("\\\n".join(lines))
    return "\n\n".join(out)


def _escape_line(line: str) -> str:
    pieces, position = [], 0
    for match in _URL.finditer(line):
        pieces.append(_escape_words(line[position:match.start()]))
        url = match.group(0)
        trailing = re.search(r"[.,;:!?)]+$", url)  # "see https://x.org." ends the sentence
        if trailing:
            url = url[:trailing.start()]
        pieces.append(url)
        position = match.start() + len(url)
    pieces.append(_escape_words(line[position:]))
    escaped = "".join(pieces)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2) if not m.group(2)[0].isdigit()
                           else m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], escaped, count=1)


def _escape_words(text: str) -> str:
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    return _ENTITY.sub("&amp;", text)


_HTML_TAG = re.compile(r"</?(?:a|b|br|i|em|strong|p|div|span|ul|ol|li|u)\b[^>]*>", re.I)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_TAG.search(text))
