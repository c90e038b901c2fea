"""`build.py serve`: build, serve on localhost, rebuild on every change, reload open tabs.

- Watches content/, templates/ and static/ by polling modification times (no dependency, works
  on every file system).
- Builds into a temporary directory, never into public/; the page gets a small reload script
  (only here: real builds never contain it). It listens for server-sent events on
  /__nextup/events and reloads when a build succeeds.
- A broken edit is printed in the terminal and shown over the page; the last good build keeps
  being served until the edit is fixed.
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .pipeline import PROJECT_ROOT, BuildOptions, build_site
from .report import count, problem_counts, sorted_problems
from .write import OutputError

POLL_SECONDS = 0.3
RELOAD_SCRIPT = PROJECT_ROOT / "generator" / "live_reload.js"
_EVENTS_PATH = "/__nextup/events"
_SCRIPT_PATH = "/__nextup/reload.js"


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
    found = {}
    for directory in directories:
        if directory.is_dir():
            for path in directory.rglob("*"):
                if path.is_file():
                    stat = path.stat()
                    found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def _build_once(options: BuildOptions, state: _BuildState, fixed_now: datetime | None) -> None:
    now = fixed_now or datetime.now(timezone.utc).replace(microsecond=0)
    options = BuildOptions(options.content_dir, options.output_dir, now, options.horizon_days,
                           extra_context={"live_reload": _SCRIPT_PATH})
    stamp = datetime.now().strftime("%H:%M:%S")
    try:
        result = build_site(options)
    except Exception as error:  # a template typo, a full disk: keep serving the last good build
        message = str(error) if isinstance(error, OutputError) else f"{type(error).__name__}: {error}"
        print(f"[{stamp}] build failed: {message}", file=sys.stderr)
        state.publish(False, [message])
        return
    errors, warnings = problem_counts(result.problems)
    for problem in sorted_problems(result.problems):
        print(f"[{stamp}] {problem}", file=sys.stderr)
    if errors:
        print(f"[{stamp}] {count(errors, 'error')}: still serving the last good build",
              file=sys.stderr)
        state.publish(False, [str(p) for p in sorted_problems(result.problems) if p.is_error])
    else:
        print(f"[{stamp}] built {count(result.events, 'event')}, {count(result.files, 'file')} "
              f"in {result.seconds:.2f} s; {count(warnings, 'warning')}")
        state.publish(True, [])


def _handler(state: _BuildState, output_dir: Path, prefix: str):
    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # quiet: the terminal is for build messages
            pass

        def translate_path(self, path):
            # A site under a path ("/community/") is served at that path, as in production.
            if prefix != "/" and path.startswith(prefix):
                path = "/" + path[len(prefix):]
            return super().translate_path(path)

        def do_GET(self):
            if self.path.startswith(_EVENTS_PATH):
                return self._events()
            if self.path == _SCRIPT_PATH:
                return self._send(RELOAD_SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
            if not state.has_site:
                return self._send(_error_page(state), "text/html; charset=utf-8",
                                  HTTPStatus.SERVICE_UNAVAILABLE)
            return super().do_GET()

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")  # always the latest build
            super().end_headers()

        def _send(self, body: bytes, content_type: str, status=HTTPStatus.OK):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _events(self):
            """Server-sent events: the build state now, then after every build."""
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            told = None
            try:
                while True:
                    with state.condition:
                        state.condition.wait_for(lambda: state.version != told, timeout=15)
                        version, message = state.version, state.message()
                    # A comment line every 15 s lets the server notice tabs that were closed.
                    self.wfile.write(f"data: {message}\n\n".encode() if version != told
                                     else b": keep-alive\n\n")
                    self.wfile.flush()
                    told = version
            except (BrokenPipeError, ConnectionResetError):
                return

    return partial(Handler, directory=str(output_dir))


def _error_page(state: _BuildState) -> bytes:
    from html import escape

    items = "".join(f"<li><code>{escape(p)}</code></li>" for p in state.problems)
    return (f"<!doctype html><meta charset=utf-8><title>Build failed</title>"
            f"<h1>The site did not build</h1><ul>{items}</ul>"
            f"<script src=\"{_SCRIPT_PATH}\"></script>").encode()


def _site_prefix(content_dir: Path) -> str:
    """The path the site lives under ("/" or "/community/"), from site.toml's base_url."""
    from urllib.parse import urlsplit

    from .load import load_toml_file

    if not (content_dir / "site.toml").exists():
        return "/"
    raw, _ = load_toml_file(content_dir / "site.toml")
    base = raw.data.get("base_url") if raw else None
    path = urlsplit(base).path if isinstance(base, str) else "/"
    return (path if path.endswith("/") else path + "/") or "/"


def serve(content_dir: Path, host: str, port: int, fixed_now: datetime | None,
          horizon_days: int | None) -> int:
    work = Path(tempfile.mkdtemp(prefix="nextup-serve-"))
    output_dir = work / "public"
    options = BuildOptions(content_dir, output_dir, fixed_now or datetime.now(timezone.utc),
                           horizon_days)
    state = _BuildState()
    watched = [content_dir, options.templates_dir, options.static_dir]
    _build_once(options, state, fixed_now)
    output_dir.mkdir(exist_ok=True)
    prefix = _site_prefix(content_dir)
    server = ThreadingHTTPServer((host, port), _handler(state, output_dir, prefix))
    server.daemon_threads = True
    address = f"http://{host}:{server.server_address[1]}{prefix}"
    print(f"Serving {address}  (watching {', '.join(str(d) for d in watched)}; Ctrl+C stops)",
          flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        seen = _snapshot(watched)
        while True:
            time.sleep(POLL_SECONDS)
            current = _snapshot(watched)
            if current != seen:
                time.sleep(POLL_SECONDS)  # let an editor finish saving several files
                seen = _snapshot(watched)
                _build_once(options, state, fixed_now)
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    return 0
