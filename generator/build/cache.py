"""What a build remembers for the next build of the same output: per event, what it parsed,
expanded and rendered; and, per output file, what was written (the manifest).

It may never serve stale content:
- Everything is keyed by content: an event's memo is used only for the same file bytes, under
  the same code, templates, static files, packages, zone data and site.toml (the cache's
  `version`; any change there and the cache starts empty).
- A rendered page is reused only when its inputs' digest matches AND the file in the output
  is still exactly the one the manifest recorded (same size and modification time); else it
  is rendered again.
It lives in sqlite beside the output (`.nextup-cache/<output>.sqlite`): several processes can
read it, and deleting it only makes the next build a full one.
"""
from __future__ import annotations

import hashlib
from importlib import metadata
import pickle
import platform
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..model import Event, Occurrence, Problem
from ..content.languages import LOCALE_DIR

FORMAT = 4
PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The installed packages whose versions shape what a build writes (see code_version).
OUTPUT_PACKAGES = ("jinja2", "markupsafe", "nh3", "cmarkgfm", "tzdata", "holidays", "babel")


@dataclass
class EventMemo:
    file_digest: str
    event: Event | None
    problems: list[Problem]  # from validation (which depends only on the file and site.toml)
    window: tuple[datetime, datetime] | None = None  # what `lines` were expanded for
    lines: list[str] = field(default_factory=list)  # the window's occurrences (see occurrence_line)
    coming: list[Occurrence] = field(default_factory=list)  # next dates, not cut at the horizon
    page_key: str | None = None
    page_digest: str | None = None
    vevent_key: str | None = None
    vevent: str | None = None
    ics_key: str | None = None  # the event's own calendar file, from the same inputs
    ics_digest: str | None = None
    # The pages of its session records (and its archive of past ones): path -> (inputs, digest)
    session_pages: dict[str, tuple[str, str]] = field(default_factory=dict)


def cache_path(output_dir: Path) -> Path:
    output_dir = output_dir.resolve()
    return output_dir.parent / ".nextup-cache" / f"{output_dir.name}.sqlite"


def code_version(templates_dir: Path, static_dir: Path, site_digest: str) -> str:
    """Everything outside an event file that shapes what is built from it."""
    import tzdata

    digest = hashlib.sha256(f"{FORMAT} {platform.python_version()} {site_digest}".encode())
    # The libraries that shape output, by their installed versions (not their files' times: a
    # deploy target such as Netlify installs them afresh for every build, and its cache of the
    # previous build must still count as the same code).
    # `holidays` decides which meetings skip_holidays cancels: an upgrade may move a holiday.
    # Babel brings CLDR: its names, patterns and plural rules are in every page of a language.
    for package in OUTPUT_PACKAGES:
        digest.update(f"{package} {metadata.version(package)}\n".encode())
    digest.update(tzdata.IANA_VERSION.encode())
    roots = [PROJECT_ROOT / "generator", templates_dir, static_dir, LOCALE_DIR]
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class CacheUnreadable(Exception):
    """The cache file is damaged or cannot be opened; the build goes on without it."""


class BuildCache:
    def __init__(self, path: Path, version: str, create: bool = True):
        self.path = path
        self.troubles: list[str] = []  # entries that could not be read (and were skipped)
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            self.connection = sqlite3.connect(path, timeout=60)
        except (sqlite3.Error, OSError) as error:
            raise CacheUnreadable(_reason(error)) from None
        try:
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.executescript(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
                "CREATE TABLE IF NOT EXISTS memo (slug TEXT PRIMARY KEY, payload BLOB);"
                "CREATE TABLE IF NOT EXISTS manifest (path TEXT PRIMARY KEY, digest TEXT, "
                "size INTEGER, mtime_ns INTEGER);"
                # A git blob's schedule fingerprint (history.py): the same blob id is the same
                # bytes, so it is parsed once, not at every build. NULL: no readable settings.
                "CREATE TABLE IF NOT EXISTS fingerprint (blob TEXT PRIMARY KEY, value TEXT);"
                # Site-wide pages and what they were made from (pipeline.py, _Output.reuse).
                "CREATE TABLE IF NOT EXISTS made (path TEXT PRIMARY KEY, inputs TEXT, digest TEXT);")
            stored = self.connection.execute(
                "SELECT value FROM meta WHERE key = 'version'").fetchone()
            if create and (stored is None or stored[0] != version):
                with self.connection:
                    self.connection.execute("DELETE FROM memo")
                    self.connection.execute("DELETE FROM manifest")
                    self.connection.execute("DELETE FROM fingerprint")
                    self.connection.execute("DELETE FROM made")
                    self.connection.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)",
                                            (version,))
        except (sqlite3.Error, OSError) as error:
            self.connection.close()
            raise CacheUnreadable(_reason(error)) from None

    @classmethod
    def open_for_build(cls, path: Path, version: str) -> tuple["BuildCache | None", list[str]]:
        """The cache for a build, and what to tell about it. A damaged cache is deleted and
        started afresh (the build is then a full one); one that cannot be made at all is
        left alone, and the build runs without it."""
        try:
            cache = cls(path, version)
            cache.manifest()  # reads every page of one table: most damage shows here
            cache.fingerprints()
            cache.made()
            return cache, []
        except CacheUnreadable as error:
            first = str(error)
        discard(path)
        try:
            return cls(path, version), [f"the build cache {path} could not be read ({first}); it "
                                        "was discarded, so this build does all the work afresh"]
        except CacheUnreadable as error:
            return None, [f"the build cache {path} cannot be used ({error}); building without it"]

    @classmethod
    def open_reader(cls, path: Path, version: str) -> "BuildCache | None":
        """For a worker process: read memos (and write its own), never reset the cache."""
        if not path.exists():
            return None
        try:
            cache = cls(path, version, create=False)
            stored = cache.connection.execute(
                "SELECT value FROM meta WHERE key = 'version'").fetchone()
        except (CacheUnreadable, sqlite3.Error):
            return None
        if stored is None or stored[0] != version:
            cache.close()
            return None
        return cache

    def memos(self, slugs: list[str]) -> dict[str, EventMemo]:
        """The memos of these events that can be read; a damaged one is skipped (and noted in
        `troubles`): its event is simply built afresh."""
        found = {}
        try:
            for start in range(0, len(slugs), 500):
                chunk = slugs[start:start + 500]
                rows = self.connection.execute(
                    f"SELECT slug, payload FROM memo WHERE slug IN ({','.join('?' * len(chunk))})",
                    chunk).fetchall()
                for slug, payload in rows:
                    memo = _unpickle(payload)
                    if memo is None:
                        self.troubles.append(f"the saved work for {slug!r} is damaged")
                    else:
                        found[slug] = memo
        except sqlite3.Error as error:
            self.troubles.append(_reason(error))
        return found

    def save_memos(self, memos: dict[str, EventMemo]) -> None:
        try:
            with self.connection:
                self.connection.executemany(
                    "INSERT OR REPLACE INTO memo VALUES (?, ?)",
                    [(slug, pickle.dumps(memo, pickle.HIGHEST_PROTOCOL))
                     for slug, memo in memos.items()])
        except sqlite3.Error as error:  # the cache only saves work: losing it costs time
            self.troubles.append(_reason(error))

    def forget_except(self, slugs: set[str]) -> None:
        """Drop memos of events that no longer exist."""
        stored = {row[0] for row in self.connection.execute("SELECT slug FROM memo")}
        gone = stored - slugs
        if gone:
            with self.connection:
                self.connection.executemany("DELETE FROM memo WHERE slug = ?", [(s,) for s in gone])

    def manifest(self) -> dict[str, tuple[str, int, int]]:
        try:
            return {path: (digest, size, mtime) for path, digest, size, mtime
                    in self.connection.execute("SELECT * FROM manifest")}
        except sqlite3.Error as error:
            raise CacheUnreadable(_reason(error)) from None

    def save_manifest(self, manifest: dict[str, tuple[str, int, int]]) -> None:
        with self.connection:
            self.connection.execute("DELETE FROM manifest")
            self.connection.executemany("INSERT INTO manifest VALUES (?, ?, ?, ?)",
                                        [(p, *v) for p, v in manifest.items()])

    def fingerprints(self) -> dict[str, str | None]:
        try:
            return dict(self.connection.execute("SELECT blob, value FROM fingerprint"))
        except sqlite3.Error as error:
            raise CacheUnreadable(_reason(error)) from None

    def save_fingerprints(self, fingerprints: dict[str, str | None]) -> None:
        with self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO fingerprint VALUES (?, ?)",
                                        fingerprints.items())

    def made(self) -> dict[str, tuple[str, str]]:
        """path -> (inputs, digest) of the site-wide pages the last build made."""
        try:
            return {path: (inputs, digest) for path, inputs, digest
                    in self.connection.execute("SELECT path, inputs, digest FROM made")}
        except sqlite3.Error as error:
            raise CacheUnreadable(_reason(error)) from None

    def save_made(self, made: dict[str, tuple[str, str]]) -> None:
        with self.connection:
            self.connection.execute("DELETE FROM made")
            self.connection.executemany("INSERT INTO made VALUES (?, ?, ?)",
                                        [(p, *v) for p, v in made.items()])

    def close(self) -> None:
        self.connection.close()


def discard(path: Path) -> None:
    """Delete a cache file and sqlite's files beside it."""
    for name in (path.name, path.name + "-wal", path.name + "-shm", path.name + "-journal"):
        try:
            (path.parent / name).unlink()
        except IsADirectoryError:
            shutil.rmtree(path.parent / name, ignore_errors=True)
        except OSError:
            pass


def _unpickle(payload) -> EventMemo | None:
    try:
        memo = pickle.loads(payload)
    except Exception:  # a damaged pickle can raise almost anything
        return None
    return memo if isinstance(memo, EventMemo) else None


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text[0].lower() + text[1:] if text else text
