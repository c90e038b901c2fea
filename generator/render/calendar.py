"""The calendar views: a month grid per month of the horizon and a week view per week, as static
HTML in the site's zone, and per page a small JSON file from which static/js/calendar.js
re-renders the same cells in the visitor's zone.

Bounded at any site size: a cell shows at most MONTH_LIMIT (WEEK_LIMIT) occurrences and
"+N more", linking to the day in the list. So that the browser can do the same for any visitor
zone without the whole feed, occurrences are kept per 15-minute slot of UTC (every zone's
midnight falls on a slot boundary): the first WEEK_LIMIT of each slot, and how many it held. A
visitor's day is a run of whole slots, so its first occurrences are among those kept, and its
count is exact.

Weeks start on the language's first day of the week (CLDR's: Monday for "en", ISO 8601's and
most of the world's, Sunday for "en-US" and "pt-BR", Saturday for "ar-EG"); addresses name months
(/calendar/2027-02/) and ISO weeks (/calendar/2027-W07/: the ISO week of the week's Monday, which
every run of seven days has one of).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from ..model import Event, Site
from ..schedule.dates import iso_utc
from ..schedule.expand import cancellations
from ..schedule.zones import UTC, get_zone, to_utc
from .feed import script_safe_json
from .language import Language, language_for
from .lines import Line, parse_instant
from .views import url_path

MONTH_LIMIT = 4  # occurrences shown in a month cell before "+N more"
WEEK_LIMIT = 10  # ... in a day of the week view
PALETTE_SIZE = 8  # category colours in site.css (.hue-0 to .hue-7), by the category's place
CALENDAR_VERSION = 1


class CalendarEntry(NamedTuple):
    """One occurrence as the calendar shows it."""

    event: str
    start: str  # iso_utc
    end: str
    state: str  # "", "moved" or "cancelled"
    original: str  # moved: the local start it would have had (event's zone); else ""
    title: str | None  # an override's title
    dates: tuple[str, str] | None  # all day: first and last local day, inclusive


@dataclass
class _Kept:
    """The first `limit` entries of one slot (or all-day date), and how many it had."""

    items: list
    count: int = 0


class CalendarCollector:
    """Offered every occurrence in start order during the site-wide pass; keeps what the
    calendar pages can show (see the module's docstring), bounded by slots, not by events."""

    def __init__(self, limit: int = WEEK_LIMIT):
        self.limit = limit
        self.slots: dict[str, _Kept] = {}  # "2027-01-20T07:15" -> kept
        self.all_day: dict[str, _Kept] = {}  # "2027-03-26" -> kept

    def offer(self, line: Line) -> None:
        if '"all_day"' in line.fragment:
            occurrence = line.occurrence()
            first, last = occurrence.dates
            entry = CalendarEntry(line.event, line.start, line.end,
                                  "moved" if line.original else "", line.original,
                                  occurrence.title, (first.isoformat(), last.isoformat()))
            self._add_all_day(entry)
            return
        # Once per occurrence of a large site: kept short (the slot from the text, no parsing).
        start = line.start
        key = start[:14] + _QUARTER[start[14:16]]
        kept = self.slots.get(key)
        if kept is None:
            kept = self.slots[key] = _Kept([])
        kept.count += 1
        if len(kept.items) < self.limit:
            title = line.occurrence().title if '"title"' in line.fragment else None
            kept.items.append(CalendarEntry(line.event, start, line.end,
                                            "moved" if line.original else "", line.original,
                                            title, None))

    def _add_all_day(self, entry: CalendarEntry, sort: bool = False) -> None:
        first, last = (date.fromisoformat(d) for d in entry.dates)
        day = first
        while day <= last:
            kept = self.all_day.setdefault(day.isoformat(), _Kept([]))
            kept.count += 1
            kept.items.append(entry)
            if sort:
                kept.items.sort(key=_order)
            del kept.items[self.limit:]
            day += timedelta(days=1)

    def add_cancelled(self, events: dict[str, Event], now: datetime, horizon_end: datetime) -> None:
        """Cancelled occurrences in the horizon (exdates, and public holidays skip_holidays
        cancels): shown as cancelled, not gone. A wholly cancelled or postponed event is in no
        list, and in no calendar."""
        for event in events.values():
            if event.status is not None or not event.repeats:
                continue
            for cancelled in cancellations(event, now, horizon_end):
                start, end, local = cancelled.start, cancelled.end, cancelled.local
                dates = None
                if event.all_day:
                    last = local.date() + timedelta(days=event.days - 1)
                    dates = (local.date().isoformat(), last.isoformat())
                entry = CalendarEntry(event.slug, iso_utc(start), iso_utc(end), "cancelled", "",
                                      None, dates)
                if dates:
                    self._add_all_day(entry, sort=True)
                    continue
                kept = self.slots.setdefault(_slot(entry.start), _Kept([]))
                kept.count += 1
                kept.items.append(entry)
                kept.items.sort(key=_order)
                del kept.items[self.limit:]


_QUARTER = {f"{minute:02d}": f"{minute // 15 * 15:02d}" for minute in range(60)}


def _slot(start: str) -> str:
    """The 15-minute UTC slot of an iso_utc instant, from its text: "2027-01-20T07:15"."""
    return start[:14] + _QUARTER[start[14:16]]


def _order(entry: CalendarEntry) -> tuple:
    return (entry.dates is None, entry.start, entry.event)


# --- what a page shows ----------------------------------------------------------------------------

class ItemView(NamedTuple):
    entry_start: str  # the <time>'s datetime: the UTC start, or an all-day's first day
    time_text: str  # "07:00", or "All day"
    title: str
    page: str
    category: str
    project: str
    hue: int
    state: str  # "", "moved", "cancelled"
    note: str  # what follows the state in words: "from Mon 15 Feb 07:00" (moved), or ""
    all_day: str  # "2027-03-26/2027-03-28", or ""
    continues: bool  # an all-day bar on a day after its first


@dataclass(frozen=True, slots=True)
class DayCell:
    iso: str
    number: int
    label: str  # "Wednesday 20 January"
    in_range: bool  # in the month shown (a month grid pads its weeks with days around it)
    today: bool
    past: bool  # before the build's day: nothing is listed for it
    items: list[ItemView]
    more: int
    more_url: str


@dataclass(frozen=True, slots=True)
class CalendarPage:
    path: str  # "calendar/2027-01/index.html"
    data_path: str  # "calendar/2027-01/occurrences.json"
    kind: str  # "month" or "week"
    heading: str  # "January 2027", "Week of 18 January 2027"
    weeks: list[list[DayCell]]
    first: date
    last: date
    previous: tuple[str, str] | None  # (address, words)
    next: tuple[str, str] | None
    other_view: tuple[str, str] | None  # the week view from a month, the month from a week
    limit: int
    columns: list[tuple[str, str]]  # each column's header: "Mon" (a month) or "Mon 18 Jan" (a week), and in full


def week_start(day: date, language: Language) -> date:
    """The first day of the week `day` is in, as the language's calendars start weeks."""
    return day - timedelta(days=(day.weekday() - language.first_week_day) % 7)


def _columns(kind: str, first: date, language: Language) -> list[tuple[str, str]]:
    days = [first + timedelta(days=i) for i in range(7)]
    if kind == "month":
        return [(language.weekday_name(day.weekday(), "abbreviated"),
                 language.weekday_name(day.weekday())) for day in days]
    return [(language.short_day(day), language.day_heading(day)) for day in days]


def horizon_months(site: Site, now: datetime, horizon_end: datetime) -> list[date]:
    zone = get_zone(site.timezone)
    first, last = now.astimezone(zone).date(), horizon_end.astimezone(zone).date()
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def horizon_weeks(site: Site, now: datetime, horizon_end: datetime,
                  language: Language | None = None) -> list[date]:
    """The first days (Mondays in "en") of every week the horizon touches."""
    language = language or language_for(site.language)
    zone = get_zone(site.timezone)
    first, last = now.astimezone(zone).date(), horizon_end.astimezone(zone).date()
    start = week_start(first, language)
    weeks = []
    while start <= last:
        weeks.append(start)
        start += timedelta(days=7)
    return weeks


def month_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def week_key(first: date) -> str:
    """The ISO week of the week starting on `first`: that of the Monday among its seven days."""
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    year, week, _ = monday.isocalendar()
    return f"{year:04d}-W{week:02d}"


def calendar_pages(site: Site, prefix: str, now: datetime, horizon_end: datetime,
                   language: Language | None = None) -> Iterator[CalendarPage]:
    """Every month page, then every week page, without their cells (CalendarRenderer.fill)."""
    language = language or language_for(site.language)
    months = horizon_months(site, now, horizon_end)
    weeks = horizon_weeks(site, now, horizon_end, language)
    base = url_path(f"{prefix}calendar/")
    today = now.astimezone(get_zone(site.timezone)).date()
    this_week = week_start(today, language)
    # TRANSLATORS: the link from a month of the calendar to its week view
    week_view = language.gettext("Week view")
    # TRANSLATORS: the link from a week of the calendar to its month view
    month_view = language.gettext("Month view")
    for index, month in enumerate(months):
        key = month_key(month)
        first = week_start(month, language)
        month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        last = week_start(month_end, language) + timedelta(days=6)
        previous = months[index - 1] if index else None
        following = months[index + 1] if index + 1 < len(months) else None
        week = this_week if month <= today else week_start(month, language)
        yield CalendarPage(
            f"calendar/{key}/index.html", f"calendar/{key}/occurrences.json", "month",
            language.month_year(month), [], first, last,
            (f"{base}{month_key(previous)}/", language.month_name(previous.month)) if previous else None,
            (f"{base}{month_key(following)}/", language.month_name(following.month)) if following else None,
            (f"{base}{week_key(week)}/", week_view), MONTH_LIMIT, _columns("month", first, language))
    for index, start in enumerate(weeks):
        key = week_key(start)
        end = start + timedelta(days=6)
        previous = weeks[index - 1] if index else None
        following = weeks[index + 1] if index + 1 < len(weeks) else None
        month = max(start.replace(day=1), months[0])
        yield CalendarPage(
            f"calendar/{key}/index.html", f"calendar/{key}/occurrences.json", "week",
            # TRANSLATORS: a week view's heading; %(day)s is its first day, "18 January 2027"
            language.gettext("Week of %(day)s", day=language.day_month_year(start)), [], start, end,
            (f"{base}{week_key(previous)}/", language.gettext("Previous week")) if previous else None,
            (f"{base}{week_key(following)}/", language.gettext("Next week")) if following else None,
            (f"{base}{month_key(month)}/", month_view), WEEK_LIMIT, _columns("week", start, language))


class CalendarRenderer:
    """Cells and JSON for calendar pages from what the collector kept."""

    def __init__(self, collected: CalendarCollector, site: Site, events: dict[str, Event],
                 links, now: datetime, list_pages: list[tuple[str, str]],
                 language: Language | None = None):
        self.collected, self.site, self.events, self.links = collected, site, events, links
        self.language = language or language_for(site.language)
        self.zone = get_zone(site.timezone)
        self.today = now.astimezone(self.zone).date()
        self.list_pages = list_pages  # (first day, address) of each page of the full list
        self.hues = {c.slug: i % PALETTE_SIZE for i, c in enumerate(site.categories)}
        self.slots_by_day: dict[date, list[str]] = {}
        for key in sorted(collected.slots):
            day = parse_instant(key + ":00Z").astimezone(self.zone).date()
            self.slots_by_day.setdefault(day, []).append(key)

    def list_address(self, day: str) -> str:
        """The page of the full list that holds `day`, at that day's heading."""
        address = self.list_pages[0][1] if self.list_pages else self.links.events()
        for first, page in self.list_pages:
            if first <= day:
                address = page
        return f"{address}#day-{day}"

    def fill(self, page: CalendarPage) -> CalendarPage:
        weeks, day, row = [], page.first, []
        while day <= page.last:
            row.append(self._cell(page, day))
            if len(row) == 7:
                weeks.append(row)
                row = []
            day += timedelta(days=1)
        return CalendarPage(**{**{f: getattr(page, f) for f in page.__slots__}, "weeks": weeks})

    def _cell(self, page: CalendarPage, day: date) -> DayCell:
        entries, total = self._day_entries(day)
        entries.sort(key=_order)
        shown = entries[:page.limit]
        in_range = page.kind == "week" or (day.year, day.month) == _month_of(page)
        return DayCell(day.isoformat(), day.day, self.language.day_heading(day), in_range, day == self.today,
                       day < self.today, [self._item(e, day) for e in shown],
                       max(0, total - len(shown)), self.list_address(day.isoformat()))

    def _day_entries(self, day: date) -> tuple[list[CalendarEntry], int]:
        entries, total = [], 0
        kept_all_day = self.collected.all_day.get(day.isoformat())
        if kept_all_day:
            entries += kept_all_day.items
            total += kept_all_day.count
        for key in self.slots_by_day.get(day, ()):
            kept = self.collected.slots[key]
            entries += kept.items
            total += kept.count
        return entries, total

    def _item(self, entry: CalendarEntry, day: date) -> ItemView:
        event = self.events[entry.event]
        language = self.language
        note = ""
        if entry.state == "moved":
            original = datetime.fromisoformat(entry.original)
            if entry.dates:
                # TRANSLATORS: after "moved" in a calendar cell: the day it was on, "Mon 15 Feb"
                note = language.gettext("from %(day)s", day=language.short_day(original.date()))
            else:
                there = to_utc(original, event.timezone).astimezone(self.zone)
                # TRANSLATORS: after "moved" in a calendar cell: when it was, "Mon 15 Feb 07:00"
                note = language.gettext("from %(day)s %(time)s", day=language.short_day(there.date()),
                                        time=language.clock(there))
        if entry.dates:
            time_text, all_day = language.gettext("All day"), "/".join(entry.dates)
        else:
            time_text, all_day = language.clock(parse_instant(entry.start).astimezone(self.zone)), ""
        return ItemView(entry.dates[0] if entry.dates else entry.start, time_text, entry.title or event.title,
                        self.links.event(event.slug), event.category, event.project or "",
                        self.hues.get(event.category, 0), entry.state, note, all_day,
                        bool(entry.dates) and entry.dates[0] < day.isoformat())

    def data(self, page: CalendarPage) -> bytes:
        """What calendar.js needs to fill the page's cells in any zone: the kept occurrences of
        its days, a day and a half either side (every zone's day within them), and how many
        each slot left out."""
        start = datetime.combine(page.first, datetime.min.time()).replace(tzinfo=self.zone)
        low = iso_utc((start - timedelta(hours=36)).astimezone(UTC))
        end = datetime.combine(page.last + timedelta(days=1), datetime.min.time()).replace(tzinfo=self.zone)
        high = iso_utc((end + timedelta(hours=36)).astimezone(UTC))
        chosen: dict[tuple, CalendarEntry] = {}
        hidden: list[list] = []
        for key in sorted(self.collected.slots):
            if not low[:16] <= key < high[:16]:
                continue
            kept = self.collected.slots[key]
            for entry in kept.items[:page.limit]:
                chosen[(entry.event, entry.start)] = entry
            if kept.count > min(page.limit, len(kept.items)):
                hidden.append([key + ":00Z", kept.count - min(page.limit, len(kept.items))])
        day = page.first
        while day <= page.last:
            kept = self.collected.all_day.get(day.isoformat())
            if kept:
                for entry in kept.items[:page.limit]:
                    chosen[(entry.event, entry.start)] = entry
                if kept.count > min(page.limit, len(kept.items)):
                    hidden.append([day.isoformat(), kept.count - min(page.limit, len(kept.items))])
            day += timedelta(days=1)
        slugs = sorted({slug for slug, _ in chosen})
        index = {slug: i for i, slug in enumerate(slugs)}
        events = []
        for slug in slugs:
            event = self.events[slug]
            events.append([event.title, event.category, event.project or "",
                           self.links.event(slug), self.hues.get(event.category, 0)])
        base = parse_instant(low)
        occurrences = []
        for entry in sorted(chosen.values(), key=_order):
            if entry.dates:
                row = [index[entry.event], *entry.dates]
            else:  # minutes from `base`, and minutes long: a large site's month is 11,000 of these
                start, end = parse_instant(entry.start), parse_instant(entry.end)
                row = [index[entry.event], int((start - base).total_seconds() // 60),
                       int((end - start).total_seconds() // 60)]
            if entry.state or entry.title:
                row.append(entry.state)
            if entry.state == "moved" or entry.title:
                row.append(self._original_instant(entry))
            if entry.title:
                row.append(entry.title)
            occurrences.append(row)
        hidden = [[int((parse_instant(at).timestamp() - base.timestamp()) // 60)
                   if at.endswith("Z") else at, count] for at, count in hidden]
        # No build time in it: a refresh rewrites it only when its occurrences change.
        document = {"version": CALENDAR_VERSION, "limit": page.limit, "base": low,
                    "events": events, "occurrences": occurrences, "hidden": hidden}
        return (script_safe_json(document) + "\n").encode("utf-8")

    def _original_instant(self, entry: CalendarEntry) -> str:
        if entry.state != "moved":
            return ""
        original = datetime.fromisoformat(entry.original)
        if entry.dates:
            return original.date().isoformat()
        return iso_utc(to_utc(original, self.events[entry.event].timezone))


def _month_of(page: CalendarPage) -> tuple[int, int]:
    """The month a month page shows: the one its grid's eighth day is in."""
    day = page.first + timedelta(days=7)
    return (day.year, day.month)

