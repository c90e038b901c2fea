"""How problems and results are told: plain lines for people, annotations for GitHub."""
from __future__ import annotations

import sys
from collections import Counter
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Iterable

from .text import FORBIDDEN_IN_SETTINGS
from .model import Problem


# Exit codes, the same for every command. 1: the content is wrong (the editor fixes it); 2: the
# command is (wrong arguments, an output folder that is not ours, an unusable import file); 3:
# the machine stops it (disk full, read-only, permissions, a lock held too long); 70: a bug in
# Nextup (EX_SOFTWARE); 130/143: interrupted by Ctrl+C / SIGTERM.
EXIT_OK, EXIT_CONTENT_ERRORS, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3
EXIT_INTERNAL, EXIT_INTERRUPTED = 70, 130

def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0, p.severity))


def _visible(text: str | None) -> str | None:
    """`text` with every control character (and line break, and text-direction control) written
    as an escape: \\n, \\x1b, \\u202e. A problem quotes what editors wrote, and what it prints
    must not start a new line (a forged "::error" annotation), move the cursor or recolour a
    terminal, or reorder the line."""
    if text is None or not FORBIDDEN_IN_SETTINGS.search(text):
        return text
    return FORBIDDEN_IN_SETTINGS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"),
                                     text)


def visible_problem(problem: Problem) -> Problem:
    """The problem with every text in it safe to print (see _visible)."""
    return replace(problem, file=_visible(problem.file), field=_visible(problem.field),
                   message=_visible(problem.message), hint=_visible(problem.hint))


def problem_text(problem: Problem) -> str:
    """One problem as a line of text, safe to print: what `check` and `build` print."""
    return str(visible_problem(problem))


def _github_escape(text: str, property_value: bool = False) -> str:
    # https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return _visible(text)  # line breaks are %0A by now; other control characters as escapes


def github_annotation(problem: Problem) -> str:
    """"::error file=content/events/x.md,line=7,col=12,title=timezone::unknown zone ..."."""
    properties = [f"file={_github_escape(problem.file, True)}"]
    if problem.line is not None:
        properties.append(f"line={problem.line}")
        if problem.column is not None:
            properties.append(f"col={problem.column}")
    if problem.field:
        properties.append(f"title={_github_escape(problem.field, True)}")
    message = problem.message + (f"; {problem.hint}" if problem.hint else "")
    level = "error" if problem.is_error else "warning"
    return f"::{level} {','.join(properties)}::{_github_escape(message)}"


def print_problems(problems: Iterable[Problem], output_format: str = "text", stream=None) -> None:
    stream = stream or sys.stderr  # looked up now, not at import: redirection must work
    for problem in sorted_problems(problems):
        print(github_annotation(problem) if output_format == "github" else problem_text(problem),
              file=stream)


def count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def problem_counts(problems: Iterable[Problem]) -> tuple[int, int]:
    problems = list(problems)
    errors = sum(p.is_error for p in problems)
    return errors, len(problems) - errors


def written_summary(paths: Iterable[str]) -> str:
    """"14 pages, 18 calendars, 1 feed, 7 other files"."""
    kinds = Counter()
    for path in paths:
        suffix = PurePosixPath(path).suffix
        if path.startswith(("calendar/", "embed/", "badges/")) and suffix == ".json":
            suffix = ""  # a script's or a badge's own data (occurrences.json, next.json), not a feed
        kinds[{".html": "page", ".ics": "calendar", ".json": "feed", ".atom": "feed"}.get(suffix, "other file")] += 1
    return ", ".join(count(kinds[k], k) for k in ("page", "calendar", "feed", "other file") if kinds[k])
