"""When each event last changed, from the content's git history: SEQUENCE and LAST-MODIFIED.

Calendar apps that subscribe to a feed use SEQUENCE (bumped when an event's times change) and
LAST-MODIFIED to notice updates. Both must come from the content, not from the build, or every
refresh would look like an edit. Git already records every edit an editor commits:

- LAST-MODIFIED is the time of the last commit that touched the event's file;
- SEQUENCE counts the commits that changed its times (start, zone, duration, rule, exdates,
  overrides), so a fixed typo in the description does not make calendars re-alert anyone.

An event file with uncommitted edits (a local preview) counts as changed at the build's `now`.
Without git (or outside a repository) every event gets SEQUENCE 0 and no LAST-MODIFIED, which
is stable too. A shallow clone knows only part of the history, so it is reported.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..content.load import split_front_matter
from ..model import Problem, Revision

TIME_FIELDS = ("start", "timezone", "duration", "rrule", "repeat", "rdates", "exdates",
               "overrides")
_NO_BLOB = "0" * 40


def schedule_fingerprint(data: dict) -> str:
    """Everything about an event's times, as one comparable string."""
    return json.dumps({k: data.get(k) for k in TIME_FIELDS}, default=str, sort_keys=True)


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes | None:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True,
                                timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def _blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _file_histories(top: Path, events_dir: Path) -> dict[str, list[tuple[int, str]]]:
    """path (relative to top) -> [(commit time, blob id)], oldest first, since its last deletion."""
    output = _git(["log", "--format=%x01%ct", "--raw", "--no-renames", "--no-abbrev", "--",
                   str(events_dir.relative_to(top))], top)
    histories: dict[str, list[tuple[int, str]]] = {}
    if not output:
        return histories
    for chunk in output.decode("utf-8", "replace").split("\x01")[1:]:
        lines = chunk.strip("\n").split("\n")
        moment = int(lines[0])
        for line in lines[1:]:
            if not line.startswith(":") or "\t" not in line:
                continue
            meta, path = line.split("\t", 1)
            blob = meta.split()[3]
            histories.setdefault(path, []).append((moment, blob))
    for path, entries in histories.items():
        entries.reverse()
        deleted = [i for i, (_, blob) in enumerate(entries) if blob == _NO_BLOB]
        histories[path] = entries[deleted[-1] + 1:] if deleted else entries
    return histories


def _read_blobs(top: Path, blobs: set[str]) -> dict[str, bytes]:
    if not blobs:
        return {}
    ordered = sorted(blobs)
    output = _git(["cat-file", "--batch"], top, ("\n".join(ordered) + "\n").encode())
    contents: dict[str, bytes] = {}
    position = 0
    while output and position < len(output):
        header_end = output.index(b"\n", position)
        header = output[position:header_end].split()
        if len(header) < 3:  # "<id> missing"
            position = header_end + 1
            continue
        size = int(header[2])
        contents[header[0].decode()] = output[header_end + 1:header_end + 1 + size]
        position = header_end + 1 + size + 1
    return contents


def _fingerprint_of(blob: bytes) -> str | None:
    split = split_front_matter(blob.decode("utf-8-sig", "replace").replace("\r\n", "\n"))
    if split is None:
        return None
    try:
        return schedule_fingerprint(tomllib.loads(split[0]))
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):  # any old version, however odd
        return None


@dataclass(frozen=True)
class GitHistory:
    """What git knows about the event files, read once per build (two git commands): each
    file's commits, and the schedule fingerprint of each of its past versions."""

    top: Path | None = None
    histories: dict = field(default_factory=dict)  # path from top -> [(commit time, blob)]
    fingerprints: dict = field(default_factory=dict)  # blob -> fingerprint (None: unreadable)

    def revision(self, path: Path, data, file_bytes: bytes, now: datetime) -> Revision:
        """SEQUENCE and LAST-MODIFIED of one event file (see the module docstring). `data` is
        its parsed front matter, or a function returning it (read only for an edited file)."""
        if self.top is None:
            return Revision()
        try:
            relative = path.resolve().relative_to(self.top).as_posix()
        except ValueError:
            return Revision()
        history = self.histories.get(relative, [])
        fingerprints = [self.fingerprints.get(blob) for _, blob in history]
        edited = not history or history[-1][1] != _blob_id(file_bytes)
        if edited:
            fingerprints.append(schedule_fingerprint(data() if callable(data) else data))
        known = [f for f in fingerprints if f is not None]
        sequence = sum(1 for before, after in zip(known, known[1:]) if before != after)
        modified = now if edited else datetime.fromtimestamp(history[-1][0], timezone.utc)
        return Revision(sequence, modified)


def _repository_top(content_dir: Path) -> Path | None:
    events_dir = (content_dir / "events").resolve()
    top_output = _git(["rev-parse", "--show-toplevel"], events_dir) if events_dir.is_dir() else None
    return Path(top_output.decode().strip()).resolve() if top_output else None


def history_problems(content_dir: Path, top: Path | None = None) -> list[Problem]:
    """What keeps git's history from telling how events changed: a shallow clone. Cheap (one
    or two git commands), so `check` reports it as `build` does."""
    top = top or _repository_top(content_dir)
    if top is None or (_git(["rev-parse", "--is-shallow-repository"], top) or b"").strip() != b"true":
        return []
    return [Problem(str(content_dir), None, None, None,
                    "the git history is shallow, so calendar feeds cannot tell how "
                    "often events changed (SEQUENCE, LAST-MODIFIED)",
                    "clone with full history (in GitHub Actions: fetch-depth: 0)",
                    severity="warning")]


def load_git_history(content_dir: Path) -> GitHistory:
    top = _repository_top(content_dir)
    if top is None:
        return GitHistory()
    histories = _file_histories(top, (content_dir / "events").resolve())
    blobs = _read_blobs(top, {blob for entries in histories.values() for _, blob in entries})
    fingerprints = {blob: _fingerprint_of(data) for blob, data in blobs.items()}
    return GitHistory(top, histories, fingerprints)
