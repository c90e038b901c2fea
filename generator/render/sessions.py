"""Session records as pages: each record's own page (/events/<slug>/<key>/), the "Past sessions"
of an event's page and its archive (/events/<slug>/sessions/), and the site-wide list of recent
recordings (/sessions/).

A recording is a link that names its service, never a frame from another site: the pages keep
the strict Content-Security-Policy of netlify.toml (no frame-src), and nothing of the video
service loads until a visitor follows the link.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from ..model import Event, Occurrence, Session, SessionLink
from ..schedule.dates import iso_utc, zone_abbreviation
from ..schedule.zones import get_zone, to_utc
from .language import Language, language_for
from .markup import render_description
from .occurrence_sessions import session_of
from .views import Links

PAST_SHOWN = 10  # past sessions listed on an event's page; the rest on its archive page
SESSIONS_PAGE_SIZE = 50  # rows per page of /sessions/
SESSIONS_MAX_PAGES = 10  # /sessions/ lists the 500 most recent recordings at most

# Hosts of the video services named by their own name (the host without "www." otherwise).
_SERVICES = {"youtube.com": "YouTube", "youtu.be": "YouTube", "youtube-nocookie.com": "YouTube",
             "vimeo.com": "Vimeo"}
# PeerTube runs on thousands of hosts of their own: it is known by its addresses' paths,
# /w/<id> (since PeerTube 3.3), /videos/watch/<id> (before) and /w/p/<id> (a playlist).
_PEERTUBE_PATHS = ("/w/", "/videos/watch/", "/videos/embed/")


def recording_service(address: str) -> str:
    """The service a recording is on, as a reader knows it: "YouTube", "Vimeo", "PeerTube
    (framatube.org)", else the host name: "archive.org"."""
    parts = urlsplit(address)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    for known, name in _SERVICES.items():
        if host == known or host.endswith("." + known):
            return name
    if parts.path.startswith(_PEERTUBE_PATHS) and len(parts.path.rstrip("/")) > 3:
        return f"PeerTube ({host})"
    return host


def session_path(event: Event, session: Session) -> str:
    return f"events/{event.slug}/{session.key}/index.html"


def archive_path(event: Event) -> str:
    return f"events/{event.slug}/sessions/index.html"


# --- when ------------------------------------------------------------------------------------

def session_times(session: Session, event: Event) -> tuple[datetime, datetime]:
    """(start, end), UTC: where the occurrence is, as matching filled them in; for a record not
    matched (a cancelled date, say), the scheduled start in the event's zone."""
    if session.start is not None:
        return session.start, session.end or session.start + timedelta(minutes=event.duration)
    local = datetime.combine(session.day, session.time or event.start.time())
    start = to_utc(local, event.timezone)
    return start, start + timedelta(minutes=event.duration)


def has_ended(session: Session, event: Event, now: datetime) -> bool:
    return session_times(session, event)[1] <= now


def past_sessions(event: Event, now: datetime) -> list[Session]:
    """The sessions that have ended, newest first (cancelled ones too: their page says why)."""
    return sorted((s for s in event.sessions if has_ended(s, event, now)),
                  key=lambda s: session_times(s, event)[0], reverse=True)


# --- what a page shows -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SessionView:
    key: str
    page: str
    heading: str  # the session's title, or "<event> on <day>"
    title: str | None  # as the editor wrote it
    event_slug: str
    event_title: str
    event_page: str
    start_iso: str
    end_iso: str
    zone_name: str
    when: str  # "Tuesday 5 January 2027, 07:00–07:25 GMT", in the event's zone
    short_when: str  # "Tue 5 Jan 2027"
    all_day: str | None  # "2027-07-10/2027-07-11" for an all-day event
    moved_from: str | None  # "Monday 4 January 2027 at 07:00 (Europe/London)"
    cancelled: bool
    reason: str | None  # why it is cancelled
    note: str | None  # a short note beside the date (a reason without a cancellation)
    hosts: str | None  # "Sam Joseph and Ana Lee"
    recording: str | None
    recording_service: str | None  # "YouTube"
    links: tuple[SessionLink, ...]
    notes_html: str
    summary: str  # the notes' first paragraph, cut
    upcoming: bool  # not ended yet: the page offers the join link
    join_url: str | None  # for an upcoming, not cancelled session: its own link, or the event's
    join_label: str | None


def short_day_year(day: date, language: Language) -> str:
    """"Tue 5 Jan 2027"."""
    if language.house_english:
        return f"{language.short_day(day)} {day.year}"
    return language.formatted("yMMMEd", day)


def session_view(session: Session, event: Event, links: Links, now: datetime,
                 with_notes: bool = True, language: Language | None = None) -> SessionView:
    """What a page shows of a session; lists (`with_notes` False) skip rendering its notes."""
    language = language or language_for()
    start, end = session_times(session, event)
    zone = get_zone(event.timezone)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    all_day = None
    if event.all_day:  # whole local days, from its (possibly moved) first one
        day = local_start.date()
        last = day + timedelta(days=event.days - 1)
        # TRANSLATORS: an all-day session's dates, "Saturday 10 to Sunday 11 July 2027"
        when = language.gettext("%(days)s, all day", days=language.day_range(day, last))
        all_day = f"{day.isoformat()}/{last.isoformat()}"
    else:
        finish = language.clock(local_end)
        if local_end.date() != local_start.date():
            # TRANSLATORS: when a session ends on another day: "Wed 6 Jan 01:00"
            finish = language.gettext("%(day)s %(time)s", day=language.short_day(local_end.date()),
                                      time=finish)
        # TRANSLATORS: "Tuesday 5 January 2027, 07:00–07:25 GMT"; %(zone)s is an abbreviation
        when = language.gettext("%(day)s, %(start)s–%(end)s %(zone)s",
                                day=language.long_day(local_start.date()),
                                start=language.clock(local_start), end=finish,
                                zone=zone_abbreviation(local_start))
        day = local_start.date()
    moved_from = None
    if session.moved_from is not None:
        before = session.moved_from.astimezone(zone)
        if event.all_day:
            moved_from = language.long_day(before.date())
        else:
            # TRANSLATORS: where a session was moved from: "Monday 4 January 2027 at 07:00
            # (Europe/London)"; %(zone)s is a time zone's name
            moved_from = language.gettext("%(day)s at %(time)s (%(zone)s)",
                                          day=language.long_day(before.date()),
                                          time=language.clock(before), zone=event.timezone)
    upcoming = end > now
    # No join link once it has ended, nor for a meeting that does not take place (the
    # record, or the whole event, is cancelled or postponed).
    joinable = upcoming and not (session.cancelled or event.status)
    join = (session.url or event.url) if joinable else None
    notes = render_description(session.notes if with_notes else "")
    # TRANSLATORS: the heading of a session without a title of its own: "Scrum on Tuesday 5
    # January 2027"
    heading = session.title or language.gettext("%(event)s on %(day)s", event=event.title,
                                                day=language.long_day(day))
    return SessionView(
        key=session.key, page=links.session(event.slug, session.key), heading=heading,
        title=session.title, event_slug=event.slug, event_title=event.title,
        event_page=links.event(event.slug), start_iso=iso_utc(start), end_iso=iso_utc(end),
        zone_name=event.timezone, when=when, short_when=short_day_year(day, language),
        all_day=all_day, moved_from=moved_from, cancelled=session.cancelled,
        reason=session.reason if session.cancelled else None,
        note=None if session.cancelled else session.reason,
        hosts=language.join(session.hosts) if session.hosts else None,
        recording=session.recording,
        recording_service=recording_service(session.recording) if session.recording else None,
        links=session.links, notes_html=notes.html, summary=notes.summary, upcoming=upcoming,
        join_url=join, join_label=join.split("://", 1)[-1].rstrip("/") if join else None)


@dataclass(frozen=True, slots=True)
class Neighbour:
    """The previous or next session, as its page links to it."""

    page: str
    label: str  # "Sprint 42 review, Tue 5 Jan 2027" or "Tue 5 Jan 2027"


def neighbour(session: Session, event: Event, links: Links,
              language: Language | None = None) -> Neighbour:
    language = language or language_for()
    when = short_day_year(local_day(session, event), language)
    # TRANSLATORS: a link to the previous or next session: "Sprint 42 review, Tue 5 Jan 2027"
    label = language.gettext("%(title)s, %(day)s", title=session.title, day=when) if session.title else when
    return Neighbour(links.session(event.slug, session.key), label)


def local_day(session: Session, event: Event) -> date:
    """The day it is on in the event's zone (after a move)."""
    return session_times(session, event)[0].astimezone(get_zone(event.timezone)).date()


@dataclass(frozen=True, slots=True)
class PastSessions:
    """What an event's page says about its sessions that have happened."""

    shown: list[SessionView]  # newest first, PAST_SHOWN at most
    more: int  # how many older ones the archive page lists besides
    archive: str | None  # the archive page, when there are more


def past_sessions_view(event: Event, links: Links, now: datetime,
                       language: Language | None = None) -> PastSessions:
    past = past_sessions(event, now)
    shown = [session_view(s, event, links, now, with_notes=False, language=language)
             for s in past[:PAST_SHOWN]]
    more = len(past) - len(shown)
    return PastSessions(shown, more, links.event_sessions(event.slug) if more else None)


def with_session_notes(upcoming: list[Occurrence], views: list, event: Event, links: Links,
                       language: Language | None = None) -> list:
    """An event page's next dates (their OccurrenceViews, in the same order), each with its
    session record's note and a link to its page when it has one."""
    language = language or language_for()
    shown = []
    for occurrence, view in zip(upcoming, views):
        session = session_of(event, occurrence)
        if session is not None:
            note = "; ".join(filter(None, (view.note, session.reason))) or None
            view = view._replace(note=note, session_page=links.session(event.slug, session.key),
                                 session_label=session.title or language.gettext("About this session"))
        shown.append(view)
    return shown


# --- what a cache needs to know --------------------------------------------------------------

def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def event_page_session_inputs(event: Event, now: datetime) -> tuple:
    """What an event's page shows of its sessions besides the event file: the records, and
    which of them have ended by `now`."""
    return (event.sessions, sum(1 for s in event.sessions if has_ended(s, event, now)))


def session_page_inputs(event: Event, index: int, file_digest: str, now: datetime) -> str:
    """A session page's inputs beyond code and templates: the event file, the record, its
    neighbours (their links), and whether it has ended (the join link goes then)."""
    session = event.sessions[index]
    neighbours = event.sessions[max(0, index - 1):index + 2]
    return _digest("session", file_digest, session, [(s.key, s.title, s.start) for s in neighbours],
                   has_ended(session, event, now))


def archive_inputs(event: Event, file_digest: str, now: datetime) -> str | None:
    """None when the event needs no archive page (its page lists every past session)."""
    past = past_sessions(event, now)
    return _digest("archive", file_digest, past) if len(past) > PAST_SHOWN else None


__all__ = ["PAST_SHOWN", "SESSIONS_MAX_PAGES", "SESSIONS_PAGE_SIZE", "Neighbour", "PastSessions",
           "SessionView", "archive_inputs", "archive_path", "event_page_session_inputs",
           "has_ended", "local_day", "neighbour", "past_sessions", "past_sessions_view",
           "recording_service", "session_page_inputs", "session_path", "session_times",
           "session_view", "short_day_year", "with_session_notes"]
