"""Keeps docs/editing.md honest: every example in it is checked, and every message it quotes is
one the code really prints.

How the guide is read (the same rules are in a comment at the top of docs/editing.md):

- An example is a ```toml block that starts with +++: a whole event file. Each is written into
  a fresh content directory and must pass `check` with no errors and no warnings.
- A ```toml block holding one line `rrule = "..."`, right after an example, is the rrule
  equivalent of the example's [repeat] table: with the table swapped for that line, `check
  --explain` must print the same schedule and the same dates.
- A ```text block right after an example (or after its rrule block) whose first line starts
  with "<slug>: " is what `check --explain` prints for it; the example is saved as
  content/events/<slug>.md and the real output must contain those lines, in that order.
- A ```text block after that whose lines start with "content/events/<slug>.md:" holds the
  warnings `check` gives the example (an example the guide shows although a calendar app
  cannot hold it): exactly those, and no others.
- Every other ```text block holds real output, line by line: each line must appear verbatim in
  the output of one of the runs in RUNS below (which build broken files on purpose). That covers
  the section "What each message means", the GitHub annotations and the output of `new`.
  Output that changes from run to run (timings, temporary paths) goes in plain ``` blocks,
  which are not checked.
- Every message the code can produce (each message template in the modules in
  MESSAGE_MODULES) must be quoted at least once in "What each message means".
"""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import ROOT, build, run_cli
from generator.cli import parse_now
from generator.tools.explain import explain_events
from generator.build.pipeline import check_content

GUIDE = ROOT / "docs" / "editing.md"
NOW = "2027-01-20T12:00:00Z"
CHECK = ("check", "--content", "content", "--now", NOW)
MESSAGES_HEADING = "## What each message means"


# --- reading the guide --------------------------------------------------------------------------

@dataclass
class Block:
    lang: str
    text: str
    line: int  # line of the opening fence in the guide, 1-based


@dataclass
class Example:
    block: Block
    slug: str
    rrule: str | None = None  # the `rrule = "..."` line that replaces [repeat]
    explain: list[str] | None = None  # the lines the guide shows for `check --explain`
    warnings: list[str] | None = None  # the warnings the guide says `check` gives it


def fenced_blocks(markdown: str) -> list[Block]:
    blocks, lines, index = [], markdown.split("\n"), 0
    while index < len(lines):
        opening = re.fullmatch(r"```(\w*)\s*", lines[index])
        if not opening:
            index += 1
            continue
        end = next((i for i in range(index + 1, len(lines)) if lines[i].startswith("```")), None)
        assert end is not None, f"docs/editing.md:{index + 1}: a ``` block is never closed"
        blocks.append(Block(opening[1], "\n".join(lines[index + 1:end]), index + 1))
        index = end + 1
    return blocks


def section_lines(markdown: str, heading: str) -> tuple[int, int]:
    """(first, last) guide line of a `## ` section, 1-based."""
    lines = markdown.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip() == heading), None)
    assert first is not None, f'docs/editing.md has no section "{heading}"'
    last = next((i for i in range(first + 1, len(lines)) if lines[i].startswith("## ")),
                len(lines))
    return first + 1, last


def read_guide():
    markdown = GUIDE.read_text(encoding="utf-8")
    blocks = fenced_blocks(markdown)
    examples: list[Example] = []
    explain_blocks: set[int] = set()
    previous = None  # the example the last block belonged to
    for block in blocks:
        if block.lang == "toml" and block.text.startswith("+++"):
            previous = Example(block, f"guide-example-{block.line}")
            examples.append(previous)
            continue
        if (previous is not None and block.lang == "toml" and previous.rrule is None
                and previous.explain is None and re.fullmatch(r'rrule = "[^"\n]+"', block.text.strip())):
            previous.rrule = block.text.strip()
            continue
        if (previous is not None and block.lang == "text" and previous.explain is not None
                and previous.warnings is None
                and block.text.startswith(f"content/events/{previous.slug}.md:")):
            previous.warnings = block.text.split("\n")
            explain_blocks.add(block.line)
            continue
        if previous is not None and block.lang == "text" and previous.explain is None:
            match = re.match(r"([a-z0-9]+(?:-[a-z0-9]+)*): ", block.text)
            assert match, (f"docs/editing.md:{block.line}: a text block right after an example "
                           "must be its `check --explain` output, starting with \"<slug>: \"")
            previous.slug = match[1]
            previous.explain = block.text.split("\n")
            explain_blocks.add(block.line)
            continue
        previous = None
    quoted = [(block.line + 1 + n, line) for block in blocks
              if block.lang == "text" and block.line not in explain_blocks
              for n, line in enumerate(block.text.split("\n")) if line.strip()]
    first, last = section_lines(markdown, MESSAGES_HEADING)
    samples = [(n, line) for n, line in quoted if first <= n <= last]
    return examples, quoted, samples


EXAMPLES, QUOTED, SAMPLES = read_guide()


def with_rrule(text: str, rrule: str) -> str:
    """The example with its [repeat] table replaced by an rrule line."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() == "[repeat]"), None)
    assert start is not None, "an rrule equivalent is given for an example without [repeat]"
    end = next(i for i in range(start + 1, len(lines))
               if lines[i].startswith("[") or lines[i].strip() == "+++")
    del lines[start:end]
    first_table = next(i for i in range(1, len(lines))
                       if lines[i].startswith("[") or lines[i].strip() == "+++")
    lines.insert(first_table, rrule)
    return "\n".join(lines)


# --- broken content that triggers each message ----------------------------------------------

BROKEN_LINK = object()  # a file that is a symbolic link to nowhere
PIPE = object()  # a named pipe (FIFO): reading it would wait forever
FOLDER = object()  # an empty folder


@dataclass(frozen=True)
class Link:
    """A symbolic link to `target` (relative to the link's folder)."""

    target: str


@dataclass(frozen=True)
class Sized:
    """A file of `size` bytes, sparse: nothing is really written."""

    size: int


def event(front_matter: str, body: str = "") -> str:
    """An event file: front matter as written (first line right after the opening +++)."""
    return "+++\n" + front_matter.strip("\n") + "\n+++\n" + body


BASE = '''title = "{title}"
category = "{category}"
timezone = "{zone}"
start = {start}
duration = {duration}'''


def base(title="Weekly Scrum", category="scrum", zone="Europe/London",
         start="2027-01-04T07:00:00", duration=25) -> str:
    return BASE.format(title=title, category=category, zone=zone, start=start, duration=duration)


def weekly(day="mon", **fields) -> str:
    return base(**fields) + f'\n\n[repeat]\nevery = "week"\non = ["{day}"]'


def rrule_event(rule: str, **fields) -> str:
    return event(base(**fields) + f'\nrrule = "{rule}"')


def repeat_event(table: str, **fields) -> str:
    return event(base(**fields) + "\n\n[repeat]\n" + table.strip())


@dataclass
class Run:
    """One run of the command line on a content directory built to trigger messages."""

    files: dict = field(default_factory=dict)  # path under the run's folder -> text or bytes
    args: tuple = CHECK
    shallow_git: bool = False  # run in a shallow clone of a repository holding `files`


FILE_FORMAT = {
    "content/events/design-review.md": 'title = "Design Review"\ncategory = "meeting"\n',
    "content/events/code-clinic.md": "+++\n" + base("Code Clinic") + "\n",
    "content/events/cafe-meetup.md": event(base("Caf\xe9 Meetup")).encode("latin-1"),
    "content/events/old-scrum.md": BROKEN_LINK,
    "content/events/Team_Sync.md": event(base("Team Sync")),
    "content/events/weekly-sync.md": event(base("Weekly Sync") + ","),
    "content/events/book-club.md": event(base().replace('"Weekly Scrum"', "Book Club")),
    "content/events/hack-night.md": event(base().replace('"Weekly Scrum"', '"Hack Night')),
    "content/events/qa-session.md": event(base().replace('"Weekly Scrum"', "\u201cQA Session\u201d")),
    "content/events/retro.md": event(base().replace('title = "Weekly Scrum"', 'title: "Retro"')),
    "content/events/docs-sprint.md": event(base("Docs Sprint").replace(
        "category", 'title = "Docs Sprint, part 2"\ncategory', 1)),
    "content/events/office-hours.md": event(base("Office Hours", start="2027-01-04T19:00")),
    "content/events/kickoff.md": event(base("Kickoff", start="2027-02-30T10:00:00")),
    "content/events/study-group.md": event(weekly().replace('["mon"]', '["mon" "thu"]')),
    "content/events/triage.md": event(weekly() + '\n\n[repeat]\ninterval = 2'),
    "content/events/standup-asia.md": event(base("Standup Asia") + "\nexdates = [2027-03-26T07:00:00"),
}

HOSTILE_FILES = {
    "notes.md": event(base("Private notes")),
    "content/events/shared-notes.md": Link("../../notes.md"),
    "content/events/pipe.md": PIPE,
    "content/events/minutes.md": Sized(5 * 1024 * 1024 // 2),
    "content/events/archive/old-scrum.md": event(base()),
    "content/events/team-folder.md": Link("../public"),
    "content/events/deep.md": event(base() + "\non = " + "[" * 100_000 + "]" * 100_000),
    "content/events/many-digits.md": event(base(duration="9" * 5000)),
    "content/events/hex-duration.md": event(base(duration="0x" + "f" * 40)),
    "content/events/nested.md": event(base() + "\nexdates = " + "[" * 12 + "]" * 12),
    "content/events/bell.md": event(base("Weekly Scrum"), "Ring the bell \x07 to start.\n"),
    "content/public/_redirects": "/old /new\n",
    "content/public/CNAME": Link("../../CNAME"),
    "CNAME": "events.example.org\n",
}

PUBLIC_FILE = {
    "content/public": "not a folder\n",
    "content/events/.keep": "",
}

FIELDS = {
    "content/events/mistyped.md": event(base().replace("title", "tittle")),
    "content/events/lunch-and-learn.md": event(base("Lunch and Learn", category="meeting")
                                               + '\ndirections = "Room 4"'),
    "content/events/empty-shell.md": event('url = "https://meet.jit.si/Shell"'),
    "content/events/numbers.md": event(base().replace('"Weekly Scrum"', "42")),
    "content/events/blank-title.md": event(base(title="")),
    "content/events/scrum-typo.md": event(base(category="scrumm")),
    "content/events/workshop.md": event(base("Workshop", category="workshop")),
    "content/events/quoted-duration.md": event(base(duration='"25"')),
    "content/events/half-hour.md": event(base(duration="0.5")),
    "content/events/zero-minutes.md": event(base(duration="0")),
    "content/events/hackathon.md": event(base("Hackathon", category="meeting", duration="20160")),
    "content/events/bad-link.md": event(base() + '\nurl = "meet.jit.si/OurScrum"'),
    "content/events/maybe-draft.md": event(base() + '\ndraft = "yes"'),
    "content/events/project-number.md": event(base() + "\nproject = 7"),
    "content/events/two-lines.md": event(base("Weekly Scrum\\nBEGIN:VEVENT")),
    "content/events/reversed.md": event(base() + '\nproject = "Docs \u202eetis"'),
    "content/events/long-title.md": event(base("Weekly Scrum of the " + "very " * 60 + "long name")),
    "content/events/punctuation.md": event(base() + '\nproject = "!!!"'),
    "content/events/long-project.md": event(base() + '\nproject = "' + "東京" * 40 + '"'),
    "content/events/design.md": event(base("Design Review", "meeting") + '\nproject = "Web Site"'),
    "content/events/sprint.md": event(base("Sprint Review", "meeting") + '\nproject = "web-site"'),
}

DATES = {
    "content/events/quoted-start.md": event(base(start='"2027-01-04T07:00:00"')),
    # What Decap CMS's own TOML writer makes of a start (the CMS at /admin/ does not).
    "content/events/cms-start.md": event(base(start='"2027-01-04T07:00:00.000Z"')),
    "content/events/date-only.md": event(base(start="2027-01-04")),
    "content/events/utc-start.md": event(base(start="2027-01-04T07:00:00Z")),
    "content/events/offset-start.md": event(base(start="2027-01-04T07:00:00+01:00")),
    "content/events/time-only.md": event(base(start="07:00:00")),
    "content/events/far-future.md": event(base(start="3027-01-04T07:00:00")),
    "content/events/ends-early.md": repeat_event('every = "week"\nuntil = 2026-12-31'),
    "content/events/far-end.md": repeat_event('every = "week"\nuntil = 3027-06-30'),
    "content/events/leap-day.md": rrule_event("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
                                              title="Leap Day Party", category="meeting"),
}

ZONES = {
    "content/events/euro-scrum.md": event(base(zone="Europe/Londn")),
    "content/events/lowercase-zone.md": event(base(zone="europe/london")),
    "content/events/city-name.md": event(base(zone="New York")),
    "content/events/abbreviation.md": event(base(zone="BST")),
    "content/events/fixed-offset.md": event(base(zone="GMT+1")),
    "content/events/old-zone.md": event(base(zone="US/Eastern")),
    "content/events/fixed-zone.md": event(base(zone="EST")),
    "content/events/etc-zone.md": event(base(zone="Etc/GMT+1")),
}

REPEAT = {
    "content/events/no-every.md": repeat_event('on = ["mon"]'),
    "content/events/weekly-word.md": repeat_event('every = "weekly"'),
    "content/events/fortnight.md": repeat_event('every = "fortnight"'),
    "content/events/table-order.md": repeat_event('every = "week"\nurl = "https://meet.jit.si/OurScrum"'),
    "content/events/days-field.md": repeat_event('every = "week"\ndays = ["mon"]'),
    "content/events/every-zero.md": repeat_event('every = "week"\ninterval = 0'),
    "content/events/zero-count.md": repeat_event('every = "week"\ncount = 0'),
    "content/events/quoted-until.md": repeat_event('every = "week"\nuntil = "2027-06-30"'),
    "content/events/utc-until.md": repeat_event('every = "week"\nuntil = 2027-06-30T00:00:00Z'),
    "content/events/count-and-until.md": repeat_event('every = "week"\ncount = 10\nuntil = 2027-06-30'),
    "content/events/on-true.md": repeat_event('every = "week"\non = true'),
    "content/events/weekly-15th.md": repeat_event('every = "week"\non = [15]'),
    "content/events/day-32.md": repeat_event('every = "month"\non = [32]'),
    "content/events/on-boolean.md": repeat_event('every = "week"\non = [true]'),
    "content/events/empty-day.md": repeat_event('every = "week"\non = [""]'),
    "content/events/thurday.md": repeat_event('every = "week"\non = ["mon", "thurday"]'),
    "content/events/secnd.md": repeat_event('every = "month"\non = ["secnd tuesday"]'),
    "content/events/weekly-second.md": repeat_event('every = "week"\non = ["second tuesday"]'),
    "content/events/sixth-friday.md": repeat_event('every = "month"\non = ["6 fri"]'),
    "content/events/repeat-text.md": event(base() + '\nrepeat = "weekly"'),
    "content/events/both-rules.md": event(weekly().replace("\n\n[repeat]",
                                                           '\nrrule = "FREQ=WEEKLY"\n\n[repeat]')),
    "content/events/rrule-number.md": event(base() + "\nrrule = 5"),
    "content/events/at-words.md": repeat_event('every = "day"\nat = ["9am"]'),
    "content/events/at-twice.md": repeat_event('every = "day"\nat = ["09:00", "09:00"]'),
    "content/events/at-seconds.md": repeat_event('every = "day"\nat = [09:00:30]'),
    "content/events/at-empty.md": repeat_event('every = "day"\nat = []'),
    "content/events/at-all-day.md": repeat_event('every = "day"\nat = [' + ", ".join(
        f'"{h:02}:{m:02}"' for h in range(13) for m in (0, 30)) + "]"),
}

RRULE = {
    "content/events/rule-no-value.md": rrule_event("FREQ=WEEKLY;BYDAY"),
    "content/events/rule-twice.md": rrule_event("FREQ=WEEKLY;BYDAY=MO;BYDAY=TU"),
    "content/events/rule-no-freq.md": rrule_event("BYDAY=MO"),
    "content/events/rule-count-until.md": rrule_event("FREQ=WEEKLY;COUNT=5;UNTIL=20270630"),
    "content/events/rule-hourly.md": rrule_event("FREQ=HOURLY"),
    "content/events/rule-weeky.md": rrule_event("FREQ=WEEKY"),
    "content/events/rule-interval.md": rrule_event("FREQ=WEEKLY;INTERVAL=two"),
    "content/events/rule-count.md": rrule_event("FREQ=DAILY;COUNT=20000"),
    "content/events/rule-until-dashes.md": rrule_event("FREQ=WEEKLY;UNTIL=2027-06-30"),
    "content/events/rule-until-31-june.md": rrule_event("FREQ=WEEKLY;UNTIL=20270631"),
    "content/events/rule-mon.md": rrule_event("FREQ=WEEKLY;BYDAY=MON,WED"),
    "content/events/rule-ordinal.md": rrule_event("FREQ=MONTHLY;BYDAY=0TU"),
    "content/events/rule-1st.md": rrule_event("FREQ=MONTHLY;BYMONTHDAY=1st"),
    "content/events/rule-32nd.md": rrule_event("FREQ=MONTHLY;BYMONTHDAY=32"),
    "content/events/rule-wkst.md": rrule_event("FREQ=WEEKLY;INTERVAL=2;WKST=SUNDAY"),
    "content/events/rule-weekno.md": rrule_event("FREQ=YEARLY;BYWEEKNO=10"),
    "content/events/rule-second.md": rrule_event("FREQ=DAILY;BYHOUR=9;BYSECOND=30"),
    "content/events/rule-many-times.md": rrule_event("FREQ=DAILY;BYHOUR=" + ",".join(
        map(str, range(24))) + ";BYMINUTE=0,30"),
    "content/events/rule-bydays.md": rrule_event("FREQ=WEEKLY;BYDAYS=MO"),
    "content/events/rule-yearday.md": rrule_event("FREQ=MONTHLY;BYYEARDAY=100"),
    "content/events/rule-monthday-weekly.md": rrule_event("FREQ=WEEKLY;BYMONTHDAY=15"),
    "content/events/rule-weekly-2tu.md": rrule_event("FREQ=WEEKLY;BYDAY=2TU"),
    "content/events/rule-6fr.md": rrule_event("FREQ=MONTHLY;BYDAY=6FR"),
}

def place_event(table: str, title="Evening Meetup", before: str = "") -> str:
    """A monthly meetup with a [location] table (and settings `before` it)."""
    return event(base(title, category="meeting", start="2027-01-07T18:30:00", duration=150)
                 + before + "\n\n[location]\n" + table.strip())


PLACES = {
    "content/events/lunch-and-learn.md": event(base("Lunch and Learn", category="meeting")
                                               + '\nlocation = "Room 4"'),
    "content/events/venue-typo.md": place_event('nmae = "Central Library"\naddress = "Calverley '
                                                'Street"'),
    "content/events/no-address.md": place_event('name = "Central Library"'),
    "content/events/empty-address.md": place_event('name = "Central Library"\naddress = []'),
    "content/events/address-number.md": place_event('name = "Central Library"\naddress = 12'),
    "content/events/address-line.md": place_event('name = "Central Library"\n'
                                                  'address = ["Calverley Street", 12]'),
    "content/events/country-name.md": place_event('name = "Central Library"\naddress = "Calverley '
                                                  'Street"\ncountry = "United Kingdom"'),
    "content/events/country-case.md": place_event('name = "Central Library"\naddress = "Calverley '
                                                  'Street"\ncountry = "gb"'),
    "content/events/geo-text.md": place_event('name = "Central Library"\naddress = "Calverley '
                                              'Street"\ngeo = "53.8004, -1.5487"'),
    "content/events/geo-swapped.md": place_event('name = "Opera Bar"\naddress = "Macquarie '
                                                 'Street"\ngeo = [151.2153, -33.8568]'),
    "content/events/geo-far.md": place_event('name = "Central Library"\naddress = "Calverley '
                                             'Street"\ngeo = [53.8004, 253.8004]'),
    "content/events/rsvp-http.md": event(base("Evening Meetup", category="meeting")
                                         + '\nrsvp_url = "http://www.meetup.com/our-group/"'),
    "content/events/rsvp-bare.md": event(base("Evening Meetup", category="meeting")
                                         + '\nrsvp_url = "meetup.com/our-group"'),
}


def image_event(image: str, alt: str | None = "The meetup room") -> str:
    return event(base("Evening Meetup", category="meeting") + f'\nimage = "{image}"'
                 + (f'\nimage_alt = "{alt}"' if alt else ""))


PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)
IMAGES = {
    "content/images/room.png": PNG,
    "content/images/photo.png": b"\xff\xd8\xff\xe0" + bytes(32),
    "content/images/logo.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    "secret.png": PNG,
    "content/images/shared.png": Link("../../secret.png"),
    "content/events/image-number.md": event(base("Evening Meetup", category="meeting")
                                            + "\nimage = 5\nimage_alt = \"The room\""),
    "content/events/image-missing.md": image_event("images/rooom.png"),
    "content/events/image-svg.md": image_event("images/logo.svg"),
    "content/events/image-renamed.md": image_event("images/photo.png"),
    "content/events/image-http.md": image_event("http://photos.example.org/room.jpg"),
    "content/events/image-ftp.md": image_event("ftp://photos.example.org/room.jpg"),
    "content/events/image-up.md": image_event("../room.png"),
    "content/events/image-link.md": image_event("images/shared.png"),
    "content/events/image-no-alt.md": image_event("images/room.png", alt=None),
    "content/events/alt-alone.md": event(base("Evening Meetup", category="meeting")
                                         + '\nimage_alt = "The meetup room"'),
}


def daily_starts(count: int) -> str:
    """`count` daily start times from 4 January 2027 at 07:00, as a TOML list's items."""
    first = date(2027, 1, 4)
    return ", ".join(f"{first + timedelta(days=n)}T07:00:00" for n in range(count))


CANCEL = {
    "content/events/exdate-not-list.md": event(weekly() + "").replace(
        "duration = 25", "duration = 25\nexdates = 2027-02-01T07:00:00"),
    "content/events/one-off-exdate.md": event(base("Spring Talk", category="meeting")
                                              + "\nexdates = [2027-01-04]"),
    "content/events/quoted-exdate.md": event(weekly().replace(
        "duration = 25", 'duration = 25\nexdates = ["2027-02-01"]')),
    "content/events/utc-exdate.md": event(weekly().replace(
        "duration = 25", "duration = 25\nexdates = [2027-02-01T07:00:00Z]")),
    "content/events/override-table.md": event(weekly() + "\n\n[overrides]\n"
                                              "original = 2027-02-01T07:00:00\n"
                                              "start = 2027-02-01T08:00:00"),
    "content/events/one-off-override.md": event(base("Spring Talk", category="meeting")
                                                + "\n\n[[overrides]]\noriginal = 2027-01-04T07:00:00"
                                                "\nduration = 60"),
    "content/events/override-end.md": event(weekly() + "\n\n[[overrides]]\n"
                                            "original = 2027-02-01T07:00:00\n"
                                            "end = 2027-02-01T08:00:00"),
    "content/events/override-titel.md": event(weekly() + "\n\n[[overrides]]\n"
                                              "original = 2027-02-01T07:00:00\n"
                                              'titel = "Weekly Scrum (demo day)"'),
    "content/events/override-no-original.md": event(weekly() + "\n\n[[overrides]]\n"
                                                    "start = 2027-02-01T08:00:00"),
    "content/events/override-nothing.md": event(weekly() + "\n\n[[overrides]]\n"
                                                "original = 2027-02-01T07:00:00"),
    "content/events/override-twice.md": event(weekly() + "\n\n[[overrides]]\n"
                                              "original = 2027-02-01T07:00:00\n"
                                              "start = 2027-02-01T08:00:00\n\n[[overrides]]\n"
                                              "original = 2027-02-01T07:00:00\n"
                                              "duration = 60"),
    "content/events/override-quoted.md": event(weekly() + "\n\n[[overrides]]\n"
                                               "original = 2027-02-01T07:00:00\n"
                                               'start = "2027-02-01T08:00:00"'),
    "content/events/early-extra.md": event(weekly().replace(
        "duration = 25", "duration = 25\nrdates = [2027-01-02T10:00:00]")),
    "content/events/daily-standup.md": event(base("Daily Standup") + '\nrrule = "FREQ=DAILY"'
                                             + f"\nexdates = [{daily_starts(1200)}]"),
}

def all_day(front_matter: str, title="Open Day") -> str:
    """An all-day event's file: `front_matter` after title, category and zone."""
    return event(f'title = "{title}"\ncategory = "meeting"\ntimezone = "Europe/London"\n'
                 + front_matter.strip("\n"))


ALL_DAY = {
    "content/events/day-and-start.md": all_day("date = 2027-03-13\nstart = 2027-03-13T10:00:00"),
    "content/events/day-and-duration.md": all_day("date = 2027-03-13\nduration = 480"),
    "content/events/day-with-time.md": all_day("date = 2027-03-13T10:00:00"),
    "content/events/day-quoted.md": all_day('date = "2027-03-13"'),
    "content/events/day-number.md": all_day("date = 13"),
    "content/events/end-and-days.md": all_day("date = 2027-03-26\nend_date = 2027-03-28\ndays = 3"),
    "content/events/end-before.md": all_day("date = 2027-03-26\nend_date = 2027-03-24"),
    "content/events/end-far.md": all_day("date = 2027-03-26\nend_date = 2027-09-26"),
    "content/events/days-zero.md": all_day("date = 2027-03-26\ndays = 0"),
    "content/events/timed-end-date.md": event(base("Conference", category="meeting",
                                                   duration=480) + "\nend_date = 2027-01-06"),
    "content/events/timed-days-long.md": event(base("Conference", category="meeting",
                                                    duration=480) + "\ndays = 40"),
    "content/events/days-and-repeat.md": event(weekly(title="Conference", category="meeting",
                                                      duration=480).replace(
        "duration = 480", "duration = 480\ndays = 3")),
    "content/events/day-at.md": all_day('date = 2027-03-13\n\n[repeat]\nevery = "week"\n'
                                        'at = ["09:00"]'),
    "content/events/day-override.md": all_day('date = 2027-03-13\n\n[repeat]\nevery = "week"\n\n'
                                              '[[overrides]]\noriginal = 2027-03-20\nduration = 60'),
    "content/events/day-override-time.md": all_day(
        'date = 2027-03-13\n\n[repeat]\nevery = "week"\n\n'
        '[[overrides]]\noriginal = 2027-03-20T00:00:00\nstart = 2027-03-21'),
}

WARNINGS = {
    "content/events/long-office-hours.md": repeat_event(
        'every = "day"\nat = ["09:00", "10:00"]', title="Office Hours", category="meeting",
        duration="90"),
    "content/events/morning-scrum.md": event(weekly().replace(
        "duration = 25", "duration = 25\nexdates = [2027-02-01T08:00:00]")),
    "content/events/monday-pairing.md": event(weekly(title="Monday Pairing",
                                                     category="pair-programming").replace(
        "duration = 25", "duration = 25\nexdates = [2027-02-02]")),
    "content/events/weekly-review.md": event(weekly(title="Weekly Review", category="meeting",
                                                    start="2027-01-04T16:00:00")
                                             + "\n\n[[overrides]]\noriginal = 2027-02-02T16:00:00"
                                             "\nstart = 2027-02-03T16:00:00"),
    "content/events/autumn-social.md": event(base("Autumn Social", category="meeting",
                                                  start="2026-11-05T18:00:00", duration=120)),
    "content/events/summer-picnic.md": event(base("Summer Picnic", category="meeting",
                                                  start="2027-07-17T12:00:00", duration=180)),
    "content/events/late-scrum.md": event(weekly(title="Late Scrum", start="2027-01-04T07:00:00",
                                                 duration=20)),
    "content/events/notes.txt": "Remember to book the room.\n",
    "content/events/double-booked.md": event(weekly(title="Double Booked", category="pair-programming").replace(
        "duration = 25", "duration = 25\nrdates = [2027-02-01T07:00:00]")),
}

HOLIDAY_SITE = 'title = "Harbour Code Collective"\ntimezone = "Europe/London"\nholiday_region = "GB-ENG"\n'

# Public holidays, review dates, a whole event's status, and rules Outlook cannot hold.
ALIVE = {
    "content/site.toml": HOLIDAY_SITE,
    "content/events/weekday-scrum.md": event(base("Weekday Scrum") + '\nrrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"'),
    "content/events/region-typo.md": event(weekly(title="Region Typo") + "").replace(
        "duration = 25", 'duration = 25\nskip_holidays = "GB-EN"'),
    "content/events/region-true.md": event(weekly(title="Region True").replace(
        "duration = 25", "duration = 25\nskip_holidays = true")),
    "content/events/region-number.md": event(weekly(title="Region Number").replace(
        "duration = 25", "duration = 25\nskip_holidays = 44")),
    "content/events/book-club.md": event(weekly(title="Book Club", category="meeting").replace(
        "duration = 25", "duration = 25\nskip_holidays = false\nreview_by = 2026-12-31")),
    "content/events/review-quoted.md": event(weekly(title="Review Quoted").replace(
        "duration = 25", 'duration = 25\nreview_by = "2027-06-30"')),
    "content/events/status-typo.md": event(weekly(title="Status Typo").replace(
        "duration = 25", 'duration = 25\nstatus = "canceled"\nreason = "The room closed."')),
    "content/events/status-alone.md": event(weekly(title="Status Alone").replace(
        "duration = 25", 'duration = 25\nstatus = "cancelled"')),
    "content/events/reason-alone.md": event(weekly(title="Reason Alone").replace(
        "duration = 25", 'duration = 25\nreason = "Moved to Thursdays."')),
}
OUTLOOK_RULES = {
    "year-day": "FREQ=YEARLY;BYYEARDAY=100", "long-count": "FREQ=DAILY;COUNT=1200",
    "times-count": "FREQ=DAILY;BYHOUR=9,15;COUNT=20", "month-days": "FREQ=MONTHLY;BYMONTHDAY=1,15",
    "positions": "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1,3", "second-last": "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-2",
    "two-weeks": "FREQ=MONTHLY;BYDAY=1TU,3TU", "fifth-friday": "FREQ=MONTHLY;BYDAY=5FR",
    "daily-weekdays": "FREQ=DAILY;BYDAY=MO,WE", "daily-december": "FREQ=DAILY;BYMONTH=12",
    "weekly-june": "FREQ=WEEKLY;BYMONTH=6", "monthly-months": "FREQ=MONTHLY;BYMONTH=1,7;BYMONTHDAY=1",
    "friday-13th": "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "monthly-tuesdays": "FREQ=MONTHLY;BYDAY=TU",
    "spring-autumn": "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=1", "june-mondays": "FREQ=YEARLY;BYMONTH=6;BYDAY=MO",
}
ALIVE.update({f"content/events/{name}.md": rrule_event(rule, title=name.replace("-", " ").title(),
                                                        category="meeting")
              for name, rule in OUTLOOK_RULES.items()})

SITE_HOLIDAYS = {
    "content/site.toml": 'skip_holidays = "gb-eng"\nholiday_region = 44\n',
    "content/events/.keep": "",
}

SITE = {
    "content/site.toml": '''title = 5
base_url = "events.example.org"
timezone = "Europe/Londn"
categories = ["scrum", "Pair Programming", "scrum"]
countdown_category = "standup"
horizon_days = "30"
horizon_dayz = 30
''',
    "content/events/.keep": "",
}

SITE_TEXT = {
    "content/site.toml": 'base_url = "https://events.example.org/\\r\\nBEGIN:VEVENT"\n',
    "content/events/.keep": "",
}

SITE_CATEGORIES = {
    "content/site.toml": 'categories = "scrum"\nhorizon_days = 0\n',
    "content/events/.keep": "",
}

# [announce]: chat announcements (docs/announce.md).
SITE_ANNOUNCE = {
    "content/site.toml": '''categories = ["scrum", "meeting"]

[announce]
lead_minutes = "10"
categories = ["scrumm"]
events = ["Town Hall"]
message = "{titel} {starts}: join {url}"
lead = 5
''',
    "content/events/.keep": "",
}

SITE_ANNOUNCE_VALUES = {
    "content/site.toml": '''[announce]
lead_minutes = 0
categories = "scrum"
events = ["euroasia-scrum"]
message = "{title!r} {starts}"
''',
    "content/events/.keep": "",
}

SITE_ANNOUNCE_TEXT = {
    "content/site.toml": '[announce]\nmessage = "Join us {"\n',
    "content/events/.keep": "",
}

SITE_ANNOUNCE_NUMBER = {
    "content/site.toml": '[announce]\nmessage = 10\n',
    "content/events/.keep": "",
}

SITE_ANNOUNCE_TABLE = {
    "content/site.toml": 'announce = true\n',
    "content/events/.keep": "",
}

# [editing]: the CMS at /admin/ and the "Edit this event" link.
SITE_EDITING = {
    "content/site.toml": '[editing]\nbackend = "gitlab"\nrepository = "not a repo"\n'
                         'branch = "my branch"\nedit_link = "yes"\ncms = "yes"\nbrnach = "main"\n',
    "content/events/.keep": "",
}
SITE_EDITING_REPOSITORY = {
    "content/site.toml": '[editing]\nbackend = "github"\nedit_link = "github"\n',
    "content/events/.keep": "",
}
SITE_EDITING_NO_CMS = {
    "content/site.toml": '[editing]\ncms = false\nedit_link = "cms"\n',
    "content/events/.keep": "",
}
SITE_EDITING_TABLE = {"content/site.toml": 'editing = "cms"\n', "content/events/.keep": ""}

# What `announce --dry-run` prints, from a feed as a build writes it.
ANNOUNCE_FEED = {
    "version": 1, "generated_at": "2027-01-20T12:00:00Z", "horizon_end": "2027-04-20T12:00:00Z",
    "events": {
        "euroasia-scrum": {"title": "EuroAsia Scrum", "category": "scrum",
                           "url": "https://meet.jit.si/HarbourCode_EuroAsiaScrum",
                           "page": "https://events.example.org/events/euroasia-scrum/"},
        "atlantic-scrum": {"title": "Atlantic Scrum", "category": "scrum",
                           "url": "https://meet.jit.si/HarbourCode_AtlanticScrum",
                           "page": "https://events.example.org/events/atlantic-scrum/"}},
    "occurrences": [
        {"event": "atlantic-scrum", "start": "2027-01-21T06:40:00Z", "end": "2027-01-21T07:05:00Z"},
        {"event": "euroasia-scrum", "start": "2027-01-21T07:00:00Z", "end": "2027-01-21T07:25:00Z",
         "url": "https://meet.jit.si/HarbourCode_Sprint42"}]}
ANNOUNCE_DRY_RUN = {
    "content/site.toml": '[announce]\ncategories = ["scrum"]\nevents = ["town-hal"]\n',
    "content/events/.keep": "",
    "events.json": json.dumps(ANNOUNCE_FEED),
}

# More scrums at one moment than the check lists one by one: the rest are counted.
CROWDED = {f"content/events/scrum-{n:02}.md": event(weekly().replace('"Weekly Scrum"',
                                                                     f'"Scrum {n}"'))
           for n in range(1, 24)}

def session(front_matter: str = "", notes: str = "") -> str:
    """A session file: front matter as written, then the notes."""
    return "+++\n" + front_matter.strip("\n") + ("\n" if front_matter.strip() else "") \
        + "+++\n" + notes


SESSION_EVENTS = {
    "content/site.toml": HOLIDAY_SITE,
    "content/events/weekly-scrum.md": event(weekly().replace(
        "duration = 25", 'duration = 25\nexdates = [2027-02-08T07:00:00]\n'
                         'skip_holidays = "GB-ENG"')),
    "content/events/office-hours.md": repeat_event('every = "week"\non = ["tue"]\n'
                                                   'at = ["09:00", "15:30"]', title="Office Hours",
                                                   category="meeting", duration=60),
    "content/events/pairing.md": event(weekly("thu", title="Pairing", category="pair-programming",
                                              start="2027-01-07T18:00:00", duration=90)
                                       + "\ninterval = 2\n\n[[overrides]]\n"
                                       "original = 2027-02-04T18:00:00\n"
                                       "start = 2027-02-03T18:00:00"),
    "content/events/spring-talk.md": event(base("Spring Talk", category="meeting",
                                                start="2027-03-04T18:00:00", duration=60)),
}
S = "content/sessions/weekly-scrum/"
SESSIONS = dict(SESSION_EVENTS, **{
    "notes.md": session('host = "Sam"'),
    S + "2027-01-11.md": session('titel = "Sprint 42"\nhost = 42\n'
                                 'recording = "http://www.youtube.com/watch?v=abc"\n'
                                 'url = "meet.jit.si/Other"\nstatus = "canceled"\n\n'
                                 '[[links]]\ntitle = "Slides"\n'
                                 'adress = "https://slides.example.org/42"'),
    S + "2027-01-16.md": session('host = "Sam"'),
    S + "2027-01-18-0700.md": session('host = "Sam"'),
    S + "2027-01-25.md": session('status = "postponed"\nreason = "Half the team is away"'),
    S + "2027-02-01.md": session('status = "cancelled"\nreason = "FOSDEM"\n'
                                 'recording = "https://vimeo.com/1"\n'
                                 'url = "https://meet.jit.si/Other"'),
    S + "2027-02-08.md": session('host = "Sam"'),
    S + "2027-02-15.md": session("host = [" + ", ".join(f'"Host {n}"' for n in range(21))
                                 + ']\nlinks = ["https://slides.example.org/42"]'),
    S + "2027-02-22.md": session("\n".join('[[links]]\ntitle = "Slides"\n'
                                           'url = "https://slides.example.org/42"'
                                           for _ in range(51))),
    S + "2027-03-01.md": session('date = 2027-03-01\nnotes = "We met."'),
    S + "2027-03-15.md": Link("../../../notes.md"),
    S + "2027-03-29.md": session('host = "Sam"'),
    S + "2026-12-28.md": session('host = "Sam"'),
    S + "18-01-2027.md": session('host = "Sam"'),
    S + "2027-02-30.md": session('host = "Sam"'),
    S + "2027-01-18-2460.md": session('host = "Sam"'),
    S + "0207-01-18.md": session('host = "Sam"'),
    S + "notes.txt": "Bring snacks.\n",
    S + "old": FOLDER,
    "content/sessions/README.md": "One folder per event.\n",
    "content/sessions/standup": Link("weekly-scrum/2027-01-16.md"),
    "content/sessions/weekly-scrm/2027-01-18.md": session('host = "Sam"'),
    "content/sessions/office-hours/2027-01-05.md": session('host = "Sam"'),
    "content/sessions/office-hours/2027-01-05-1000.md": session('host = "Sam"'),
    "content/sessions/pairing/2027-02-03.md": session('host = "Sam"'),
    "content/sessions/spring-talk/2027-03-04.md": session('status = "cancelled"\n'
                                                          'reason = "The speaker is ill"'),
})
SESSIONS_EXPLAINED = dict(SESSION_EVENTS, **{
    S + "2027-01-11.md": session('title = "Sprint 42 planning"\nhost = ["Ana Lima", "Sam Joseph"]\n'
                                 'recording = "https://www.youtube.com/watch?v=abc123"\n\n'
                                 '[[links]]\ntitle = "Slides"\n'
                                 'url = "https://slides.example.org/42"',
                                 "Twelve tickets picked; the search rewrite first.\n"),
    S + "2027-01-25.md": session('reason = "In the big room this time"\n'
                                 'url = "https://meet.jit.si/BigRoom"'),
    S + "2027-02-01.md": session('status = "cancelled"\n'
                                 'reason = "Most of us are at FOSDEM"'),
    "content/sessions/pairing/2027-02-04.md": session('host = "Jonas Weber"'),
})
NEW_SESSION = {"content/events/weekly-scrum.md": event(weekly())}

RUNS = {
    "file format": Run(FILE_FORMAT),
    "crowded": Run(CROWDED),
    "public clashes": Run({"content/events/weekly-scrum.md": event(weekly()),
                           "content/public/index.html": "<p>our own homepage</p>\n",
                           "content/public/events/flyer.pdf": "%PDF-1.4\n"}),
    "hostile files": Run(HOSTILE_FILES),
    "public is a file": Run(PUBLIC_FILE),
    "fields": Run(FIELDS),
    "dates": Run(DATES),
    "zones": Run(ZONES),
    "zones, GitHub annotations": Run(ZONES, CHECK + ("--format", "github")),
    "repeat": Run(REPEAT),
    "rrule": Run(RRULE),
    "cancellations and overrides": Run(CANCEL),
    "all day": Run(ALL_DAY),
    "places and RSVPs": Run(PLACES),
    "pictures": Run(IMAGES),
    "warnings": Run(WARNINGS),
    "warnings, GitHub annotations": Run(WARNINGS, CHECK + ("--format", "github")),
    "holidays, status, review, Outlook": Run(ALIVE),
    "site.toml holidays": Run(SITE_HOLIDAYS),
    "site.toml": Run(SITE),
    "site.toml categories": Run(SITE_CATEGORIES),
    "site.toml text": Run(SITE_TEXT),
    "site.toml announce": Run(SITE_ANNOUNCE),
    "site.toml announce values": Run(SITE_ANNOUNCE_VALUES),
    "site.toml announce braces": Run(SITE_ANNOUNCE_TEXT),
    "site.toml announce number": Run(SITE_ANNOUNCE_NUMBER),
    "site.toml announce table": Run(SITE_ANNOUNCE_TABLE),
    "site.toml editing": Run(SITE_EDITING),
    "site.toml editing repository": Run(SITE_EDITING_REPOSITORY),
    "site.toml editing no cms": Run(SITE_EDITING_NO_CMS),
    "site.toml editing table": Run(SITE_EDITING_TABLE),
    "site.toml announce events": Run({
        "content/site.toml": '[announce]\nevents = ["town-hal"]\n',
        "content/events/town-hall.md": event(weekly(title="Town Hall", category="meeting"))}),
    "announce, dry run": Run(ANNOUNCE_DRY_RUN, ("announce", "--dry-run", "--feed", "events.json",
                                                "--since", "2027-01-21T06:20:00Z",
                                                "--now", "2027-01-21T06:51:00Z")),
    "content folder missing": Run({"content/events/.keep": ""},
                                  ("check", "--content", "contnet", "--now", NOW)),
    "events folder given": Run({"content/events/weekly-scrum.md": event(weekly())},
                               ("check", "--content", "content/events", "--now", NOW)),
    "shallow history": Run({"content/events/weekly-scrum.md": event(weekly())},
                           ("build", "--content", "content", "--output", "public", "--now", NOW),
                           shallow_git=True),
    "explain a slug": Run({"content/events/weekly-scrum.md": event(weekly())},
                          CHECK + ("--explain", "weekly-scrm")),
    "--now without a zone": Run({"content/events/weekly-scrum.md": event(weekly())},
                                ("check", "--content", "content", "--now", "2027-01-20T12:00")),
    "new": Run({"content/events/.keep": ""},
               ("new", "Tuesday Pairing", "--content", "content", "--category",
                "pair-programming", "--timezone", "America/New_York", "--now", NOW)),
    "new, exists": Run({"content/events/weekly-scrum.md": event(weekly())},
                       ("new", "Weekly Scrum", "--content", "content")),
    "new, category": Run({"content/events/.keep": ""},
                         ("new", "Board Games", "--content", "content", "--category", "games")),
    "new, zone": Run({"content/events/.keep": ""},
                     ("new", "Board Games", "--content", "content", "--timezone", "Paris")),
    "new, title": Run({"content/events/.keep": ""}, ("new", "???", "--content", "content")),
    "sessions": Run(SESSIONS),
    "sessions, explained": Run(SESSIONS_EXPLAINED, CHECK + ("--explain", "weekly-scrum",
                                                            "pairing")),
    "new session": Run(NEW_SESSION, ("new", "session", "weekly-scrum", "--content", "content",
                                     "--now", NOW)),
    "new session, a date": Run(NEW_SESSION, ("new", "session", "weekly-scrum", "2027-01-16",
                                             "--content", "content", "--now", NOW)),
    "new session, exists": Run(dict(NEW_SESSION, **{S + "2027-01-18.md": session()}),
                               ("new", "session", "weekly-scrum", "2027-01-18", "--content",
                                "content")),
    "new session, event": Run(NEW_SESSION, ("new", "session", "weekly-scrm", "--content",
                                            "content")),
    "new session, date": Run(NEW_SESSION, ("new", "session", "weekly-scrum", "18/01/2027",
                                           "--content", "content")),
}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org",
                    "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                    "-c", "protocol.file.allow=always", *args],
                   cwd=cwd, check=True, capture_output=True, timeout=60)


def prepare(run: Run, folder: Path) -> Path:
    """Write the run's files under `folder`; return where the command runs."""
    folder.mkdir(parents=True)
    target = folder / "origin" if run.shallow_git else folder
    for relative, content in run.files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is BROKEN_LINK:
            os.symlink("deleted-file.md", path)
        elif content is PIPE:
            os.mkfifo(path)
        elif content is FOLDER:
            path.mkdir()
        elif isinstance(content, Link):
            os.symlink(content.target, path)
        elif isinstance(content, Sized):
            with open(path, "wb") as out:
                out.truncate(content.size)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if not run.shallow_git:
        return folder
    _git(target, "init", "-q")
    _git(target, "add", ".")
    _git(target, "commit", "-q", "-m", "first")
    (target / "README").write_text("second commit\n")
    _git(target, "add", ".")
    _git(target, "commit", "-q", "-m", "second")
    _git(folder, "clone", "-q", "--depth", "1", target.as_uri(), "clone")
    return folder / "clone"


def _run(run: Run, folder: Path) -> subprocess.CompletedProcess:
    return run_cli(*run.args, cwd=prepare(run, folder))


def _write_example(text: str, slug: str, folder: Path) -> None:
    path = folder / "content" / "events" / f"{slug}.md"
    path.parent.mkdir(parents=True)
    path.write_text(text + "\n", encoding="utf-8")


def _check_example(text: str, slug: str, folder: Path) -> subprocess.CompletedProcess:
    _write_example(text, slug, folder)
    return run_cli(*CHECK, "--explain", cwd=folder)


def _explain_in_process(text: str, slug: str, folder: Path) -> tuple[list[str], str]:
    """(problems, `check --explain` output) without a new process: the rrule equivalents."""
    _write_example(text, slug, folder)
    now = parse_now(NOW)
    checked = check_content(folder / "content", now)
    shown = explain_events(checked.events, [], now) if checked.ok else ""
    return [str(problem) for problem in checked.problems], shown


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Every command the tests need, run in parallel: the examples, each in its own content
    directory (their rrule equivalents too, in-process); and every run in RUNS."""
    base_dir = tmp_path_factory.mktemp("guide")
    jobs = {}
    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        for number, example in enumerate(EXAMPLES):
            jobs["example", number] = pool.submit(_check_example, example.block.text, example.slug,
                                                  base_dir / f"example-{number}")
            if example.rrule:
                jobs["rrule", number] = pool.submit(
                    _explain_in_process, with_rrule(example.block.text, example.rrule),
                    example.slug, base_dir / f"rrule-{number}")
        for name, run in RUNS.items():
            jobs["run", name] = pool.submit(_run, run, base_dir / "runs" / re.sub(r"\W+", "-", name))
        return {key: job.result() for key, job in jobs.items()}


def explain_sections(stdout: str) -> dict[str, list[str]]:
    """`check --explain` output per slug: {slug: lines}; the closing summary line dropped."""
    lines = [line for line in stdout.split("\n") if not line.startswith("Checked ")]
    sections = {}
    for part in "\n".join(lines).strip("\n").split("\n\n"):
        sections[part.split(":", 1)[0]] = part.split("\n")
    return sections


def output_lines(result: subprocess.CompletedProcess) -> list[str]:
    return (result.stdout + "\n" + result.stderr).split("\n")


# --- the examples -------------------------------------------------------------------------------

def test_the_guide_has_a_worked_example_for_each_common_schedule():
    assert len(EXAMPLES) >= 16, [e.slug for e in EXAMPLES]
    explained = [e for e in EXAMPLES if e.explain]
    assert len(explained) >= 16
    assert len([e for e in EXAMPLES if e.rrule]) >= 10
    slugs = [e.slug for e in explained]
    assert len(slugs) == len(set(slugs)), "two examples are saved under the same name"
    texts = "\n".join(e.block.text for e in EXAMPLES)
    for needed in ('"mon", "tue", "wed", "thu", "fri"', "interval = 2", '"second tuesday"',
                   '"last fri"', "on = [15]", "until = ", "count = ", "exdates = [20",
                   "[[overrides]]", "title = ", "duration = 120", "rdates = [20"):
        assert needed in texts, f"no example uses {needed}"


@pytest.mark.parametrize("number", range(len(EXAMPLES)),
                         ids=[e.slug for e in EXAMPLES])
def test_example_passes_check_without_errors_or_warnings(results, number):
    example = EXAMPLES[number]
    result = results["example", number]
    where = f"docs/editing.md:{example.block.line}"
    assert result.returncode == 0, f"{where}: the example fails check:\n{result.stderr}"
    if example.warnings:
        assert result.stderr.splitlines() == example.warnings, (
            f"{where}: the example gets other warnings than the guide shows:\n{result.stderr}")
        return
    assert result.stderr == "", f"{where}: the example gets warnings:\n{result.stderr}"
    assert re.search(r"^Checked 1 event file in content/: no errors, 0 warnings", result.stdout,
                     re.M), result.stdout


@pytest.mark.parametrize("number", [n for n, e in enumerate(EXAMPLES) if e.explain],
                         ids=[e.slug for e in EXAMPLES if e.explain])
def test_explain_output_shown_in_the_guide_is_real(results, number):
    example = EXAMPLES[number]
    real = explain_sections(results["example", number].stdout).get(example.slug, [])
    shown = example.explain
    found = any(real[i:i + len(shown)] == shown for i in range(len(real) - len(shown) + 1))
    assert found, (f"docs/editing.md:{example.block.line}: `check --explain` now prints\n"
                   + "\n".join(real) + "\n\nbut the guide shows\n" + "\n".join(shown))


@pytest.mark.parametrize("number", [n for n, e in enumerate(EXAMPLES) if e.rrule],
                         ids=[e.slug for e in EXAMPLES if e.rrule])
def test_rrule_equivalent_gives_the_same_schedule(results, number):
    example = EXAMPLES[number]
    with_table = explain_sections(results["example", number].stdout).get(example.slug)
    problems, explained = results["rrule", number]
    where = f"docs/editing.md:{example.block.line}: with {example.rrule}"
    if example.warnings:  # the same warnings, at the rule instead of the table
        problems = [p for p in problems if ": warning: rrule: " + example.warnings[0].split(
            ": warning: repeat: ", 1)[-1] not in p]
    assert not problems, f"{where} instead of [repeat]:\n" + "\n".join(problems)
    with_rule = explain_sections(explained).get(example.slug)
    assert with_rule == with_table, (f"{where}, check --explain prints\n" + "\n".join(with_rule)
                                     + "\n\nbut with the [repeat] table\n"
                                     + "\n".join(with_table or []))


def test_with_rrule_swaps_the_repeat_table_for_the_rule():
    text = ('+++\ntitle = "A"\nstart = 2027-01-04T07:00:00\n\n[repeat]\nevery = "week"\n'
            'on = ["mon"]\n\n[[overrides]]\noriginal = 2027-01-11T07:00:00\n+++\nBody')
    assert with_rrule(text, 'rrule = "FREQ=WEEKLY;BYDAY=MO"') == (
        '+++\ntitle = "A"\nstart = 2027-01-04T07:00:00\n\nrrule = "FREQ=WEEKLY;BYDAY=MO"\n'
        '[[overrides]]\noriginal = 2027-01-11T07:00:00\n+++\nBody')


def test_all_examples_build_together(tmp_path):
    """Check is not the whole build: the examples must also render (pages, feeds, calendars)."""
    content = tmp_path / "content"
    (content / "events").mkdir(parents=True)
    for example in EXAMPLES:
        (content / "events" / f"{example.slug}.md").write_text(example.block.text + "\n",
                                                                encoding="utf-8")
    result = build(content, tmp_path / "public", NOW)
    assert result.ok, "\n".join(map(str, result.problems))
    assert result.events == len(EXAMPLES)


# --- the messages -------------------------------------------------------------------------------

def test_the_guide_quotes_many_messages():
    assert len(SAMPLES) >= 100, len(SAMPLES)


@pytest.mark.parametrize("line,sample", QUOTED, ids=[f"line {n}" for n, _ in QUOTED])
def test_quoted_output_is_real(results, line, sample):
    produced = {text for key, result in results.items() if key[0] != "rrule"
                for text in output_lines(result)}
    if sample in produced:
        return
    # Say what changed: the message, or only where it is reported.
    message = re.sub(r"^\S+?(:\d+)*: ", "", sample)
    same_message = [text for text in produced if text.endswith(message) and message]
    pytest.fail(f"docs/editing.md:{line}: no run prints\n  {sample}\n"
                + (f"but one prints\n  {same_message[0]}" if same_message else
                   "(add a file that triggers it to RUNS in tests/test_editing_guide.py)"))


@pytest.mark.parametrize("name", list(RUNS))
def test_every_run_is_quoted_in_the_guide(results, name):
    quoted = {text for _, text in QUOTED}
    assert quoted & set(output_lines(results["run", name])), (
        f'nothing the run "{name}" prints is quoted in docs/editing.md:\n'
        + results["run", name].stdout + results["run", name].stderr)


# --- every message the code can produce is explained -------------------------------------------

# Every call that makes an editor-facing message, wherever it is in the package: the whole
# package is scanned, so moving code can never let a message escape this check.
MESSAGE_CALLS = {"Problem": 4, "error": 1, "RuleError": 0, "_warning": 3,
                 "session_problem": 0}  # name: message index
PACKAGE = ROOT / "generator"


def _template(node) -> str | None:
    """A regular expression for a message written as a string, f-string or sum of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(re.escape(part.value) if isinstance(part, ast.Constant) else ".+?"
                       for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _template(node.left), _template(node.right)
        return (left or ".+?") + (right or ".+?")
    return None  # a variable: a message made elsewhere


def message_templates() -> list[tuple[str, int, str]]:
    """(module, line, regular expression) for every message the package can produce."""
    found = []
    calls = MESSAGE_CALLS
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            message = None
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in calls and len(node.args) > calls[name]:
                    message = node.args[calls[name]]
            elif isinstance(node, ast.FunctionDef) and node.name == "_parse_part":
                # RRULE parts return (message, hint) pairs that become RuleErrors.
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Return) and isinstance(inner.value, ast.Tuple):
                        found.append((module, inner.lineno, _template(inner.value.elts[0])))
            if message is not None and _template(message) is not None:
                found.append((module, node.lineno, _template(message)))
    return [(m, n, t) for m, n, t in found if t is not None]


TEMPLATES = message_templates()


def test_message_templates_are_found_wherever_messages_are_made():
    modules = {module for module, _, _ in TEMPLATES}
    assert {"generator/content/load.py", "generator/content/validate.py",
            "generator/content/rules.py", "generator/content/lint.py",
            "generator/build/history.py"} <= modules
    assert len(TEMPLATES) >= 90, len(TEMPLATES)


@pytest.mark.parametrize("module,line,template", TEMPLATES,
                         ids=[f"{m}:{n}" for m, n, _ in TEMPLATES])
def test_every_message_the_code_can_produce_is_explained(module, line, template):
    # A message follows "location: " or "field: " and ends the line or precedes "; hint".
    pattern = re.compile(r": (?:warning: )?(?:[\w.\[\]]+: )?" + template + r"(?:;|$)")
    assert any(pattern.search(sample) for _, sample in SAMPLES), (
        f"{module}:{line} can print a message that docs/editing.md does not explain "
        f'(section "{MESSAGES_HEADING[3:]}"): /{template}/')
