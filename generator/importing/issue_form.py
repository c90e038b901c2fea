"""`build.py import issue-form BODY`: the "Propose an event" issue form, as an event file.

GitHub writes a submitted form as Markdown: each field's label as a `### Label` heading, then
what was typed (`_No response_` for nothing). `read_form` finds the fields, `draft_from_form`
turns them into a `Draft` (written by `event_file_text`, like every import, so no text typed in
the form can become TOML of its own), and `form_problem` tells a problem `check` finds what is wrong in the form's own
in the form's own words: the field's label, what is wrong, how to fix it. The labels here and in
`.github/ISSUE_TEMPLATE/propose-event.yml` are the same (tests/test_issue_form.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from ..content.hints import zone_hint
from ..model import Problem
from ..schedule.zones import is_known_zone
from ..text import (FORBIDDEN_IN_DESCRIPTION, FORBIDDEN_IN_SETTINGS, character_words, is_slug,
                    slugify)
from .draft import Draft
from .run import read_regular_file

# GitHub keeps an issue body to 65,536 characters; four bytes each at most.
MAX_BODY_BYTES = 4 * 65536
NO_RESPONSE = "_No response_"
FORM_NAME = "Propose an event"


@dataclass(frozen=True, slots=True)
class FormField:
    label: str  # the heading GitHub writes, `### <label>`
    key: str  # the event file's field it fills ("" when it fills none)
    required: bool = False
    lines: bool = False  # a text area: may hold several lines


# In the form's order, which is the order GitHub writes them in.
FIELDS = (
    FormField("Title", "title", required=True),
    FormField("Category", "category", required=True),
    FormField("Time zone", "timezone", required=True),
    FormField("First meeting: date", "start", required=True),
    FormField("First meeting: local time", "start", required=True),
    FormField("Duration in minutes", "duration", required=True),
    FormField("Repeats", "repeat.every", required=True),
    FormField("Every how many", "repeat.interval"),
    FormField("On", "repeat.on"),
    FormField("Last meeting on", "repeat.until"),
    FormField("Number of meetings", "repeat.count"),
    FormField("Cancelled dates", "exdates", lines=True),
    FormField("Join link", "url"),
    FormField("Description", "description", lines=True),
    FormField("Contact", ""),
)
LABELS = tuple(f.label for f in FIELDS)
_BY_LABEL = {f.label: f for f in FIELDS}

# The "Repeats" dropdown: option -> [repeat] every (None: a one-off meeting).
REPEATS = {"Does not repeat": None, "Every day": "day", "Every week": "week",
           "Every month": "month", "Every year": "year"}


@dataclass(frozen=True, slots=True)
class FormProblem:
    """One thing wrong in the form, told in its terms: the label of the field to change."""

    label: str | None  # None: the issue as a whole
    message: str
    hint: str | None = None
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        text = (f"{self.label}: " if self.label else "") + self.message
        return text + (f"; {self.hint}" if self.hint else "")


@dataclass(frozen=True, slots=True)
class Form:
    values: dict[str, str]  # label -> what was typed ("" for no response)
    problems: tuple[FormProblem, ...]


# --- reading the body ----------------------------------------------------------------------

def read_form(body: str) -> Form:
    """The fields of a submitted form. A heading is taken for a field only if it is a field's
    label, and the fields are matched from the last one back, so that a `### Contact` line
    typed into the description does not cut the description short."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headings: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        if line.startswith("### ") and line[4:].strip() in _BY_LABEL:
            headings.setdefault(line[4:].strip(), []).append(number)
    found: dict[str, int] = {}
    limit = len(lines)
    for label in reversed(LABELS):
        before = [n for n in headings.get(label, ()) if n < limit]
        if before:
            found[label] = limit = before[-1]
    problems = []
    if not found:
        problems.append(FormProblem(None, f'this issue was not written with the "{FORM_NAME}" '
                                    "form: it has none of the form's headings",
                                    f'open a new issue and choose "{FORM_NAME}"'))
        return Form({}, tuple(problems))
    order = sorted(found.items(), key=lambda item: item[1])
    values = {}
    for index, (label, start) in enumerate(order):
        end = order[index + 1][1] if index + 1 < len(order) else len(lines)
        text = "\n".join(lines[start + 1:end]).strip("\n")
        values[label] = "" if text.strip() == NO_RESPONSE else text.strip()
    for label in LABELS:
        if label not in values:
            problems.append(FormProblem(label, f'the issue has no "### {label}" section',
                                        f'edit the issue and add it back, or open a new one '
                                        f'with the "{FORM_NAME}" form'))
            values[label] = ""
    return Form(values, tuple(problems))


# --- the form as a draft ---------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]+(\d{1,2}[:.]\d{2})(?::00)?)?$")
_WHOLE = re.compile(r"^\d{1,9}$")


def draft_from_form(form: Form, categories: list[str], source: str) -> tuple[Draft | None,
                                                                             list[FormProblem]]:
    """The draft the form describes, or None with every problem of every field at once."""
    values = form.values
    problems = list(form.problems)
    if form.problems and not values:
        return None, problems

    def one_line(label: str) -> str:
        text = values.get(label, "")
        if not _BY_LABEL[label].lines:
            if "\n" in text:
                problems.append(FormProblem(label, "must be one line",
                                            "write it on one line, without line breaks"))
                return ""
            unwanted = FORBIDDEN_IN_SETTINGS.search(text)
            if unwanted:
                problems.append(FormProblem(label, f"holds {character_words(unwanted.group())}",
                                            "delete it and type the text as plain text"))
                return ""
        if not text and _BY_LABEL[label].required:
            problems.append(FormProblem(label, "is empty", _EMPTY_HINTS.get(label)))
        return text

    title = one_line("Title")
    slug = slugify(title)
    if title and not is_slug(slug):
        problems.append(FormProblem("Title", f'"{title}" has no letter or digit to make the '
                                    "event's address from", "write the event's name in words"))
    category = one_line("Category")
    if category and category not in categories:
        problems.append(FormProblem("Category", f'"{category}" is not one of the site\'s '
                                    "categories", "choose one of: " + ", ".join(categories)))
    zone = one_line("Time zone")
    if zone and not is_known_zone(zone):
        problems.append(FormProblem("Time zone", f'unknown zone "{zone}"', zone_hint(zone)))
    start = _start(one_line("First meeting: date"), one_line("First meeting: local time"),
                   problems)
    duration = _whole_number("Duration in minutes", one_line("Duration in minutes"), problems,
                             "write the length in minutes: 90 for an hour and a half")
    repeat = _repeat(values, one_line, problems)
    exdates = _cancelled_dates(values.get("Cancelled dates", ""), problems)
    url = one_line("Join link") or None
    description = values.get("Description", "")
    unwanted = FORBIDDEN_IN_DESCRIPTION.search(description)
    if unwanted:
        problems.append(FormProblem("Description", f"holds {character_words(unwanted.group())}",
                                    "delete it: it is invisible in most editors (tabs and line "
                                    "breaks are fine)"))
    contact = one_line("Contact")
    if any(p.is_error for p in problems):
        return None, problems
    comments = [f'Proposed with the "{FORM_NAME}" issue form'
                + (f"; contact: {contact}" if contact else "") + "."]
    return Draft(source=source, slug=slug, title=title, category=category, timezone=zone,
                 start=start, duration=duration, repeat=repeat, exdates=exdates, url=url,
                 description=description, comments=comments), problems


_EMPTY_HINTS = {
    "Title": 'write the event\'s name, e.g. "Atlantic Scrum"',
    "Category": "choose one",
    "Time zone": "write the IANA zone the event is planned in, e.g. Europe/London",
    "First meeting: date": "write the first meeting's date, e.g. 2027-01-05",
    "First meeting: local time": "write its start on the 24-hour clock, e.g. 15:15",
    "Duration in minutes": "write the length in minutes, e.g. 30",
    "Repeats": 'choose one ("Does not repeat" for a single meeting)',
}


def _start(day_text: str, clock_text: str, problems: list[FormProblem]) -> datetime | None:
    day = _date("First meeting: date", day_text, problems)
    clock = None
    if clock_text:
        match = _TIME.match(clock_text)
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            clock = time(int(match.group(1)), int(match.group(2)))
        else:
            problems.append(FormProblem("First meeting: local time",
                                        f'"{clock_text}" is not a time of day',
                                        "write it on the 24-hour clock, like 15:15 or 09:30"))
    return datetime.combine(day, clock) if day and clock else None


def _date(label: str, text: str, problems: list[FormProblem]) -> date | None:
    if not text:
        return None
    try:
        if not _DATE.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        problems.append(FormProblem(label, f'"{text}" is not a date',
                                    "write it as year-month-day, like 2027-01-05 (and check "
                                    "that the day exists in that month)"))
        return None


def _whole_number(label: str, text: str, problems: list[FormProblem], hint: str) -> int | None:
    if not text:
        return None
    if not _WHOLE.match(text):
        problems.append(FormProblem(label, f'"{text}" is not a whole number', hint))
        return None
    return int(text)


def _repeat(values: dict[str, str], one_line, problems: list[FormProblem]) -> dict | None:
    choice = one_line("Repeats")
    if choice and choice not in REPEATS:
        problems.append(FormProblem("Repeats", f'"{choice}" is not one of the choices',
                                    "choose one of: " + ", ".join(REPEATS)))
        return None
    interval = _whole_number("Every how many", one_line("Every how many"), problems,
                             "write 2 for every other week (or month, or day)")
    on_text = one_line("On")
    until = _date("Last meeting on", one_line("Last meeting on"), problems)
    count = _whole_number("Number of meetings", one_line("Number of meetings"), problems,
                          "write how many meetings there are in all, e.g. 10")
    every = REPEATS.get(choice)
    if every is None:
        given = [label for label, value in (("Every how many", interval), ("On", on_text),
                                            ("Last meeting on", until),
                                            ("Number of meetings", count)) if value]
        for label in given:
            problems.append(FormProblem(label, "a meeting that does not repeat has nothing to "
                                        "fill in here", 'choose how it repeats under "Repeats", '
                                        "or leave this empty"))
        return None
    repeat: dict = {"every": every}
    if interval is not None:
        repeat["interval"] = interval
    if on_text:
        repeat["on"] = [int(item) if _WHOLE.match(item) else item.lower()
                        for item in (part.strip() for part in on_text.split(",")) if item]
    if until is not None:
        repeat["until"] = until
    if count is not None:
        repeat["count"] = count
    return repeat


def _cancelled_dates(text: str, problems: list[FormProblem]) -> list[datetime | date]:
    label = "Cancelled dates"
    unwanted = FORBIDDEN_IN_DESCRIPTION.search(text)
    if unwanted:
        problems.append(FormProblem(label, f"holds {character_words(unwanted.group())}",
                                    "delete it and type the dates as plain text"))
        return []
    found = []
    items = [item.strip(" -*\t") for line in text.split("\n") for item in line.split(",")]
    for number, item in enumerate((i for i in items if i), start=1):
        match = _DATE_TIME.match(item)
        try:
            if not match:
                raise ValueError
            day = date.fromisoformat(match.group(1))
            if match.group(2):
                hour, minute = re.split("[:.]", match.group(2))
                found.append(datetime.combine(day, time(int(hour), int(minute))))
            else:
                found.append(day)
        except ValueError:
            problems.append(FormProblem(label, f'"{item}" (date {number}) is not a date or a '
                                        "date and time",
                                        "write one a line: 2027-03-26 cancels that day's "
                                        "meeting, 2027-03-26 07:00 the meeting at that time"))
    return found


# --- the check's problems, in the form's terms -------------------------------------------------

# Event file fields -> the form's label: the first box that fills it; [repeat] as a whole is
# what "Repeats" chose.
_LABEL_OF_KEY = {"repeat": "Repeats", **{f.key: f.label for f in reversed(FIELDS) if f.key}}


def form_problem(problem: Problem) -> FormProblem:
    """A problem `check` found in the written file, named by the form field it came from."""
    key = problem.field or ""
    label = None
    while key:
        if key in _LABEL_OF_KEY:
            label = _LABEL_OF_KEY[key]
            break
        key = (re.sub(r"\[\d+\]$", "", key) if key.endswith("]")
               else key.rsplit(".", 1)[0] if "." in key else "")
    if label is None and problem.field:  # a field the form has no box for: say which
        return FormProblem(None, f"{problem.field}: {problem.message}", problem.hint,
                           problem.severity)
    return FormProblem(label, problem.message, problem.hint, problem.severity)


def read_body(path: Path) -> str:
    """The saved issue body (ValueError says why it cannot be used; OSError if unreadable)."""
    data = read_regular_file(path, MAX_BODY_BYTES,
                             "save the issue's text to a file first",
                             f"the issue is longer than GitHub allows ({MAX_BODY_BYTES // 1024} "
                             "KB); shorten the description")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("the issue body is not UTF-8 text") from None
