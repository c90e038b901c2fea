"""The build, start to finish: load -> validate -> expand -> render -> write.

Each phase is a module of its own; this file only hands one phase's result to the next.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

import heapq

from .expand import expand_schedule
from .lint import SameStartCheck, lint_schedule
from .load import find_content, load_content
from .model import Event, Problem, RawFile, Schedule, Site
from .report import sorted_problems
from .validate import validate_content, validate_site_and_categories
from .write import check_output_dir, digest_of

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content_dir: Path
    output_dir: Path
    now: datetime  # aware; the build's only notion of "now"
    horizon_days: int | None = None  # None: the site's own setting
    templates_dir: Path = PROJECT_ROOT / "templates"
    static_dir: Path = PROJECT_ROOT / "static"
    extra_context: dict = field(default_factory=dict)
    jobs: int | None = None  # processes for the per-event stage; None: decide by site size
    use_cache: bool = True  # remember work for the next build (.nextup-cache/)


@dataclass(frozen=True, slots=True)
class BuildResult:
    problems: tuple[Problem, ...]
    events: int = 0
    occurrences: int = 0
    written: tuple[str, ...] = ()  # output paths
    seconds: float = 0.0

    @property
    def files(self) -> int:
        return len(self.written)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


@dataclass(frozen=True, slots=True)
class CheckedContent:
    """Everything but rendering: loaded, validated and, if valid, expanded."""

    site: Site | None
    events: tuple[Event, ...]
    schedule: Schedule | None  # None when there are errors
    problems: list[Problem]
    raw_events: tuple[RawFile, ...] = ()
    event_files: int = 0  # how many event files were read, valid or not


def check_content(content_dir: Path, now: datetime, horizon_days: int | None = None) -> CheckedContent:
    loaded = load_content(content_dir)
    validated = validate_content(loaded.site, loaded.events, loaded.site_unreadable)
    problems = list(loaded.problems) + list(validated.problems)
    event_files = len(loaded.events) + sum(1 for p in loaded.problems
                                           if p.is_error and "/events/" in p.file.replace("\\", "/"))
    if any(p.is_error for p in problems) or validated.site is None:
        return CheckedContent(validated.site, validated.events, None, problems,
                              event_files=event_files)
    site = validated.site
    if horizon_days is not None:
        site = replace(site, horizon_days=horizon_days)
    schedule = expand_schedule(validated.events, now, now + timedelta(days=site.horizon_days))
    problems += lint_schedule(validated.events, schedule)
    published = {e.slug for e in validated.events}  # drafts have no revisions to look up
    raw_events = tuple(r for r in loaded.events if r.path.stem in published)
    return CheckedContent(site, validated.events, schedule, problems, raw_events, event_files)


def build_site(options: BuildOptions) -> BuildResult:
    """The whole build. Per event (stage.py, in parallel on a large site): load, validate,
    expand, render the event's page and calendar. Then, once: the site-wide files (lists,
    feeds, calendars) from all occurrences merged in order, and the write, all or nothing."""
    started = time.perf_counter()
    check_output_dir(options.output_dir, options.content_dir)
    found = find_content(options.content_dir)
    site, categories, problems = validate_site_and_categories(found.site, found.site_unreadable)
    problems = list(found.problems) + problems
    if site is None:  # still check every event file, to report every problem in one run
        return BuildResult(tuple(check_content(options.content_dir, options.now,
                                               options.horizon_days).problems))
    if options.horizon_days is not None:
        site = replace(site, horizon_days=options.horizon_days)
    now, horizon_end = options.now, options.now + timedelta(days=site.horizon_days)

    from .cache import BuildCache, cache_path, code_version  # only builds need these
    from .history import load_git_history
    from .render import RenderOptions
    from .render.assets import collect_assets
    from .render.context import page_context
    from .render.site import render_site_outputs
    from .stage import StageSettings, worker_count
    from .write import OutputTransaction

    asset_paths, asset_files = collect_assets(options.static_dir)
    page = page_context(site, RenderOptions(options.templates_dir, options.static_dir,
                                            options.extra_context), asset_paths)
    version = code_version(options.templates_dir, options.static_dir,
                           digest_of(found.site.path.read_bytes()) if found.site else "none")
    if options.extra_context:  # serve mode's pages differ from a real build's
        version = digest_of((version + repr(sorted(options.extra_context.items()))).encode())
    cache = BuildCache(cache_path(options.output_dir), version) if options.use_cache else None
    manifest = cache.manifest() if cache else {}
    if cache:
        cache.close()  # workers open their own; a connection must not cross a fork
    history = load_git_history(options.content_dir)
    transaction = OutputTransaction(options.output_dir, manifest)
    settings = StageSettings(categories, page, now, horizon_end, history, transaction,
                             cache.path if cache else None, version)
    try:
        marks = {"setup": time.perf_counter() - started}
        chunks = run_stage(list(found.event_paths), settings,
                           worker_count(len(found.event_paths), options.jobs))
        marks["events"] = time.perf_counter() - started
        for chunk in chunks:
            problems += chunk.problems
        events = {slug: e for chunk in chunks for slug, e in chunk.events.items()}
        if any(p.is_error for p in problems):
            transaction.abort()
            return BuildResult(tuple(problems))
        for chunk in chunks:
            transaction.merge(chunk.records)
        for relative, data in asset_files:
            transaction.put(relative, data)
        check = SameStartCheck(events.values())
        streams = [open(chunk.lines_file, encoding="utf-8") for chunk in chunks]
        try:
            render_site_outputs(page, events, heapq.merge(*streams), now, horizon_end,
                                _vevents(chunks), transaction.put, transaction.put_stream,
                                observe=check.offer)
        finally:
            for stream in streams:
                stream.close()
        for chunk in chunks:
            chunk.lines_file.unlink()
            chunk.vevents_file.unlink()
        marks["site"] = time.perf_counter() - started
        problems += check.problems + list(history.problems)
        new_manifest = transaction.commit()
        marks["commit"] = time.perf_counter() - started
    except BaseException:
        transaction.abort()
        raise
    if cache:
        cache = BuildCache(cache.path, version)
        cache.save_manifest(new_manifest)
        cache.forget_except(set(events))
        cache.close()
    marks["cache"] = time.perf_counter() - started
    if os.environ.get("NEXTUP_TIMING"):  # for bench/: where a build's time goes
        print("timing: " + ", ".join(f"{k} {v:.3f}" for k, v in marks.items()),
              f"reused {sum(c.reused for c in chunks)} pages", file=sys.stderr)
    occurrences = sum(chunk.occurrence_count for chunk in chunks)
    return BuildResult(tuple(sorted_problems(problems)), events=len(events),
                       occurrences=occurrences, written=tuple(transaction.written),
                       seconds=time.perf_counter() - started)


def _vevents(chunks):
    """(slug, VEVENT bytes) for every event, in slug order, read back from the chunks' files."""
    for chunk in chunks:
        with open(chunk.vevents_file, "rb") as source:
            for slug, size in chunk.vevent_sizes:
                yield slug, source.read(size)


def run_stage(paths: list[Path], settings, workers: int) -> list:
    """The per-event stage over all event files: in this process, or in `workers` forked
    processes over contiguous chunks (so the merged results keep the files' order)."""
    from .stage import process_chunk

    if workers <= 1 or len(paths) < 2:
        return [process_chunk(paths, settings, 0)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(paths) // workers)
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    global _STAGE_SETTINGS
    _STAGE_SETTINGS = settings  # inherited by the forked workers, not pickled
    with ProcessPoolExecutor(len(chunks), mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_run_chunk, chunks, range(len(chunks))))


_STAGE_SETTINGS = None


def _run_chunk(paths: list[Path], number: int):
    from .stage import process_chunk

    return process_chunk(paths, _STAGE_SETTINGS, number)
