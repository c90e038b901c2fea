"""`build.py import`: the original site's export and .ics calendars, as event files.

What the imported files do is checked against implementations that share no code with the
importer: dateutil reimplements the original site's schedule rules (IceCube's Sunday-based weeks,
exclusive end date, fixed UTC times), ical.js (Thunderbird's parser) expands the calendars, and
Nextup's own events.ics must survive a round trip.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule as du

from conftest import ROOT, SAMPLE_NOW, build, icaljs_expand, run_cli

DATA = ROOT / "tests" / "data" / "import"
EXPORT = DATA / "original_events.csv"
NOW = "2026-11-27T12:00:00Z"
UTC = timezone.utc
WINDOW = (datetime(2026, 11, 28, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
# Rails' names for the zones the export uses, written here independently of the importer.
RAILS = {"London": "Europe/London", "Eastern Time (US & Canada)": "America/New_York",
         "Tokyo": "Asia/Tokyo", "Pacific Time (US & Canada)": "America/Los_Angeles",
         "Berlin": "Europe/Berlin"}


def new_site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "events").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.toml", content / "site.toml")
    shutil.copytree(ROOT / "content" / "images", content / "images")  # site.toml's default_image
    return content


def import_cli(*args: str, cwd: Path):
    return run_cli("import", *args, "--now", NOW, cwd=cwd)


def built_occurrences(content: Path, tmp_path: Path, now: str = NOW, days: int = 420) -> dict:
    """slug -> sorted [(start, end)] from a real build's events.json."""
    output = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
    result = build(content, output, now, horizon_days=days)
    assert not [p for p in result.problems if p.is_error], [str(p) for p in result.problems]
    feed = json.loads((output / "events.json").read_text())
    found: dict[str, list] = {}
    for occurrence in feed["occurrences"]:
        start = _instant(occurrence["start"])
        if WINDOW[0] <= start < WINDOW[1]:
            found.setdefault(occurrence["event"], []).append((start, _instant(occurrence["end"])))
    return {slug: sorted(items) for slug, items in found.items()}


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- the original site's schedule, reimplemented with dateutil ------------------------------

def export_rows() -> list[dict]:
    with open(EXPORT, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def original_site_meetings(row: dict) -> list[datetime]:
    """What the original site showed: IceCube's weekly rule at a fixed UTC time, weekdays read
    in UTC, weeks counted from Sunday, the end date exclusive, exact-time exclusions."""
    start = datetime.strptime(row["start_datetime"], "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=UTC)
    exclusions = {datetime.fromisoformat(x.replace("Z", "+00:00"))
                  for x in json.loads(row["exclusions"] or "[]")}
    if row["repeats"] == "never":
        meetings = [start]
    else:
        mask = int(row["repeats_weekly_each_days_of_the_week_mask"] or 0)
        days = [day for day in range(7) if mask & (1 << day)] or [start.weekday()]
        interval = int(row["repeats_every_n_weeks"] or (2 if row["repeats"] == "biweekly" else 1))
        until = None
        if row["repeat_ends"] == "on" and row["repeat_ends_on"]:
            until = datetime.combine(date.fromisoformat(row["repeat_ends_on"]), time(),
                                     UTC) - timedelta(seconds=1)
        meetings = list(du.rrule(du.WEEKLY, dtstart=start, interval=interval, byweekday=days,
                                 wkst=du.SU, until=until or WINDOW[1]))
    return [m for m in meetings if m not in exclusions and WINDOW[0] <= m < WINDOW[1]]


def reanchored(row: dict, meeting: datetime) -> datetime:
    """The same meeting kept at the local wall-clock time its series had at its start."""
    zone = ZoneInfo(RAILS[row["time_zone"]])
    start = datetime.strptime(row["start_datetime"], "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=UTC)
    local_start = start.astimezone(zone)
    shift = local_start.date() - start.date()
    local = datetime.combine(meeting.date() + shift, local_start.time())
    return local.replace(tzinfo=zone).astimezone(UTC)  # fold=0: RFC 5545's reading


def slug_of(row: dict, taken: set) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", row["name"].lower()).strip("-")
    number = 2
    base = slug
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def importable_rows():
    """(slug, row) for every row that should become a published event."""
    taken: set = set()
    found = []
    for row in export_rows():
        if row["name"] == "Broken Row":
            continue
        slug = slug_of(row, taken)
        if row["name"] != "Old Hangout":  # ended in 2019: imported as a draft
            found.append((slug, row))
    return found


@pytest.fixture(scope="module")
def imported_fixed(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("fixed")
    content = new_site(tmp_path)
    result = import_cli("original", str(EXPORT), "--into", str(content), cwd=tmp_path)
    return content, result, built_occurrences(content, tmp_path)


@pytest.fixture(scope="module")
def imported_recorded(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("recorded")
    content = new_site(tmp_path)
    result = import_cli("original", str(EXPORT), "--into", str(content), "--zone", "recorded",
                        cwd=tmp_path)
    return content, result, built_occurrences(content, tmp_path)


def test_original_import_without_zone_shows_exactly_what_the_original_site_showed(imported_fixed):
    content, result, built = imported_fixed
    checked = 0
    for slug, row in importable_rows():
        expected = original_site_meetings(row)
        minutes = timedelta(minutes=int(row["duration"]))
        assert [start for start, _ in built.get(slug, [])] == expected, slug
        assert all(end - start == minutes for start, end in built.get(slug, [])), slug
        checked += len(expected)
    assert checked > 700, checked


def test_original_import_with_zone_keeps_local_time_through_dst(imported_recorded):
    content, result, built = imported_recorded
    moved = 0
    for slug, row in importable_rows():
        original = original_site_meetings(row)
        expected = [reanchored(row, meeting) for meeting in original]
        got = [start for start, _ in built.get(slug, [])]
        assert got == expected, slug
        if row["repeats"] != "never":  # the DST fix: one wall-clock time all year
            zone = ZoneInfo(RAILS[row["time_zone"]])
            assert len({m.astimezone(zone).time() for m in got}) == 1, slug
        moved += sum(1 for a, b in zip(original, got) if a != b)
    # The fix changes real meetings: in London summer and in New York winter, by one hour.
    assert moved > 200, moved


def test_original_end_date_was_exclusive_and_now_is_the_last_meeting(imported_fixed):
    content, result, built = imported_fixed
    text = (content / "events" / "charity-client-check-in.md").read_text()
    assert "until = 2027-03-24" in text
    starts = [start for start, _ in built["charity-client-check-in"]]
    assert starts[-1] == datetime(2027, 3, 24, 14, tzinfo=UTC)
    assert datetime(2026, 12, 30, 14, tzinfo=UTC) not in starts  # its exclusion


def test_original_fortnightly_weekend_counts_weeks_from_sunday(imported_fixed, imported_recorded):
    # Saturday and the next day, Sunday, are in different Sunday-based weeks: every other week
    # has a Sunday and then a Saturday 13 days later, never a Saturday-Sunday pair.
    for content, _, built in (imported_fixed, imported_recorded):
        starts = [start for start, _ in built["weekend-pairing"]]
        gaps = {(b - a).days for a, b in zip(starts, starts[1:])}
        assert gaps == {6, 8}, gaps
    # In UTC the weeks start on Sunday (WKST=SU); re-anchored to Tokyo the meetings are on
    # Sunday and Monday, a day later, and the weeks start on Monday, Nextup's default.
    assert "WKST=SU" in (imported_fixed[0] / "events" / "weekend-pairing.md").read_text()
    assert 'on = ["mon", "sun"]' in (imported_recorded[0] / "events" / "weekend-pairing.md").read_text()


def test_original_report_names_every_decision(imported_fixed):
    content, result, built = imported_fixed
    out = result.stdout
    assert result.returncode == 1, "a row was not imported: the exit code says so"
    assert "Imported 9 events" in out
    assert re.search(r"original_events\.csv line 12: start_datetime: 'next tuesday' is not a "
                     r"date and time; write it like", out)
    assert 'another imported event (original_events.csv line 4) is also called "us-scrum": ' \
           "this one is us-scrum-2" in out
    assert re.search(r"euroasia-scrum\.md: kept at 07:00 UTC all year, as the original site did: "
                     r"in Europe/London \(its time_zone \"London\"\) that is 07:00 on standard "
                     r"time and 08:00 on summer time", out)
    assert "left out 1 exclusion(s) that matched no meeting" in out
    assert "friday-demo.md: category hackathon is not one of the site's" in out
    assert "draft = true" in (content / "events" / "old-hangout.md").read_text()
    assert "Checked: 9 of 9 events give the same meetings as the source" in out


def test_original_export_as_json_gives_the_same_files(tmp_path, imported_fixed):
    rows = export_rows()
    for row in rows:  # JSON exports carry real lists and numbers
        row["exclusions"] = json.loads(row["exclusions"] or "[]")
        row["duration"] = int(row["duration"])
    export = tmp_path / "events.json"
    export.write_text(json.dumps({"events": rows}, indent=2))
    content = new_site(tmp_path)
    result = import_cli("original", str(export), "--into", str(content), cwd=tmp_path)
    assert result.returncode == 1 and "events.json item 10: start_datetime" in result.stdout
    csv_files = imported_fixed[0] / "events"
    for path in sorted(csv_files.glob("*.md")):
        strip = lambda text: re.sub(r"# Imported from .*\n", "", text)  # noqa: E731
        assert strip((content / "events" / path.name).read_text()) == strip(path.read_text())


def test_original_description_is_plain_text_that_renders_as_written(imported_fixed, tmp_path):
    from generator.render.markup import render_description

    content = imported_fixed[0]
    body = (content / "events" / "euroasia-scrum.md").read_text().split("+++\n")[2]
    rendered = render_description(body)
    assert rendered.text == ("Coordinating all projects, and a place to find a pair.\nAgenda: "
                             "https://example.org/agenda_euroasia (read it *before* the call).")
    assert 'href="https://example.org/agenda_euroasia"' in rendered.html
    pairing = (content / "events" / "weekend-pairing.md").read_text().split("+++\n")[2]
    assert render_description(pairing).text.startswith("Pair on anything, every other weekend. #1")


def test_import_never_overwrites_without_force(tmp_path):
    content = new_site(tmp_path)
    target = content / "events" / "us-scrum.md"
    target.write_text("+++\ntitle = \"Ours\"\n+++\n")
    result = import_cli("original", str(EXPORT), "--into", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert target.read_text() == "+++\ntitle = \"Ours\"\n+++\n"
    assert re.search(r"Not overwritten \(1\): .*pass --force", result.stdout)
    forced = import_cli("original", str(EXPORT), "--into", str(content), "--force", cwd=tmp_path)
    assert "Not overwritten" not in forced.stdout
    assert 'title = "US Scrum"' in target.read_text()


def test_dry_run_writes_nothing(tmp_path):
    content = new_site(tmp_path)
    result = import_cli("original", str(EXPORT), "--into", str(content), "--dry-run", cwd=tmp_path)
    assert result.stdout.startswith("Would import 9 events")
    assert list((content / "events").iterdir()) == []


@pytest.mark.parametrize("args,message", [
    (("original", "missing.csv"), "error: cannot read missing.csv"),
    (("original", str(EXPORT), "--zone", "Eastern"), '--zone "Eastern" is not an IANA zone name'),
    (("ics", str(EXPORT)), "not an iCalendar file"),
    (("ics", str(DATA / "google.ics"), "--category", "talks"),
     '--category "talks" is not one of the site\'s categories'),
])
def test_unusable_input_is_a_usage_error_and_writes_nothing(tmp_path, args, message):
    content = new_site(tmp_path)
    result = import_cli(*args, "--into", str(content), cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert list((content / "events").iterdir()) == []


# --- calendars --------------------------------------------------------------------------------

def _schedule(occurrence: dict) -> dict:
    return {k: occurrence[k] for k in ("event", "start", "end")}


def test_nextup_events_ics_round_trips_to_the_same_occurrences(tmp_path):
    """Build the sample site, import its events.ics into an empty site, build that: every
    occurrence (event, start, end) is the same."""
    first = tmp_path / "first"
    assert not [p for p in build(ROOT / "content", first, SAMPLE_NOW).problems if p.is_error]
    content = new_site(tmp_path)
    result = run_cli("import", "ics", str(first / "events.ics"), "--into", str(content),
                     "--now", SAMPLE_NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    second = tmp_path / "second"
    assert not [p for p in build(content, second, SAMPLE_NOW).problems if p.is_error]
    before = json.loads((first / "events.json").read_text())
    after = json.loads((second / "events.json").read_text())
    assert [_schedule(o) for o in after["occurrences"]] == \
        [_schedule(o) for o in before["occurrences"]]
    for old, new in zip(before["occurrences"], after["occurrences"]):
        if "session" not in old:
            assert new == old
        else:  # session records stay behind; a titled one's SUMMARY comes back as a title
            assert {k: v for k, v in new.items() if k != "title"} == _schedule(old)
    assert any("session" in o for o in before["occurrences"])
    assert len(after["occurrences"]) > 150
    for slug, event in before["events"].items():  # same addresses, titles, zones, links
        for key in ("title", "category", "timezone", "url", "page"):
            assert after["events"][slug][key] == event[key], (slug, key)


def test_events_ics_with_until_at_clock_changes_round_trips_to_the_same_occurrences(tmp_path):
    """Nextup's own expansion reads back the UNTIL it writes for series ending in a repeated
    or skipped hour (tests/test_icaljs_agreement.py: ical.js and dateutil read it too)."""
    from conftest import write_event
    from test_icaljs_agreement import NOW as UNTIL_NOW, UNTIL_AT_CLOCK_CHANGES

    original = tmp_path / "original"
    for slug, front_matter in UNTIL_AT_CLOCK_CHANGES.items():
        write_event(original, slug, front_matter, "Test event.\n")
    first = tmp_path / "first"
    assert not [p for p in build(original, first, UNTIL_NOW, horizon_days=300).problems
                if p.is_error]
    content = new_site(tmp_path)
    result = run_cli("import", "ics", str(first / "events.ics"), "--into", str(content),
                     "--now", UNTIL_NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    second = tmp_path / "second"
    assert not [p for p in build(content, second, UNTIL_NOW, horizon_days=300).problems
                if p.is_error]
    before = json.loads((first / "events.json").read_text())["occurrences"]
    after = json.loads((second / "events.json").read_text())["occurrences"]
    assert after == before and len(before) > 60


CALENDARS = ("outlook.ics", "google.ics", "mozilla.ics")


@pytest.fixture(scope="module")
def imported_calendars(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("calendars")
    content = new_site(tmp_path)
    reports = {}
    for name in CALENDARS:
        reports[name] = import_cli("ics", str(DATA / name), "--into", str(content), cwd=tmp_path)
    return content, reports, built_occurrences(content, tmp_path)


def _uids(content: Path) -> dict[str, str]:
    """UID -> slug, from the comment each imported file starts with."""
    found = {}
    for path in (content / "events").glob("*.md"):
        match = re.search(r"# Imported from \S+ \(UID (.+)\)\.", path.read_text())
        if match:
            found[match.group(1)] = path.stem
    return found


# Imported on purpose as something else: all-day and floating events (no zone of their own,
# so ical.js reads them in the machine's zone), and a private event imported as a draft.
APPROXIMATED = {"040000008200E00074C5B7101A82E00800000000EEFF0011", "holiday@google.com",
                "floating-1", "private-1on1@google.com"}


@pytest.mark.parametrize("name", CALENDARS)
def test_imported_calendar_gives_the_meetings_icaljs_reads(imported_calendars, name, tmp_path):
    content, reports, built = imported_calendars
    uids = _uids(content)
    begin, end = "2026-11-28T00:00:00Z", "2027-12-31T00:00:00Z"
    expected: dict[str, list] = {}
    for occurrence in icaljs_expand(DATA / name, begin, end):
        if occurrence["uid"] in APPROXIMATED:
            continue
        slug = uids[occurrence["uid"]]
        expected.setdefault(slug, []).append((_instant(occurrence["start"]),
                                              _instant(occurrence["end"])))
    assert expected, name
    low, high = _instant(begin), _instant(end)
    compared = 0
    for slug, meetings in expected.items():
        zone = ZoneInfo(re.search(r'timezone = "(.+)"', (content / "events" / f"{slug}.md")
                                  .read_text()).group(1))
        # On the night clocks change, ical.js reads a skipped time with the offset after the
        # change and a repeated one as its second pass; RFC 5545 (and Nextup) the other way
        # (tests/test_expand.py checks those). Such meetings are left out here.
        got = [m for m in built.get(slug, []) if m[1] > low and m[0] < high
               and not _near_clock_change(m[0], zone)]
        meetings = [m for m in meetings if not _near_clock_change(m[0], zone)]
        assert got == sorted(meetings), slug
        compared += len(got)
    assert compared > 40, compared


def _near_clock_change(moment: datetime, zone: ZoneInfo) -> bool:
    offsets = {(moment + timedelta(hours=h)).astimezone(zone).utcoffset() for h in (-3, 0, 3)}
    return len(offsets) > 1


ALL_DAY = {"040000008200E00074C5B7101A82E00800000000EEFF0011": "team-offsite",
           "holiday@google.com": None}


def test_all_day_events_come_in_as_all_day_with_the_days_icaljs_reads(imported_calendars,
                                                                       tmp_path):
    """A DTSTART;VALUE=DATE event becomes date (and days) in its file, and the built feed's
    all-day occurrences have the very days ical.js gives the source."""
    content, reports, built = imported_calendars
    uids = _uids(content)
    output = tmp_path / "public"
    assert not [p for p in build(content, output, NOW, horizon_days=420).problems if p.is_error]
    feed = json.loads((output / "events.json").read_text())
    compared = 0
    for name in CALENDARS:
        for occurrence in icaljs_expand(DATA / name, "2026-11-28T00:00:00Z", "2027-12-31T00:00:00Z"):
            if occurrence["uid"] not in ALL_DAY:
                continue
            slug = uids[occurrence["uid"]]
            assert ALL_DAY[occurrence["uid"]] in (None, slug)
            text = (content / "events" / f"{slug}.md").read_text()
            assert re.search(r"^date = \d{4}-\d\d-\d\d$", text, re.M) and "start =" not in text
            last = date.fromisoformat(occurrence["end_day"]) - timedelta(days=1)
            ours = [(o["date"], o["end_date"]) for o in feed["occurrences"]
                    if o["event"] == slug and o.get("all_day")]
            assert (occurrence["day"], last.isoformat()) in ours, (slug, ours)
            compared += 1
    assert compared >= 2


def test_calendar_report_says_what_was_approximated(imported_calendars):
    content, reports, built = imported_calendars
    outlook, google, mozilla = (reports[n].stdout for n in CALENDARS)
    assert 'zone "W. Europe Standard Time" read as Europe/Berlin' in outlook
    assert 'zone "(UTC-05:00) Eastern Time (US & Canada)" read as America/New_York' in outlook
    assert "team-offsite.md: an all-day event" not in outlook  # imported as one, not approximated
    assert "also changed their description" in outlook
    assert "build-watch.md" in google and "build-watch.md: Nextup cannot follow" not in google
    assert "1-1-with-sam.md: marked private in the calendar: imported as a draft" in google
    assert "a VTODO: only events (VEVENT) are imported" in google and reports["google.ics"].returncode == 1
    assert 'zone "Customized Time Zone" is not a zone name; its VTIMEZONE matches Europe/Berlin' in mozilla
    assert "floating-coffee.md: its times are floating (no zone): read as Europe/Berlin" in mozilla
    for report in (outlook, google, mozilla):
        assert re.search(r"Checked: (\d+) of \1 events give the same meetings", report), report


def test_calendar_fields_become_event_fields(imported_calendars):
    content = imported_calendars[0]
    standup = (content / "events" / "west-coast-standup.md").read_text()
    assert 'timezone = "America/Los_Angeles"' in standup
    assert "rdates = [2026-11-28T10:00:00]" in standup
    assert "exdates = [2026-11-26T09:00:00, 2026-12-24T09:00:00]" in standup  # EXDATE, CANCELLED
    assert 'url = "https://meet.google.com/abc-defg-hij"' in standup  # X-GOOGLE-CONFERENCE
    assert 'title = "West Coast Standup (with demo)"' in standup
    assert "<b>" not in standup and "West coast team" in standup
    sync = (content / "events" / "berlin-team-sync.md").read_text()
    assert 'url = "https://teams.microsoft.com/l/meetup-join/' in sync
    watch = (content / "events" / "build-watch.md").read_text()  # twice a day, kept as a rule
    assert 'rrule = "FREQ=DAILY;COUNT=20;BYHOUR=8,16"' in watch or \
        'rrule = "FREQ=DAILY;BYHOUR=8,16;COUNT=20"' in watch, watch
    assert "rdates" not in watch.split("+++")[1]
    planning = (content / "events" / "quarterly-planning.md").read_text()
    assert 'category = "client-meeting"' in planning  # CATEGORIES:Client meeting


# --- the pieces ---------------------------------------------------------------------------

TRICKY_TEXTS = [
    "* not a list item", "# not a heading", "1. not a numbered list", "2) nor this",
    "> not a quote", "+ plus", "- minus", "snake_case_name and _underlined_ words",
    "*stars* and **more**", "<b>not bold</b> & <script>x</script>", "&copy; stays as written",
    "`not code`", "[not](a link) ![nor](an image)", "~~not struck~~", "| not | a table |",
    "===", "    indented by four", "back\\slash \\* kept",
    "link https://meet.jit.si/AV_Euro_Scrum_1, then text.",
    "see https://www.example.org/a_b_c.",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_plain_text_becomes_markdown_that_renders_to_the_same_text(text):
    from generator.importing.draft import markdown_from_plain_text
    from generator.render.markup import render_description

    rendered = render_description(markdown_from_plain_text(text))
    assert rendered.text == text.strip(), rendered.html


def test_line_breaks_and_paragraphs_survive():
    from generator.importing.draft import markdown_from_plain_text
    from generator.render.markup import render_description

    text = "First line\nsecond line\n\nNew paragraph: https://example.org/x_y"
    rendered = render_description(markdown_from_plain_text(text))
    assert rendered.text == text
    assert '<a href="https://example.org/x_y"' in rendered.html


@pytest.mark.parametrize("text", ['plain', 'with "quotes" and \\backslash\\', "tab\there",
                                  "new\nline", "bell\x07 and del\x7f", "caf\xe9 \u2603 \U0001f600"])
def test_toml_strings_read_back_exactly(text):
    import tomllib

    from generator.importing.draft import toml_string

    assert tomllib.loads(f"value = {toml_string(text)}")["value"] == text


@pytest.mark.parametrize("name,zone", [
    ("Europe/London", "Europe/London"), ("Europe/Kiev", "Europe/Kyiv"),
    ("Eastern Time (US & Canada)", "America/New_York"), ("London", "Europe/London"),
    ("W. Europe Standard Time", "Europe/Berlin"), ("Pacific Standard Time", "America/Los_Angeles"),
    ("AUS Eastern Standard Time", "Australia/Sydney"), ("India Standard Time", "Asia/Kolkata"),
    ("/mozilla.org/20070129_1/Europe/Berlin", "Europe/Berlin"),
    ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
    ("(UTC+10:00) Canberra, Melbourne, Sydney", "Australia/Sydney"),
    ("UTC", "UTC"), ("Customized Time Zone", None), ("", None),
])
def test_zone_names_from_other_systems(name, zone):
    from generator.importing.zone_names import iana_name

    assert iana_name(name)[0] == zone


def test_rfc_reading_of_a_vtimezone_matches_zoneinfo_through_gaps_and_folds():
    """The calendar's own VTIMEZONE, read through dateutil, gives RFC 5545's instants for every
    wall-clock time of two years in Berlin, the skipped and repeated hours included."""
    import icalendar

    from generator.importing.schedule import rfc_instant
    from generator.schedule.zones import to_utc

    calendar = icalendar.Calendar.from_ical((DATA / "mozilla.ics").read_bytes())
    event = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == "night-owls-1")
    tzinfo = event["DTSTART"].dt.tzinfo
    wall = datetime(2026, 1, 1)
    checked = 0
    while wall < datetime(2028, 1, 1):
        assert rfc_instant(wall, tzinfo) == to_utc(wall, "Europe/Berlin"), wall
        wall += timedelta(minutes=30)
        checked += 1
    assert checked > 35000


def test_calendar_edge_cases_are_reported_not_guessed_silently(tmp_path):
    content = new_site(tmp_path)
    result = import_cli("ics", str(DATA / "edge.ics"), "--into", str(content), cwd=tmp_path)
    out = result.stdout
    assert result.returncode == 1  # the event without DTSTART
    assert '"No start": it has no DTSTART' in out
    assert 'zone "Mars/Olympus" (line 14) is not a zone name and the calendar does not define ' \
           "it" in out
    assert "long-one.md: it lasts 14 days (DTEND on line 25); Nextup events last at most 7 " \
           "days" in out
    assert re.search(r"hourly\.md: 400 occurrence\(s\) written out, up to .*; the calendar's "
                     r"series goes on", out)
    assert 'zone "Eastern Standard Time" read as America/New_York' in out
    assert 'zone "Eastern Time (US & Canada)" read as America/New_York' in out
    built = built_occurrences(content, tmp_path)
    assert len(built["hourly"]) == 400 and len({s.astimezone(ZoneInfo("Europe/Paris")).hour
                                                 for s, _ in built["hourly"]}) == 4


def test_original_record_shapes_from_other_exports():
    """Postgres booleans, Rails' YAML-serialised exclusions, offsets in times."""
    from generator.importing.original import Record, draft_from_record

    record = Record("export line 2", {
        "name": "Atlantic Scrum", "category": "Scrum", "repeats": "weekly",
        "repeats_every_n_weeks": "1", "repeats_weekly_each_days_of_the_week_mask": "6",
        "repeat_ends": "t", "repeat_ends_on": "2027-02-03",
        "start_datetime": "2026-12-01 16:15:00+01:00", "duration": "30", "time_zone": "London",
        "exclusions": "---\n- 2026-12-23 15:15:00 UTC\n- 2026-12-24 15:15:00 UTC\n"})
    draft = draft_from_record(record, None, datetime(2026, 11, 27, tzinfo=UTC))
    assert draft.start == datetime(2026, 12, 1, 15, 15)
    assert draft.exdates == [datetime(2026, 12, 23, 15, 15)]  # the 24th is a Thursday
    assert draft.repeat == {"every": "week", "on": ["tue", "wed"], "until": date(2027, 2, 2)}
