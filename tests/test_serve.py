"""`build.py serve` under faults: hostile requests, a busy port, files that vanish, editors'
swap files, template edits, pipes, Ctrl+C and SIGTERM.

Each test starts the real command in a subprocess (stdout piped, as an editor's terminal
pane or a test harness has it) on a copy of the project, so that edits to templates and
parallel work in the checkout never reach it, and with TMPDIR pointed at a folder of its own,
so that what serve leaves behind can be seen. Waits are bounded (hang guards), never timings.
"""
from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_CONTENT, SAMPLE_NOW
from generator.tools.serve import POLL_SECONDS, _snapshot

GUARD = 60  # seconds: only a hang ends a wait this long
BUILT = re.compile(r"^\[\d\d:\d\d:\d\d\] built ")
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="uses /proc and POSIX signals")


def copy_project(target: Path) -> Path:
    """build.py and what it reads (code, templates, static) without compiled leftovers."""
    target.mkdir(parents=True)
    shutil.copy2(ROOT / "build.py", target / "build.py")
    for folder in ("generator", "templates", "static"):
        shutil.copytree(ROOT / folder, target / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return target


class Serve:
    """`build.py serve --port 0` on a content folder; its stdout read line by line as it comes."""

    def __init__(self, base: Path, content: Path | None = None, port: str = "0",
                 wait_for_serving: bool = True):
        self.project = copy_project(base / "project")
        self.content = content or shutil.copytree(SAMPLE_CONTENT, base / "content")
        self.tmp = base / "tmp"
        self.tmp.mkdir()
        self.stderr_path = base / "stderr.txt"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
        env["TMPDIR"] = str(self.tmp)
        with open(self.stderr_path, "wb") as stderr:  # a file: written before a reply ends
            self.process = subprocess.Popen(
                [sys.executable, str(self.project / "build.py"), "serve", "--port", port,
                 "--content", str(self.content), "--now", SAMPLE_NOW],
                cwd=self.project, stdout=subprocess.PIPE, stderr=stderr, env=env, text=True,
                start_new_session=True)  # its own process group: "Ctrl+C" reaches only it
        self.lines: list[str] = []
        self.finished = False  # stdout has ended
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        if wait_for_serving:
            self.wait_until_serving()

    def wait_until_serving(self) -> int:
        """Wait for "Serving http://...", note the port; the index of that line."""
        line = self.wait_for_line(lambda line: line.startswith("Serving "))
        address = re.search(r"http://(\S+?):(\d+)/", line)
        self.host, self.port = address[1], int(address[2])
        return self.lines.index(line)

    def _read(self):
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.finished = True
            self.changed.notify_all()

    def wait_for_line(self, wanted, start: int = 0) -> str:
        """The first line from `start` on that `wanted` accepts; fails if serve ends first."""
        deadline = time.monotonic() + GUARD
        with self.changed:
            while True:
                for line in self.lines[start:]:
                    if wanted(line):
                        return line
                if self.finished:
                    raise AssertionError(f"serve ended ({self.process.wait()}); stdout: "
                                         f"{self.lines}; stderr: {self.stderr()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no such line within {GUARD} s; stdout: "
                                         f"{self.lines}; stderr: {self.stderr()}")
                self.changed.wait(left)

    def builds(self, start: int = 0) -> int:
        with self.changed:
            return sum(1 for line in self.lines[start:] if BUILT.match(line))

    def mark(self) -> int:
        with self.changed:
            return len(self.lines)

    def stderr(self, start: int = 0) -> str:
        """What serve has written on stderr, from character `start` on."""
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")[start:]

    def served_dir(self) -> Path:
        (work,) = self.tmp.glob("nextup-serve-*")
        return work / "public"

    def get(self, path: str, method: str = "GET") -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=GUARD)
        connection.request(method, path)
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response

    def raw(self, request: bytes) -> bytes:
        """Send bytes as they are (no client tidies the path), return the whole reply."""
        with socket.create_connection((self.host, self.port), timeout=GUARD) as connection:
            connection.sendall(request)
            reply = b""
            try:
                while chunk := connection.recv(65536):
                    reply += chunk
            except ConnectionResetError:  # closed with some of a huge request unread
                pass
        return reply

    def stop(self, how=signal.SIGINT, group: bool = True) -> int:
        """Ctrl+C (SIGINT to the process group, as a terminal sends it) or a signal to serve
        alone; its exit code."""
        if self.process.poll() is None:
            if group:
                os.killpg(self.process.pid, how)
            else:
                self.process.send_signal(how)
        return self.process.wait(GUARD)

    def close(self) -> None:
        """Whatever is left of the process group this test started goes, passed or failed."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(GUARD)


@pytest.fixture
def server(tmp_path):
    running = Serve(tmp_path)
    yield running
    running.stop()
    running.close()


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    """One server for the tests that only read from it."""
    running = Serve(tmp_path_factory.mktemp("serve"))
    yield running
    running.stop()
    running.close()


def status_of(reply: bytes) -> int:
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", reply)
    assert match, f"not an HTTP response: {reply[:200]!r}"
    return int(match[1])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- hostile requests ------------------------------------------------------------------------

HOSTILE_TARGETS = [
    # (request target as sent, the statuses a correct server may answer)
    (b"/%00", {400}),
    (b"/index.html%00.txt", {400}),
    (b"/\x00", {400}),
    (b"/..%2f..%2fetc/passwd", {400}),
    (b"/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd", {400}),
    (b"/static/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", {400}),
    (b"/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", {400}),
    (b"/../../../../etc/passwd", {400}),
    (b"/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", {400}),  # overlong UTF-8 for ".."
    (b"//etc/passwd", {404}),
    (b"/%5c..%5c..%5cetc%5cpasswd", {404}),  # backslashes are just characters here
    (b"/%ff", {400}),
    (b"/%ff%fe/", {400}),
    (b"/%", {404}),
    (b"/%0d%0aSet-Cookie:%20a=1", {400}),
    (b"/nowhere?q=%00", {404}),
    (b"/?q=\x00", {400}),
    (b"/events/?q=%00%ff", {200}),  # the query is ignored, as a static host ignores it
    (b"/" + b"a" * 5000, {404}),
    (b"/" + b"a/" * 3000, {404}),
    (b"/" + b"%61" * 20000, {404}),
    (b"/" + b"a" * 70000, {414}),  # longer than http.server reads in a request line
    (b"*", {400}),
    (b"http://127.0.0.1/../../etc/passwd", {400}),
    (b"events", {400}),
]


@pytest.mark.parametrize("target,statuses", HOSTILE_TARGETS,
                         ids=[t[:40].decode("latin-1").encode("unicode_escape").decode()
                              for t, _ in HOSTILE_TARGETS])
def test_hostile_paths_get_an_http_answer_and_no_traceback(shared_server, target, statuses):
    """Defect: /%00 raised in the handler (a traceback in the terminal, no answer)."""
    for method in (b"GET", b"HEAD"):
        told = len(shared_server.stderr())
        reply = shared_server.raw(method + b" " + target + b" HTTP/1.0\r\nHost: x\r\n\r\n")
        assert status_of(reply) in statuses, reply[:300]
        assert b"root:" not in reply
        assert "Traceback" not in shared_server.stderr(told)
    assert shared_server.process.poll() is None


def test_malformed_requests_get_an_http_answer(shared_server):
    told = len(shared_server.stderr())
    for request in (b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"\x00\x01\x02\r\n\r\n",
                    b"POST / HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc",
                    b"GET / HTTP/1.0\r\n" + b"X-A: b\r\n" * 200 + b"\r\n"):
        assert 400 <= status_of(shared_server.raw(request)) < 600
    assert "Traceback" not in shared_server.stderr(told)
    assert shared_server.get("/").status == 200


def test_a_link_inside_the_served_folder_does_not_lead_out_of_it(server):
    served = server.served_dir()
    (served / "escape").symlink_to("/etc")
    (served / "passwd.html").symlink_to("/etc/passwd")
    for path in ("/escape/passwd", "/escape/", "/passwd.html"):
        response = server.get(path)
        assert response.status == 404, path
        assert b"root:" not in response.body
    assert "Traceback" not in server.stderr()


def test_folder_without_index_html_is_404_not_a_listing(shared_server):
    """Defect: folders were listed (SimpleHTTPRequestHandler's directory listing)."""
    site_404 = (shared_server.served_dir() / "404.html").read_bytes()
    assert (shared_server.served_dir() / "static" / "css").is_dir()
    for folder in ("/static/", "/static/css/", "/static/js/"):
        response = shared_server.get(folder)
        assert response.status == 404, folder
        assert response.body == site_404
        assert b"Directory listing" not in response.body


def test_folders_with_index_html_are_served_and_bare_names_redirect(shared_server):
    assert shared_server.get("/events/").status == 200
    response = shared_server.get("/events?view=all")
    assert response.status == 301
    assert response.getheader("Location") == "/events/?view=all"
    assert shared_server.get("/events.json").getheader("Content-Type") == \
        "application/json; charset=utf-8"
    assert shared_server.get("/events.json/").status == 404  # a file is not a folder
    head = shared_server.get("/", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert int(head.getheader("Content-Length")) == len(shared_server.get("/").body)


def test_missing_pages_get_the_sites_own_404_page_with_status_404(shared_server):
    """Defect: a missing page got http.server's own error page, not the site's 404.html."""
    site_404 = (shared_server.served_dir() / "404.html").read_bytes()
    assert b"Page not found" in site_404
    for path in ("/no-such-page", "/events/no-such-event/", "/events/no-such-event/index.html",
                 "/static/css/nothing.css"):
        response = shared_server.get(path)
        assert response.status == 404, path
        assert response.getheader("Content-Type") == "text/html; charset=utf-8"
        assert response.body == site_404


# --- the port, the temporary directory, stopping ---------------------------------------------

def test_busy_port_is_one_line_exit_3_and_leaves_no_temporary_directory(tmp_path):
    """Defect: a port in use gave a traceback and left the temporary build behind."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        serve = Serve(tmp_path, port=str(port), wait_for_serving=False)
        try:
            code = serve.process.wait(GUARD)
        finally:
            serve.close()
    assert code == 3  # generator.cli.EXIT_ENVIRONMENT: the machine, not the content
    assert serve.stderr().splitlines() == [
        f"error: port {port} is in use; try --port 0 or another port"]
    assert list(serve.tmp.iterdir()) == []


@pytest.mark.parametrize("how,group", [(signal.SIGINT, True), (signal.SIGTERM, False)],
                         ids=["ctrl-c", "sigterm"])
def test_ctrl_c_and_sigterm_stop_cleanly_and_remove_the_temporary_directory(tmp_path, how, group):
    """Defect: SIGTERM killed serve on the spot and left its temporary directory behind."""
    serve = Serve(tmp_path)
    try:
        assert serve.get("/").status == 200
        assert serve.stop(how, group) == 0
        serve.wait_for_line(lambda line: line == "Stopped.")
        assert list(serve.tmp.iterdir()) == []
        assert "Traceback" not in serve.stderr()
    finally:
        serve.close()


def write_many_events(content: Path, how_many: int) -> None:
    """Enough one-off events for the build to fork workers (generator.build.per_event.worker_count)."""
    for number in range(how_many):
        day, hour = number % 28 + 1, number // 28 % 24
        (content / "events" / f"meeting-{number}.md").write_text(
            f'+++\ntitle = "Meeting {number}"\ncategory = "meeting"\ntimezone = "UTC"\n'
            f"start = 2027-02-{day:02}T{hour:02}:00:00\nduration = 30\n+++\nTalk.\n",
            encoding="utf-8")


def processes_running(command_line_part: str) -> list[int]:
    """Processes whose command line holds this (forked workers keep their parent's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if command_line_part in command and state != "Z":
                found.append(int(entry.name))
    return found


def children_of(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the build forks no workers on one CPU")
@pytest.mark.parametrize("how,group", [(signal.SIGINT, True), (signal.SIGTERM, False)],
                         ids=["ctrl-c", "sigterm"])
def test_stopping_during_a_parallel_build_leaves_no_workers_and_no_directory(tmp_path, how,
                                                                             group):
    """Defect: SIGTERM during a build with workers left the workers and the directory."""
    content = shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")
    write_many_events(content, 450)
    serve = Serve(tmp_path, content=content, wait_for_serving=False)
    try:
        deadline = time.monotonic() + GUARD
        while not children_of(serve.process.pid):  # the first build's workers
            assert time.monotonic() < deadline, "the build forked no workers"
            assert serve.process.poll() is None, serve.stderr()
            time.sleep(0.01)
        assert serve.stop(how, group) == 0
        serve.wait_for_line(lambda line: line == "Stopped.")
        assert list(serve.tmp.iterdir()) == []
        deadline = time.monotonic() + GUARD  # a killed worker may take a moment to go
        while processes_running(str(content)):
            assert time.monotonic() < deadline, f"left running: {processes_running(str(content))}"
            time.sleep(0.05)
        assert "Traceback" not in without_dropped_exceptions(serve.stderr())
    finally:
        serve.close()


def without_dropped_exceptions(stderr: str) -> str:
    """stderr without Python's "Exception ignored in ..." reports. A signal's handler runs
    wherever the main thread is, and when that is an at-fork hook, a __del__ or a finalizer,
    Python prints the exception and drops it; serve notices the signal anyway (see
    test_a_stop_signal_whose_exception_python_dropped_still_stops)."""
    kept, lines = [], iter(stderr.splitlines())
    for line in lines:
        if not line.startswith("Exception ignored in"):
            kept.append(line)
            continue
        for report in lines:  # its traceback, up to and including the exception's own line
            if report.startswith("Traceback") or report.startswith(" ") or not report:
                continue
            break
    return "\n".join(kept)


# --- watching ----------------------------------------------------------------------------------

def _churn(folder: str, pattern: str, stop) -> None:
    """Files (and a folder) appearing and vanishing as fast as the disk allows, as an editor's
    swap files do."""
    names = [os.path.join(folder, pattern.format(n)) for n in range(200)]
    subfolder = os.path.join(folder, pattern.format("folder"))
    for name in names:
        open(name, "w").close()
    while not stop.is_set():
        os.mkdir(subfolder)
        for name in names:
            os.unlink(name)
            open(name, "w").close()
        os.rmdir(subfolder)
    for name in names:
        os.unlink(name)


def churning(folder: Path, pattern: str):
    """Start _churn in a process of its own (the scan must not wait for it); its stop event."""
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    process = context.Process(target=_churn, args=(str(folder), pattern, stop))
    process.start()
    while not (folder / pattern.format(199)).exists():
        assert process.is_alive()
        time.sleep(0.01)
    return stop, process


def test_a_file_vanishing_during_the_scan_does_not_stop_the_watch(tmp_path):
    """Defect: the watcher died (FileNotFoundError) when a file went between the listing and
    its stat. Scans race a process that deletes and recreates files; before the fix a few
    hundred scans were enough to hit the gap, nearly always within a second."""
    folder = tmp_path / "events"
    folder.mkdir()
    (folder / "kept.md").write_text("kept")
    stop, churn = churning(folder, "draft-{}.md")  # sources: the scan looks at each
    try:
        for _ in range(1500):
            assert str(folder / "kept.md") in _snapshot([tmp_path])
    finally:
        stop.set()
        churn.join(GUARD)


def test_editor_swap_files_neither_stop_the_server_nor_rebuild(server):
    """Defect: serve exited when an editor's swap file vanished during its scan."""
    events = server.content / "events"
    start = server.mark()
    stop, churn = churning(events, ".event-{}.md.swp")
    try:
        ends = time.monotonic() + 10 * POLL_SECONDS
        for name in ("4913", "euroasia-scrum.md~", ".#euroasia-scrum.md", "#euroasia-scrum.md#"):
            (events / name).write_text("scratch")
        while time.monotonic() < ends:
            assert server.process.poll() is None, server.stderr()
            time.sleep(POLL_SECONDS)
    finally:
        stop.set()
        churn.join(GUARD)
    assert server.builds(start) == 0, "swap and backup files are not sources"
    assert server.get("/").status == 200
    edit(events / "euroasia-scrum.md", 'title = "EuroAsia Scrum"', 'title = "Stand-up"')
    server.wait_for_line(BUILT.match, start)
    assert b"<h1>Stand-up</h1>" in server.get("/events/euroasia-scrum/").body


def test_status_lines_reach_a_pipe_as_they_are_printed(server):
    """Defect: with stdout a pipe, "built ..." lines stayed in the buffer (late or never)."""
    start = server.mark()
    edit(server.content / "events" / "euroasia-scrum.md", "duration = 25", "duration = 30")
    line = server.wait_for_line(BUILT.match, start)
    assert re.search(r"built \d+ events", line), line
    edit(server.content / "events" / "euroasia-scrum.md", "Europe/London", "Europe/Londn")
    deadline = time.monotonic() + GUARD
    while "still serving the last good build" not in server.stderr():
        assert time.monotonic() < deadline, server.stderr()
        time.sleep(0.05)
    assert 'unknown zone "Europe/Londn"' in server.stderr()


def test_one_template_edit_rebuilds_once(server):
    """Defect: a template edit built twice: the first build wrote compiled templates into
    templates/__pycache__/, which the watcher took for a second edit."""
    start = server.mark()
    edit(server.project / "templates" / "event.html", "{% block content %}",
         "{% block content %}<p>edited</p>")
    server.wait_for_line(BUILT.match, start)
    assert b"<p>edited</p>" in server.get("/events/euroasia-scrum/").body
    time.sleep(8 * POLL_SECONDS)  # a second build would start within three polls of the first
    assert server.builds(start) == 1, server.lines[start:]
    assert (server.project / "templates" / "__pycache__").is_dir()  # the cause is still there


def test_one_content_edit_rebuilds_once(server):
    start = server.mark()
    edit(server.content / "events" / "euroasia-scrum.md", "duration = 25", "duration = 35")
    server.wait_for_line(BUILT.match, start)
    time.sleep(8 * POLL_SECONDS)
    assert server.builds(start) == 1, server.lines[start:]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the build forks no workers on one CPU")
def test_an_edit_saved_during_the_first_build_is_built(tmp_path):
    """Found on the way: the watcher took its first look after the first build, so an edit
    saved while that build ran (seconds, on a large site) was never built."""
    content = shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")
    write_many_events(content, 450)
    serve = Serve(tmp_path, content=content, wait_for_serving=False)
    try:
        deadline = time.monotonic() + GUARD
        while not children_of(serve.process.pid):  # the first build is under way
            assert time.monotonic() < deadline, "the build forked no workers"
            time.sleep(0.01)
        edit(content / "events" / "euroasia-scrum.md", 'title = "EuroAsia Scrum"',
             'title = "Stand-up"')
        serving = serve.wait_until_serving()
        serve.wait_for_line(BUILT.match, serving + 1)
        assert b"<h1>Stand-up</h1>" in serve.get("/events/euroasia-scrum/").body
    finally:
        serve.stop()
        serve.close()


def test_a_stop_signal_whose_exception_python_dropped_still_stops(monkeypatch):
    """Found on the way: a SIGTERM arriving while the build forked its workers raised inside an
    at-fork hook, where Python drops exceptions ("Exception ignored"), and serve kept running.
    Here the drop happens in a __del__, which Python treats the same way."""
    from generator.tools.serve import _Stopped, _StopSignals

    class DropsExceptions:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.01)  # the handler runs here and raises, into nowhere

    dropped = []
    monkeypatch.setattr(sys, "unraisablehook", lambda raised: dropped.append(raised.exc_type))
    before = signal.getsignal(signal.SIGTERM)
    with _StopSignals() as signals:
        DropsExceptions()  # deleted at once
        assert dropped == [_Stopped]
        with pytest.raises(_Stopped):
            signals.check()
        signals.check()  # once told, not again
    assert signal.getsignal(signal.SIGTERM) is before


def test_random_request_targets_all_get_an_http_answer(shared_server):
    """Every request, however garbled, gets a status line; none escapes, none raises."""
    import random

    chance = random.Random(10)  # the same targets every run
    alphabet = b"/.%%%025c0aefAF\x00\x01\x7f\x80\xff?#;:@ \\~"
    told = len(shared_server.stderr())
    for _ in range(400):
        target = b"/" + bytes(chance.choice(alphabet) for _ in range(chance.randrange(1, 40)))
        target = target.replace(b" ", b"%20")  # a space would end the target early
        reply = shared_server.raw(b"GET " + target + b" HTTP/1.0\r\n\r\n")
        assert status_of(reply) in {200, 301, 400, 404}, (target, reply[:200])
        assert b"root:" not in reply
    assert "Traceback" not in shared_server.stderr(told)
    assert shared_server.process.poll() is None


def test_serve_prints_a_forged_field_name_escaped_like_check(tmp_path, capsys):
    """The dev server printed problems raw: a quoted key could start a line of its own."""
    from conftest import write_event
    from generator.cli import parse_now
    from generator.build.pipeline import BuildOptions
    from generator.tools.serve import _build_once, _BuildState

    content = tmp_path / "content"
    write_event(content, "ev", 'title = "Standup"\ncategory = "scrum"\ntimezone = "UTC"\n'
                'start = 2027-01-04T10:00:00\nduration = 25\n'
                '"x\\n::error file=README.md::forged" = 1')
    state = _BuildState()
    _build_once(BuildOptions(content, tmp_path / "public", parse_now("2027-01-20T12:00:00Z")),
                state, parse_now("2027-01-20T12:00:00Z"))
    err = capsys.readouterr().err
    assert "unknown field" in err
    assert not any("::error" in line.split("] ", 1)[-1][:8] for line in err.splitlines())
    assert all("\n" not in message for message in state.problems)


def test_the_cms_is_served_at_admin_without_the_live_reload_hook(shared_server):
    """`make cms` opens http://localhost:8000/admin/: the CMS page and its config; a rebuild
    after the CMS saves a file must not reload the page the editor is typing in."""
    page = shared_server.get("/admin/")
    assert page.status == 200 and b"decap-cms@" in page.body
    assert b"/__nextup/" not in page.body
    config = shared_server.get("/admin/config.yml")
    assert config.status == 200 and config.getheader("Content-Type") == "text/yaml; charset=utf-8"
    assert b"/__nextup/reload.js" in shared_server.get("/").body  # the site's pages do reload
