"""`import ics` and `import original` given hostile files: rules that would run forever, dates at
the ends of the calendar, values that cannot be read, structure that is not iCalendar.

Each import runs as a subprocess with its address space limited (a runaway expansion dies of
MemoryError instead of eating the machine) and a generous timeout that only guards against a
hang; no test asserts a speed. Every case must end in the report, located at the line of the
.ics it is about, never in a traceback, and the calendar's other event must still import.
"""
from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

NOW = "2026-11-27T12:00:00Z"
MEMORY_LIMIT = 400 * 1024 * 1024  # bytes of address space: several times what an import needs
HANG_GUARD = 20  # seconds; an import here takes well under one

FINE_EVENT = """BEGIN:VEVENT
UID:fine-1
SUMMARY:Fine
DTSTART;TZID=Europe/London:20261201T100000
DURATION:PT15M
RRULE:FREQ=WEEKLY
END:VEVENT
"""


def calendar(*events: str, head: str = "") -> str:
    return ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//hostile//EN\n" + head + FINE_EVENT
            + "".join(events) + "END:VCALENDAR\n")


def event(*properties: str, uid: str = "hostile-1", summary: str = "Hostile") -> str:
    return ("BEGIN:VEVENT\n" + f"UID:{uid}\nSUMMARY:{summary}\n"
            + "".join(p + "\n" for p in properties) + "END:VEVENT\n")


def line_of(text: str, start: str, nth: int = 1) -> int:
    """The 1-based line of the `nth` line of `text` that starts with `start`."""
    found = [number for number, line in enumerate(text.split("\n"), start=1)
             if line.startswith(start)]
    return found[nth - 1]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_limited(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=HANG_GUARD,
                          preexec_fn=_limit_memory)


def import_text(tmp_path: Path, text: str | bytes, *extra: str) -> subprocess.CompletedProcess:
    path = tmp_path / "hostile.ics"
    if isinstance(text, str):
        path.write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    else:
        path.write_bytes(text)
    content = tmp_path / "content"
    (content / "events").mkdir(parents=True, exist_ok=True)
    result = run_limited("import", "ics", str(path), "--into", str(content), "--now", NOW,
                         *extra, cwd=tmp_path)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return result


def assert_fine_event_imported(tmp_path: Path, result) -> None:
    assert (tmp_path / "content" / "events" / "fine.md").exists(), result.stdout


# --- expansions that must stop ------------------------------------------------------------

# (name, RRULE, DTSTART, what the report must say). Each rule is one Nextup cannot store, so
# the importer writes it out as dates; before, each ran for minutes or ate gigabytes.
HOSTILE_RULES = [
    ("secondly", "FREQ=SECONDLY", "20261201T100000",
     "its occurrences had seconds: each written at its minute, once"),
    ("secondly-until-9999", "FREQ=SECONDLY;UNTIL=99991231T235959Z", "20261201T100000",
     "ends in the year 9999, after Nextup's last year (2999)"),
    ("minutely", "FREQ=MINUTELY", "20261201T100000", "400 occurrence(s) written out"),
    ("secondly-never-matches", "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", "20261201T100000",
     "gives no occurrence in the 10 years after its start"),
    ("daily-never-matches", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "20261201T100000",
     "gives no occurrence in the 10 years after its start"),
    ("hourly-huge-count", "FREQ=HOURLY;COUNT=100000000", "20261201T100000",
     "400 occurrence(s) written out"),
    ("secondly-setpos-out-of-every-period", "FREQ=SECONDLY;BYSETPOS=2", "20261201T100000",
     "gives no occurrence in the 10 years after its start"),
    ("secondly-interval-misses-bysecond", "FREQ=SECONDLY;INTERVAL=2;BYSECOND=1",
     "20261201T100000", "gives no occurrence in the 10 years after its start"),
    ("yearly-setpos-over-31-million", "FREQ=YEARLY;BYHOUR=" + ",".join(map(str, range(24)))
     + ";BYMINUTE=" + ",".join(map(str, range(60))) + ";BYSECOND="
     + ",".join(map(str, range(60))) + ";BYSETPOS=-1,1", "20261201T100000",
     "remaining occurrence(s) written out as rdates"),
    ("yearly-31-million-a-year", "FREQ=YEARLY;BYMONTH=1,12;BYMONTHDAY=1;BYHOUR="
     + ",".join(map(str, range(24))) + ";BYMINUTE=" + ",".join(map(str, range(60))),
     "20261201T100000", "400 occurrence(s) written out"),
]


@pytest.mark.parametrize("name, rule, dtstart, said", HOSTILE_RULES,
                         ids=[case[0] for case in HOSTILE_RULES])
def test_runaway_import_expansion_is_bounded_and_reported(tmp_path, name, rule, dtstart, said):
    text = calendar(event(f"DTSTART;TZID=Europe/London:{dtstart}", "DURATION:PT15M",
                          f"RRULE:{rule}"))
    result = import_text(tmp_path, text)
    assert said in result.stdout, result.stdout
    assert_fine_event_imported(tmp_path, result)


def test_runaway_import_huge_count_from_long_ago_stops_at_its_step_bound(tmp_path):
    """COUNT counts from DTSTART, so a huge COUNT from 1901 must be walked from there: the walk
    stops at its bound, and the report says so at the RRULE's line."""
    text = calendar(event("DTSTART;TZID=Europe/London:19010101T100000", "DURATION:PT15M",
                          "RRULE:FREQ=SECONDLY;COUNT=2000000000"))
    result = import_text(tmp_path, text)
    line = line_of(text, "RRULE:", 2)
    assert f'hostile.ics:{line}: "Hostile": RRULE: stopped at ' in result.stdout, result.stdout
    assert "steps to get there" in result.stdout and "too costly to follow" in result.stdout
    assert result.returncode == 1
    assert_fine_event_imported(tmp_path, result)


def test_runaway_import_vtimezone_with_a_secondly_rule_is_left_out(tmp_path):
    """dateutil expands a VTIMEZONE's rules from their DTSTART at every lookup: a SECONDLY one
    made every instant of the event take hours."""
    zone = ("BEGIN:VTIMEZONE\nTZID:Hostile Zone\nBEGIN:STANDARD\nDTSTART:19700101T000000\n"
            "TZOFFSETFROM:+0100\nTZOFFSETTO:+0000\nRRULE:FREQ=SECONDLY\nEND:STANDARD\n"
            "BEGIN:DAYLIGHT\nDTSTART:19700101T000001\nTZOFFSETFROM:+0000\nTZOFFSETTO:+0100\n"
            "RRULE:FREQ=SECONDLY\nEND:DAYLIGHT\nEND:VTIMEZONE\n")
    text = calendar(event("DTSTART;TZID=Hostile Zone:20261201T100000", "DURATION:PT15M",
                          "RRULE:FREQ=WEEKLY"), head=zone)
    result = import_text(tmp_path, text)
    assert f'hostile.ics:{line_of(text, "BEGIN:VTIMEZONE")}: the VTIMEZONE "Hostile Zone": ' \
           "its rule RRULE:FREQ=SECONDLY cannot be used" in result.stdout, result.stdout
    assert 'its zone "Hostile Zone"' in result.stdout  # and the event says how it was read
    assert_fine_event_imported(tmp_path, result)


def test_calendar_of_many_costly_rules_stops_at_the_import_budget():
    """Each rule has its own bound; a calendar of thousands of costly ones also has one for the
    whole import, after which each further rule is reported instead of walked."""
    from datetime import datetime, timezone

    from generator.importing import calendar as ics

    events = "".join(event("DTSTART;TZID=Europe/London:20261201T100000", "DURATION:PT15M",
                           "RRULE:FREQ=SECONDLY;INTERVAL=2;BYSECOND=1", uid=f"costly-{n}",
                           summary=f"Costly {n}") for n in range(20))
    found = ics.read_calendar(calendar(events).encode(), "many.ics",
                              ics.DefaultZone("Europe/London"),
                              datetime(2026, 11, 27, 12, tzinfo=timezone.utc), max_steps=300_000)
    said = [" ".join(note.text for note in draft.notes if note.kind == "review")
            for draft in found.drafts[1:]]
    assert len(said) == 20 and not found.skipped
    # The first ones were walked to the end: their rule never matches, and they say so; then
    # the budget is used up, and each later one says that instead (keeping just its DTSTART).
    walked = [text for text in said if "gives no occurrence in the 10 years" in text]
    stopped = [text for text in said if "the import's steps for following rules are used up"
               in text]
    assert 1 <= len(walked) < 20 and len(walked) + len(stopped) == 20, said
    assert said == walked + stopped


# --- values at the ends of the calendar, and values that cannot be read ---------------------

# (name, properties of the hostile VEVENT, the line the report must name (the last line of the
# calendar that starts so), what it says ("{line}" is that line's number), imported?)
HOSTILE_VALUES = [
    ("dtstart-in-9999", ["DTSTART:99991231T235959Z", "DURATION:PT1H"], "DTSTART",
     "DTSTART: the year 9999 is out of range", False),
    ("dtstart-in-9999-with-rule", ["DTSTART:99991231T235959Z", "DURATION:PT1H",
                                   "RRULE:FREQ=DAILY"], "DTSTART",
     "DTSTART: the year 9999 is out of range", False),
    ("dtstart-in-year-1", ["DTSTART:00010101T000000Z", "RRULE:FREQ=DAILY"], "DTSTART",
     "DTSTART: the year 1 is out of range", False),
    ("dtstart-in-year-1-with-zone", ["DTSTART;TZID=Europe/London:00010101T000000",
                                     "RRULE:FREQ=DAILY"], "DTSTART",
     "DTSTART: the year 1 is out of range", False),
    ("until-in-9999", ["DTSTART;TZID=Europe/London:20261201T100000", "DURATION:PT1H",
                       "RRULE:FREQ=DAILY;UNTIL=99991231T235959Z"], "RRULE",
     "its RRULE (line {line}) ends in the year 9999, after Nextup's last year (2999): imported "
     "as a series without end", True),
    ("until-in-year-1", ["DTSTART;TZID=Europe/London:20261201T100000",
                         "RRULE:FREQ=DAILY;UNTIL=00010101T000000Z"], "RRULE",
     "RRULE: it ends in the year 1", False),
    ("exdate-in-9999", ["DTSTART;TZID=Europe/London:20261201T100000", "RRULE:FREQ=DAILY",
                        "EXDATE:99991231T235959Z"], "EXDATE",
     "EXDATE on line {line} is in the year 9999, outside Nextup's years", True),
    ("rdate-in-9999", ["DTSTART;TZID=Europe/London:20261201T100000", "DURATION:PT1H",
                       "RDATE:99991231T235959Z"], "RDATE",
     "RDATE on line {line} is in the year 9999, outside Nextup's years", True),
    ("rdate-period-overflowing", ["DTSTART;TZID=Europe/London:20261201T100000",
                                  "DURATION:PT1H", "RDATE;VALUE=PERIOD:99991231T230000Z/P2D"],
     "RDATE", "RDATE on line {line} is in the year 9999", True),
    ("recurrence-id-in-9999", None, "RECURRENCE-ID",
     "RECURRENCE-ID: the year 9999 is out of range", True),
    ("dtend-in-9999", ["DTSTART;TZID=Europe/London:20261201T100000", "DTEND:99991231T235959Z"],
     "DTEND", "its end (line {line}) cannot be used: the year 9999 is out of range", True),
    ("huge-duration", ["DTSTART:20261201T100000Z", "DURATION:P99999999W"], "DURATION",
     "it lasts 699,999,993 days (DURATION on line {line}); Nextup events last at most 7 days",
     True),
    ("impractical-duration", ["DTSTART:20261201T100000Z", "DURATION:P99999999999W"], "DURATION",
     "its DURATION (line {line}) cannot be read", True),
    ("negative-duration", ["DTSTART:20261201T100000Z", "DURATION:-PT1H"], "DURATION",
     "it ends before it starts (DURATION on line {line})", True),
    ("dtend-before-dtstart", ["DTSTART:20261201T100000Z", "DTEND:20261101T100000Z"], "DTEND",
     "it ends before it starts (DTEND on line {line})", True),
    ("unknown-tzid", ["DTSTART;TZID=Nowhere/Land:20261201T100000", "RRULE:FREQ=WEEKLY"],
     "DTSTART", 'its zone "Nowhere/Land" (line {line}) is not a zone name and the calendar '
     "does not define it", True),
    ("huge-tzid", ["DTSTART;TZID=" + "(UTC) " * 5000 + ":20261201T100000"], "BEGIN:VEVENT",
     "a VEVENT: cannot be read", False),
    ("no-dtstart", ["DURATION:PT1H"], "BEGIN:VEVENT", "it has no DTSTART", False),
    ("dtstart-not-a-date", ["DTSTART:2026XX01T100000Z"], "DTSTART",
     "DTSTART: 2026XX01T100000Z is not a date or a date-time", False),
    ("dtstart-month-13", ["DTSTART:20261301T100000Z"], "DTSTART",
     "DTSTART: 20261301T100000Z is not a date or a date-time", False),
    ("rrule-not-readable", ["DTSTART:20261201T100000Z", "RRULE:FREQ=DAILY;COUNT=abc"], "RRULE",
     "RRULE: FREQ=DAILY;COUNT=abc cannot be read", False),
    ("rrule-unknown-part", ["DTSTART:20261201T100000Z", "RRULE:FREQ=DAILY;X-COLOUR=RED"],
     "RRULE", "RRULE: X-COLOUR is not a part of an RFC 5545 rule", False),
    ("rrule-bysetpos-out-of-range", ["DTSTART:20261201T100000Z",
                                     "RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=100000"], "RRULE",
     "BYSETPOS value 100000 is out of range", False),
    ("rrule-interval-absurd", ["DTSTART:20261201T100000Z",
                               "RRULE:FREQ=YEARLY;INTERVAL=2000000000"], "RRULE",
     "INTERVAL=2000000000 is absurdly large", False),
    ("control-characters-in-title", ["DTSTART:20261201T100000Z"], "SUMMARY",
     "its title (line {line}) had control characters: removed", True),
]


def _hostile_value_calendar(name: str, properties: list[str] | None) -> str:
    if name == "recurrence-id-in-9999":
        return calendar(event("DTSTART;TZID=Europe/London:20261201T100000", "DURATION:PT1H",
                              "RRULE:FREQ=DAILY"),
                        event("RECURRENCE-ID:99991231T235959Z", "DTSTART:99991231T235959Z"))
    if name == "control-characters-in-title":
        return calendar(event(*properties, summary="Host\x07ile\x1b"))
    return calendar(event(*properties))


@pytest.mark.parametrize("name, properties, located, said, imported", HOSTILE_VALUES,
                         ids=[case[0] for case in HOSTILE_VALUES])
def test_hostile_value_is_a_located_message_not_a_traceback(tmp_path, name, properties, located,
                                                            said, imported):
    text = _hostile_value_calendar(name, properties)
    line = [number for number, text_line in enumerate(text.split("\n"), start=1)
            if text_line.startswith(located)][-1]
    result = import_text(tmp_path, text)
    out = result.stdout
    assert said.format(line=line) in out, out
    assert f"line {line}" in out or f"hostile.ics:{line}:" in out, (line, out)
    hostile = tmp_path / "content" / "events" / "hostile.md"
    assert hostile.exists() == imported, out
    assert_fine_event_imported(tmp_path, result)


# --- structure that is not iCalendar ----------------------------------------------------------

def test_garbage_lines_are_reported_and_the_rest_imports(tmp_path):
    text = calendar(event("DTSTART:20261201T100000Z", "this is not a content line", ":::"),
                    head="garbage before the events\n")
    result = import_text(tmp_path, text)
    for garbage in ("garbage before the events", "this is not a content line", ":::"):
        assert f"hostile.ics:{line_of(text, garbage)}: not an iCalendar line ({garbage})" \
               in result.stdout, result.stdout
    assert (tmp_path / "content" / "events" / "hostile.md").exists()
    assert_fine_event_imported(tmp_path, result)


def test_deeply_nested_components_are_left_out(tmp_path):
    nested = "BEGIN:VEVENT\nUID:deep\n" + "BEGIN:X-DEEPER\n" * 20_000 + \
        "END:X-DEEPER\n" * 20_000 + "END:VEVENT\n"
    text = calendar(nested)
    result = import_text(tmp_path, text)
    assert f"hostile.ics:{line_of(text, 'UID:deep') - 1}: VEVENT holds components nested " \
           "more than 6 deep" in result.stdout, result.stdout
    assert_fine_event_imported(tmp_path, result)


def test_unbalanced_components_are_reported(tmp_path):
    text = calendar("END:VTODO\n", event("DTSTART:20261201T100000Z", uid="after-stray-end"),
                    "BEGIN:VEVENT\nUID:never-ends\nDTSTART:20261201T100000Z\n")
    text = text.replace("END:VCALENDAR\n", "")
    result = import_text(tmp_path, text)
    assert f"hostile.ics:{line_of(text, 'END:VTODO')}: END:VTODO closes BEGIN:VCALENDAR" \
           in result.stdout or "END:VTODO has no BEGIN" in result.stdout, result.stdout
    assert "BEGIN:VEVENT has no END:VEVENT: left out" in result.stdout
    assert_fine_event_imported(tmp_path, result)


def test_event_outside_any_vcalendar_is_reported(tmp_path):
    text = calendar() + "BEGIN:VEVENT\nUID:stray\nDTSTART:20261201T100000Z\nEND:VEVENT\n"
    result = import_text(tmp_path, text)
    assert f"hostile.ics:{line_of(text, 'UID:stray') - 1}: BEGIN:VEVENT is not inside a " \
           "VCALENDAR" in result.stdout, result.stdout
    assert_fine_event_imported(tmp_path, result)


def test_file_that_is_not_utf8_is_read_and_said(tmp_path):
    text = calendar(event("DTSTART:20261201T100000Z", summary="Caf\xe9"))
    result = import_text(tmp_path, text.replace("\n", "\r\n").encode("cp1252"))
    assert "the file is not UTF-8 (line 13)" in result.stdout, result.stdout
    assert any('title = "Café"' in path.read_text()
               for path in (tmp_path / "content" / "events").glob("*.md"))
    assert_fine_event_imported(tmp_path, result)


def test_hundred_thousand_garbage_events_are_cut_at_the_component_bound():
    """Reading stops at MAX_COMPONENTS, said at the first component not read, before the
    icalendar package sees any of them (it takes a quarter of a millisecond per event)."""
    from generator.importing.ics_text import MAX_COMPONENTS, scan_calendar_file

    garbage = "".join(f"BEGIN:VEVENT\nUID:g{n}\nDTSTART:2026{n % 100:02d}01T100000Z\n"
                      "RRULE:FREQ=SECONDLY\nEND:VEVENT\n" for n in range(100_000))
    scanned = scan_calendar_file("BEGIN:VCALENDAR\n" + garbage + "END:VCALENDAR\n")
    assert sum(len(c.components) for c in scanned.calendars) == MAX_COMPONENTS
    line, message = scanned.problems[-1]
    assert line == 2 + 5 * MAX_COMPONENTS
    assert f"more than {MAX_COMPONENTS} events" in message and "the 89999 after it" in message


def test_thousands_of_garbage_events_import_in_bounded_time(tmp_path):
    """Every event of the file is reported; the subprocess's hang guard is the bound."""
    garbage = "".join(event(f"DTSTART:2026{n % 100:02d}01T100000Z", "RRULE:FREQ=SECONDLY",
                            uid=f"g{n}", summary=f"Garbage {n}") for n in range(1500))
    result = import_text(tmp_path, calendar(garbage), "--dry-run")
    assert result.stdout.count("is not a date or a date-time") == 1500 - 15 * 12
    assert "Would import" in result.stdout


# --- the file itself --------------------------------------------------------------------------

@pytest.mark.parametrize("source, said", [
    ("/dev/zero", "not a regular file"),
    ("fifo", "not a regular file"),
    ("directory", "Is a directory"),
])
def test_import_source_that_is_not_a_regular_file_is_refused(tmp_path, source, said):
    import os

    if source == "fifo":
        os.mkfifo(tmp_path / "fifo")
        source = str(tmp_path / "fifo")
    elif source == "directory":
        source = str(tmp_path)
    result = run_limited("import", "ics", source, "--into", str(tmp_path / "content"),
                         "--dry-run", cwd=tmp_path)
    assert result.returncode == 2 and said in result.stderr, result.stderr


def test_import_source_larger_than_the_bound_is_refused(tmp_path):
    from generator.importing.run import MAX_SOURCE_BYTES

    big = tmp_path / "big.ics"
    with open(big, "wb") as handle:
        handle.truncate(MAX_SOURCE_BYTES + 1)
    result = run_limited("import", "ics", str(big), "--into", str(tmp_path / "content"),
                         "--dry-run", cwd=tmp_path)
    assert result.returncode == 2 and "larger than 64 MB" in result.stderr, result.stderr


def test_import_into_unwritable_place_is_one_line_and_exit_3(tmp_path):
    """`events` is a file, not a folder: the disk refuses, which is not the input's fault."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "events").write_text("not a folder")
    path = tmp_path / "fine.ics"
    path.write_text(calendar())
    result = run_limited("import", "ics", str(path), "--into", str(content), "--now", NOW,
                         cwd=tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == ["error: cannot write content/events: File exists"], result.stderr
    assert "Not written (1)" in result.stdout


def test_import_when_the_disk_fills_up_keeps_whole_files_and_exits_3(tmp_path, monkeypatch,
                                                                     capsys):
    """The second file's write fails with ENOSPC: the first is written whole, the second not
    at all (no partial file, no temporary left), the report says which, and the exit code is
    the environment's."""
    import errno
    import os

    from generator.cli import main
    from generator.importing import place

    content = tmp_path / "content"
    (content / "events").mkdir(parents=True)
    path = tmp_path / "two.ics"
    path.write_text(calendar(event("DTSTART:20261201T100000Z", uid="second", summary="Second")))
    real_replace, calls = os.replace, []

    def full_disk(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(source))
        real_replace(source, target)

    monkeypatch.setattr(place.os, "replace", full_disk)
    code = main(["import", "ics", str(path), "--into", str(content), "--now", NOW])
    out, err = capsys.readouterr()
    assert code == 3
    assert sorted(p.name for p in (content / "events").iterdir()) == ["fine.md"]
    assert "Not written (1)" in out and "second.md" in out
    assert err.strip().startswith("error: cannot write ") and "No space left on device" in err


# --- the original site's export -------------------------------------------------------------

ORIGINAL_HEADER = ("name,category,description,repeats,repeats_every_n_weeks,"
                   "repeats_weekly_each_days_of_the_week_mask,repeat_ends,repeat_ends_on,"
                   "start_datetime,duration,time_zone,exclusions,project,for,url\n")
ORIGINAL_HOSTILE = [
    ("Far future,Scrum,,never,,,,,9999-12-31 23:59:59 UTC,30,Tokyo,,,,",
     "start_datetime: the year 9999 is out of range"),
    ("Far past,Scrum,,weekly,1,1,,,0001-01-01 00:00:00 UTC,30,Pacific Time (US & Canada),,,,",
     "start_datetime: the year 1 is out of range"),
    ("Huge interval,Scrum,,weekly,1000000000000000,1,,,2026-01-05 10:00:00 UTC,30,London,,,,",
     "repeats_every_n_weeks: 1000000000000000 weeks is absurdly large"),
    ("Ends 9999,Scrum,,weekly,1,1,on,9999-12-31,2026-01-05 10:00:00 UTC,30,London,,,,",
     "repeat_ends_on: the year 9999 is out of range"),
    ("Nan,Scrum,,weekly,nan,1,,,2026-01-05 10:00:00 UTC,30,London,,,,",
     "repeats_every_n_weeks: 'nan' is not a number"),
    ("Bad date,Scrum,,weekly,1,1,,,2026-02-30 10:00:00 UTC,30,London,,,,",
     "start_datetime: '2026-02-30 10:00:00 UTC' is not a real date and time"),
    ('Exclusion 9999,Scrum,,weekly,1,1,,,2026-01-05 10:00:00 UTC,30,London,'
     '"[""9999-12-31T10:00:00Z""]",,,', "exclusions: the year 9999 is out of range"),
]


@pytest.mark.parametrize("zone", [(), ("--zone", "recorded")], ids=["fixed-utc", "recorded"])
def test_original_export_with_dates_at_the_ends_of_the_calendar_is_reported(tmp_path, zone):
    rows = [row for row, _ in ORIGINAL_HOSTILE]
    export = tmp_path / "events.csv"
    export.write_text(ORIGINAL_HEADER + "\n".join(rows)
                      + "\nFine,Scrum,,weekly,1,1,,,2026-01-05 10:00:00 UTC,30,London,,,,\n")
    content = tmp_path / "content"
    (content / "events").mkdir(parents=True)
    result = run_limited("import", "original", str(export), "--into", str(content), "--now",
                         NOW, *zone, cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    for number, (_, said) in enumerate(ORIGINAL_HOSTILE, start=2):
        assert f"events.csv line {number}: {said}" in result.stdout, result.stdout
    assert (content / "events" / "fine.md").exists()
