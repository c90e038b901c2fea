"""VTIMEZONE correctness, read back by an independent client (ical.js), checked against zoneinfo.

For each zone we write the VTIMEZONE from a first year on, then ask ical.js for the UTC offset
of many wall-clock times from that year to 2045 (and beyond the zone's last explicit TZif
transition, where only the RRULE observances can answer), including times an hour or two either
side of every clock change. Skipped and repeated wall-clock times are left out: RFC 5545 and
clients differ on those, and feeds pin them as UTC instants anyway (see test_icaljs_agreement).
"""
from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import ROOT
from generator.render.vtimezone import vtimezone_lines
from generator.schedule.zones import get_zone

UTC = timezone.utc
LAST_YEAR = 2045

# zone -> first years to write the VTIMEZONE from (each gets its own calendar file).
ZONES = {
    "Europe/London": (1996, 2027),
    "America/New_York": (2000, 2027),
    "Australia/Sydney": (2005, 2027),
    "Australia/Lord_Howe": (1990, 2027),  # DST is +30 minutes
    "America/Santiago": (2010, 2027),  # changes at local midnight, Saturday 24:00
    "America/Nuuk": (2020, 2027),  # changes on Saturday 23:00 (-1:00 in the POSIX rule)
    "Pacific/Chatham": (1995, 2027),  # +12:45 / +13:45
    "Asia/Kathmandu": (1980, 2027),  # +05:30 -> +05:45 in 1986
    "Asia/Kolkata": (2000, 2027),
    "Africa/Casablanca": (2015, 2027),  # Ramadan changes listed explicitly
    "Asia/Tehran": (2000, 2027),  # DST abolished in 2022
    "America/Sao_Paulo": (2010, 2027),  # DST abolished in 2019
    "Europe/Dublin": (1990, 2027),  # negative DST in tzdata: winter GMT is "daylight"
    "Pacific/Apia": (2005, 2027),  # skipped 30 December 2011 entirely
    "Asia/Gaza": (2015, 2027),  # rule on Saturdays after the 4th Thursday: explicit fallback
    "America/St_Johns": (2000, 2027),  # -03:30 / -02:30
}


def _has_zone(name: str) -> bool:
    try:
        get_zone(name)
    except Exception:
        return False
    return True


ZONES = {zone: years for zone, years in ZONES.items() if _has_zone(zone)}


def offset_at(local: datetime, zone_name: str) -> int | None:
    """zoneinfo's offset (seconds) for a wall-clock time, or None if it is skipped/repeated."""
    zone = get_zone(zone_name)
    first = local.replace(tzinfo=zone, fold=0).utcoffset()
    second = local.replace(tzinfo=zone, fold=1).utcoffset()
    if first != second:
        return None
    return int(first.total_seconds())


@lru_cache(maxsize=None)
def zone_transitions(zone_name: str, first_year: int, last_year: int) -> tuple[datetime, ...]:
    """UTC instants at which zoneinfo's offset changes, found by sampling every two days and
    bisecting (no zone changes twice within two days)."""
    zone = get_zone(zone_name)

    def offset(instant: datetime):
        return instant.astimezone(zone).utcoffset()

    found = []
    moment = datetime(first_year, 1, 1, tzinfo=UTC) - timedelta(days=2)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    previous = offset(moment)
    step = timedelta(days=2)
    while moment < end:
        later = moment + step
        now = offset(later)
        if now != previous:
            low, high = moment, later
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if offset(middle) == previous:
                    low = middle
                else:
                    high = middle
            found.append(high.replace(microsecond=0))
            previous = now
        moment = later
    return tuple(found)


def sample_local_times(zone_name: str, first_year: int) -> list[datetime]:
    """Wall-clock times from 1 January `first_year` to LAST_YEAR: a spread over every year at
    varying hours, and times either side of every clock change. Skipped/repeated ones left out."""
    zone = get_zone(zone_name)
    times = [datetime(first_year, 1, 1, 0, 0), datetime(first_year, 1, 1, 12, 0)]
    day, index = datetime(first_year, 1, 1), 0
    while day.year <= LAST_YEAR:
        times.append(day.replace(hour=(index * 7) % 24, minute=(index * 13) % 60))
        day += timedelta(days=23)
        index += 1
    for instant in zone_transitions(zone_name, min(ZONES[zone_name]), LAST_YEAR):
        for hours in (-26, -3, -1.5, 1.5, 3, 26):
            local = (instant + timedelta(hours=hours)).astimezone(zone).replace(tzinfo=None)
            if local.year >= first_year:
                times.append(local)
    # Well after any explicit transition: only RRULE (or fallback) observances reach here.
    for month in (1, 4, 7, 10):
        times.append(datetime(LAST_YEAR, month, 15, 12, 0))
    return sorted({t for t in times if offset_at(t, zone_name) is not None})


def _calendar(zones: dict[str, int]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Nextup tests//EN"]
    for zone, first_year in zones.items():
        lines += vtimezone_lines(zone, first_year)
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def icaljs_offsets(tmp_path: Path, name: str, zones: dict[str, int],
                   queries: dict[str, list[datetime]]) -> dict[str, list[int]]:
    ics = tmp_path / f"{name}.ics"
    ics.write_text(_calendar(zones), encoding="utf-8", newline="")
    query_file = tmp_path / f"{name}.json"
    query_file.write_text(json.dumps({
        zone: [[t.year, t.month, t.day, t.hour, t.minute, t.second] for t in times]
        for zone, times in queries.items()}))
    result = subprocess.run(["node", str(ROOT / "tests" / "js" / "ical_offsets.mjs"), str(ics),
                             str(query_file)], capture_output=True, text=True, timeout=120,
                            check=True)
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def comparisons(tmp_path_factory):
    """zone -> [(first_year, local time, zoneinfo offset, ical.js offset)], for every case."""
    tmp_path = tmp_path_factory.mktemp("vtimezone")
    found: dict[str, list] = {zone: [] for zone in ZONES}
    for which in (0, 1):
        zones = {zone: years[which] for zone, years in ZONES.items()}
        queries = {zone: sample_local_times(zone, year) for zone, year in zones.items()}
        answers = icaljs_offsets(tmp_path, f"zones-{which}", zones, queries)
        for zone, times in queries.items():
            assert len(answers[zone]) == len(times)
            for local, theirs in zip(times, answers[zone]):
                found[zone].append((zones[zone], local, offset_at(local, zone), theirs))
    return found


@pytest.mark.parametrize("zone", sorted(ZONES))
def test_vtimezone_offsets_match_zoneinfo_in_icaljs(zone, comparisons):
    cases = comparisons[zone]
    assert len(cases) > 100
    wrong = [(year, local.isoformat(), ours, theirs)
             for year, local, ours, theirs in cases if ours != theirs]
    assert not wrong, f"{len(wrong)} of {len(cases)} differ, first: {wrong[:8]}"


def test_vtimezone_samples_reach_past_last_explicit_transition():
    # The comparisons above only prove the RRULE observances if they are asked about years the
    # TZif file leaves to its footer: Chatham's last explicit transition is in 2007, London's
    # in 1996, Santiago's in 2023. Every zone is sampled in LAST_YEAR, in both seasons.
    for zone, years in ZONES.items():
        times = sample_local_times(zone, years[0])
        assert times[0] == datetime(years[0], 1, 1, 0, 0)
        assert {t.month for t in times if t.year == LAST_YEAR} >= {1, 7}


def test_vtimezone_footer_rules_are_rrules_for_common_zones():
    # Outlook and others need the rule in force as RRULE observances, not a list of dates.
    for zone in ("Europe/London", "America/New_York", "Australia/Sydney", "Pacific/Chatham",
                 "America/Santiago", "America/Nuuk"):
        text = "\n".join(vtimezone_lines(zone, 2027))
        assert text.count("RRULE:FREQ=YEARLY") == 2, zone


def test_lord_howe_half_hour_dst_offsets_in_icaljs(tmp_path):
    # Lord Howe: +10:30 in winter, +11:00 in summer (DST of 30 minutes), changing at 02:00 on
    # the first Sunday of October and of April. 2040: 7 October and 1 April.
    zone = "Australia/Lord_Howe"
    times = [datetime(2040, 1, 15, 12), datetime(2040, 3, 31, 12), datetime(2040, 4, 1, 3, 0),
             datetime(2040, 7, 1, 12), datetime(2040, 10, 6, 12), datetime(2040, 10, 7, 3, 0)]
    answers = icaljs_offsets(tmp_path, "lord-howe", {zone: 2027}, {zone: times})[zone]
    half = 10 * 3600 + 1800
    assert answers == [11 * 3600, 11 * 3600, half, half, half, 11 * 3600]


def test_chatham_45_minute_offsets_in_icaljs(tmp_path):
    # Chatham: +12:45 standard, +13:45 in summer (last Sunday of September to first Sunday of
    # April, at 02:45 standard / 03:45 daylight). 2044: 25 September and 3 April.
    zone = "Pacific/Chatham"
    times = [datetime(2044, 1, 10, 9), datetime(2044, 4, 3, 2, 0), datetime(2044, 4, 3, 4, 0),
             datetime(2044, 9, 25, 2, 30), datetime(2044, 9, 25, 4, 0)]
    answers = icaljs_offsets(tmp_path, "chatham", {zone: 2030}, {zone: times})[zone]
    standard, summer = 12 * 3600 + 45 * 60, 13 * 3600 + 45 * 60
    assert answers == [summer, summer, standard, standard, summer]


def test_apia_vtimezone_from_2012_starts_after_the_skipped_day(tmp_path):
    # Samoa skipped Friday 30 December 2011, jumping from -10 to +14 (its summer time; +13
    # standard), and left summer time on 1 April 2012 at 04:00 (to 03:00). A VTIMEZONE written
    # from 2012 must say +14 for January 2012, although the change lies just before 1 January.
    zone = "Pacific/Apia"
    times = [datetime(2012, 1, 1, 0, 0), datetime(2012, 1, 1, 12, 0), datetime(2012, 2, 1, 9),
             datetime(2012, 3, 31, 12), datetime(2012, 4, 1, 12), datetime(2012, 6, 1, 12)]
    answers = icaljs_offsets(tmp_path, "apia", {zone: 2012}, {zone: times})[zone]
    assert answers == [14 * 3600] * 4 + [13 * 3600] * 2


@pytest.mark.parametrize("zone, first_year", [("Pacific/Apia", 2012), ("Pacific/Fakaofo", 2012),
                                              ("Europe/London", 1997), ("Asia/Kolkata", 1990)])
def test_vtimezone_right_from_first_january_of_first_year(zone, first_year, tmp_path):
    if not _has_zone(zone):
        pytest.skip(f"{zone} not in tzdata")
    times = [t for t in (datetime(first_year, 1, 1, h, m) for h in range(24) for m in (0, 30))
             if offset_at(t, zone) is not None]
    times += [datetime(first_year, month, 10, 12) for month in range(1, 13)]
    answers = icaljs_offsets(tmp_path, "first-year", {zone: first_year}, {zone: times})[zone]
    assert answers == [offset_at(t, zone) for t in times]


def test_nuuk_saturday_before_last_sunday_rule_in_icaljs(tmp_path):
    # Nuuk since 2024: -02, summer time -01 from the Saturday before the last Sunday of March at
    # 23:00 (POSIX "M3.5.0/-1") to the last Sunday of October at 00:00. In 2040 that is
    # Saturday 24 March 23:00 and Sunday 28 October 00:00.
    zone = "America/Nuuk"
    times = [datetime(2040, 3, 24, 12), datetime(2040, 3, 24, 22, 30), datetime(2040, 3, 25, 0, 30),
             datetime(2040, 7, 1, 12), datetime(2040, 10, 27, 12), datetime(2040, 10, 28, 12)]
    answers = icaljs_offsets(tmp_path, "nuuk", {zone: 2027}, {zone: times})[zone]
    assert answers == [-7200, -7200, -3600, -3600, -3600, -7200]
    text = "\n".join(vtimezone_lines(zone, 2027))
    assert "BYMONTHDAY=-" not in text  # ical.js finds no day for negative BYMONTHDAY + BYDAY
