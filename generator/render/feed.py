"""The JSON feeds (schema: docs/events.schema.json; described in docs/feed.md).

- events.json: every occurrence in the horizon, for anyone who wants the whole schedule.
- countdown.json: what the countdown on every page needs, small at any site size. It is exact
  only until its own horizon_end (see CountdownChain); after that the browser reads
  events.json (the page's data-feed-full), so the countdown is right until the build's horizon.
- an event page's own next dates, as data inside the page, for the countdown there.
"""
from __future__ import annotations

import json
from functools import lru_cache
from datetime import datetime
from typing import Iterable

from ..schedule.dates import iso_utc
from ..model import Event, Occurrence, Session
from .occurrence_sessions import cancelled_session_at, session_of
from .place import feed_location
from ..schedule.expand import Cancellation

FEED_VERSION = 1
COUNTDOWN_DAYS = 14  # how far ahead countdown.json reaches, at most ...
COUNTDOWN_LIMIT = 120  # ... and how many occurrences it holds, at most


def event_entry(event: Event, page_url: str, cancelled: list[Cancellation] | None = None) -> dict:
    """An event as the feeds describe it. `cancelled`: its cancelled occurrences in the feed's
    window, for events.json (absent when there are none)."""
    entry = {"title": event.title, "category": event.category, "project": event.project,
             "timezone": event.timezone, "url": event.url, "page": page_url,
             "attendance": event.attendance, "location": feed_location(event.place),
             "rsvp_url": event.rsvp_url}
    if event.status is not None:
        entry["status"], entry["reason"] = event.status, event.reason
    if cancelled:
        entry["cancelled"] = [_cancelled_entry(event, c) for c in cancelled]
    return entry


def _cancelled_entry(event: Event, cancelled: Cancellation) -> dict:
    entry = {"start": iso_utc(cancelled.start), "end": iso_utc(cancelled.end),
             "reason": cancelled.reason}
    session = cancelled_session_at(event, cancelled.start) if event.sessions else None
    if session is not None:  # cancelled by its session record, which has a page
        entry["session"] = session.key
    return entry


def occurrence_entry(occurrence: Occurrence, session: Session | None = None) -> dict:
    """An occurrence as the feeds list it; `session`: its record (see occurrence_sessions)."""
    entry = {"event": occurrence.event, "start": iso_utc(occurrence.start),
             "end": iso_utc(occurrence.end)}
    if occurrence.title:
        entry["title"] = occurrence.title
    if occurrence.dates:  # all day: the days are what it means, in any zone
        entry["all_day"] = True
        entry["date"], entry["end_date"] = (day.isoformat() for day in occurrence.dates)
    if session is not None:
        entry["session"] = session.key
        if session.url:  # this occurrence's own join link, instead of the event's
            entry["url"] = session.url
        if session.reason:  # without status = "cancelled", a note shown beside the date
            entry["note"] = session.reason
    return entry


def occurrence_fragment(occurrence: Occurrence, session: Session | None = None) -> str:
    """script_safe_json(occurrence_entry(occurrence, session)), written directly: a large
    site has some 200,000 occurrences, and json.dumps of a fresh dict for each cost a second.
    Only the texts an editor wrote go through JSON's encoder; instants and days are ASCII
    digits and punctuation, which JSON leaves as they are."""
    fragment = (f'{{"event":{_json_slug(occurrence.event)},"start":"{iso_utc(occurrence.start)}",'
                f'"end":"{iso_utc(occurrence.end)}"')
    if occurrence.title:
        fragment += ',"title":' + script_safe_json(occurrence.title)
    if occurrence.dates:
        first, last = occurrence.dates
        fragment += f',"all_day":true,"date":"{first.isoformat()}","end_date":"{last.isoformat()}"'
    if session is not None:
        fragment += ',"session":' + script_safe_json(session.key)
        if session.url:
            fragment += ',"url":' + script_safe_json(session.url)
        if session.reason:
            fragment += ',"note":' + script_safe_json(session.reason)
    return fragment + "}"


def script_safe_json(value) -> str:
    """Compact JSON, safe to paste into a <script> element: every "<" escaped, so "</script>"
    cannot end it early (and every JSON reader still reads the same string)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def feed_head(generated_at: datetime, horizon_end: datetime, events: dict[str, dict]) -> str:
    """A feed up to its list of occurrences: what events.json (streamed) and countdown.json
    (whole) share. `events`: slug -> event_entry, in slug order."""
    head = script_safe_json({"version": FEED_VERSION, "generated_at": iso_utc(generated_at),
                             "horizon_end": iso_utc(horizon_end), "events": events})
    return head[:-1] + ',"occurrences":['


def feed_bytes(generated_at: datetime, horizon_end: datetime, events: dict[str, dict],
               fragments: Iterable[str]) -> bytes:
    """A whole feed; `fragments`: each occurrence's JSON, as the occurrence lines carry it."""
    body = ",".join(fragments)
    return (feed_head(generated_at, horizon_end, events) + body + "]}\n").encode("utf-8")


@lru_cache(maxsize=None)
def _json_slug(slug: str) -> str:
    return script_safe_json(slug)


FOREVER = "9999-12-31T23:59:59Z"  # "complete until" for a series that has no more dates


def event_schedule_json(event: Event, page_url: str, coming: list[Occurrence], shown: int) -> str:
    """An event's next `shown` dates as data for its page: same shape as a feed, without a
    generated_at (the page must not change with every build), complete until the first date
    it leaves out (after which the browser reads events.json)."""
    complete_until = iso_utc(coming[shown].start) if len(coming) > shown else FOREVER
    document = {"horizon_end": complete_until, "events": {event.slug: event_entry(event, page_url)},
                "occurrences": [occurrence_entry(o, session_of(event, o))
                                for o in coming[:shown]]}
    return script_safe_json(document)


class CountdownChain:
    """The occurrences a countdown shows, in turn, offered one by one in start order.

    A countdown shows the first occurrence, in start order, that has not ended. After that one
    ends, it shows the first of the rest that has not ended then; and so on. Only that chain is
    needed: occurrences that overlap a shown one and end before it are never shown. It is kept
    until `until` or `limit` items; `exact_until` says until when it is exact (None: as far as
    the occurrences offered go). Works on anything with a comparable `.end`.
    """

    def __init__(self, until, limit: int = COUNTDOWN_LIMIT):
        self.until, self.limit = until, limit
        self.items: list = []
        self.moment = None  # when the last chosen one ends
        self.exact_until = None
        self.done = False

    def offer(self, item) -> None:
        if self.done or (self.moment is not None and item.end <= self.moment):
            return
        if len(self.items) == self.limit or (self.moment is not None and self.moment >= self.until):
            self.done, self.exact_until = True, self.moment
            return
        self.items.append(item)
        self.moment = item.end
