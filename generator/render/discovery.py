"""What search engines read: schema.org Event data on event pages, sitemap.xml, robots.txt."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from xml.sax.saxutils import escape

from ..model import Event, Occurrence, Session, Site
from ..schedule.expand import session_cancellations
from ..schedule.zones import get_zone, to_local, to_utc
from .feed import script_safe_json
from .place import ATTENDANCE_MODES, schema_place
from .views import Links, absolute_url

_FREQUENCY_UNITS = {"DAILY": "D", "WEEKLY": "W", "MONTHLY": "M", "YEARLY": "Y"}
# schema.org EventStatusType: https://schema.org/EventStatusType
_EVENT_STATUS = {None: "EventScheduled", "cancelled": "EventCancelled",
                 "postponed": "EventPostponed"}
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _local_iso(occurrence_instant, zone: str) -> str:
    """"2027-01-21T07:00:00+00:00": schema.org wants the offset the event's attendees saw."""
    return occurrence_instant.astimezone(get_zone(zone)).isoformat()


def _schedule(event: Event, holidays: list[datetime]) -> dict | list[dict]:
    """schema.org Schedule for a recurring event (https://schema.org/Schedule); one per time
    of day for an event held several times a day (a Schedule has one startTime)."""
    rule = event.rule
    starts = ([datetime.combine(event.start.date(), t.replace(second=event.start.second))
               for t in rule.times] or [event.start])
    schedules = [_one_schedule(event, start, holidays) for start in starts]
    return schedules[0] if len(schedules) == 1 else schedules


def _one_schedule(event: Event, start: datetime, holidays: list[datetime]) -> dict:
    rule = event.rule
    end = start + timedelta(minutes=event.duration)
    schedule = {
        "@type": "Schedule",
        "repeatFrequency": f"P{rule.interval}{_FREQUENCY_UNITS[rule.freq]}",
        "startDate": event.start.date().isoformat(),
        "startTime": start.time().isoformat(),
        "scheduleTimezone": event.timezone,
        "duration": f"PT{event.duration}M",
        "endTime": end.time().isoformat(),
    }
    if event.all_day:  # whole days: a Schedule without times (schema.org: "duration" in days)
        del schedule["startTime"], schedule["endTime"]
        schedule["duration"] = f"P{event.days}D"
    if rule.byday:
        schedule["byDay"] = [f"https://schema.org/{_DAYS[d]}" for _, d in rule.byday]
        weeks = sorted({n for n, _ in rule.byday if n is not None})
        if weeks and rule.freq == "MONTHLY":
            schedule["byMonthWeek"] = weeks
    if rule.bymonthday:
        schedule["byMonthDay"] = list(rule.bymonthday)
    if rule.bymonth:
        schedule["byMonth"] = list(rule.bymonth)
    if rule.until is not None:
        schedule["endDate"] = rule.until.date().isoformat()
    if rule.count is not None:
        schedule["repeatCount"] = rule.count
    exceptions = sorted({x.value.isoformat() for x in event.exdates}
                        | {h.isoformat() for h in holidays}
                        | {c.isoformat() for c in (session_cancellations(event)
                                                   if event.sessions else ())})
    if exceptions:
        schedule["exceptDate"] = exceptions
    return schedule


def _location(event: Event, page_url: str) -> dict | list[dict]:
    """A Place where people meet, a VirtualLocation where they join, or both (hybrid)."""
    online = {"@type": "VirtualLocation", "url": event.url or page_url}
    if event.place is None:
        return online
    place = schema_place(event.place)
    return [place, online] if event.url else place


def event_json_ld(event: Event, site: Site, view, shown: Occurrence | None, page_url: str,
                  image: str | None = None, holidays: list[datetime] = ()) -> str:
    """JSON-LD for an event page, safe to put inside <script type="application/ld+json">.
    `shown`: the next occurrence, or an ended event's last one: its dates stay (Google's Event
    data needs startDate, and a past event's page is still about that date). `holidays`: the
    local starts skip_holidays cancels (exceptDate)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": view.summary or view.schedule,
        "url": page_url,
        "eventAttendanceMode": ATTENDANCE_MODES[event.attendance],
        "eventStatus": "https://schema.org/" + _EVENT_STATUS[event.status],
        "location": _location(event, page_url),
        "organizer": {"@type": "Organization", "name": site.title, "url": site.base_url},
        "duration": f"P{event.days}D" if event.all_day else f"PT{event.duration}M",
    }
    if shown and shown.original is not None and event.status is None:
        # Moved by an override (with or without a session record): Google's rescheduled event.
        data["eventStatus"] = "https://schema.org/EventRescheduled"
        data["previousStartDate"] = (shown.original.date().isoformat() if shown.dates else
                                     _local_iso(to_utc(shown.original, event.timezone),
                                                event.timezone))
    if shown and shown.dates:  # all day: dates (schema.org Date), the last inclusive
        data["startDate"], data["endDate"] = (day.isoformat() for day in shown.dates)
    elif shown:
        data["startDate"] = _local_iso(shown.start, event.timezone)
        data["endDate"] = _local_iso(shown.end, event.timezone)
        if event.days > 1 and event.rule is not None and event.rule.count == event.days:
            # One event over several days at a time of day: it starts when its first day does
            # (also once that day, or the whole event, is past) and ends when its last day does.
            data["startDate"] = _local_iso(to_utc(event.start, event.timezone), event.timezone)
            last = event.start + timedelta(days=event.days - 1, minutes=event.duration)
            data["endDate"] = _local_iso(to_utc(last, event.timezone), event.timezone)
    if image is not None:  # the event's own picture, else the site's default
        data["image"] = [image]
    if event.rule is not None:
        data["eventSchedule"] = _schedule(event, list(holidays))
    if site.language != "en":  # English pages stay as they were (a golden: no inLanguage)
        data["inLanguage"] = site.language
    # No "offers": an Offer states a price and availability, which Nextup does not know; an
    # RSVP page elsewhere is a link on the page, not an offer (see docs/editing.md, rsvp_url).
    return script_safe_json(data)


def session_json_ld(event: Event, session: Session, site: Site, page_url: str,
                    event_page_url: str, description: str, image: str | None = None) -> str:
    """JSON-LD for a session's page: the one occurrence as an Event of its own, part of the
    series (superEvent). A cancelled one keeps its date, EventCancelled; one an override moved
    is EventRescheduled, with previousStartDate (schema.org EventStatusType, and what Google
    asks of an event whose date changed). Its own join link is its VirtualLocation; a
    recording is recordedIn."""
    joined = replace(event, url=session.url or event.url)  # its own link is its VirtualLocation
    zone = event.timezone
    start, end = session.start, session.end
    if session.cancelled and session.moved_from:  # cancelled: where the series had it
        start, end = session.moved_from, end - (start - session.moved_from)
    if session.cancelled or event.status is not None:
        status = "EventCancelled" if session.cancelled else _EVENT_STATUS[event.status]
    else:
        status = "EventRescheduled" if session.moved_from else "EventScheduled"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f"{event.title}: {session.title}" if session.title else event.title,
        "description": description,
        "url": page_url,
        "eventAttendanceMode": ATTENDANCE_MODES[joined.attendance],
        "eventStatus": "https://schema.org/" + status,
        "location": _location(joined, page_url),
        "organizer": {"@type": "Organization", "name": site.title, "url": site.base_url},
        "superEvent": {"@type": "Event", "name": event.title, "url": event_page_url},
    }
    if event.all_day:
        last = to_local(end, zone).date() - timedelta(days=1)
        data["startDate"] = to_local(start, zone).date().isoformat()
        data["endDate"] = last.isoformat()
        if session.moved_from and not session.cancelled:
            data["previousStartDate"] = to_local(session.moved_from, zone).date().isoformat()
    else:
        data["startDate"] = _local_iso(start, zone)
        data["endDate"] = _local_iso(end, zone)
        if session.moved_from and not session.cancelled:
            data["previousStartDate"] = _local_iso(session.moved_from, zone)
    if session.hosts:
        data["performer"] = [{"@type": "Person", "name": host} for host in session.hosts]
    if session.recording:
        data["recordedIn"] = {"@type": "CreativeWork", "url": session.recording}
    if image is not None:
        data["image"] = [image]
    if site.language != "en":
        data["inLanguage"] = site.language
    return script_safe_json(data)


def sitemap_xml(site: Site, pages: list[str]) -> bytes:
    """Every page's canonical address. No <lastmod>: it would change on every refresh."""
    entries = "".join(f"<url><loc>{escape(absolute_url(site, page))}</loc></url>\n"
                      for page in sorted(set(pages)))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</urlset>\n").encode("utf-8")


def robots_txt(site: Site, links: Links) -> bytes:
    return (f"User-agent: *\nAllow: /\n\nSitemap: "
            f"{absolute_url(site, links.prefix + 'sitemap.xml')}\n").encode("utf-8")
