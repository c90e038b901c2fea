"""The schedule's recent changes, from the git history the build has already read (history.py):
what /changes.atom lists.

Commits are walked newest first; each event file a commit changed is read on both sides with
the project's own loader and validator (as any build would have read it then) and the two Event
records are compared (render/changes.py); each session record likewise. The walk stops once
CHANGES_LIMIT changes are found, so a long history costs only its newest commits' parsing.

What the history cannot tell is left out, not guessed: a version that did not validate (the
change around it is unknown), and the oldest commit of a shallow clone, which git shows as
adding every file. Without git there are no changes, and the feed says so.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from ..content.load import load_event_file
from ..content.sessions import load_session
from ..content.validate import validate_event
from ..model import Site
from ..render.changes import ScheduleChange, SessionVersion, event_changes, session_changes
from .history import SESSIONS_FOLDER, GitHistory, past_settings

CHANGES_LIMIT = 50  # entries in /changes.atom: several months of a busy community's edits

_UNREADABLE = object()  # a version that did not validate: nothing can be said about it


def recent_changes(history: GitHistory, content_dir, site: Site, titles: dict[str, str],
                   limit: int = CHANGES_LIMIT) -> list[ScheduleChange]:
    """The newest `limit` schedule changes, newest first. `titles`: each current event's
    title by slug (a session's changes are told under it)."""
    if history.top is None:
        return []
    content = (content_dir.resolve().relative_to(history.top)).as_posix()
    events_prefix = f"{content}/events/"
    sessions_prefix = f"{content}/{SESSIONS_FOLDER}/"
    events_dir = content_dir / "events"
    versions: dict[str, object] = {}  # blob -> Event, None (draft) or _UNREADABLE
    settings: dict[str, object] = {}  # blob -> its parsed front matter (None: unreadable)

    def event_version(blob: str | None, name: str):
        if blob is None:
            return None
        if blob not in versions:
            versions[blob] = _event_version(history.blobs.get(blob), events_dir / name, site)
        return versions[blob]

    found: list[ScheduleChange] = []
    for commit in history.commits:
        if len(found) >= limit:
            break
        if commit.boundary:
            continue
        by_id: dict[tuple[str, str], ScheduleChange] = {}
        for change in sorted(commit.changes, key=lambda c: c.path):
            path = PurePosixPath(change.path)
            if change.path.startswith(events_prefix) and path.parent.as_posix() + "/" == \
                    events_prefix and path.suffix == ".md":
                if _same_settings(history, change.before, change.after, settings):
                    continue  # only the description changed: no schedule change is possible
                before = event_version(change.before, path.name)
                after = event_version(change.after, path.name)
                if before is _UNREADABLE or after is _UNREADABLE:
                    continue
                pairs = event_changes(before, after, commit.moment)
                slug, on_site = path.stem, after is not None
            elif change.path.startswith(sessions_prefix) and path.suffix == ".md" \
                    and len(path.relative_to(sessions_prefix[:-1]).parts) == 2:
                slug = path.parent.name
                file = content_dir / SESSIONS_FOLDER / slug / path.name
                before = _session_version(history, change.before, file, slug)
                after = _session_version(history, change.after, file, slug)
                if before is _UNREADABLE or after is _UNREADABLE:
                    continue
                pairs = session_changes(titles.get(slug, slug), before, after)
                on_site = slug in titles
            else:
                continue
            for kind, text in pairs:
                # A cancellation told by both the event file (an exdate) and its session record
                # (with the reason) is one change: the record's words win, as they come later.
                by_id[(slug, kind)] = ScheduleChange(commit.id, commit.moment, slug, kind, text,
                                                     on_site)
        found += list(by_id.values())
    return found[:limit]


def _same_settings(history: GitHistory, before: str | None, after: str | None,
                   cache: dict) -> bool:
    """Both versions have the same front matter (everything an Event is made of but its
    description): a quick test that spares the validator most commits, which edit text."""
    if before is None or after is None:
        return False
    for blob in (before, after):
        if blob not in cache:
            cache[blob] = past_settings(history.blobs.get(blob))
    return cache[before] is not None and cache[before] == cache[after]


def _event_version(data: bytes | None, path, site: Site):
    if data is None:
        return _UNREADABLE
    raw, problems = load_event_file(path, data=data)
    if raw is None or any(p.is_error for p in problems):
        return _UNREADABLE
    # Categories are not checked: an old version may name one site.toml has dropped since.
    event, problems = validate_event(raw, None, site.skip_holidays)
    if any(p.is_error for p in problems):
        return _UNREADABLE
    return event  # None: a draft, which is not on the schedule


def _session_version(history: GitHistory, blob: str | None, path, slug: str):
    """A session record's version as far as the schedule goes (None: no file on that side),
    read with the build's own session loader."""
    if blob is None:
        return None
    if blob not in history.blobs:
        return _UNREADABLE
    session, problems = load_session(path, history.blobs[blob], slug)
    if session is None or any(p.is_error for p in problems):
        return _UNREADABLE
    return SessionVersion(session.key, session.day, session.cancelled, session.reason,
                          session.url)
