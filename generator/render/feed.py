"""events.json: the machine-readable feed (schema: docs/events.schema.json)."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Iterable

from ..model import Event, Occurrence
from ..dates import iso_utc

FEED_VERSION = 1


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
