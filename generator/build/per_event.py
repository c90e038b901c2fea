"""The per-event part of a build: load, validate, expand and render each event on its own.

An event's page, its VEVENT and its occurrences depend on nothing but the event file, the site
settings and the build's window, so this stage runs the events in chunks, in parallel worker
processes on a large site, and reuses the previous build's work for events that did not change
(see cache.py). Each chunk returns what the site-wide outputs need: the events, their VEVENTs,
their problems, and a file of occurrence lines sorted by start (render/site.py merges them).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from .cache import BuildCache, EventMemo
from ..schedule.expand import UPCOMING_PER_EVENT, expand_occurrences, next_occurrences
from .history import GitHistory
from ..content.lint import lint_event
from ..content.load import load_event_file, read_content_file
from ..model import Event, Occurrence, Problem
from ..render.context import PageContext
from ..render.event_page import (ambiguous_starts, describe, page_inputs, page_path,
                                render_event_page, render_vevent, vevent_inputs)
from ..schedule.dates import iso_utc
from ..render.site import occurrence_line, parse_line
from ..content.validate import validate_event
from .write import OutputTransaction, digest_of


@dataclass
class StageSettings:
    """What every chunk needs; set in the main process before workers are forked."""

    categories: list[str]
    page: PageContext
    now: datetime
    horizon_end: datetime
    history: GitHistory
    transaction: OutputTransaction
    cache_file: Path | None
    cache_version: str
    render: bool = True  # False: check only


@dataclass
class ChunkResult:
    problems: list[Problem] = field(default_factory=list)
    events: dict[str, Event] = field(default_factory=dict)  # without descriptions (not needed)
    records: dict = field(default_factory=dict)  # files written (see OutputTransaction)
    lines_file: Path | None = None  # occurrence lines, sorted
    vevents_file: Path | None = None  # the events' VEVENTs, in slug order, each + CRLF
    vevent_sizes: list[tuple[str, int]] = field(default_factory=list)  # (slug, bytes) in order
    files_read: int = 0
    reused: int = 0  # events whose previous work was reused in full
    occurrence_count: int = 0
    cache_troubles: list[str] = field(default_factory=list)  # damaged cache entries met


MEMO_BATCH = 500  # memos kept in memory before they go to the cache


def process_chunk(paths: list[Path], settings: StageSettings, chunk_number: int) -> ChunkResult:
    transaction = OutputTransaction(settings.transaction.output_dir,
                                    settings.transaction.manifest, settings.transaction.staging)
    try:
        return _process_chunk(paths, settings, chunk_number, transaction)
    except BaseException:
        # Let this chunk's writer threads finish first: the build removes the staging folder
        # next, and a file written after that would leave it behind.
        transaction.wait_for_writes()
        raise


def _process_chunk(paths: list[Path], settings: StageSettings, chunk_number: int,
                   transaction: OutputTransaction) -> ChunkResult:
    result = ChunkResult()
    cache = (BuildCache.open_reader(settings.cache_file, settings.cache_version)
             if settings.cache_file else None)
    lines: list[str] = []
    new_memos: dict[str, EventMemo] = {}
    vevents = None
    if settings.render:
        result.vevents_file = settings.transaction.staging / f".vevents-{chunk_number}"
        vevents = open(result.vevents_file, "wb")
    try:
        for start in range(0, len(paths), MEMO_BATCH):
            batch = paths[start:start + MEMO_BATCH]
            memos = cache.memos([p.stem for p in batch]) if cache else {}
            for path in batch:
                memo, changed = _process_event(path, memos.get(path.stem), settings, transaction,
                                               result)
                if changed and cache is not None:
                    new_memos[path.stem] = memo
                if memo.event is not None and settings.render:
                    lines += memo.lines
                    result.occurrence_count += len(memo.lines)
                    text = (memo.vevent + "\r\n").encode("utf-8")
                    vevents.write(text)
                    result.vevent_sizes.append((memo.event.slug, len(text)))
            if cache is not None:
                cache.save_memos(new_memos)
                new_memos = {}
    finally:
        if vevents is not None:
            vevents.close()
        if cache is not None:
            result.cache_troubles = cache.troubles
            cache.close()
    transaction.flush()
    result.records = transaction.records
    if settings.render:
        lines.sort()
        result.lines_file = settings.transaction.staging / f".occurrences-{chunk_number}"
        with open(result.lines_file, "w", encoding="utf-8") as out:
            out.writelines(lines)
    return result


def _process_event(path: Path, memo: EventMemo | None, settings: StageSettings,
                   transaction: OutputTransaction, result: ChunkResult):
    """(memo, changed) for one event file; its outputs go into `transaction`."""
    result.files_read += 1
    file_bytes, unreadable = read_content_file(path)  # capped; links out of content/ refused
    if file_bytes is None:
        result.problems += unreadable
        return EventMemo("", None, unreadable), False
    file_digest = hashlib.sha256(file_bytes).hexdigest()
    changed = False
    raw = None
    if memo is None or memo.file_digest != file_digest:
        raw, problems = load_event_file(path, data=file_bytes)
        event = None
        if raw is not None:
            event, event_problems = validate_event(raw, settings.categories)
            problems = problems + event_problems
        memo = EventMemo(file_digest, event, problems)
        changed = True
    result.problems += memo.problems
    event = memo.event
    if event is None:
        return memo, changed
    result.events[event.slug] = replace(event, description="")  # what site-wide outputs need
    now, horizon_end = settings.now, settings.horizon_end
    changed |= _bring_up_to_date(memo, now, horizon_end)
    result.problems += lint_event(event, now, horizon_end, len(memo.lines))
    if not settings.render:
        return memo, changed

    revision = settings.history.revision(
        path, (lambda: raw.data) if raw is not None else (lambda: _front_matter(path, file_bytes)),
        file_bytes, now)
    description = None
    vevent_key = vevent_inputs(file_digest, revision, ambiguous_starts(event, (now, horizon_end)))
    if memo.vevent_key != vevent_key:
        description = describe(event)
        memo.vevent = render_vevent(event, settings.page, description, revision, (now, horizon_end))
        memo.vevent_key, changed = vevent_key, True
    ics = f"events/{event.slug}/event.ics"
    if not (memo.ics_key == vevent_key and transaction.keep(ics, memo.ics_digest)):
        calendar = _event_calendar(event, memo.vevent, settings)
        transaction.put(ics, calendar)
        memo.ics_key, memo.ics_digest, changed = vevent_key, digest_of(calendar), True

    page_key = page_inputs(event, file_digest, revision, memo.coming, now, horizon_end)
    if memo.page_key == page_key and transaction.keep(page_path(event), memo.page_digest):
        result.reused += 1
        return memo, changed
    html = render_event_page(event, settings.page, memo.coming, now, horizon_end,
                             description or describe(event))
    transaction.put(page_path(event), html)
    memo.page_key, memo.page_digest, changed = page_key, digest_of(html), True
    return memo, changed


def _bring_up_to_date(memo: EventMemo, now: datetime, horizon_end: datetime) -> bool:
    """The window's occurrences [now, horizon_end) and the next dates: moved on from the
    previous build's when its window started earlier, still reaches now and ended no later,
    else expanded afresh.
    True if they changed."""
    event = memo.event
    if memo.window == (now, horizon_end):
        return False
    previous = memo.window
    # Moving on is right only while the old window still reaches now: after a gap longer than
    # the horizon, everything it held has ended (and what follows it may have, too).
    if previous is not None and previous[0] <= now < previous[1] <= horizon_end:
        now_text = iso_utc(now)
        kept = [line for line in memo.lines if line.split("\t", 3)[2] > now_text]  # end > now
        later = [occurrence_line(o) for o in expand_occurrences(event, previous[1], horizon_end)
                 if o.start >= previous[1]]
        lines = kept + later
        # The next dates are always the first ones not ended: the old list, less what ended,
        # is where the new one starts.
        coming = [o for o in memo.coming if o.end > now]
    else:
        lines = [occurrence_line(o) for o in expand_occurrences(event, now, horizon_end)]
        coming = []
    if len(coming) < UPCOMING_PER_EVENT:
        coming = _next_dates(event, coming, lines, horizon_end)
    changed = lines != memo.lines or coming != memo.coming
    memo.window, memo.lines, memo.coming = (now, horizon_end), lines, coming
    return changed


def _next_dates(event: Event, known: list[Occurrence], lines: list[str],
                horizon_end: datetime) -> list[Occurrence]:
    """`known` (the first next dates) completed to UPCOMING_PER_EVENT: from the window's
    `lines`, then, for a sparse event, from beyond the horizon."""
    after = known[-1].start if known else None
    found = list(known)
    for line in lines:
        if len(found) == UPCOMING_PER_EVENT:
            return found
        occurrence = parse_line(line)
        if after is None or occurrence.start > after:
            found.append(occurrence)
    if len(found) < UPCOMING_PER_EVENT:
        last = found[-1].start if found else None
        beyond = next_occurrences(event, horizon_end, UPCOMING_PER_EVENT)
        found += [o for o in beyond if o.start >= horizon_end and (last is None or o.start > last)]
    return found[:UPCOMING_PER_EVENT]


def _event_calendar(event: Event, vevent: str, settings: StageSettings) -> bytes:
    from ..render.ics import calendar_bytes
    from ..render.views import absolute_url

    site, links = settings.page.site, settings.page.links
    return calendar_bytes(event.title, _schedule_words(event), site, [event],
                          {event.slug: vevent},
                          source=absolute_url(site, links.event_ics(event.slug)))


def _schedule_words(event: Event) -> str:
    from ..render.words import describe_schedule

    return describe_schedule(event)


def _front_matter(path: Path, file_bytes: bytes) -> dict:
    raw, _ = load_event_file(path, data=file_bytes)
    return raw.data if raw is not None else {}


def worker_count(files: int, requested: int | None) -> int:
    """Processes for the per-event stage: one for a small site (forking costs more than it
    saves), else as many as the machine has, two at least."""
    if requested is not None:
        return max(1, requested)
    if files < 400:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))
