"""Where this run's announcement window starts, from the GitHub Actions API: no database.

Each run of the announce workflow covers the announce moments in (since, until], where `until`
is the run attempt's own `run_started_at` (fixed, and visible to every later run) and `since`
is the latest `run_started_at` before it of an attempt that covered its window: one still in
progress, or one whose job has the step WINDOW_STEP concluded "success" (the workflow runs that
step once the command has gone through its window, even when a webhook failed). So windows
follow one another without gaps or overlaps, whatever the delays:

- a delayed or skipped run: the next one starts where the last covering run ended;
- a run that failed before posting (the feed unreachable), or was cancelled: its window is
  taken by the next run;
- a re-run (a new attempt of an old run): it starts where the latest covering attempt ended,
  its own earlier attempts included, so it does not repeat them;
- two runs at once (the workflow's concurrency group prevents it; this holds anyway): the later
  one starts at the earlier one's `run_started_at`.
"""
from __future__ import annotations

import heapq
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone

from .webhooks import USER_AGENT

WINDOW_STEP = "Window announced"
RUNS_LOOKED_AT = 50  # the latest runs of the workflow; older ones cannot be the latest cover
MOST_ATTEMPTS_LOOKED_AT = 20  # attempts whose jobs are read before giving up
TIMEOUT_SECONDS = 15


class RunsUnavailable(Exception):
    """The API could not be read: the message says which request and why."""


@dataclass(frozen=True, slots=True)
class Window:
    since: datetime | None  # None: no earlier run covered a window (the first run)
    until: datetime
    covered_by: str | None  # "run 1234 attempt 1", for the report


def window_from_runs(api: str, repository: str, run_id: str, token: str) -> Window:
    try:
        return _window_from_runs(api, repository, run_id, token)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise RunsUnavailable(f"GitHub API: an answer of an unexpected shape ({error!r})") from None


def _window_from_runs(api: str, repository: str, run_id: str, token: str) -> Window:
    me = _get(api, f"/repos/{repository}/actions/runs/{run_id}", token)
    until = _instant(me.get("run_started_at"), "run_started_at of this run")
    listed = _get(api, f"/repos/{repository}/actions/workflows/{me.get('workflow_id')}/runs"
                  f"?per_page={RUNS_LOOKED_AT}", token).get("workflow_runs", [])
    # Attempts newest first by start; a run's earlier attempts are read only when needed.
    heap = []
    for run in listed:
        attempt = int(run.get("run_attempt") or 1)
        if str(run.get("id")) == str(run_id):
            attempt = int(me.get("run_attempt") or 1) - 1  # my own earlier attempts count
            if attempt < 1:
                continue
            run = _get(api, f"/repos/{repository}/actions/runs/{run_id}/attempts/{attempt}", token)
        if run.get("run_started_at"):
            started = _instant(run["run_started_at"], f"run_started_at of run {run.get('id')}")
            heapq.heappush(heap, (-started.timestamp(), str(run.get("id")), attempt, run))
    for _ in range(MOST_ATTEMPTS_LOOKED_AT):
        if not heap:
            break
        negative_start, run_id_seen, attempt, run = heapq.heappop(heap)
        started = datetime.fromtimestamp(-negative_start, timezone.utc)
        if started < until and _covered(api, repository, run_id_seen, attempt, run, token):
            return Window(started, until, f"run {run_id_seen} attempt {attempt}")
        if attempt > 1:
            earlier = _get(api, f"/repos/{repository}/actions/runs/{run_id_seen}/attempts/"
                           f"{attempt - 1}", token)
            if earlier.get("run_started_at"):
                start = _instant(earlier["run_started_at"], f"run {run_id_seen}")
                heapq.heappush(heap, (-start.timestamp(), run_id_seen, attempt - 1, earlier))
    return Window(None, until, None)


def _covered(api: str, repository: str, run_id: str, attempt: int, run: dict, token: str) -> bool:
    if run.get("status") == "in_progress":
        return True
    if run.get("status") != "completed":
        return False  # queued or waiting: it has not started on its window
    jobs = _get(api, f"/repos/{repository}/actions/runs/{run_id}/attempts/{attempt}/jobs",
                token).get("jobs", [])
    return any(step.get("name") == WINDOW_STEP and step.get("conclusion") == "success"
               for job in jobs for step in job.get("steps") or [])


def _get(api: str, path: str, token: str) -> dict:
    request = urllib.request.Request(api.rstrip("/") + path, headers={
        "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
        "Authorization": f"Bearer {token}", "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            data = json.loads(answer.read(8 * 1024 * 1024))
    except urllib.error.HTTPError as error:
        raise RunsUnavailable(f"GitHub API {path}: answered {error.code} {error.reason}"
                              + ("; the workflow needs permissions: actions: read"
                                 if error.code in (401, 403, 404) else "")) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise RunsUnavailable(f"GitHub API {path}: {getattr(error, 'reason', error)}") from None
    if not isinstance(data, dict):
        raise RunsUnavailable(f"GitHub API {path}: the answer is not a JSON object")
    return data


def _instant(text, what: str) -> datetime:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        raise RunsUnavailable(f"GitHub API: {what} is not a time: {text!r}") from None
