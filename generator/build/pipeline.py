"""The one pipeline every command runs (docs/architecture.md has the picture):

    find       content/ -> site.toml, the event files, content/public/       content/load.py
    per event  load -> validate -> expand -> render page + VEVENT            build/per_event.py
    site-wide  every event's occurrence lines merged in start order ->
               lists, feeds, calendars; the checks that need all events      render/site.py
    commit     staging directory -> output, all or nothing                   build/write.py

`check` is this pipeline with rendering and writing off: the same per-event stage and the same
site-wide checks, so it reports exactly the problems `build` would. Beside the line: the build
cache (build/cache.py) lets the per-event stage skip work a previous build did, and the git
history (build/history.py) gives calendars their SEQUENCE and LAST-MODIFIED.
"""
from __future__ import annotations

import heapq
import os
import signal
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from ..content.lint import SameStartCheck
from ..content.load import (MAX_PUBLIC_FILE_BYTES, PUBLIC_FOLDER, ContentFiles, display_path,
                            find_content, read_content_file)
from ..content.announce import announce_event_problems
from ..content.validate import address_problems, validate_site_and_categories
from ..model import Event, Problem, Site
from ..render.lines import parse_lines
from ..schedule.zones import use_pinned_zones
from ..report import count, sorted_problems
from .history import history_problems
from .per_event import ChunkResult, PerEventSettings, process_chunk, worker_count
from .write import (OUTPUT_MARKER, RESERVED_IN_OUTPUT, OutputError, OutputTransaction,
                    OutputUnavailable, check_output_dir, describe_os_error, digest_of,
                    output_lock, previous_build_files, recover_interrupted_commit, signals_held)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content_dir: Path
    output_dir: Path | None  # None: check only, nothing is rendered or written
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
    """What `check` found: every problem, and the events (for --explain)."""

    site: Site | None
    events: tuple[Event, ...]  # valid, published ones, in file order, without descriptions
    problems: list[Problem]
    event_files: int = 0  # how many event files there are, valid or not
    session_files: int = 0  # how many session files were read

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


class BuildInterrupted(BaseException):
    """SIGTERM arrived: stop, clean up, leave the output as it was (like KeyboardInterrupt)."""

    def __init__(self, signal_number: int):
        super().__init__(signal_number)
        self.signal_number = signal_number


# --- the two commands ------------------------------------------------------------------------

def build_site(options: BuildOptions, tell=None) -> BuildResult:
    """The whole pipeline, writing the site. `tell(line)` hears what happens to the output
    beyond the result: waiting for another build's lock, recovering from a killed build
    (default: printed on stderr)."""
    tell = tell or (lambda line: print(line, file=sys.stderr, flush=True))
    check_output_dir(options.output_dir, options.content_dir)
    with _stop_on_sigterm(), output_lock(options.output_dir, tell):
        for line in recover_interrupted_commit(options.output_dir):
            tell(f"note: {line}")
        try:
            return _run(options).result
        except OSError as error:
            raise OutputUnavailable(f"{describe_os_error(error)}; the build stopped and "
                                    f"{options.output_dir}/ was not changed") from None


def check_content(content_dir: Path, now: datetime, horizon_days: int | None = None,
                  jobs: int | None = None) -> CheckedContent:
    """The same pipeline with rendering and writing off."""
    with _stop_on_sigterm():
        run = _run(BuildOptions(content_dir, None, now, horizon_days, jobs=jobs, use_cache=False))
    return CheckedContent(run.site, run.events, list(run.result.problems), run.event_files,
                          run.session_files)


@dataclass(frozen=True, slots=True)
class _Run:
    result: BuildResult
    site: Site | None = None
    events: tuple[Event, ...] = ()
    event_files: int = 0
    session_files: int = 0


# --- the phases ------------------------------------------------------------------------------

def _run(options: BuildOptions) -> _Run:
    started = time.perf_counter()
    marks = {}
    found = find_content(options.content_dir)  # phase 1: find
    site, categories, problems = validate_site_and_categories(found.site, found.site_unreadable)
    problems = list(found.problems) + problems + public_name_problems(found, options.content_dir)
    if site is not None and options.horizon_days is not None:
        site = replace(site, horizon_days=options.horizon_days)
    writing = options.output_dir is not None and site is not None
    with ExitStack() as cleanup:
        if writing:
            output = _Output(options, site, found)
            work_dir = output.begin(cleanup)
        else:
            output = None
            work_dir = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="nextup-")))
        settings = PerEventSettings(
            categories, options.now,
            options.now + timedelta(days=site.horizon_days) if site else None, work_dir,
            render=output.render_settings() if output else None, site=site,
            sessions=found.session_paths)
        marks["setup"] = time.perf_counter() - started
        # Phase 2: per event, in worker processes on a large site.
        chunks = run_per_event(list(found.event_paths), settings,
                           worker_count(len(found.event_paths), options.jobs))
        marks["events"] = time.perf_counter() - started
        events = {slug: e for chunk in chunks for slug, e in chunk.events.items()}
        problems += [p for chunk in chunks for p in chunk.problems]
        problems += address_problems(events.values())
        problems += announce_event_problems(found.site, site,
                                            (path.stem for path in found.event_paths))
        problems += history_problems(options.content_dir)
        checked = _Run(BuildResult(()), site, tuple(events.values()), found.event_file_count,
                       sum(map(len, found.session_paths.values())))
        if site is None or any(p.is_error for p in problems):
            return replace(checked, result=BuildResult(tuple(sorted_problems(problems)),
                                                       notices=tuple(output.notices if output
                                                                     else ())))
        # Phase 3: site-wide, over every occurrence in start order.
        same_start = SameStartCheck(events.values())
        with ExitStack() as streams:
            lines = heapq.merge(*(streams.enter_context(open(c.lines_file, encoding="utf-8"))
                                  for c in chunks))
            if output:
                output.render_site(events, chunks, lines, same_start.offer)
            else:
                for line in parse_lines(lines):
                    same_start.offer(line.event, line.start, line)
        problems += same_start.problems
        marks["site"] = time.perf_counter() - started
        occurrences = sum(chunk.occurrence_count for chunk in chunks)
        if not output:
            return replace(checked, result=BuildResult(tuple(sorted_problems(problems)),
                                                       events=len(events),
                                                       occurrences=occurrences))
        # Phase 4: commit.
        problems += output.commit(chunks, events)
    marks["commit"] = time.perf_counter() - started
    if os.environ.get("NEXTUP_TIMING"):  # for bench/: where a build's time goes
        print("timing: " + ", ".join(f"{k} {v:.3f}" for k, v in marks.items()),
              f"reused {sum(c.reused for c in chunks)} pages", file=sys.stderr)
    return replace(checked, result=BuildResult(
        tuple(sorted_problems(problems)), events=len(events), occurrences=occurrences,
        written=tuple(sorted(output.transaction.written + [OUTPUT_MARKER])),
        seconds=time.perf_counter() - started, notices=tuple(output.notices)))


class _Output:
    """What only a build that writes needs: templates, assets, the cache, the git history, the
    staging directory, and the commit."""

    def __init__(self, options: BuildOptions, site: Site, found: ContentFiles):
        from ..render import RenderOptions
        from ..render.assets import collect_assets
        from ..render.context import page_context
        from .cache import BuildCache, cache_path, code_version
        from .history import load_git_history

        self.options, self.site = options, site
        asset_paths, self.asset_files = collect_assets(options.static_dir)
        self.page = page_context(site, RenderOptions(options.templates_dir, options.static_dir,
                                                     options.extra_context), asset_paths)
        site_bytes = (read_content_file(found.site.path, options.content_dir)[0]
                      if found.site else None)
        self.version = code_version(options.templates_dir, options.static_dir,
                                    (digest_of(site_bytes) if site_bytes is not None else "none")
                                    # every page's og:image: its bytes, not only its name
                                    + ((site.default_image.digest or "") if site.default_image
                                       else ""))
        if options.extra_context:  # serve mode's pages differ from a real build's
            self.version = digest_of((self.version
                                      + repr(sorted(options.extra_context.items()))).encode())
        self.public_files, self.public_problems = read_public_files(found.public_files,
                                                                    options.content_dir)
        self.notices: list[str] = []
        self.cache = None
        if options.use_cache:
            self.cache, told = BuildCache.open_for_build(cache_path(options.output_dir),
                                                         self.version)
            self.notices += told
        manifest = self.cache.manifest() if self.cache else {}
        fingerprints = self.cache.fingerprints() if self.cache else {}
        self._made_before = self.cache.made() if self.cache else {}
        self._made: dict[str, tuple[str, str]] = {}
        self._digests: dict[str, str] = {}
        if self.cache:
            self.cache.close()  # workers open their own; a connection must not cross a fork
        self._previous = previous_build_files(options.output_dir.resolve(), manifest)
        self._manifest = manifest
        self.history = load_git_history(options.content_dir, fingerprints)
        self.transaction = None

    def begin(self, cleanup: ExitStack) -> Path:
        """Make the staging folder, and its removal part of `cleanup`, with SIGTERM and SIGINT
        held in between: a build stopped at that moment must not leave the folder behind."""
        with signals_held():
            self.transaction = OutputTransaction(self.options.output_dir, self._manifest,
                                                 previous=self._previous)
            cleanup.callback(self.transaction.abort)
        return self.transaction.staging

    def render_settings(self):
        from .per_event import RenderSettings

        return RenderSettings(self.page, self.history, self.transaction,
                              self.cache.path if self.cache else None, self.version)

    def render_site(self, events: dict[str, Event], chunks: list[ChunkResult], lines, observe):
        from ..content.fields import timezone_options
        from ..render.admin import ADMIN, admin_files
        from ..render.site import render_site_outputs

        for chunk in chunks:
            self.transaction.merge(chunk.records)
            self._digests.update(chunk.digests)
        cms = self.site.editing.cms
        for relative, data in self.asset_files:
            if cms or not relative.startswith(ADMIN):
                self.transaction.put(relative, data)
        for relative, data in _image_files(events, self.site, self.options.content_dir):
            self.transaction.put(relative, data)
        now = self.options.now
        render_site_outputs(self.page, events, lines, now,
                            now + timedelta(days=self.site.horizon_days), _vevents(chunks),
                            self.transaction.put, self.transaction.put_stream, observe=observe,
                            feed_history=self._feed_history(events), reuse=self.reuse)
        if cms:
            zones = timezone_options(self.site.timezone, [e.timezone for e in events.values()])
            for relative, data in admin_files(self.page, sorted(events), zones):
                self.transaction.put(relative, data)
        for chunk in chunks:
            chunk.lines_file.unlink()
            chunk.vevents_file.unlink()

    def reuse(self, path: str, key: str, slugs, make) -> None:
        """Put `make()` at `path`, unless the last build made the file from the same inputs
        (`key`, and the files of the events `slugs`) and the output still holds it."""
        inputs = digest_of("\0".join([key, *(self._digests[s] for s in slugs)]).encode())
        before = self._made_before.get(path)
        if before is not None and before[0] == inputs and self.transaction.keep(path, before[1]):
            self._made[path] = before
            return
        self.transaction.put(path, make())
        self._made[path] = (inputs, self.transaction.records[path][0])

    def _feed_history(self, events: dict[str, Event]):
        """The git history's part in the Atom feeds: recent changes, and each session file's
        first and last commit."""
        from ..render.atom_feeds import FeedHistory
        from .changes import recent_changes
        from .history import SESSIONS_FOLDER

        history, content_dir = self.history, self.options.content_dir
        if history.top is None:
            return FeedHistory()
        session_times = {}
        for event in events.values():
            for session in event.sessions:
                times = history.commit_times(
                    content_dir / SESSIONS_FOLDER / event.slug / f"{session.key}.md")
                if times:
                    session_times[(event.slug, session.key)] = times
        changes = recent_changes(history, content_dir, self.site,
                                 {slug: e.title for slug, e in events.items()})
        return FeedHistory(True, history.shallow, tuple(changes), session_times)

    def commit(self, chunks: list[ChunkResult], events: dict[str, Event]) -> list[Problem]:
        """Publish content/public/, commit, and remember the build in the cache. Returns the
        problems that stop it (a file of content/public/ that the build writes itself)."""
        transaction, output_dir = self.transaction, self.options.output_dir
        clashes = public_clashes(self.public_files, set(transaction.records),
                                 self.options.content_dir) + self.public_problems
        if clashes:
            return clashes
        for relative, data in self.public_files.items():
            transaction.put(relative, data)
        claimed = transaction.claimed_foreign_files()
        if claimed:
            raise OutputError(f"{output_dir}/{claimed[0]} was not written by Nextup, and "
                              "this build would replace it" + (f" (and {len(claimed) - 1} more)"
                                                               if len(claimed) > 1 else "")
                              + "; move it out of the output (files for every build go in "
                              "content/public/)")
        foreign = transaction.foreign_files()
        if foreign:
            self.notices.append(f"kept {count(len(foreign), 'file')} in {output_dir}/ that "
                                f"Nextup did not write ({_some(foreign)}); to publish them with "
                                "every build, move them to content/public/, else delete them")
        manifest = transaction.commit(foreign)
        self.notices += transaction.notices  # how it was written (one by one on a mount point)
        if self.cache:
            from .cache import discard

            troubles = [t for chunk in chunks for t in chunk.cache_troubles]
            if troubles:
                self.notices.append(f"parts of the build cache {self.cache.path} could not be "
                                    f"read ({troubles[0]}); it was discarded")
                discard(self.cache.path)
            else:
                self.notices += _save_cache(self.cache.path, self.version, manifest, set(events),
                                            self.history.new_fingerprints, self._made)
        return []


def _image_files(events: dict[str, Event], site: Site, content_dir: Path):
    """(output path, bytes) of every picture in content/ that an event or the site names, once
    each (events may share one). They were checked when the events were; a file changed since
    gets its new bytes under the name its old ones gave, and the next build renames it."""
    from ..content.image import MAX_IMAGE_BYTES

    images = {e.image.output_path: e.image for e in events.values() if e.image and e.image.path}
    if site.default_image is not None and site.default_image.path:
        images[site.default_image.output_path] = site.default_image
    for relative in sorted(images):
        data, _ = read_content_file(content_dir / images[relative].path, content_dir,
                                    MAX_IMAGE_BYTES)
        if data is not None:
            yield relative, data


# --- content/public/ -------------------------------------------------------------------------

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


def public_name_problems(found: ContentFiles, content_dir: Path) -> list[Problem]:
    """A file of content/public/ where the build writes its own files (index.html, events/,
    static/...) would be lost or break the site: known from its name alone, so `check` says it
    too."""
    from ..render.site import SITE_FILES, SITE_FOLDERS

    top = content_dir / PUBLIC_FOLDER
    owned = []
    for path in found.public_files:
        relative = path.relative_to(top).as_posix()
        first = relative.split("/", 1)[0]
        if relative in SITE_FILES or first.startswith(RESERVED_IN_OUTPUT):
            owned.append((relative, relative))
        elif "/" in relative and first in SITE_FOLDERS:
            owned.append((relative, first + "/"))
    return [_clash(content_dir, relative, where) for relative, where in owned]


def public_clashes(public_files: dict[str, bytes], built: set[str],
                   content_dir: Path) -> list[Problem]:
    """The same, against what the build really wrote: a safety net for names the rule above
    does not know."""
    return [_clash(content_dir, relative, relative) for relative in sorted(public_files)
            if relative in built]


def _clash(content_dir: Path, relative: str, where: str) -> Problem:
    return Problem(display_path(content_dir / PUBLIC_FOLDER / relative), None, None, None,
                   f"the build writes {where} itself, so this file would be lost",
                   "content/public/ is for files the build does not make (_redirects, CNAME, "
                   ".well-known/): rename this one, or move it to another folder")


# --- helpers -----------------------------------------------------------------------------------

def _save_cache(path: Path, version: str, manifest, slugs: set[str],
                fingerprints: dict, made: dict) -> list[str]:
    """Remember this build for the next; a cache that cannot be written only costs time."""
    import sqlite3

    from .cache import BuildCache, CacheUnreadable

    try:
        cache = BuildCache(path, version)
        try:
            cache.save_manifest(manifest)
            cache.save_fingerprints(fingerprints)
            cache.save_made(made)
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


# --- workers -----------------------------------------------------------------------------------

def run_per_event(paths: list[Path], settings: PerEventSettings, workers: int) -> list[ChunkResult]:
    """The per-event stage over all event files: in this process, or in `workers` processes
    over contiguous chunks (so the merged results keep the files' order)."""
    if workers <= 1 or len(paths) < 2:
        return [process_chunk(paths, settings, 0)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(paths) // workers)
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    # Forking copies only the thread that forks: where other threads run (serve's HTTP
    # threads), a lock one of them holds would stay locked forever in the child. Then the
    # workers come from a forkserver, a clean process, and get the settings pickled.
    context = multiprocessing.get_context("fork" if threading.active_count() == 1
                                          else "forkserver")
    # The first submit starts every worker: a stop signal then would be raised inside
    # Python's at-fork hooks, which drop it ("Exception ignored"), so signals wait.
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    held = signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    try:
        pool = ProcessPoolExecutor(len(chunks), mp_context=context, initializer=_start_worker,
                                   initargs=(settings, os.getpid()))
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


_WORKER_SETTINGS: PerEventSettings | None = None  # in a worker process only, set by _start_worker


def _start_worker(settings: PerEventSettings, parent: int) -> None:
    """A worker dies with its parent (even a SIGKILLed one) and leaves signals to it: Ctrl+C
    reaches the whole process group, and the parent stops the workers itself."""
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings
    use_pinned_zones()  # a forkserver's worker is a fresh process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})  # see run_per_event
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the check below and the parent's kill on the way out remain
    if _is_gone(parent):  # it died before prctl took effect
        os._exit(1)


def _is_gone(pid: int) -> bool:
    """(A forkserver's worker has the forkserver as its parent, so the build's own pid is
    asked for, not getppid().)"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _run_chunk(paths: list[Path], number: int) -> ChunkResult:
    return process_chunk(paths, _WORKER_SETTINGS, number)
