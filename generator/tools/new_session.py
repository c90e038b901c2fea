"""`build.py new session <event> [date]`: write a session record for one occurrence, every field
present and explained (commented out), ready to edit. It passes `check` as written.

Without a date it is the event's next occurrence after --now; a date (2027-01-18, or
2027-01-18-1530 when the event meets more than once that day) must be one the series has, or
the command says which are nearest, as `check` would.
"""
from __future__ import annotations

import difflib
import sys
from datetime import datetime
from pathlib import Path

from ..content.fields import SESSION
from .new import comment_lines
from ..content.load import SESSIONS_FOLDER, display_path, load_event_file, read_content_file
from ..content.sessions import match_problem, session_key, session_name
from ..content.validate import read_site, validate_event
from ..model import Event
from ..report import print_problems
from ..schedule.dates import clock, long_day
from ..schedule.expand import next_occurrences, starts_on
from ..schedule.sessions import Matched, match_session
from ..schedule.zones import to_local

HEADER = """+++
# {title}, {when} ({zone}):
# what happened (or will happen) at this one meeting.{moved}
# Every field is optional; lines starting with # are notes for you.
# Check your work with:  python build.py check --explain {slug}
"""
FOOTER = """# Notes go below the closing +++, in Markdown: what was decided, what comes next.
+++
"""


def template_text(values: dict, live: dict[str, str]) -> str:
    """The record, from the field catalogue (content/fields.py SESSION): each field's hint
    above its example, commented out unless `live` gives it a value (a cancelled meeting's
    reason and status)."""
    lines = HEADER.format(**values).splitlines() + [""]
    for field in SESSION:
        if field.kind == "tables":
            lines += ["", *comment_lines(field.hint), f"# [[{field.name}]]"]
            lines += [f"# {f.name} = {f.example.format(**values)}" for f in field.fields]
            continue
        lines += comment_lines(field.hint)
        if field.name in live:
            lines.append(f"{field.name} = {live[field.name]}")
        else:
            lines.append(f"# {field.name} = {field.example.format(**values)}")
    return "\n".join(lines + ["", FOOTER])


def new_session_text(event: Event, found: Matched, cancelled_already: bool) -> str:
    when = (long_day(found.local.date()) if event.all_day
            else f"{long_day(found.local.date())} at {clock(found.local)}")
    moved = ""
    if found.moved_from is not None:
        moved_to = to_local(found.start, event.timezone)
        moved = (f"\n# An override moves it to {long_day(moved_to.date())}"
                 + ("" if event.all_day else f" at {clock(moved_to)}") + "; the file keeps the "
                 "date the series gives it.")
    # Exdates in the event file cancel it already: a record can only say why.
    live = {"reason": '"Why it does not take place: exdates in the event file cancel it"',
            "status": '"cancelled"'} if cancelled_already else {}
    return template_text(dict(title=event.title, when=when, zone=event.timezone, slug=event.slug,
                              moved=moved), live)


def run_new_session(content: Path, words: list[str], now: datetime) -> int:
    if not words or len(words) > 2:
        print("error: write new session EVENT [DATE], e.g. new session euroasia-scrum "
              "2027-01-18 (without a date: its next meeting)", file=sys.stderr)
        return 2
    slug = words[0]
    event, told = _event(content, slug)
    if event is None:
        return told
    if len(words) == 2:
        day, at, bad = session_name(Path(words[1] + ".md"))
        if bad is not None:
            print(f'error: "{words[1]}" is not a date like 2027-01-18 (or 2027-01-18-1530, with '
                  "the start time, when the event meets more than once that day)",
                  file=sys.stderr)
            return 2
    else:
        coming = next_occurrences(event, now, 1)
        if not coming:
            print(f"error: {event.title} has no meeting after {now:%Y-%m-%d %H:%M} UTC; give "
                  f"the date: new session {slug} 2027-01-18", file=sys.stderr)
            return 2
        scheduled = (coming[0].original if coming[0].original is not None
                     else to_local(coming[0].start, event.timezone))
        day = scheduled.date()
        at = scheduled.time() if len(starts_on(event, day)) > 1 else None
    path = content / SESSIONS_FOLDER / slug / f"{session_key(day, at)}.md"
    if path.exists() or path.is_symlink():
        print(f"error: {display_path(path)} already exists; edit it, or give another date",
              file=sys.stderr)
        return 2
    found = match_session(event, day, at)
    if not isinstance(found, Matched) or (found.cancelled_by not in (None, "exdates")):
        print_problems([match_problem(event, display_path(path), day, at, found,
                                      fix=(f"give the date: new session {slug} ", ""))])
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new_session_text(event, found, found.cancelled_by == "exdates"),
                    encoding="utf-8")
    print(f"Wrote {display_path(path)}. Edit it, then check it with:\n"
          f"  python build.py check --explain {slug}")
    return 0


def _event(content: Path, slug: str) -> tuple[Event | None, int]:
    """The event, checked as a build checks it, or None and the exit code (the problems
    printed)."""
    events = content / "events"
    path = events / f"{slug}.md"
    if "/" in slug or slug.startswith(".") or not path.is_file():
        names = sorted(p.stem for p in events.glob("*.md")) if events.is_dir() else []
        close = difflib.get_close_matches(slug, names, n=1, cutoff=0.6)
        print(f'error: no event is called "{slug}" in {display_path(events)}/'
              + (f'; did you mean "{close[0]}"?' if close else
                 "; give the name of an event file, without .md"), file=sys.stderr)
        return None, 2
    site, problems = read_site(content)
    if site is None:
        print_problems(problems)
        return None, 1
    data, unreadable = read_content_file(path, content)
    raw, problems = (None, unreadable) if data is None else load_event_file(path, content, data)
    event = None
    if raw is not None:
        event, event_problems = validate_event(raw, [c.slug for c in site.categories],
                                               site.skip_holidays)
        problems = problems + event_problems
    if event is None:
        print_problems(problems)
        if not any(p.is_error for p in problems):
            print(f"error: {display_path(path)} is a draft; sessions are for published events",
                  file=sys.stderr)
        return None, 1
    return event, 0
