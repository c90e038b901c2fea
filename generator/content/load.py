"""Phase 1: read content/ into RawFile records (parsed TOML with positions), or Problems.

Nothing here knows what an event means; `validate` does. Every problem is collected so that an
editor sees all of them in one run.
"""
from __future__ import annotations

import difflib
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..model import Problem, RawFile
from ..text import FORBIDDEN_IN_DESCRIPTION, character_words
from .positions import LazyPositions, nesting_position

FRONT_MATTER_FENCE = "+++"
PUBLIC_FOLDER = "public"  # content/public/: files published as they are (_redirects, CNAME)
SESSIONS_FOLDER = "sessions"  # content/sessions/<event slug>/<YYYY-MM-DD>.md: session records
# The most a content file may hold. An event file is a few hundred bytes of settings and a
# description; site.toml less. A megabyte is a long book: more is a mistake or an attack (a link
# to /dev/zero), and is refused before it is read.
MAX_CONTENT_FILE_BYTES = 1024 * 1024
# The most one file in content/public/ (copied into the site as it is) may hold: Cloudflare
# Pages' per-file limit, the smallest among common static hosts. Videos belong on a video host.
MAX_PUBLIC_FILE_BYTES = 25 * 1024 * 1024
# Lists and tables inside each other: an event needs three levels at most ([[overrides]] is a
# list of tables of values). Deeper nesting is refused with a message, not a RecursionError.
MAX_NESTING = 10

_TOML_ERROR_AT = re.compile(r"^(?P<message>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")
_TOML_ERROR_AT_END = re.compile(r"^(?P<message>.*) \(at end of document\)$")


def display_path(path: Path) -> str:
    """Name a file the way an editor would type it: relative to where the command runs if it
    is below it, else in full."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(absolute)


# --- reading files safely -------------------------------------------------------------------
# Content comes from pull requests too. A link may point anywhere (/dev/zero, ~/.ssh/id_rsa); a
# named pipe would block the build forever; /dev/zero never ends. So every file is looked at
# (lstat, stat: nothing is opened) before it is read: it must be an ordinary file, inside the
# content folder once every link is followed, and not too large. A link that stays inside the
# content folder and ends at an ordinary file is accepted, as if it were a copy.

def _size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MiB"
    return f"{size / 1024:.3g} KiB" if size >= 1024 else f"{size} bytes"


def _kind_of(mode: int) -> str | None:
    """What a file is, if not an ordinary file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _content_folder(path: Path, content_dir: Path | None) -> Path:
    """The folder nothing may lead out of: given, or the one above events/."""
    if content_dir is not None:
        return content_dir
    return path.parent.parent if path.parent.name == "events" else path.parent


def _refusal(path: Path, content_dir: Path, max_bytes: int,
             hint_large: str) -> tuple[str | None, Problem | None]:
    """(the real path to open, None), or (None, why the file must not be read)."""
    shown = display_path(path)
    real = os.path.realpath(path)
    if not _inside(real, os.path.realpath(content_dir)):
        return None, Problem(shown, None, None, None,
                             f"leads outside the content folder, to {display_path(Path(real))}",
                             "content files must be inside the content folder: replace the link "
                             "with a copy of the file (nothing outside it is read or published)")
    try:
        info = os.stat(real)
    except OSError as error:
        return None, Problem(shown, None, None, None, f"cannot read the file: {error.strerror}")
    kind = _kind_of(info.st_mode)
    if kind == "folder" and os.path.islink(path):
        return None, Problem(shown, None, None, None, "is a link to a folder, not an ordinary file",
                             "replace the link with a real folder holding copies of the files")
    if kind is not None:
        return None, _not_ordinary(shown, kind)
    if info.st_size > max_bytes:
        return None, _too_large(shown, info.st_size, max_bytes, hint_large)
    return real, None


def _not_ordinary(shown: str, kind: str) -> Problem:
    return Problem(shown, None, None, None, f"is a {kind}, not an ordinary file",
                   "content files must be ordinary files: delete it, and save the content as a "
                   "normal file")


def _too_large(shown: str, size: int, max_bytes: int, hint: str) -> Problem:
    return Problem(shown, None, None, None, f"the file is {_size_words(size)}, more than the "
                   f"{_size_words(max_bytes)} a file here may hold", hint)


_LARGE_SETTINGS_HINT = ("an event file holds settings and a description: put long documents "
                        "and images elsewhere and link to them")
_LARGE_PUBLIC_HINT = "put large files (videos, archives) on a file host and link to them"


@lru_cache(maxsize=256)
def _folder_inside(folder: str, content_dir: str) -> bool:
    """Whether a folder, every link followed, is inside the content folder. Remembered: a build
    reads thousands of files from one folder (find_content checks events/ afresh each build)."""
    return _inside(os.path.realpath(folder), os.path.realpath(content_dir))


def _look(path: Path, content_dir: Path, max_bytes: int,
          hint_large: str) -> tuple[str | None, os.stat_result | None, Problem | None]:
    """Look at a file before opening it: (the path to open, what lstat saw there or None, None),
    or (None, None, why it must not be read). An ordinary file in a folder inside the content
    folder costs one lstat; anything else gets the full check (_refusal)."""
    try:
        info = os.lstat(path)
    except OSError as error:
        return None, None, Problem(display_path(path), None, None, None,
                                   f"cannot read the file: {error.strerror}")
    if (stat.S_ISREG(info.st_mode) and info.st_size <= max_bytes
            and _folder_inside(os.path.dirname(os.path.abspath(path)), str(content_dir))):
        return str(path), info, None
    real, refused = _refusal(path, content_dir, max_bytes, hint_large)
    return real, None, refused


def _read_at_most(descriptor: int, max_bytes: int, expected: int) -> bytes:
    """Up to max_bytes + 1 bytes (one more tells that there was more). Asks first for the size
    the file had, so that a small file does not cost a buffer of max_bytes."""
    chunks, total = [], 0
    want = min(expected, max_bytes) + 1
    while total <= max_bytes:
        chunk = os.read(descriptor, want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = min(max_bytes + 1 - total, 64 * 1024)  # it grew since: on, in small steps
    return b"".join(chunks)


def read_content_file(path: Path, content_dir: Path | None = None,
                      max_bytes: int = MAX_CONTENT_FILE_BYTES) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a file editors wrote, or None and why it was not read.

    `content_dir`: the folder no link may lead out of (default: the folder above events/ for
    an event file, else the file's own folder). Links inside it are followed; anything that is
    not an ordinary file is refused without being opened; at most `max_bytes` are read.
    """
    folder = _content_folder(path, content_dir)
    large_hint = _LARGE_SETTINGS_HINT if max_bytes <= MAX_CONTENT_FILE_BYTES else _LARGE_PUBLIC_HINT
    real, looked, refused = _look(path, folder, max_bytes, large_hint)
    if refused is not None:
        return None, [refused]
    # O_NOFOLLOW and O_NONBLOCK: if the file was swapped for a link or a pipe since it was
    # looked at, opening fails or returns at once instead of following or blocking.
    flags = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        descriptor = os.open(real, flags)
    except OSError as error:
        return None, [Problem(display_path(path), None, None, None,
                              f"cannot read the file: {error.strerror}")]
    try:
        info = os.fstat(descriptor)
        kind = _kind_of(info.st_mode)
        if kind is not None:
            return None, [_not_ordinary(display_path(path), kind)]
        if looked is not None and (info.st_ino, info.st_dev) != (looked.st_ino, looked.st_dev):
            # Replaced since it was looked at (by a link, perhaps): look again, in full.
            return read_content_file(path, content_dir, max_bytes)
        data = _read_at_most(descriptor, max_bytes, info.st_size)
    except OSError as error:
        return None, [Problem(display_path(path), None, None, None,
                              f"cannot read the file: {error.strerror}")]
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:
        return None, [_too_large(display_path(path), max(info.st_size, len(data)), max_bytes,
                                 large_hint)]
    return data, []


def safe_content_files(folder: Path, content_dir: Path,
                       max_bytes: int = MAX_PUBLIC_FILE_BYTES) -> tuple[list[Path], list[Problem]]:
    """Every ordinary file under `folder` (hidden ones too: .well-known/ is a real need), sorted,
    and a problem for each entry that is refused: a link leading out of `content_dir`, a link to
    a folder (it could loop, or publish content/ itself), anything not an ordinary file, a file
    larger than `max_bytes`. Nothing is opened: read each file with
    `read_content_file(path, content_dir, max_bytes)`, which checks it again."""
    files: list[Path] = []
    problems: list[Problem] = []
    if not os.path.lexists(folder):
        return files, problems
    if os.path.islink(folder) or not os.path.isdir(folder):
        refused = _refusal(Path(folder), content_dir, max_bytes, _LARGE_PUBLIC_HINT)[1]
        return files, [refused or Problem(display_path(folder), None, None, None,
                                          "is a file, not a folder",
                                          f"make {folder.name}/ a folder of files to publish")]
    pending = [Path(folder)]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as error:
            problems.append(Problem(display_path(current), None, None, None,
                                    f"cannot read the file: {error.strerror}"))
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                pending.append(path)
                continue
            _, refused = _refusal(path, content_dir, max_bytes, _LARGE_PUBLIC_HINT)
            if refused is not None:
                problems.append(refused)
            else:
                files.append(path)
    return sorted(files), problems


# --- the content folder ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ContentFiles:
    """What content/ holds, before any event file is read."""

    site: RawFile | None  # None when content/ has no site.toml: defaults apply
    site_unreadable: bool  # site.toml exists but has errors that stop it being read
    event_paths: tuple[Path, ...]
    problems: tuple[Problem, ...]
    # The files of content/public/, copied into the site as they are; checked like event files
    # (read each with read_content_file(path, content_dir, MAX_PUBLIC_FILE_BYTES)).
    public_files: tuple[Path, ...] = ()
    event_file_count: int = 0  # .md files in events/, the refused ones too
    # content/sessions/<slug>/*.md per event slug, sorted; refused files are left out (and
    # reported), as event files are. Read each with read_content_file(path, content_dir).
    session_paths: Mapping[str, tuple[Path, ...]] = field(default_factory=dict)


def find_content(content_dir: Path) -> ContentFiles:
    """Read site.toml and list the event files (without reading them).

    Event files that must not be read (links leading out of the content folder, pipes,
    devices, files over the size limit) are reported here and left out of the list, so that no
    later step opens them."""
    problems: list[Problem] = []
    if not content_dir.is_dir():
        problems.append(Problem(display_path(content_dir), None, None, None,
                                "content directory not found",
                                "pass --content DIR pointing at a folder that holds events/"))
        return ContentFiles(None, False, (), tuple(problems))

    site = None
    site_path = content_dir / "site.toml"
    site_exists = os.path.lexists(site_path)  # a broken link is reported, not taken for "none"
    if site_exists:
        site, site_problems = load_toml_file(site_path, content_dir)
        problems.extend(site_problems)

    events_dir = content_dir / "events"
    paths: list[Path] = []
    event_file_count = 0
    if not events_dir.is_dir():
        # Most likely --content points at the wrong folder: building would replace the site
        # with an empty one.
        hint = ("pass --content DIR pointing at a folder that holds events/"
                if not any(content_dir.glob("*.md")) else
                f"pass --content {display_path(content_dir.parent)} (the folder that holds "
                f"events/), not the events folder itself")
        problems.append(Problem(display_path(content_dir), None, None, None,
                                "the content directory has no events/ folder", hint))
    elif not _inside(os.path.realpath(events_dir), os.path.realpath(content_dir)):
        # events/ itself is a link out of the content folder: nothing in it is read.
        problems.append(_refusal(events_dir, content_dir, MAX_CONTENT_FILE_BYTES, "")[1])
    else:
        try:
            entries = sorted(os.scandir(events_dir), key=lambda e: e.name)
        except OSError as error:
            entries = []
            problems.append(Problem(display_path(events_dir), None, None, None,
                                    f"cannot read the file: {error.strerror}"))
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                problems.append(Problem(display_path(path), None, None, None,
                                        "is a folder: events/ holds only .md files, and folders "
                                        "in it are not read",
                                        "move the event files in it up into events/, or move "
                                        "the folder out of events/", severity="warning"))
                continue
            if path.suffix != ".md":
                problems.append(Problem(display_path(path), None, None, None,
                                        "not an event file: event files end in .md",
                                        f'rename it to "{path.stem}.md" or move it out of events/',
                                        severity="warning"))
                continue
            event_file_count += 1
            # An ordinary file is checked for its size only (lstat, no open); a link, a pipe or
            # a device is checked in full.
            if not entry.is_file(follow_symlinks=False) \
                    or entry.stat(follow_symlinks=False).st_size > MAX_CONTENT_FILE_BYTES:
                refused = _refusal(path, content_dir, MAX_CONTENT_FILE_BYTES,
                                   _LARGE_SETTINGS_HINT)[1]
                if refused is not None:
                    problems.append(refused)
                    continue
            paths.append(path)
    public_files, public_problems = safe_content_files(content_dir / PUBLIC_FOLDER, content_dir)
    problems.extend(public_problems)
    # Every event name seen, the refused files too: their sessions are no strangers.
    slugs = {p.stem for p in paths} | _md_stems(events_dir)
    session_paths, session_problems = find_session_files(content_dir, slugs)
    problems.extend(session_problems)
    return ContentFiles(site, site_exists and site is None, tuple(paths), tuple(problems),
                        tuple(public_files), event_file_count, session_paths)


def _md_stems(events_dir: Path) -> set[str]:
    try:
        return {name[:-3] for name in os.listdir(events_dir) if name.endswith(".md")}
    except OSError:
        return set()


def find_session_files(content_dir: Path, slugs: set[str]
                       ) -> tuple[dict[str, tuple[Path, ...]], list[Problem]]:
    """content/sessions/<slug>/*.md, per event slug, looked at as event files are (nothing is
    opened: links leading out of content/, links to folders, pipes, devices and files over the
    size limit are refused). A folder named after no event is an error: its records would be
    lost without a word."""
    top = content_dir / SESSIONS_FOLDER
    found: dict[str, tuple[Path, ...]] = {}
    problems: list[Problem] = []
    if not os.path.lexists(top):
        return found, problems
    if os.path.islink(top) or not os.path.isdir(top):
        refused = _refusal(top, content_dir, MAX_CONTENT_FILE_BYTES, _LARGE_SETTINGS_HINT)[1]
        return found, [refused or Problem(display_path(top), None, None, None,
                                          "is a file, not a folder",
                                          "make sessions/ a folder holding one folder per event, "
                                          "named like its event file: sessions/<event>/")]
    for entry in _entries(top, problems):
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            problems.append(_refusal(path, content_dir, MAX_CONTENT_FILE_BYTES,
                                     _LARGE_SETTINGS_HINT)[1]
                            or Problem(display_path(path), None, None, None,
                                       "is a link, not a folder",
                                       "replace the link with a real folder holding the "
                                       "session files"))
            continue
        if not entry.is_dir(follow_symlinks=False):
            problems.append(Problem(display_path(path), None, None, None,
                                    "not a session folder: sessions/ holds one folder per event",
                                    f"move it into sessions/<event>/, named by the date of the "
                                    f"meeting, like sessions/<event>/2027-01-05.md",
                                    severity="warning"))
            continue
        if entry.name not in slugs:
            close = difflib.get_close_matches(entry.name, sorted(slugs), n=1, cutoff=0.6)
            problems.append(Problem(display_path(path), None, None, None,
                                    f'no event is called "{entry.name}": a session folder is '
                                    "named like its event's file in events/",
                                    f'did you mean "{close[0]}"? rename the folder' if close
                                    else "rename the folder to the name of an event file "
                                    "(without .md), or delete it"))
            continue
        files = []
        for inner in _entries(path, problems):
            inner_path = Path(inner.path)
            if inner.name.startswith("."):
                continue
            if inner.is_dir(follow_symlinks=False):
                problems.append(Problem(display_path(inner_path), None, None, None,
                                        "is a folder: a session folder holds only .md files, and "
                                        "folders in it are not read",
                                        f"move the session files in it up into "
                                        f"sessions/{entry.name}/", severity="warning"))
                continue
            if not inner.name.endswith(".md"):
                problems.append(Problem(display_path(inner_path), None, None, None,
                                        "not a session file: session files end in .md",
                                        f'rename it to "{inner_path.stem}.md", or move it out '
                                        f"of sessions/{entry.name}/", severity="warning"))
                continue
            if not inner.is_file(follow_symlinks=False) \
                    or inner.stat(follow_symlinks=False).st_size > MAX_CONTENT_FILE_BYTES:
                refused = _refusal(inner_path, content_dir, MAX_CONTENT_FILE_BYTES,
                                   _LARGE_SESSION_HINT)[1]
                if refused is not None:
                    problems.append(refused)
                    continue
            files.append(inner_path)
        if files:
            found[entry.name] = tuple(sorted(files))
    return found, problems


_LARGE_SESSION_HINT = ("a session file holds a few settings and notes: put recordings, slides "
                       "and long documents elsewhere and link to them")


def _entries(folder: Path, problems: list[Problem]) -> list[os.DirEntry]:
    try:
        return sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        problems.append(Problem(display_path(folder), None, None, None,
                                f"cannot read the file: {error.strerror}"))
        return []


def _decode(data: bytes, path: Path) -> tuple[str | None, list[Problem]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(display_path(path), line, None, None,
                              "the file is not valid UTF-8 text",
                              "save it as UTF-8 (the default in most editors and on GitHub)")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _read_text(path: Path, content_dir: Path | None) -> tuple[str | None, list[Problem]]:
    data, problems = read_content_file(path, content_dir)
    if data is None:
        return None, problems
    return _decode(data, path)


# --- TOML -----------------------------------------------------------------------------------

_NESTING_HINT = ("an event needs at most a list of tables ([[overrides]]): look for a stray "
                 "[ or { on that line")
_LONG_NUMBER = re.compile(r"[0-9_]{4000,}")


def parse_toml(text: str, shown: str, first_line: int = 1) -> tuple[dict | None, dict, list[Problem]]:
    """Parse TOML text that starts at file line `first_line`; return data, positions, problems.

    Whatever the text, the answer is data or a located problem, never an exception."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, {}, [_toml_problem(str(error), shown, first_line, text)]
    except RecursionError:
        # tomllib reads nested lists and tables by recursion: a thousand [ overflow the stack.
        line, column = nesting_position(text, MAX_NESTING, first_line) or (first_line, None)
        return None, {}, [Problem(shown, line, column, None, f"invalid TOML: lists or tables "
                                  f"are nested more than {MAX_NESTING} deep", _NESTING_HINT)]
    except ValueError:
        # int() refuses numbers of more than 4300 digits; TOML numbers fit in 64 bits anyway.
        line, column = _offset_position(text, _LONG_NUMBER.search(text), first_line)
        return None, {}, [Problem(shown, line, column, None,
                                  "invalid TOML: the number is too large",
                                  "TOML numbers must fit in 64 bits: check for a typo")]
    return data, LazyPositions(text, first_line), []


def _offset_position(text: str, match, first_line: int) -> tuple[int, int | None]:
    if match is None:
        return first_line, None
    before = text[:match.start()]
    return first_line + before.count("\n"), match.start() - (before.rfind("\n") + 1) + 1


_TIME_WITHOUT_SECONDS = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?!:\d)")


def _toml_problem(message: str, shown: str, first_line: int, text: str) -> Problem:
    hint = ("check quotes around text, commas in lists, and that dates look like "
            "2027-03-01T07:00:00")
    # tomllib names tables as Python tuples: "('repeat',)" reads better as "[repeat]".
    message = re.sub(r"\(((?:'[^']*',?\s*)+)\)",
                     lambda m: "[" + ".".join(re.findall(r"'([^']*)'", m.group(1))) + "]", message)
    lines = text.split("\n")
    match = _TOML_ERROR_AT.match(message)
    if match:
        index = int(match["line"]) - 1
        if 0 <= index < len(lines) and _TIME_WITHOUT_SECONDS.search(lines[index]):
            hint = "write the seconds too: 19:00 is 19:00:00"
        return Problem(shown, index + first_line, int(match["column"]), None,
                       f"invalid TOML: {match['message']}", hint)
    match = _TOML_ERROR_AT_END.match(message)
    if match:
        last = max((i for i, line in enumerate(lines) if line.strip()), default=0)
        return Problem(shown, first_line + last, None, None,
                       f"invalid TOML near the end of the settings: {match['message']}", hint)
    return Problem(shown, first_line, None, None, f"invalid TOML: {message}", hint)


def load_toml_file(path: Path, content_dir: Path | None = None) -> tuple[RawFile | None, list[Problem]]:
    """site.toml (or any TOML file editors wrote), read safely; `content_dir` as for
    read_content_file (default: the file's folder)."""
    shown = display_path(path)
    text, problems = _read_text(path, content_dir if content_dir is not None else path.parent)
    if text is None:
        return None, problems
    data, positions, problems = parse_toml(text, shown)
    if data is None:
        return None, problems
    return RawFile(path, shown, data, positions), []


# --- event files ----------------------------------------------------------------------------

def _split(text: str) -> tuple[str, str, int, int] | None:
    """(TOML, body, file line of the body, offset of the text after the closing fence)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return None
    offset = len(lines[0]) + 1
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            return ("\n".join(lines[1:index]), "\n".join(lines[index + 1:]).strip("\n"),
                    index + 2, offset + len(lines[index]) + 1)
        offset += len(lines[index]) + 1
    return None


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(TOML front matter, Markdown body, file line of the body) or None if the +++ fences
    are missing."""
    split = _split(text)
    return split[:3] if split is not None else None


def load_event_file(path: Path, content_dir: Path | None = None,
                    data: bytes | None = None) -> tuple[RawFile | None, list[Problem]]:
    """Split `+++` TOML front matter from the Markdown body and parse the front matter.

    `data`: the file's bytes, when the caller has read them already with read_content_file."""
    if data is None:
        text, problems = _read_text(path, content_dir)
    else:
        text, problems = _decode(data, path)
    if text is None:
        return None, problems
    return parse_event_text(path, text)


def parse_event_text(path: Path, text: str,
                     body_field: str = "description") -> tuple[RawFile | None, list[Problem]]:
    """An event file's text as `load_event_file` reads it (the importer checks what it is about
    to write with this). The RawFile is None if the settings cannot be read; it may come with
    problems (in the description) all the same. Session files have the same shape: their body
    is the `body_field` "notes"."""
    shown = display_path(path)
    split = _split(text)
    if split is None:
        if text.split("\n")[0].strip() != FRONT_MATTER_FENCE:
            return None, [Problem(shown, 1, 1, None,
                                  "the file must start with front matter: a line holding only +++",
                                  "put +++ on the first line, the event's fields, then +++ again")]
        return None, [Problem(shown, 1, 1, None,
                              "the front matter that starts here is never closed",
                              "add a line holding only +++ after the last field")]
    toml_text, body, body_line, body_offset = split
    data, positions, problems = parse_toml(toml_text, shown, first_line=2)
    unwanted = FORBIDDEN_IN_DESCRIPTION.search(text, body_offset)
    if unwanted is not None:
        line, column = _offset_position(text, unwanted, 1)
        problems = problems + [Problem(
            shown, line, column, body_field,
            f"the {body_field} {'hold' if body_field.endswith('s') else 'holds'} "
            f"{character_words(unwanted.group())}",
            "delete it: it is invisible in most editors (tabs and line breaks are fine)")]
    if data is None:
        return None, problems
    # A description at fault still leaves the settings to check: the file comes back with its
    # problem, and validation adds the rest (any error stops the build).
    return RawFile(path, shown, data, positions, body, body_line), problems
