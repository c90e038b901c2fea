"""The per-event stage: load, validate, expand and (when building) render each event on its own.

An event's page, its VEVENT and its occurrences depend on nothing but the event file, the site
settings and the build's window, so this stage runs the events in chunks, in parallel worker
processes on a large site, and reuses the previous build's work for events that did not change
(see cache.py). Each chunk returns what the site-wide pass needs: the events, their problems, a
file of occurrence lines sorted by start (render/lines.py), and, when building, their VEVENTs.

`check` runs the same stage with `render` None: events are validated, expanded and checked
exactly as for a build, and nothing is rendered or written.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from ..content.lint import lint_event
from ..content.load import load_event_file, read_content_file
from ..content.sessions import attach_sessions, load_session
from ..content.validate import validate_event
from ..model import Event, Occurrence, Problem, Site
from ..render.context import PageContext
from ..render.event_page import (ambiguous_starts, calendar_sessions, holiday_exdates,
                                 page_inputs, page_path, render_event_page, render_vevent,
                                 vevent_inputs)
from ..render.lines import line_ends_after, occurrence_line, parse_line
from ..render.markup import render_description
from ..render.occurrence_sessions import session_of
from ..render.session_pages import render_archive_page, render_session_page
from ..render.sessions import archive_inputs, archive_path, session_page_inputs, session_path
from ..schedule.dates import iso_utc
from ..schedule.expand import UPCOMING_PER_EVENT, expand_occurrences, next_occurrences
from .cache import BuildCache, EventMemo
from .history import GitHistory
from .write import OutputTransaction, digest_of


@dataclass(frozen=True)
class RenderSettings:
    """What rendering needs beyond checking: only a build that writes has these."""

    page: PageContext
    history: GitHistory
    transaction: OutputTransaction
    cache_file: Path | None
    cache_version: str


@dataclass(frozen=True)
class PerEventSettings:
    """What every chunk needs. Plain data: a worker gets it through the pool's initializer,
    copied by fork or pickled for a forkserver."""

    categories: list[str] | None  # None: site.toml is broken, so categories are not checked
    now: datetime
    horizon_end: datetime | None  # None: site.toml is broken; events are validated only
    work_dir: Path  # where chunks leave their occurrence lines (and VEVENTs)
    render: RenderSettings | None = None  # None: check only
    site: Site | None = None  # holiday settings and the zone review_by dates pass in
    # content/sessions/<slug>/*.md per event slug (find_content's session_paths).
    sessions: Mapping[str, tuple[Path, ...]] = field(default_factory=dict)


@dataclass
class ChunkResult:
    problems: list[Problem] = field(default_factory=list)
    events: dict[str, Event] = field(default_factory=dict)  # without descriptions (not needed)
    records: dict = field(default_factory=dict)  # files written (see OutputTransaction)
    lines_file: Path | None = None  # occurrence lines, sorted
    vevents_file: Path | None = None  # the events' VEVENTs, in slug order, each + CRLF
    vevent_sizes: list[tuple[str, int]] = field(default_factory=list)  # (slug, bytes) in order
    reused: int = 0  # events whose previous work was reused in full
    digests: dict[str, str] = field(default_factory=dict)  # slug -> its files' digest (memo)
    occurrence_count: int = 0
    cache_troubles: list[str] = field(default_factory=list)  # damaged cache entries met


MEMO_BATCH = 500  # memos kept in memory before they go to the cache


def process_chunk(paths: list[Path], settings: PerEventSettings, chunk_number: int) -> ChunkResult:
    render = settings.render
    transaction = (OutputTransaction(render.transaction.output_dir, render.transaction.manifest,
                                     render.transaction.staging) if render else None)
    return _process_chunk(paths, settings, chunk_number, transaction)


def _process_chunk(paths: list[Path], settings: PerEventSettings, chunk_number: int,
                   transaction: OutputTransaction | None) -> ChunkResult:
    result = ChunkResult()
    render = settings.render
    cache = (BuildCache.open_reader(render.cache_file, render.cache_version)
             if render and render.cache_file else None)
    lines: list[str] = []
    new_memos: dict[str, EventMemo] = {}
    vevents = None
    if render:
        result.vevents_file = settings.work_dir / f".vevents-{chunk_number}"
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
                if memo.event is None or settings.horizon_end is None:
                    continue
                if memo.event.status is not None:
                    # Cancelled or postponed as a whole: out of every list, feed and countdown
                    # (its page and calendar entry stay, saying so).
                    memo_lines = []
                else:
                    memo_lines = memo.lines
                lines += memo_lines
                result.occurrence_count += len(memo_lines)
                if vevents is not None:
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
    if transaction is not None:
        result.records = transaction.records
    lines.sort()
    result.lines_file = settings.work_dir / f".occurrences-{chunk_number}"
    with open(result.lines_file, "w", encoding="utf-8") as out:
        out.writelines(lines)
    return result


def _process_event(path: Path, memo: EventMemo | None, settings: PerEventSettings,
                   transaction: OutputTransaction | None, result: ChunkResult):
    """(memo, changed) for one event file; its outputs go into `transaction`."""
    file_bytes, unreadable = read_content_file(path)  # capped; links out of content/ refused
    if file_bytes is None:
        result.problems += unreadable
        return EventMemo("", None, unreadable), False
    session_files, session_unreadable = _read_sessions(settings.sessions.get(path.stem, ()),
                                                       path.parent.parent)
    result.problems += session_unreadable
    # The event's work depends on its file and its session files (their names and bytes): a
    # session that cancels a meeting changes the page, the calendar and the lists.
    file_digest = _digest(file_bytes, session_files)
    changed = False
    raw = None
    # A file that names a picture is checked afresh every build: the picture's bytes (or its
    # absence) can change while the event file does not.
    if memo is None or memo.file_digest != file_digest or b"image" in file_bytes:
        raw, problems = load_event_file(path, data=file_bytes)
        event = None
        if raw is not None:
            event, event_problems = validate_event(
                raw, settings.categories, settings.site.skip_holidays if settings.site else None)
            problems = problems + event_problems
        event, session_problems = _with_sessions(event, path.stem, session_files)
        memo = EventMemo(file_digest, event, problems + session_problems)
        changed = True
    result.problems += memo.problems
    event = memo.event
    if event is None:
        return memo, changed
    result.events[event.slug] = replace(event, description="")  # what site-wide outputs need
    result.digests[event.slug] = memo.file_digest
    now, horizon_end = settings.now, settings.horizon_end
    if horizon_end is None:  # site.toml is broken: no window to expand in
        return memo, changed
    changed |= _bring_up_to_date(memo, now, horizon_end)
    site = settings.site
    result.problems += lint_event(event, now, horizon_end, len(memo.lines),
                                  site.holiday_region if site else None,
                                  site.timezone if site else "UTC")
    render = settings.render
    if render is None:
        return memo, changed

    revision = render.history.revision(
        path, (lambda: raw.data) if raw is not None else (lambda: _front_matter(path, file_bytes)),
        file_bytes, now, frozenset(s.key for s in event.sessions if s.cancelled))
    description = None
    window = (now, horizon_end)
    vevent_key = vevent_inputs(file_digest, revision, ambiguous_starts(event, window),
                               holiday_exdates(event, window) if event.skip_holidays else (),
                               calendar_sessions(event, window) if event.sessions else None)
    if memo.vevent_key != vevent_key:
        description = render_description(event.description)
        memo.vevent = render_vevent(event, render.page, description, revision, (now, horizon_end))
        memo.vevent_key, changed = vevent_key, True
    ics = f"events/{event.slug}/event.ics"
    if not (memo.ics_key == vevent_key and transaction.keep(ics, memo.ics_digest)):
        calendar = _event_calendar(event, memo.vevent, render.page)
        transaction.put(ics, calendar)
        memo.ics_key, memo.ics_digest, changed = vevent_key, digest_of(calendar), True

    changed |= _session_pages(event, memo, file_digest, render.page, now, transaction)
    page_key = page_inputs(event, file_digest, revision, memo.coming, now, horizon_end,
                           render.page.site.timezone)
    if memo.page_key == page_key and transaction.keep(page_path(event), memo.page_digest):
        result.reused += 1
        return memo, changed
    html = render_event_page(event, render.page, memo.coming, now, horizon_end,
                             description or render_description(event.description))
    transaction.put(page_path(event), html)
    memo.page_key, memo.page_digest, changed = page_key, digest_of(html), True
    return memo, changed


def _session_pages(event: Event, memo: EventMemo, file_digest: str, page: PageContext,
                   now: datetime, transaction: OutputTransaction) -> bool:
    """The pages of the event's session records, and its archive of past sessions when its
    page cannot list them all: each rendered again only when its own inputs changed. True if
    any was."""
    wanted = {session_path(event, s): (session_page_inputs(event, index, file_digest, now),
                                       lambda index=index: render_session_page(event, index,
                                                                               page, now))
              for index, s in enumerate(event.sessions)}
    archive_key = archive_inputs(event, file_digest, now)
    if archive_key is not None:
        wanted[archive_path(event)] = (archive_key,
                                       lambda: render_archive_page(event, page, now))
    changed = set(memo.session_pages) != set(wanted)
    pages = {}
    for path, (key, render_page) in wanted.items():
        known = memo.session_pages.get(path)
        if known is not None and known[0] == key and transaction.keep(path, known[1]):
            pages[path] = known
            continue
        html = render_page()
        transaction.put(path, html)
        pages[path], changed = (key, digest_of(html)), True
    memo.session_pages = pages
    return changed


def _read_sessions(paths: tuple[Path, ...], content_dir: Path
                   ) -> tuple[list[tuple[Path, bytes]], list[Problem]]:
    """(path, bytes) of the event's session files that can be read, and why the others
    cannot (checked again as they are opened: find_content only looked)."""
    files, problems = [], []
    for record_path in paths:
        data, unreadable = read_content_file(record_path, content_dir)
        if data is None:
            problems += unreadable
        else:
            files.append((record_path, data))
    return files, problems


def _digest(file_bytes: bytes, session_files: list[tuple[Path, bytes]]) -> str:
    digest = hashlib.sha256(file_bytes)
    for record_path, data in session_files:
        digest.update(b"\0session\0" + record_path.name.encode("utf-8", "surrogateescape")
                      + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _with_sessions(event: Event | None, slug: str, session_files: list[tuple[Path, bytes]]
                   ) -> tuple[Event | None, list[Problem]]:
    """The event with its session records matched to its occurrences, and every problem of
    the records. A broken (or draft) event's records are still checked on their own."""
    sessions, problems = [], []
    for record_path, data in session_files:
        session, session_problems = load_session(record_path, data, slug)
        problems += session_problems
        if session is not None:
            sessions.append(session)
    if event is None or not sessions:
        return event, problems
    event, match_problems = attach_sessions(event, sessions)
    return event, problems + match_problems


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
        kept = [line for line in memo.lines if line_ends_after(line, now_text)]
        later = [occurrence_line(o, session_of(event, o))
                 for o in expand_occurrences(event, previous[1], horizon_end)
                 if o.start >= previous[1]]
        lines = kept + later
        # The next dates are always the first ones not ended: the old list, less what ended,
        # is where the new one starts.
        coming = [o for o in memo.coming if o.end > now]
    else:
        lines = [occurrence_line(o, session_of(event, o))
                 for o in expand_occurrences(event, now, horizon_end)]
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


def _event_calendar(event: Event, vevent: str, page: PageContext) -> bytes:
    from ..render.ics import calendar_bytes
    from ..render.views import absolute_url
    from ..render.words import schedule_in_words

    site, links = page.site, page.links
    return calendar_bytes(event.title, schedule_in_words(event, page.language), site, [event],
                          {event.slug: vevent},
                          source=absolute_url(site, links.event_ics(event.slug)))


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
