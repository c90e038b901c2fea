"""skip_holidays: the meetings that fall on a region's public holidays are cancelled everywhere
(pages, events.json, ICS EXDATE, check --explain), checked against the `holidays` package's own
data (called directly, not through Nextup), and against ical.js reading the calendar."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from conftest import (build, feed_instants, icaljs_expand, icaljs_instants, run_cli,
                      write_event)

NOW = "2027-01-01T00:00:00Z"
HORIZON = 400  # past a whole year: every holiday of the year is in the window
YEARS = ["2027-01-01T00:00:00Z", "2032-06-15T00:00:00Z"]  # two windows, three years

REGIONS = [("GB-ENG", "Europe/London"), ("DE-BY", "Europe/Berlin"),
           ("US-CA", "America/Los_Angeles"), ("BR", "America/Sao_Paulo"),
           ("JP", "Asia/Tokyo")]


def daily(content_dir, slug, zone, extra="", time="09:00:00"):
    write_event(content_dir, slug, f'''
        title = "{slug}"
        category = "meeting"
        timezone = "{zone}"
        start = 2026-12-01T{time}
        duration = 30
        rrule = "FREQ=DAILY"
        {extra}
        ''')


def feed_of(output_dir) -> dict:
    return json.loads((output_dir / "events.json").read_text(encoding="utf-8"))


def local_days(instants, zone) -> set[date]:
    return {datetime.fromisoformat(i.replace("Z", "+00:00")).astimezone(ZoneInfo(zone)).date()
            for i in instants}


def reference_holidays(region: str, years) -> dict[date, str]:
    """The holidays package, asked directly: the independent reference."""
    country, _, subdivision = region.partition("-")
    return dict(holidays.country_holidays(country, subdiv=subdivision or None, years=years))


@pytest.fixture(scope="module", params=YEARS)
def regions_site(tmp_path_factory, request):
    root = tmp_path_factory.mktemp("holidays")
    content, output = root / "content", root / "public"
    (content / "events").mkdir(parents=True)
    for region, zone in REGIONS:
        daily(content, f"daily-{region.lower()}", zone, f'skip_holidays = "{region}"')
    result = build(content, output, request.param, horizon_days=HORIZON)
    assert result.ok, result.problems
    return output


@pytest.mark.parametrize("region,zone", REGIONS)
def test_cancelled_dates_are_exactly_the_holidays_package_s_for_each_region(regions_site,
                                                                            region, zone):
    feed = feed_of(regions_site)
    slug = f"daily-{region.lower()}"
    entry = feed["events"][slug]
    cancelled = {local_days([c["start"]], zone).pop(): c["reason"] for c in entry["cancelled"]}
    first = datetime.fromisoformat(feed["generated_at"].replace("Z", "+00:00"))
    last = datetime.fromisoformat(feed["horizon_end"].replace("Z", "+00:00"))
    days = {first.astimezone(ZoneInfo(zone)).date() + timedelta(days=n)
            for n in range((last - first).days)}
    expected = {d: n for d, n in reference_holidays(region, {d.year for d in days}).items()
                if d in days}
    assert expected, f"{region}: the window should hold holidays"
    assert set(cancelled) == set(expected)
    # Names in English where the package has them (en_US for Germany, Brazil, Japan).
    country, _, subdivision = region.partition("-")
    english = holidays.country_holidays(country, subdiv=subdivision or None,
                                        years={d.year for d in days}, language="en_US")
    assert all(cancelled[d] == english.get(d, expected[d]) for d in cancelled)
    held = local_days([o["start"] for o in feed["occurrences"] if o["event"] == slug], zone)
    assert not held & set(expected), "a meeting on a holiday was not cancelled"
    # Every other day still meets (the window's first and last partial days aside).
    inner = {d for d in days if min(days) < d < max(days)}
    assert inner - set(expected) <= held


def test_calendar_exdates_make_ical_js_agree_with_the_feed(regions_site):
    """ical.js (Thunderbird's parser) reads the ICS with its holiday EXDATEs and must find
    exactly the feed's meetings."""
    feed = feed_of(regions_site)
    found = icaljs_expand(regions_site / "events.ics", feed["generated_at"], feed["horizon_end"])
    assert icaljs_instants(found) == sorted(feed_instants(feed))


def test_the_page_says_no_meeting_and_names_the_holiday(tmp_path, content_dir, output_dir):
    write_event(content_dir, "weekday-scrum", '''
        title = "Weekday Scrum"
        category = "scrum"
        timezone = "Europe/London"
        start = 2027-03-22T07:00:00
        duration = 25
        skip_holidays = "GB-ENG"
        rrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        ''')
    assert build(content_dir, output_dir, "2027-03-24T12:00:00Z").ok
    html = (output_dir / "events/weekday-scrum/index.html").read_text(encoding="utf-8")
    assert ("No meeting: Good Friday, Friday 26 March 2027 at 07:00; Easter Monday, Monday 29 "
            "March 2027 at 07:00.") in html
    assert "except public holidays (GB-ENG)" in html
    # JSON-LD: every holiday the window cancels is an exceptDate of the schedule.
    assert ('"exceptDate":["2027-03-26T07:00:00","2027-03-29T07:00:00","2027-05-03T07:00:00",'
            '"2027-05-31T07:00:00"]') in html
    ics = (output_dir / "events/weekday-scrum/event.ics").read_text(encoding="utf-8")
    assert "EXDATE;TZID=Europe/London:20270326T070000,20270329T070000" in ics
    explained = run_cli("check", "--content", str(content_dir), "--now", "2027-03-24T12:00:00Z",
                        "--explain", "weekday-scrum")
    assert "no meeting: Good Friday" in explained.stdout
    assert "no meeting: Easter Monday" in explained.stdout


def test_an_override_or_an_extra_date_on_a_holiday_still_meets(content_dir, output_dir):
    """An override is a decision about one meeting (moved off a holiday, or kept on it), and an
    rdate is a date the editor named: holidays cancel neither."""
    write_event(content_dir, "weekly-sync", '''
        title = "Weekly Sync"
        category = "meeting"
        timezone = "Europe/London"
        start = 2027-03-01T10:00:00
        duration = 30
        skip_holidays = "GB-ENG"
        rrule = "FREQ=WEEKLY;BYDAY=MO"
        rdates = [2027-05-31T15:00:00]

        [[overrides]]
        original = 2027-03-29T10:00:00
        start = 2027-03-30T10:00:00

        [[overrides]]
        original = 2027-05-03T10:00:00
        title = "Weekly Sync (bank holiday edition)"
        ''')
    assert build(content_dir, output_dir, "2027-03-15T00:00:00Z").ok
    feed = feed_of(output_dir)
    starts = [o["start"] for o in feed["occurrences"]]
    assert "2027-03-30T09:00:00Z" in starts  # Easter Monday's, moved to the Tuesday
    assert "2027-05-03T09:00:00Z" in starts  # May Day's, kept on purpose
    assert "2027-05-31T14:00:00Z" in starts  # an rdate on the Spring bank holiday
    assert "2027-05-31T09:00:00Z" not in starts  # the rule's meeting that day is cancelled
    reasons = {c["start"]: c["reason"] for c in feed["events"]["weekly-sync"]["cancelled"]}
    assert reasons == {"2027-05-31T09:00:00Z": "Spring Bank Holiday"}


def test_site_default_applies_to_every_event_and_false_opts_out(content_dir, output_dir):
    (content_dir / "site.toml").write_text('skip_holidays = "GB-ENG"\n', encoding="utf-8")
    daily(content_dir, "follows-site", "Europe/London")
    daily(content_dir, "meets-anyway", "Europe/London", "skip_holidays = false")
    assert build(content_dir, output_dir, "2027-03-20T00:00:00Z", horizon_days=20).ok
    feed = feed_of(output_dir)
    days = {slug: local_days([o["start"] for o in feed["occurrences"] if o["event"] == slug],
                             "Europe/London") for slug in ("follows-site", "meets-anyway")}
    assert date(2027, 3, 29) not in days["follows-site"]
    assert date(2027, 3, 29) in days["meets-anyway"]
    assert "cancelled" not in feed["events"]["meets-anyway"]


def test_unknown_region_is_a_located_error_with_the_close_match(content_dir):
    daily(content_dir, "typo", "Europe/London", 'skip_holidays = "GB-EN"')
    result = run_cli("check", "--content", str(content_dir), "--now", NOW)
    assert result.returncode == 1
    assert ('typo.md:8:17: skip_holidays: unknown holiday region "GB-EN"; did you mean '
            '"GB-ENG"?') in result.stderr
    assert "Traceback" not in result.stderr


def test_site_holiday_region_warns_once_per_series_naming_the_first_few(content_dir):
    (content_dir / "site.toml").write_text('holiday_region = "GB-ENG"\n', encoding="utf-8")
    daily(content_dir, "every-day", "Europe/London")
    daily(content_dir, "skips", "Europe/London", 'skip_holidays = "GB-ENG"')
    daily(content_dir, "meets-on-holidays", "Europe/London", "skip_holidays = false")
    result = run_cli("check", "--content", str(content_dir), "--now", NOW, "--horizon-days", "365")
    warnings = [line for line in result.stderr.splitlines() if "public holiday" in line]
    assert len(warnings) == 1, result.stderr
    names = reference_holidays("GB-ENG", 2027)
    assert "every-day.md" in warnings[0]
    assert f"meets on {len(names)} public holidays of GB-ENG" in warnings[0]
    assert "Friday 1 January 2027 (New Year's Day), Friday 26 March 2027 (Good Friday), " \
           f"Monday 29 March 2027 (Easter Monday), and {len(names) - 3} more" in warnings[0]
    assert 'add skip_holidays = "GB-ENG"' in warnings[0]


def test_a_holidays_upgrade_changes_the_cache_key(monkeypatch, tmp_path):
    """The cached expansion of an event must not survive a holidays release that moves a
    holiday: the package's version is part of the cache's version."""
    from generator.build import cache

    before = cache.code_version(tmp_path, tmp_path, "site")
    installed = cache.metadata.version
    monkeypatch.setattr(cache.metadata, "version",
                        lambda name: "999.0" if name == "holidays" else installed(name))
    assert cache.code_version(tmp_path, tmp_path, "site") != before


def test_a_refresh_brings_holidays_into_the_window_as_it_moves(content_dir, output_dir):
    """The cache's moved-on window must cancel a holiday that enters it, as a clean build does."""
    daily(content_dir, "every-day", "Europe/London", 'skip_holidays = "GB-ENG"')
    assert build(content_dir, output_dir, "2027-03-01T00:00:00Z", horizon_days=20).ok
    assert "cancelled" not in feed_of(output_dir)["events"]["every-day"]
    assert build(content_dir, output_dir, "2027-03-15T00:00:00Z", horizon_days=20).ok
    refreshed = (output_dir / "events.json").read_bytes()
    clean = output_dir.parent / "clean"
    assert build(content_dir, clean, "2027-03-15T00:00:00Z", horizon_days=20).ok
    assert refreshed == (clean / "events.json").read_bytes()
    assert (output_dir / "events.ics").read_bytes() == (clean / "events.ics").read_bytes()
    days = local_days([o["start"] for o in feed_of(output_dir)["occurrences"]], "Europe/London")
    assert date(2027, 3, 26) not in days and date(2027, 3, 29) not in days
