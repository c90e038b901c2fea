"""Phase 1: read content/ into RawFile records (parsed TOML with positions), or Problems.

Nothing here knows what an event means; `validate` does. Every problem is collected so that an
editor sees all of them in one run.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .model import Problem, RawFile
from .toml_positions import LazyPositions

FRONT_MATTER_FENCE = "+++"
_TOML_ERROR_AT = re.compile(r"^(?P<message>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")
_TOML_ERROR_AT_END = re.compile(r"^(?P<message>.*) \(at end of document\)$")


@dataclass(frozen=True, slots=True)
class LoadedContent:
    site: RawFile | None  # None when content/ has no site.toml: defaults apply
    events: tuple[RawFile, ...]
    problems: tuple[Problem, ...]
    site_unreadable: bool = False  # site.toml exists but has errors that stop it being read


def display_path(path: Path) -> str:
    """Name a file the way an editor would type it: relative to where the command runs if it
    is below it, else in full."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(absolute)


@dataclass(frozen=True, slots=True)
class ContentFiles:
    """What content/ holds, before any event file is read."""

    site: RawFile | None  # None when content/ has no site.toml: defaults apply
    site_unreadable: bool  # site.toml exists but has errors that stop it being read
    event_paths: tuple[Path, ...]
    problems: tuple[Problem, ...]


def find_content(content_dir: Path) -> ContentFiles:
    """Read site.toml and list the event files (without reading them)."""
    problems: list[Problem] = []
    if not content_dir.is_dir():
        problems.append(Problem(display_path(content_dir), None, None, None,
                                "content directory not found",
                                "pass --content DIR pointing at a folder that holds events/"))
        return ContentFiles(None, False, (), tuple(problems))

    site = None
    site_path = content_dir / "site.toml"
    if site_path.exists():
        site, site_problems = load_toml_file(site_path)
        problems.extend(site_problems)

    events_dir = content_dir / "events"
    paths: list[Path] = []
    if not events_dir.is_dir():
        # Most likely --content points at the wrong folder: building would replace the site
        # with an empty one.
        hint = ("pass --content DIR pointing at a folder that holds events/"
                if not any(content_dir.glob("*.md")) else
                f"pass --content {display_path(content_dir.parent)} (the folder that holds "
                f"events/), not the events folder itself")
        problems.append(Problem(display_path(content_dir), None, None, None,
                                "the content directory has no events/ folder", hint))
    else:
        for path in sorted(events_dir.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            if path.suffix != ".md":
                problems.append(Problem(display_path(path), None, None, None,
                                        "not an event file: event files end in .md",
                                        f'rename it to "{path.stem}.md" or move it out of events/',
                                        severity="warning"))
                continue
            paths.append(path)
    return ContentFiles(site, site_path.exists() and site is None, tuple(paths), tuple(problems))


def load_content(content_dir: Path) -> LoadedContent:
    found = find_content(content_dir)
    problems = list(found.problems)
    events: list[RawFile] = []
    for path in found.event_paths:
        raw, file_problems = load_event_file(path)
        problems.extend(file_problems)
        if raw is not None:
            events.append(raw)
    return LoadedContent(found.site, tuple(events), tuple(problems),
                         site_unreadable=found.site_unreadable)


def _read_text(path: Path) -> tuple[str | None, list[Problem]]:
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(shown, None, None, None, f"cannot read the file: {error.strerror}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(shown, line, None, None, "the file is not valid UTF-8 text",
                              "save it as UTF-8 (the default in most editors and on GitHub)")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def parse_toml(text: str, shown: str, first_line: int = 1) -> tuple[dict | None, dict, list[Problem]]:
    """Parse TOML text that starts at file line `first_line`; return data, positions, problems."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, {}, [_toml_problem(str(error), shown, first_line, text)]
    return data, LazyPositions(text, first_line), []


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


def load_toml_file(path: Path) -> tuple[RawFile | None, list[Problem]]:
    shown = display_path(path)
    text, problems = _read_text(path)
    if text is None:
        return None, problems
    data, positions, problems = parse_toml(text, shown)
    if data is None:
        return None, problems
    return RawFile(path, shown, data, positions), []


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(TOML front matter, Markdown body, file line of the body) or None if the +++ fences
    are missing."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return None
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE), None)
    if closing is None:
        return None
    return "\n".join(lines[1:closing]), "\n".join(lines[closing + 1:]).strip("\n"), closing + 2


def load_event_file(path: Path) -> tuple[RawFile | None, list[Problem]]:
    """Split `+++` TOML front matter from the Markdown body and parse the front matter."""
    text, problems = _read_text(path)
    if text is None:
        return None, problems
    return parse_event_text(path, text)


def parse_event_text(path: Path, text: str) -> tuple[RawFile | None, list[Problem]]:
    """An event file's text as `load_event_file` reads it (the importer checks what it is about
    to write with this)."""
    shown = display_path(path)
    split = split_front_matter(text)
    if split is None:
        if text.split("\n")[0].strip() != FRONT_MATTER_FENCE:
            return None, [Problem(shown, 1, 1, None,
                                  "the file must start with front matter: a line holding only +++",
                                  "put +++ on the first line, the event's fields, then +++ again")]
        return None, [Problem(shown, 1, 1, None,
                              "the front matter that starts here is never closed",
                              "add a line holding only +++ after the last field")]
    toml_text, body, body_line = split
    data, positions, problems = parse_toml(toml_text, shown, first_line=2)
    if data is None:
        return None, problems
    return RawFile(path, shown, data, positions, body, body_line), []
