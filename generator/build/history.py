"""When each event last changed, from the content's git history: SEQUENCE and LAST-MODIFIED.

Calendar apps that subscribe to a feed use SEQUENCE (bumped when an event's times change) and
LAST-MODIFIED to notice updates. Both must come from the content, not from the build, or every
refresh would look like an edit. Git already records every edit an editor commits:

- LAST-MODIFIED is the time of the last commit that touched the event's file;
- SEQUENCE counts the commits that changed its times (start, zone, duration, rule, exdates,
  overrides), so a fixed typo in the description does not make calendars re-alert anyone;
  and the commits that cancelled one of its meetings with a session record, or took such a
  cancellation back (content/sessions/<slug>/: the calendar's EXDATEs change with them).

An event file with uncommitted edits (a local preview) counts as changed at the build's `now`.
Without git (or outside a repository) every event gets SEQUENCE 0 and no LAST-MODIFIED, which
is stable too. A shallow clone knows only part of the history, so it is reported.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
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
SESSIONS_FOLDER = "sessions"  # content/sessions/<event slug>/<YYYY-MM-DD>.md


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


@dataclass(frozen=True, slots=True)
class FileChange:
    """One content file as one commit changed it: its path from the repository's top, and its
    blob before and after (None: the file did not exist on that side)."""

    path: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class Commit:
    id: str  # the full hash
    time: int  # committer time, seconds since the epoch: when the change landed
    changes: tuple[FileChange, ...]
    # The oldest commit a shallow clone has: its parent is missing, so git shows every file as
    # added by it. What it really changed is unknown.
    boundary: bool = False

    @property
    def moment(self) -> datetime:
        return datetime.fromtimestamp(self.time, timezone.utc)


def _blob_or_none(blob: str) -> str | None:
    return None if blob == _NO_BLOB else blob


def _commits(top: Path, folders: list[Path], boundaries: frozenset[str]) -> list[Commit]:
    """Every commit that changed a file in `folders`, newest first: one git command."""
    output = _git(["log", "--format=%x01%H %ct", "--raw", "--no-renames", "--no-abbrev", "--",
                   *(str(folder.relative_to(top)) for folder in folders)], top)
    commits: list[Commit] = []
    if not output:
        return commits
    for chunk in output.decode("utf-8", "replace").split("\x01")[1:]:
        lines = chunk.strip("\n").split("\n")
        commit_id, moment = lines[0].split()
        changes = []
        for line in lines[1:]:
            if not line.startswith(":") or "\t" not in line:
                continue
            meta, path = line.split("\t", 1)
            fields = meta.split()
            changes.append(FileChange(path, _blob_or_none(fields[2]), _blob_or_none(fields[3])))
        commits.append(Commit(commit_id, int(moment), tuple(changes), commit_id in boundaries))
    return commits


def _file_histories(commits: list[Commit]) -> dict[str, list[tuple[int, str]]]:
    """path (relative to top) -> [(commit time, blob id)], oldest first, since its last deletion."""
    histories: dict[str, list[tuple[int, str]]] = {}
    for commit in commits:
        for change in commit.changes:
            histories.setdefault(change.path, []).append((commit.time, change.after or _NO_BLOB))
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


def past_settings(blob: bytes | None) -> dict | None:
    """The front matter of a past version of a content file, or None where it has none that
    reads (any old version, however odd: it is history, not something to report)."""
    split = (split_front_matter(blob.decode("utf-8-sig", "replace").replace("\r\n", "\n"))
             if blob is not None else None)
    if split is None:
        return None
    try:
        return tomllib.loads(split[0])
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None


def _fingerprint_of(blob: bytes) -> str | None:
    settings = past_settings(blob)
    return schedule_fingerprint(settings) if settings is not None else None


def _cancels(blob: bytes) -> bool:
    """Whether a version of a session file cancels its meeting (status = "cancelled")."""
    return (past_settings(blob) or {}).get("status") == "cancelled"


def _cancellation_history(commits: list[Commit], blobs: dict[str, bytes], sessions_prefix: str
                          ) -> tuple[dict[str, tuple[int, ...]], dict[str, frozenset[str]]]:
    """Per event slug: the times (oldest first) of the commits that changed which of its
    meetings session records cancel, and the records (file stems) that cancel at the last
    commit. A deleted record counts as not cancelling, so taking a cancellation back is a
    change too, and the count never goes down."""
    cancelling: dict[str, set[str]] = {}
    flips: dict[str, list[int]] = {}
    for commit in reversed(commits):  # oldest first
        changed = set()
        for change in commit.changes:
            if not change.path.startswith(sessions_prefix):
                continue
            slug, _, name = change.path[len(sessions_prefix):].partition("/")
            if "/" in name or not name.endswith(".md"):
                continue
            stem = name[:-3]
            now_cancels = change.after is not None and _cancels(blobs.get(change.after, b""))
            current = cancelling.setdefault(slug, set())
            if now_cancels != (stem in current):
                (current.add if now_cancels else current.discard)(stem)
                changed.add(slug)
        if commit.boundary:  # a shallow clone's first commit "adds" every file: no change known
            continue
        for slug in changed:
            flips.setdefault(slug, []).append(commit.time)
    return ({slug: tuple(times) for slug, times in flips.items()},
            {slug: frozenset(stems) for slug, stems in cancelling.items()})


@dataclass(frozen=True)
class GitHistory:
    """What git knows about the event and session files, read once per build (one `git log`
    and one `git cat-file` for all of it): the commits that changed them, newest first, each
    file's commits, and every past version's bytes (for /changes.atom, build/changes.py)."""

    top: Path | None = None
    histories: dict = field(default_factory=dict)  # path from top -> [(commit time, blob)]
    fingerprints: dict = field(default_factory=dict)  # blob -> fingerprint (None: unreadable)
    commits: tuple[Commit, ...] = ()  # newest first
    blobs: dict = field(default_factory=dict)  # blob id -> bytes, of every version above
    shallow: bool = False  # a shallow clone: the oldest commits' changes are unknown
    # event slug -> commit times that changed which meetings its session records cancel
    cancellation_commits: dict = field(default_factory=dict)
    # event slug -> the session records (file stems) that cancel, as last committed
    committed_cancellations: dict = field(default_factory=dict)
    new_fingerprints: dict = field(default_factory=dict)  # worked out by this build, to keep

    def relative(self, path: Path) -> str | None:
        """A content file's path from the repository's top, as git names it."""
        if self.top is None:
            return None
        if path.is_symlink():  # git's history is the linked file's
            try:
                return path.resolve().relative_to(self.top).as_posix()
            except ValueError:
                return None
        # The folder resolved once for all its files (a large site has 10,000 in one folder).
        folder = _relative_folder(self.top, path.parent)
        return None if folder is None else f"{folder}{path.name}"

    def commit_times(self, path: Path) -> tuple[datetime, datetime] | None:
        """When the file was first and last committed (since it was last deleted), or None
        for a file git does not have."""
        history = self.histories.get(self.relative(path) or "", [])
        if not history:
            return None
        return (datetime.fromtimestamp(history[0][0], timezone.utc),
                datetime.fromtimestamp(history[-1][0], timezone.utc))

    def revision(self, path: Path, data, file_bytes: bytes, now: datetime,
                 cancelled_sessions: frozenset[str] = frozenset()) -> Revision:
        """SEQUENCE and LAST-MODIFIED of one event file (see the module docstring). `data` is
        its parsed front matter, or a function returning it (read only for an edited file);
        `cancelled_sessions`, the keys of its session records that cancel a meeting now."""
        relative = self.relative(path)
        if relative is None:
            return Revision()
        history = self.histories.get(relative, [])
        fingerprints = [self.fingerprints.get(blob) for _, blob in history]
        edited = not history or history[-1][1] != _blob_id(file_bytes)
        if edited:
            fingerprints.append(schedule_fingerprint(data() if callable(data) else data))
        known = [f for f in fingerprints if f is not None]
        sequence = sum(1 for before, after in zip(known, known[1:]) if before != after)
        modified = None if edited else datetime.fromtimestamp(history[-1][0], timezone.utc)
        flips = self.cancellation_commits.get(path.stem, ())
        sequence += len(flips)
        if flips and modified is not None:
            modified = max(modified, datetime.fromtimestamp(flips[-1], timezone.utc))
        if cancelled_sessions != self.committed_cancellations.get(path.stem, frozenset()):
            sequence, edited = sequence + 1, True  # an uncommitted cancellation (a preview)
        return Revision(sequence, now if edited else modified)


@lru_cache(maxsize=64)
def _relative_folder(top: Path, folder: Path) -> str | None:
    """"events/" of `folder` from the repository's top, or None when it is outside."""
    try:
        relative = folder.resolve().relative_to(top).as_posix()
    except ValueError:
        return None
    return "" if relative == "." else relative + "/"


def _repository_top(content_dir: Path) -> Path | None:
    events_dir = (content_dir / "events").resolve()
    top_output = _git(["rev-parse", "--show-toplevel"], events_dir) if events_dir.is_dir() else None
    return Path(top_output.decode().strip()).resolve() if top_output else None


def _shallow_boundaries(top: Path) -> frozenset[str] | None:
    """The commits whose parents a shallow clone lacks (git's own list), or None when the
    clone has its whole history."""
    output = _git(["rev-parse", "--git-path", "shallow"], top)
    if not output:
        return None
    try:
        text = (top / output.decode().strip()).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    return frozenset(text.split())


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


def load_git_history(content_dir: Path, known_fingerprints: dict | None = None) -> GitHistory:
    """`known_fingerprints`: blob id -> fingerprint, as a previous build worked them out (the
    build cache); only the others are parsed, and they are the history's new_fingerprints."""
    top = _repository_top(content_dir)
    if top is None:
        return GitHistory()
    folders = [(content_dir / "events").resolve()]
    if (content_dir / SESSIONS_FOLDER).is_dir():
        folders.append((content_dir / SESSIONS_FOLDER).resolve())
    boundaries = _shallow_boundaries(top)
    commits = _commits(top, folders, boundaries or frozenset())
    histories = _file_histories(commits)
    blobs = _read_blobs(top, {blob for commit in commits for change in commit.changes
                              for blob in (change.before, change.after) if blob})
    events_prefix = folders[0].relative_to(top).as_posix() + "/"
    event_blobs = {blob for path, entries in histories.items() if path.startswith(events_prefix)
                   for _, blob in entries}
    known = known_fingerprints or {}
    new = {blob: _fingerprint_of(blobs[blob]) for blob in event_blobs
           if blob not in known and blob in blobs}
    fingerprints = {blob: known[blob] for blob in event_blobs if blob in known} | new
    sessions_prefix = (content_dir / SESSIONS_FOLDER).resolve().relative_to(top).as_posix() + "/"
    flips, cancelling = _cancellation_history(commits, blobs, sessions_prefix)
    return GitHistory(top, histories, fingerprints, tuple(commits), blobs,
                      shallow=boundaries is not None, cancellation_commits=flips,
                      committed_cancellations=cancelling, new_fingerprints=new)
