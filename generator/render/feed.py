"""The JSON feeds (schema: docs/events.schema.json; described in docs/feed.md).

- events.json: every occurrence in the horizon, for anyone who wants the whole schedule.
- countdown.json: what the countdown on every page needs, small at any site size.
- an event page's own next dates, as data inside the page, for the countdown there.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Iterable

from ..dates import iso_utc
from ..model import Event, Occurrence

FEED_VERSION = 1
COUNTDOWN_DAYS = 14  # how far ahead countdown.json reaches, at most ...
COUNTDOWN_LIMIT = 120  # ... and how many occurrences it holds, at most


def event_entry(event: Event, page_url: str) -> dict:
    return {"title": event.title, "category": event.category, "project": event.project,
            "timezone": event.timezone, "url": event.url, "page": page_url}


def occurrence_entry(occurrence: Occurrence) -> dict:
    entry = {"event": occurrence.event, "start": iso_utc(occurrence.start),
             "end": iso_utc(occurrence.end)}
    if occurrence.title:
        entry["title"] = occurrence.title
    return entry


def feed_bytes(generated_at: datetime, horizon_end: datetime, events: Iterable[Event],
               page_urls: dict[str, str], occurrences: Iterable[Occurrence]) -> bytes:
    document = {
        "version": FEED_VERSION,
        "generated_at": iso_utc(generated_at),
        "horizon_end": iso_utc(horizon_end),
        "events": {e.slug: event_entry(e, page_urls[e.slug])
                   for e in sorted(events, key=lambda e: e.slug)},
        "occurrences": [occurrence_entry(o) for o in occurrences],
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # The same string to every JSON reader, and safe to paste into a <script> element.
    return (text.replace("<", "\\u003c") + "\n").encode("utf-8")


FOREVER = "9999-12-31T23:59:59Z"  # "complete until" for a series that has no more dates


def event_schedule_json(event: Event, page_url: str, coming: list[Occurrence], shown: int) -> str:
    """An event's next `shown` dates as data for its page: same shape as a feed, without a
    generated_at (the page must not change with every build), complete until the first date
    it leaves out."""
    complete_until = iso_utc(coming[shown].start) if len(coming) > shown else FOREVER
    document = {"horizon_end": complete_until, "events": {event.slug: event_entry(event, page_url)},
                "occurrences": [occurrence_entry(o) for o in coming[:shown]]}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def countdown_chain(occurrences: list[Occurrence], until: datetime,
                    limit: int = COUNTDOWN_LIMIT) -> tuple[list[Occurrence], datetime | None]:
    """The occurrences a countdown will show, in turn, from `occurrences` (sorted by start,
    none ended yet), until `until`; and the instant up to which that is exact (None: to the
    end of `occurrences`).

    A countdown shows the first occurrence, in start order, that has not ended. After that one
    ends, it shows the first of the rest that has not ended then; and so on. Only that chain is
    needed: occurrences that overlap a shown one and end before it are never shown.
    """
    chain: list[Occurrence] = []
    index = 0
    moment = None  # when the last chosen one ends
    while index < len(occurrences):
        occurrence = occurrences[index]
        index += 1
        if moment is not None and occurrence.end <= moment:
            continue  # ends while an earlier one is being shown: never shown
        if len(chain) == limit or (moment is not None and moment >= until):
            return chain, moment
        chain.append(occurrence)
        moment = occurrence.end
    return chain, None


def partial_feed_bytes(generated_at: datetime, complete_until: datetime, events: dict[str, Event],
                       page_urls: dict[str, str], occurrences: list[Occurrence]) -> bytes:
    """A feed of the same shape as events.json, holding only `occurrences` and their events."""
    used = {o.event for o in occurrences}
    return feed_bytes(generated_at, complete_until, [e for s, e in events.items() if s in used],
                      page_urls, occurrences)
