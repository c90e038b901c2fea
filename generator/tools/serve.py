"""`build.py serve`: build, serve on localhost, rebuild on every change, reload open tabs.

- Takes the port first, then builds into a temporary directory, never into public/; the page
  gets a small reload script (only here: real builds never contain it). It listens for
  server-sent events on /__nextup/events and reloads when a build succeeds.
- Watches content/, templates/ and static/ by polling modification times (no dependency, works
  on every file system). Only sources count: editors' swap and backup files, and the compiled
  templates the build itself keeps in templates/__pycache__/, are not watched.
- Serves the build as the CDN does: a folder's index.html (and /events to /events/), the site's
  own 404.html with status 404 for anything else, never a folder listing. A request for
  anything but a clean path inside the site (NUL, "..", not UTF-8) gets 400.
- A broken edit is printed in the terminal and shown over the page; the last good build keeps
  being served until the edit is fixed.
- Ctrl+C or SIGTERM stops it: the build under way stops with its workers, the temporary
  directory is removed. Every status line is flushed as it is printed, so a pipe sees it.
"""
from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import socket
import stat
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes

from ..report import EXIT_ENVIRONMENT, EXIT_OK
from ..build.pipeline import BuildInterrupted, BuildOptions, build_site
from ..report import count, problem_counts, problem_text, sorted_problems
from ..build.write import OutputError, OutputUnavailable

POLL_SECONDS = 0.3
RELOAD_SCRIPT = Path(__file__).with_name("live_reload.js")
_EVENTS_PATH = "/__nextup/events"
_SCRIPT_PATH = "/__nextup/reload.js"

# Not sources, so never a reason to rebuild: what editors keep beside an open or saving file
# (vim's .x.md.swp and its 4913 probe, x.md~ backups, emacs's .#x.md and #x.md#, JetBrains'
# safe-write copies, gedit's .goutputstream-*), and __pycache__/, where the build keeps its
# compiled templates: watching that made every template edit build twice (the edit, then
# the new bytecode the first build wrote).
_SCRATCH_FILE = re.compile(r"\.sw[a-p]$|~$|^\.#|^#.*#$|^4913$|___jb_(tmp|old)___$"
                           r"|^\.goutputstream-")
_UNWATCHED_FOLDERS = {"__pycache__"}
_MOST_SEGMENTS = 64  # deeper than any page the build writes: not found without a look

_CONTENT_TYPES = {  # as netlify.toml and the CDN give them
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8", ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
    ".ico": "image/x-icon", ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2", ".pdf": "application/pdf",
    ".yml": "text/yaml; charset=utf-8",  # the CMS's admin/config.yml
}


def _say(line: str, error: bool = False) -> None:
    """One status line, flushed at once: a terminal, a pipe or a test sees it now."""
    print(line, file=sys.stderr if error else sys.stdout, flush=True)


class _Stopped(BaseException):
    """Ctrl+C or SIGTERM: stop serving (during a build, the build's own BuildInterrupted or
    KeyboardInterrupt unwinds it first)."""


class _StopSignals:
    """Ctrl+C and SIGTERM end serve. The handler raises, so that a sleep or a build unwinds at
    once; and every arrival is also noted through signal.set_wakeup_fd, because Python drops
    an exception raised where it cannot propagate (in an at-fork hook, while the build forks
    its workers, a SIGTERM was lost that way). `check()` after each build raises it then."""

    def __enter__(self) -> "_StopSignals":
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(),
                                                 warn_on_full_buffer=False)
        self._previous = (signal.getsignal(signal.SIGINT),
                          signal.signal(signal.SIGTERM, self._stop))
        return self

    @staticmethod
    def _stop(number, frame):
        raise _Stopped()

    def check(self) -> None:
        try:
            arrived = self._reader.recv(256)
        except BlockingIOError:
            return
        if signal.SIGINT in arrived or signal.SIGTERM in arrived:
            raise _Stopped()

    def hold(self) -> None:
        """From here on (the clean-up) a second Ctrl+C must not cut it short."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)

    def __exit__(self, *exception) -> None:
        signal.set_wakeup_fd(self._previous_fd)
        signal.signal(signal.SIGINT, self._previous[0])
        signal.signal(signal.SIGTERM, self._previous[1])
        self._reader.close()
        self._writer.close()


class _BuildState:
    """The latest build's outcome, shared between the watcher and the HTTP threads."""

    def __init__(self):
        self.condition = threading.Condition()
        self.version = 0  # increases with every build attempt
        self.number = 0  # increases with every successful build
        self.problems: list[str] = []  # errors of the latest attempt, if it failed
        self.has_site = False

    def publish(self, ok: bool, problems: list[str]) -> None:
        with self.condition:
            self.version += 1
            if ok:
                self.number += 1
                self.has_site = True
                self.problems = []
            else:
                self.problems = problems
            self.condition.notify_all()

    def message(self) -> str:
        return json.dumps({"build": self.number, "problems": self.problems})


def _snapshot(directories: list[Path]) -> dict[str, tuple[int, int]]:
    """Every source file under `directories`: path -> (mtime, size). A file or folder that
    goes between being listed and being looked at (an editor's swap file) is simply absent."""
    found = {}
    pending = [str(directory) for directory in directories]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:  # gone, or not a folder, or unreadable: nothing to watch there
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in _UNWATCHED_FOLDERS:
                        pending.append(entry.path)
                    continue
                if _SCRATCH_FILE.search(entry.name):
                    continue
                info = entry.stat()  # follows a link: an edit of its target counts
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                found[entry.path] = (info.st_mtime_ns, info.st_size)
    return found


def _build_once(options: BuildOptions, state: _BuildState, fixed_now: datetime | None) -> None:
    now = fixed_now or datetime.now(timezone.utc).replace(microsecond=0)
    options = BuildOptions(options.content_dir, options.output_dir, now, options.horizon_days,
                           extra_context={"live_reload": _SCRIPT_PATH})
    stamp = datetime.now().strftime("%H:%M:%S")
    try:
        result = build_site(options, tell=lambda line: _say(f"[{stamp}] {line}", error=True))
    except Exception as error:  # a template typo, a full disk: keep serving the last good build
        message = (str(error) if isinstance(error, (OutputError, OutputUnavailable))
                   else f"{type(error).__name__}: {error}")
        _say(f"[{stamp}] build failed: {message}", error=True)
        state.publish(False, [message])
        return
    errors, warnings = problem_counts(result.problems)
    for notice in result.notices:
        _say(f"[{stamp}] note: {notice}", error=True)
    for problem in sorted_problems(result.problems):
        _say(f"[{stamp}] {problem_text(problem)}", error=True)
    if errors:
        _say(f"[{stamp}] {count(errors, 'error')}: still serving the last good build", error=True)
        state.publish(False, [problem_text(p) for p in sorted_problems(result.problems)
                              if p.is_error])
    else:
        _say(f"[{stamp}] built {count(result.events, 'event')}, {count(result.files, 'file')} "
             f"in {result.seconds:.2f} s; {count(warnings, 'warning')}")
        state.publish(True, [])


class _BadTarget(ValueError):
    """A request target that is not a clean path inside the site."""


def _has_control_character(text: str) -> bool:
    return any(ord(c) < 0x20 or ord(c) == 0x7F for c in text)


def _parse_target(target: str) -> tuple[tuple[str, ...], bool]:
    """The path of a request target ("/events/x/?a=1") as decoded segments ("events", "x"),
    and whether it ends with "/". The query is ignored, as a static host ignores it."""
    if _has_control_character(target):
        raise _BadTarget("the address holds a control character")
    if not target.startswith("/"):
        raise _BadTarget("the address must be a path starting with /")
    path = target.split("?", 1)[0].split("#", 1)[0]
    try:  # http.server hands the request line over decoded as Latin-1: these are its bytes
        text = unquote_to_bytes(path.encode("latin-1")).decode("utf-8")
    except UnicodeError:
        raise _BadTarget("the address is not UTF-8") from None
    if _has_control_character(text):
        raise _BadTarget("the address encodes a control character")
    parts = tuple(part for part in text.split("/") if part)
    if any(part in (".", "..") for part in parts):
        raise _BadTarget("the address holds a . or .. segment")
    return parts, text.endswith("/")


_ADD_SLASH = object()  # a folder asked for without its "/": redirect, as the CDN does


def _site_file(root: str, parts: tuple[str, ...], ends_with_slash: bool):
    """The regular file inside `root` (a real path) that answers `parts`, _ADD_SLASH, or None.
    A folder answers with its index.html, never a listing; nothing outside `root` answers,
    not even through a link."""
    if len(parts) > _MOST_SEGMENTS:
        return None

    def inside(path: str) -> str | None:
        real = os.path.realpath(path)
        return real if real == root or real.startswith(root + os.sep) else None

    try:
        found = inside(os.path.join(root, *parts))
        if found is None:
            return None
        info = os.stat(found)
        if stat.S_ISDIR(info.st_mode):
            if not ends_with_slash:
                return _ADD_SLASH
            found = inside(os.path.join(found, "index.html"))
            if found is None:
                return None
            info = os.stat(found)
        elif ends_with_slash:
            return None
    except OSError:  # missing, a name too long, no permission: not found
        return None
    return found if stat.S_ISREG(info.st_mode) else None


def _content_type(path: str) -> str:
    return _CONTENT_TYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")


def _handler(state: _BuildState, output_dir: Path, prefix: str):
    site_parts = tuple(part for part in prefix.split("/") if part)

    class Handler(BaseHTTPRequestHandler):
        server_version = "nextup-serve"
        default_request_version = "HTTP/1.0"  # a garbled request line still gets a status line
        answered = False

        def log_message(self, format, *args):  # quiet: the terminal is for build messages
            pass

        def do_GET(self):
            self._answer(send_body=True)

        def do_HEAD(self):
            self._answer(send_body=False)

        def send_response(self, code, message=None):
            self.answered = True
            super().send_response(code, message)

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")  # always the latest build
            super().end_headers()

        def _answer(self, send_body: bool):
            self.send_body = send_body
            try:
                self._route()
            except (ConnectionError, TimeoutError):
                return  # the browser went away mid-answer (a reload, a closed tab)
            except Exception as error:  # a bug here must not cost the browser its answer
                _say(f"serve: {self.command} {self.path[:200]!r}: {type(error).__name__}: "
                     f"{error}", error=True)
                if not self.answered:
                    self._send(b"500 internal error; see the terminal\n",
                               "text/plain; charset=utf-8", HTTPStatus.INTERNAL_SERVER_ERROR)

        def _route(self):
            try:
                parts, ends_with_slash = _parse_target(self.path)
            except _BadTarget as error:
                return self._send(f"400 bad request: {error}\n".encode(),
                                  "text/plain; charset=utf-8", HTTPStatus.BAD_REQUEST)
            if parts == ("__nextup", "events"):
                return self._events()
            if parts == ("__nextup", "reload.js"):
                return self._send(RELOAD_SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
            if not state.has_site:
                return self._send(_error_page(state), "text/html; charset=utf-8",
                                  HTTPStatus.SERVICE_UNAVAILABLE)
            # A site under a path ("/community/") is served at that path, as in production.
            inside = parts[len(site_parts):] if parts[:len(site_parts)] == site_parts else parts
            root = os.path.realpath(output_dir)
            found = _site_file(root, inside, ends_with_slash)
            if found is _ADD_SLASH:
                query = self.path.split("#", 1)[0].partition("?")[1:]
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", "/" + "".join(quote(part) + "/" for part in parts)
                                 + "".join(query))
                self.send_header("Content-Length", "0")
                return self.end_headers()
            if found is None or not self._send_file(found):
                self._not_found(root)

        def _send_file(self, path: str, status=HTTPStatus.OK) -> bool:
            try:
                source = open(path, "rb")
            except OSError:  # replaced by a rebuild since it was found
                return False
            with source:
                self.send_response(status)
                self.send_header("Content-Type", _content_type(path))
                self.send_header("Content-Length", str(os.fstat(source.fileno()).st_size))
                self.end_headers()
                if self.send_body:
                    shutil.copyfileobj(source, self.wfile)
            return True

        def _not_found(self, root: str):
            page = _site_file(root, ("404.html",), False)  # the site's own, as Netlify serves it
            if page is None or not self._send_file(page, HTTPStatus.NOT_FOUND):
                self._send(b"404 not found\n", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)

        def _send(self, body: bytes, content_type: str, status=HTTPStatus.OK):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.send_body:
                self.wfile.write(body)

        def _events(self):
            """Server-sent events: the build state now, then after every build."""
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            if not self.send_body:
                return
            told = None
            while True:
                with state.condition:
                    state.condition.wait_for(lambda: state.version != told, timeout=15)
                    version, message = state.version, state.message()
                # A comment line every 15 s lets the server notice tabs that were closed.
                self.wfile.write(f"data: {message}\n\n".encode() if version != told
                                 else b": keep-alive\n\n")
                self.wfile.flush()
                told = version

    return Handler


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True  # an open tab's event stream must not keep the process alive

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the browser went away
        _say(f"serve: a request from {client_address[0]} failed: {type(error).__name__}: "
             f"{error}", error=True)


def _error_page(state: _BuildState) -> bytes:
    from html import escape

    items = "".join(f"<li><code>{escape(p)}</code></li>" for p in state.problems)
    return (f"<!doctype html><meta charset=utf-8><title>Build failed</title>"
            f"<h1>The site did not build</h1><ul>{items}</ul>"
            f"<script src=\"{_SCRIPT_PATH}\"></script>").encode()


def _site_prefix(content_dir: Path) -> str:
    """The path the site lives under ("/" or "/community/"), from site.toml's base_url."""
    from ..content.validate import read_site

    site, _ = read_site(content_dir)  # a broken site.toml is the build's to report
    return site.path_prefix if site else "/"


def _cannot_listen(error: OSError, host: str, port: int) -> str:
    """One line for a port or address the server cannot take."""
    if error.errno == errno.EADDRINUSE:
        return f"port {port} is in use; try --port 0 or another port"
    if error.errno in (errno.EACCES, errno.EPERM):
        return (f"no permission to listen on port {port} (ports below 1024 need root); "
                "try --port 0 or a port above 1023")
    if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
        return (f"cannot listen on {host}: this machine has no such address; try "
                "--host 127.0.0.1")
    return f"cannot listen on {host}:{port}: {error.strerror or error}"


def _watch(directories: list[Path], seen: dict, rebuild, check_signals) -> None:
    """Rebuild whenever the sources differ from `seen` (taken before the first build, so that
    an edit saved while it ran is not missed)."""
    while True:
        time.sleep(POLL_SECONDS)
        check_signals()
        if _snapshot(directories) != seen:
            time.sleep(POLL_SECONDS)  # let an editor finish saving several files
            seen = _snapshot(directories)
            rebuild()


def serve(content_dir: Path, host: str, port: int, fixed_now: datetime | None,
          horizon_days: int | None) -> int:
    """Serve until Ctrl+C or SIGTERM (exit 0); exit 3 when the port or a temporary directory
    cannot be had."""
    prefix = _site_prefix(content_dir)
    state = _BuildState()
    work: Path | None = None
    server: _SiteServer | None = None
    serving = False
    with _StopSignals() as signals:
        try:
            try:
                work = Path(tempfile.mkdtemp(prefix="nextup-serve-"))
            except OSError as error:
                _say(f"error: cannot make a temporary directory to build into "
                     f"({error.strerror or error}); set TMPDIR to a writable folder", error=True)
                return EXIT_ENVIRONMENT
            output_dir = work / "public"
            try:  # the port first: when it is taken, say so before building anything
                server = _SiteServer((host, port), _handler(state, output_dir, prefix))
            except OSError as error:
                _say(f"error: {_cannot_listen(error, host, port)}", error=True)
                return EXIT_ENVIRONMENT
            options = BuildOptions(content_dir, output_dir,
                                   fixed_now or datetime.now(timezone.utc), horizon_days)

            def rebuild():
                _build_once(options, state, fixed_now)
                signals.check()

            watched = [content_dir, options.templates_dir, options.static_dir]
            seen = _snapshot(watched)
            rebuild()
            output_dir.mkdir(exist_ok=True)
            address = f"http://{host}:{server.server_address[1]}{prefix}"
            _say(f"Serving {address}  (watching {', '.join(str(d) for d in watched)}; "
                 "Ctrl+C stops)")
            threading.Thread(target=server.serve_forever, daemon=True).start()
            serving = True
            _watch(watched, seen, rebuild, signals.check)
        except (KeyboardInterrupt, _Stopped, BuildInterrupted):
            _say("Stopped.")
        finally:
            signals.hold()
            if server is not None:
                if serving:
                    server.shutdown()
                server.server_close()
            if work is not None:
                shutil.rmtree(work, ignore_errors=True)
    return EXIT_OK
