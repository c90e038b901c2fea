"""The build, start to finish: load -> validate -> expand -> render -> write.

Each phase is a module of its own; this file only hands one phase's result to the next.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

import heapq

from ..schedule.expand import expand_schedule
from ..content.lint import SameStartCheck, lint_schedule
from ..content.load import (MAX_PUBLIC_FILE_BYTES, PUBLIC_FOLDER, display_path, find_content,
                   load_content, read_content_file)
from ..model import Event, Problem, RawFile, Schedule, Site
from ..report import count, sorted_problems
from ..content.validate import address_problems, validate_content, validate_site_and_categories
from .write import (OUTPUT_MARKER, RESERVED_IN_OUTPUT, OutputError, OutputTransaction, OutputUnavailable, check_output_dir,
                    describe_os_error, digest_of, output_lock, previous_build_files,
                    recover_interrupted_commit)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
    notices: tuple[str, ...] = ()  # about the output and the cache, not the content

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


class BuildInterrupted(BaseException):
    """SIGTERM arrived: stop, clean up, leave the output as it was (like KeyboardInterrupt)."""

    def __init__(self, signal_number: int):
        super().__init__(signal_number)
        self.signal_number = signal_number


def build_site(options: BuildOptions, tell=None) -> BuildResult:
    """The whole build. Per event (stage.py, in parallel on a large site): load, validate,
    expand, render the event's page and calendar. Then, once: the site-wide files (lists,
    feeds, calendars) from all occurrences merged in order, and the commit, all or nothing
    (write.py). `tell(line)` hears what happens to the output beyond the result: waiting for
    another build's lock, recovering from a killed build (default: printed on stderr)."""
    tell = tell or (lambda line: print(line, file=sys.stderr, flush=True))
    check_output_dir(options.output_dir, options.content_dir)
    with _stop_on_sigterm(), output_lock(options.output_dir, tell):
        for line in recover_interrupted_commit(options.output_dir):
            tell(f"note: {line}")
        try:
            return _build_locked(options)
        except OSError as error:
            raise OutputUnavailable(f"{describe_os_error(error)}; the build stopped and "
                                    f"{options.output_dir}/ was not changed") from None


def _build_locked(options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    found = find_content(options.content_dir)
    site, categories, problems = validate_site_and_categories(found.site, found.site_unreadable)
    problems = list(found.problems) + problems
    if site is None:  # still check every event file, to report every problem in one run
        return BuildResult(tuple(check_content(options.content_dir, options.now,
                                               options.horizon_days).problems))
    if options.horizon_days is not None:
        site = replace(site, horizon_days=options.horizon_days)
    now, horizon_end = options.now, options.now + timedelta(days=site.horizon_days)

    from .cache import BuildCache, cache_path, code_version, discard  # only builds need these
    from .history import load_git_history
    from ..render import RenderOptions
    from ..render.assets import collect_assets
    from ..render.context import page_context
    from ..render.site import render_site_outputs
    from .per_event import StageSettings, worker_count

    asset_paths, asset_files = collect_assets(options.static_dir)
    page = page_context(site, RenderOptions(options.templates_dir, options.static_dir,
                                            options.extra_context), asset_paths)
    site_bytes = read_content_file(found.site.path, options.content_dir)[0] if found.site else None
    version = code_version(options.templates_dir, options.static_dir,
                           digest_of(site_bytes) if site_bytes is not None else "none")
    public_files, public_problems = read_public_files(found.public_files, options.content_dir)
    problems += public_problems
    if options.extra_context:  # serve mode's pages differ from a real build's
        version = digest_of((version + repr(sorted(options.extra_context.items()))).encode())
    notices: list[str] = []
    cache = None
    if options.use_cache:
        cache, told = BuildCache.open_for_build(cache_path(options.output_dir), version)
        notices += told
    manifest = cache.manifest() if cache else {}
    if cache:
        cache.close()  # workers open their own; a connection must not cross a fork
    previous = previous_build_files(options.output_dir.resolve(), manifest)
    history = load_git_history(options.content_dir)
    transaction = OutputTransaction(options.output_dir, manifest, previous=previous)
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
        problems += address_problems(events.values())
        cache_troubles = [t for chunk in chunks for t in chunk.cache_troubles]
        if any(p.is_error for p in problems):
            transaction.abort()
            return BuildResult(tuple(problems), notices=tuple(notices))
        for chunk in chunks:
            transaction.merge(chunk.records)
        for relative, data in asset_files:
            transaction.put(relative, data)
        built_paths = set(transaction.records)  # so far; the site-wide pass adds the rest
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
        clashes = public_clashes(public_files, built_paths | set(transaction.records),
                                 options.content_dir)
        if clashes:
            transaction.abort()
            return BuildResult(tuple(sorted_problems(problems + clashes)), notices=tuple(notices))
        for relative, data in public_files.items():
            transaction.put(relative, data)
        claimed = transaction.claimed_foreign_files()
        if claimed:
            transaction.abort()
            raise OutputError(f"{options.output_dir}/{claimed[0]} was not written by Nextup, and "
                              "this build would replace it" + (f" (and {len(claimed) - 1} more)"
                                                               if len(claimed) > 1 else "")
                              + "; move it out of the output (files for every build go in "
                              "content/public/)")
        foreign = transaction.foreign_files()
        if foreign:
            notices.append(f"kept {count(len(foreign), 'file')} in {options.output_dir}/ that "
                           f"Nextup did not write ({_some(foreign)}); to publish them with every "
                           "build, move them to content/public/, else delete them")
        new_manifest = transaction.commit(foreign)
        notices += transaction.notices  # how it was written (one by one on a mount point)
        marks["commit"] = time.perf_counter() - started
    except BaseException:
        transaction.abort()
        raise
    if cache:
        if cache_troubles:
            notices.append(f"parts of the build cache {cache.path} could not be read "
                           f"({cache_troubles[0]}); it was discarded")
            discard(cache.path)
        else:
            notices += _save_cache(cache.path, version, new_manifest, set(events))
    marks["cache"] = time.perf_counter() - started
    if os.environ.get("NEXTUP_TIMING"):  # for bench/: where a build's time goes
        print("timing: " + ", ".join(f"{k} {v:.3f}" for k, v in marks.items()),
              f"reused {sum(c.reused for c in chunks)} pages", file=sys.stderr)
    occurrences = sum(chunk.occurrence_count for chunk in chunks)
    return BuildResult(tuple(sorted_problems(problems)), events=len(events),
                       occurrences=occurrences,
                       written=tuple(sorted(transaction.written + [OUTPUT_MARKER])),
                       seconds=time.perf_counter() - started, notices=tuple(notices))


def read_public_files(paths, content_dir: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """content/public/'s files, to be published as they are: output path -> bytes."""
    files, problems = {}, []
    top = content_dir / PUBLIC_FOLDER
    for path in paths:
        data, unreadable = read_content_file(path, content_dir, MAX_PUBLIC_FILE_BYTES)
        if data is None:
            problems += unreadable
        else:
            files[path.relative_to(top).as_posix()] = data
    return files, problems


def public_clashes(public_files: dict[str, bytes], built: set[str],
                   content_dir: Path) -> list[Problem]:
    """A file of content/public/ at a path the build writes itself (or keeps for its own use)
    would be lost, or would break the site: an error on each."""
    problems = []
    for relative in sorted(public_files):
        top = relative.split("/", 1)[0]
        if relative in built or top.startswith(RESERVED_IN_OUTPUT):
            problems.append(Problem(
                display_path(content_dir / PUBLIC_FOLDER / relative), None, None, None,
                f"the build writes {relative} itself, so this file would be lost",
                "content/public/ is for files the build does not make (_redirects, CNAME, "
                ".well-known/): rename this one, or change the event or template that makes it"))
    return problems


def _save_cache(path: Path, version: str, manifest, slugs: set[str]) -> list[str]:
    """Remember this build for the next; a cache that cannot be written only costs time."""
    import sqlite3

    from .cache import BuildCache, CacheUnreadable

    try:
        cache = BuildCache(path, version)
        try:
            cache.save_manifest(manifest)
            cache.forget_except(slugs)
        finally:
            cache.close()
    except (CacheUnreadable, sqlite3.Error, OSError) as error:
        return [f"the build cache {path} could not be saved ({error}); the next build does "
                "all the work afresh"]
    return []


def _some(paths: list[str], shown: int = 3) -> str:
    return ", ".join(paths[:shown]) + (f" and {len(paths) - shown} more" if len(paths) > shown
                                       else "")


@contextmanager
def _stop_on_sigterm():
    """While a build runs, SIGTERM (a CI job's timeout, `kill`) unwinds it like Ctrl+C does:
    workers stopped, staging removed, the output as it was."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number, frame):
        raise BuildInterrupted(number)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _vevents(chunks):
    """(slug, VEVENT bytes) for every event, in slug order, read back from the chunks' files."""
    for chunk in chunks:
        with open(chunk.vevents_file, "rb") as source:
            for slug, size in chunk.vevent_sizes:
                yield slug, source.read(size)


def run_stage(paths: list[Path], settings, workers: int) -> list:
    """The per-event stage over all event files: in this process, or in `workers` forked
    processes over contiguous chunks (so the merged results keep the files' order)."""
    from .per_event import process_chunk

    if workers <= 1 or len(paths) < 2:
        return [process_chunk(paths, settings, 0)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(paths) // workers)
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    # Forked, so the settings reach each worker through its initializer without pickling. The
    # first submit forks every worker: a stop signal then would be raised inside Python's
    # at-fork hooks, which drop it ("Exception ignored"), so signals wait until all are forked.
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    held = signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    try:
        pool = ProcessPoolExecutor(len(chunks), mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker, initargs=(settings, os.getpid()))
        futures = [pool.submit(_run_chunk, chunk, number) for number, chunk in enumerate(chunks)]
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    try:
        return [future.result() for future in futures]
    except BaseException:
        for child in multiprocessing.active_children():  # don't wait for their chunks
            child.kill()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_WORKER_SETTINGS = None  # set in each worker process by _start_worker, never in the parent


def _start_worker(settings, parent: int) -> None:
    """A worker dies with its parent (even a SIGKILLed one) and leaves signals to it: Ctrl+C
    reaches the whole process group, and the parent stops the workers itself."""
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})  # see run_stage
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the check below and the parent's kill on the way out remain
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _run_chunk(paths: list[Path], number: int):
    from .per_event import process_chunk

    return process_chunk(paths, _WORKER_SETTINGS, number)
