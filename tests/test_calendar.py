"""The calendar views (render/calendar.py, templates/calendar.html) as built, without a browser:
every month and week of the horizon, each occurrence in the cell of its day in the site's zone
(checked with dateutil's zones, not ours), moved and cancelled occurrences shown, all-day bars
on each of their days, today marked, and bounded pages on a large site."""
import gzip
import json
import shutil
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from dateutil import tz

from conftest import ROOT, SAMPLE_CONTENT, SAMPLE_NOW, build
from pagetools import find_all, parse_page

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

LONDON = tz.gettz("Europe/London")  # the sample's site zone, from the machine's tz database


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("calendar")
    shutil.copytree(SAMPLE_CONTENT, root / "content")
    assert build(root / "content", root / "public", SAMPLE_NOW).ok
    return root / "public"


def cells(page: Path) -> dict[str, list]:
    """data-date -> the day cell's elements (the cell itself first)."""
    elements = parse_page(page)
    found = {}
    for element in find_all(elements, "td"):
        found[element.attrs["data-date"]] = element
    return found


def descendants(element):
    for child in element.children:
        yield child
        yield from descendants(child)


def items_of(cell) -> list:
    return [e for e in descendants(cell) if e.tag == "li"]


def time_of(item):
    return next(e for e in descendants(item) if e.tag == "time")


def feed(site: Path) -> dict:
    return json.loads((site / "events.json").read_text())


def test_every_month_and_week_of_the_horizon_has_a_page_linked_to_the_next(site):
    months = sorted(p.name for p in (site / "calendar").iterdir() if p.name[4] == "-" and "W" not in p.name)
    weeks = sorted(p.name for p in (site / "calendar").iterdir() if "-W" in p.name)
    # 20 January to 20 April 2027.
    assert months == ["2027-01", "2027-02", "2027-03", "2027-04"]
    assert weeks[0] == "2027-W03" and weeks[-1] == "2027-W16" and len(weeks) == 14
    for names in (months, weeks):
        for before, after in zip(names, names[1:]):
            html = (site / "calendar" / before / "index.html").read_text()
            assert f'href="/calendar/{after}/" rel="next"' in html
            assert f'href="/calendar/{before}/" rel="prev"' in (site / "calendar" / after / "index.html").read_text()
    # /calendar/ is this month, and the header and homepage link to it.
    this_month = (site / "calendar" / "2027-01" / "index.html").read_text()
    front = (site / "calendar" / "index.html").read_text()
    assert front.replace('href="https://events.harbourcode.example/calendar/"',
                         'href="https://events.harbourcode.example/calendar/2027-01/"') \
        .replace('content="https://events.harbourcode.example/calendar/"',
                 'content="https://events.harbourcode.example/calendar/2027-01/"') == this_month
    assert '<a href="/calendar/">Calendar</a>' in (site / "index.html").read_text()
    assert 'href="/calendar/">the calendar' in (site / "index.html").read_text()


def test_month_grid_is_a_table_of_whole_weeks_from_monday(site):
    page = site / "calendar" / "2027-03" / "index.html"
    elements = parse_page(page)
    assert [c.text for c in find_all(elements, "caption")] == ["March 2027"]
    headers = find_all(elements, "th", scope="col")
    assert [h.attrs["abbr"] for h in headers] == ["Monday", "Tuesday", "Wednesday", "Thursday",
                                                    "Friday", "Saturday", "Sunday"]
    days = list(cells(page))
    assert days[0] == "2027-03-01" and days[-1] == "2027-04-04"  # 1 March 2027 is a Monday
    assert len(days) % 7 == 0
    assert all(date.fromisoformat(d).weekday() == i % 7 for i, d in enumerate(days))
    outside = [d for d, cell in cells(page).items() if "other-month" in cell.classes()]
    assert outside == ["2027-04-01", "2027-04-02", "2027-04-03", "2027-04-04"]


def test_each_occurrence_is_in_the_cell_of_its_day_in_the_site_zone(site):
    """Every occurrence of the feed in March sits in the cell of its London day (read with
    dateutil), all-day ones on each of their days; what a cell leaves out it counts in
    "+N more" (the two cancelled ones of the sample count too)."""
    page_cells = cells(site / "calendar" / "2027-03" / "index.html")
    expected: dict[str, set] = {day: set() for day in page_cells}
    for occurrence in feed(site)["occurrences"]:
        if occurrence.get("all_day"):
            day = date.fromisoformat(occurrence["date"])
            while day <= date.fromisoformat(occurrence["end_date"]):
                expected.get(day.isoformat(), set()).add((occurrence["event"], occurrence["date"]))
                day += timedelta(days=1)
            continue
        start = datetime.fromisoformat(occurrence["start"].replace("Z", "+00:00"))
        day = start.astimezone(LONDON).date().isoformat()
        expected.get(day, set()).add((occurrence["event"], occurrence["start"]))
    cancelled = {"2027-03-25": 1, "2027-03-29": 1}
    for day, cell in page_cells.items():
        shown = {(item_slug(i), time_of(i).attrs["datetime"]) for i in items_of(cell)
                 if "is-cancelled" not in i.classes()}
        assert shown <= expected[day], day
        more = [e for e in descendants(cell) if "more" in e.classes()]
        hidden = int(more[0].text.split()[0].lstrip("+")) if more else 0
        assert len(items_of(cell)) + hidden == len(expected[day]) + cancelled.get(day, 0), day
        assert len(items_of(cell)) <= 4
    assert sum(len(v) for v in expected.values()) > 80  # the test looked at something


def item_slug(item) -> str:
    link = next(e for e in descendants(item) if e.tag == "a")
    return link.attrs["href"].split("/")[2]


def test_moved_and_cancelled_occurrences_are_shown_as_such(site):
    march = cells(site / "calendar" / "2027-03" / "index.html")
    # euroasia-scrum: exdates 25 March 07:00 London (GMT) and all of 29 March (BST from the 28th).
    cancelled = {day: [time_of(i).attrs["datetime"] for i in items_of(cell) if "is-cancelled" in i.classes()]
                 for day, cell in march.items()}
    assert cancelled["2027-03-25"] == ["2027-03-25T07:00:00Z"]
    assert cancelled["2027-03-29"] == ["2027-03-29T06:00:00Z"]
    assert sum(len(v) for v in cancelled.values()) == 2
    item = next(i for i in items_of(march["2027-03-25"]) if "is-cancelled" in i.classes())
    assert "cancelled EuroAsia Scrum" in item.text
    # atlantic-scrum: 30 March 15:15 London moved (override) to 16:30.
    moved = [i for cell in march.values() for i in items_of(cell) if "is-moved" in i.classes()]
    assert len(moved) == 1 and "16:30 moved from Tue 30 Mar 15:15 Atlantic Scrum (late start)" == moved[0].text
    assert moved[0] in items_of(march["2027-03-30"])


def test_all_day_occurrences_are_bars_on_each_of_their_days(site):
    march = cells(site / "calendar" / "2027-03" / "index.html")
    hackathon = [d for d, cell in march.items() for i in items_of(cell)
                 if "cal-bar" in i.classes() and "Spring Hackathon" in i.text]
    assert hackathon == ["2027-03-26", "2027-03-27", "2027-03-28"]
    for day in hackathon:
        first = items_of(march[day])[0]  # at the top of the day
        assert "cal-bar" in first.classes()
        assert time_of(first).attrs["data-all-day"] == "2027-03-26/2027-03-28"


def test_today_is_marked_at_build_time_and_only_today(site):
    for page in ["2027-01", "2027-W03"]:
        elements = parse_page(site / "calendar" / page / "index.html")
        today = [e.attrs["data-date"] for e in find_all(elements, "td") if e.attrs.get("aria-current") == "date"]
        assert today == ["2027-01-20"]
    elements = parse_page(site / "calendar" / "2027-02" / "index.html")
    assert not [e for e in find_all(elements, "td") if e.attrs.get("aria-current")]


def test_week_view_is_seven_columns_in_time_order(site):
    page = site / "calendar" / "2027-W12" / "index.html"
    week = cells(page)
    assert list(week) == [f"2027-03-{d}" for d in range(22, 29)]
    for cell in week.values():
        starts = [time_of(i).attrs["datetime"] for i in items_of(cell) if "cal-bar" not in i.classes()]
        assert starts == sorted(starts)


def test_calendar_data_covers_each_cell_in_any_zone(site):
    """occurrences.json holds every occurrence that can fall on a day of the page in some zone
    (UTC-12 to UTC+14): checked against events.json."""
    data = json.loads((site / "calendar" / "2027-03" / "occurrences.json").read_text())
    assert data["version"] == 1 and data["limit"] == 4
    base = datetime.fromisoformat(data["base"].replace("Z", "+00:00"))
    starts = {(data["events"][row[0]][3], (base + timedelta(minutes=row[1])).strftime("%Y-%m-%dT%H:%M:%SZ"))
              for row in data["occurrences"] if isinstance(row[1], int)}
    low = datetime(2027, 3, 1, tzinfo=tz.UTC) - timedelta(hours=14)
    high = datetime(2027, 4, 5, tzinfo=tz.UTC) + timedelta(hours=12)
    for occurrence in feed(site)["occurrences"]:
        start = datetime.fromisoformat(occurrence["start"].replace("Z", "+00:00"))
        if not occurrence.get("all_day") and low <= start < high:
            assert (f"/events/{occurrence['event']}/", occurrence["start"]) in starts


def test_large_site_calendar_pages_stay_small(tmp_path):
    """1,500 events (30,000 occurrences): a month page is kilobytes, its data well under a
    megabyte, however many occurrences a day has ("+N more" links to the day in the list)."""
    generate(1500, tmp_path / "site")
    assert build(tmp_path / "site" / "nextup", tmp_path / "public", SAMPLE_NOW).ok
    month = tmp_path / "public" / "calendar" / "2027-02"
    html, data = (month / "index.html").read_bytes(), (month / "occurrences.json").read_bytes()
    print(f"\nmonth page of 1,500 events: {len(html)} bytes ({len(gzip.compress(html))} gzipped), "
          f"data {len(data)} bytes ({len(gzip.compress(data))} gzipped)")
    assert len(html) < 64 * 1024 and len(data) < 256 * 1024
    assert len(gzip.compress(data)) < 64 * 1024
    assert b'class="more" href="/events/' in html


def test_weeks_start_on_the_languages_first_day_and_keep_iso_week_addresses():
    from generator.render.calendar import week_key, week_start
    from generator.render.language import language_for

    monday = date(2027, 2, 15)
    assert week_start(monday + timedelta(days=3), language_for("en")) == monday
    sunday = week_start(monday + timedelta(days=3), language_for("en-US"))
    assert sunday == date(2027, 2, 14)
    # A week is named by the ISO week of its Monday, whichever day it starts on.
    assert week_key(sunday) == week_key(monday) == "2027-W07"
    assert week_key(date(2027, 2, 13)) == "2027-W07"  # a Saturday-first week (ar-EG)
