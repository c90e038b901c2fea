"""Which session record belongs to an occurrence: what gives the feeds, the calendars and the
lists an occurrence's own join link, note and title.

A record is matched to its occurrence when it is loaded (Session.start, and moved_from when an
override moved it); both sides are named here by the occurrence's *scheduled* instant, before
any override moved it, so a moved meeting keeps its record. Cancelled records belong to no
occurrence: theirs does not take place (it is a cancellation, see schedule.expand).
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from ..model import Event, Occurrence, Session
from ..schedule.zones import to_utc


def scheduled_instant(occurrence: Occurrence, zone: str) -> datetime:
    """When the series schedules this occurrence (UTC): its start, or, for one an override
    moved, the start it would have had."""
    return to_utc(occurrence.original, zone) if occurrence.original else occurrence.start


def session_scheduled_instant(session: Session) -> datetime | None:
    """The same for a matched record; None until it is matched."""
    return session.moved_from or session.start


@lru_cache(maxsize=512)
def _index(sessions: tuple[Session, ...]) -> dict[datetime, Session]:
    found = {}
    for session in sessions:
        scheduled = session_scheduled_instant(session)
        if scheduled is not None and not session.cancelled:
            found[scheduled] = session
    return found


def session_of(event: Event, occurrence: Occurrence) -> Session | None:
    """The record of this occurrence of `event`, if it has one (and it is not cancelled)."""
    if not event.sessions:
        return None
    return _index(event.sessions).get(scheduled_instant(occurrence, event.timezone))


def cancelled_session_at(event: Event, scheduled: datetime) -> Session | None:
    """The cancelled record of the occurrence scheduled at `scheduled` (UTC), if any."""
    return next((s for s in event.sessions
                 if s.cancelled and session_scheduled_instant(s) == scheduled), None)


def join_url(event: Event, occurrence: Occurrence) -> str | None:
    """The link to join this occurrence: its record's own, else the event's."""
    session = session_of(event, occurrence)
    return (session.url if session is not None and session.url else None) or event.url
