"""A stand-in for Slack, Discord, a Matrix homeserver, the published feed and the GitHub Actions
API, on 127.0.0.1: it records every post, and answers as a script says (429 first, 503, a
hang). For tests/test_announce.py."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

WORKFLOW_ID = 7
REPOSITORY = "harbour/site"
MARK = "Window announced"  # the step the workflow runs once a window is done


@dataclass
class Reply:
    status: int = 200
    headers: dict = field(default_factory=dict)
    body: bytes = b"ok"
    delay: float = 0.0  # seconds before answering (a hang, past the client's timeout)


@dataclass
class Post:
    path: str
    method: str
    body: dict
    headers: dict


@dataclass
class Attempt:
    number: int
    started: str  # run_started_at
    status: str = "in_progress"
    marked: bool = False


class FakeServices:
    def __init__(self):
        self.posts: list[Post] = []
        self.script: dict[str, list[Reply]] = {}  # path -> replies to give first, in order
        self.feed: bytes = b"{}"
        self.feed_replies: list[Reply] = []
        self.runs: dict[int, list[Attempt]] = {}
        self.matrix_events: dict[str, str] = {}  # txnId -> event id: a homeserver's dedup
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeServices":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def posts_to(self, prefix: str) -> list[Post]:
        with self.lock:
            return [post for post in self.posts if post.path.startswith(prefix)]

    # --- the Actions API's view of runs ---

    def start_run(self, run_id: int, started: str) -> None:
        self.runs.setdefault(run_id, []).append(Attempt(len(self.runs.get(run_id, [])) + 1,
                                                        started))

    def finish_run(self, run_id: int, window_done: bool) -> None:
        attempt = self.runs[run_id][-1]
        attempt.status, attempt.marked = "completed", window_done

    def _attempt_view(self, run_id: int, attempt: Attempt) -> dict:
        return {"id": run_id, "workflow_id": WORKFLOW_ID, "run_attempt": attempt.number,
                "run_started_at": attempt.started, "status": attempt.status,
                "conclusion": None if attempt.status != "completed" else "success"}

    def github(self, path: str) -> dict | None:
        parts = urlsplit(path).path.strip("/").split("/")
        prefix = ["repos", *REPOSITORY.split("/"), "actions"]
        if parts[:4] != prefix:
            return None
        rest = parts[4:]
        if rest[:1] == ["workflows"] and rest[2:] == ["runs"]:
            views = [self._attempt_view(i, a[-1]) for i, a in sorted(self.runs.items(),
                                                                    reverse=True)]
            return {"total_count": len(views), "workflow_runs": views[:50]}
        if rest[:1] == ["runs"] and int(rest[1]) in self.runs:
            attempts = self.runs[int(rest[1])]
            if len(rest) == 2:
                return self._attempt_view(int(rest[1]), attempts[-1])
            attempt = attempts[int(rest[3]) - 1]
            if len(rest) == 4:
                return self._attempt_view(int(rest[1]), attempt)
            if rest[4:] == ["jobs"]:
                conclusion = "success" if attempt.marked else "skipped"
                steps = [{"name": "Announce", "status": "completed", "conclusion": "success"},
                         {"name": MARK, "status": "completed", "conclusion": conclusion}]
                return {"total_count": 1, "jobs": [{"name": "announce", "steps": steps}]}
        return None


def _handler(services: FakeServices):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _reply(self, reply: Reply) -> None:
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
                pass

        def do_GET(self):
            if self.path.startswith("/events.json"):
                with services.lock:
                    reply = (services.feed_replies.pop(0) if services.feed_replies
                             else Reply(body=services.feed))
                return self._reply(reply)
            answer = services.github(self.path)
            if answer is None:
                return self._reply(Reply(404, body=b'{"message": "Not Found"}'))
            self._reply(Reply(body=json.dumps(answer).encode()))

        def _record(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            path = unquote(self.path)
            with services.lock:
                services.posts.append(Post(path, self.command, body, dict(self.headers)))
                queue = next((replies for prefix, replies in services.script.items()
                              if path.startswith(prefix) and replies), None)
                reply = queue.pop(0) if queue else None
                if reply is None and "/send/m.room.message/" in path:
                    txn = path.rsplit("/", 1)[1]
                    event_id = services.matrix_events.setdefault(txn, f"$event{len(services.matrix_events)}")
                    reply = Reply(body=json.dumps({"event_id": event_id}).encode())
            self._reply(reply or Reply())

        do_POST = _record
        do_PUT = _record

    return Handler
