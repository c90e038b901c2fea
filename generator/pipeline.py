"""The build, start to finish: load -> validate -> expand -> render -> write.

Each phase is a module of its own; this file only hands one phase's result to the next.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from .expand import expand_schedule
from .history import load_revisions
from .lint import lint_schedule
from .load import load_content
from .model import Event, Problem, RawFile, Schedule, Site
from .validate import validate_content
from .write import check_output_dir, write_output

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content_dir: Path
    output_dir: Path
    now: datetime  # aware; the build's only notion of "now"
    horizon_days: int | None = None  # None: the site's own setting
    templates_dir: Path = PROJECT_ROOT / "templates"
    static_dir: Path = PROJECT_ROOT / "static"
    extra_context: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BuildResult:
    problems: tuple[Problem, ...]
    events: int = 0
    occurrences: int = 0
    written: tuple[str, ...] = ()  # output paths
    seconds: float = 0.0

    @property
    def files(self) -> int:
        return len(self.written)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


@dataclass(frozen=True, slots=True)
class CheckedContent:
    """Everything but rendering: loaded, validated and, if valid, expanded."""

    site: Site | None
    events: tuple[Event, ...]
    schedule: Schedule | None  # None when there are errors
    problems: list[Problem]
    raw_events: tuple[RawFile, ...] = ()
    event_files: int = 0  # how many event files were read, valid or not


def check_content(content_dir: Path, now: datetime, horizon_days: int | None = None) -> CheckedContent:
    loaded = load_content(content_dir)
    validated = validate_content(loaded.site, loaded.events, loaded.site_unreadable)
    problems = list(loaded.problems) + list(validated.problems)
    event_files = len(loaded.events) + sum(1 for p in loaded.problems
                                           if p.is_error and "/events/" in p.file.replace("\\", "/"))
    if any(p.is_error for p in problems) or validated.site is None:
        return CheckedContent(validated.site, validated.events, None, problems,
                              event_files=event_files)
    site = validated.site
    if horizon_days is not None:
        site = replace(site, horizon_days=horizon_days)
    schedule = expand_schedule(validated.events, now, now + timedelta(days=site.horizon_days))
    problems += lint_schedule(validated.events, schedule)
    published = {e.slug for e in validated.events}  # drafts have no revisions to look up
    raw_events = tuple(r for r in loaded.events if r.path.stem in published)
    return CheckedContent(site, validated.events, schedule, problems, raw_events, event_files)


def build_site(options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    check_output_dir(options.output_dir, options.content_dir)
    checked = check_content(options.content_dir, options.now, options.horizon_days)
    if checked.schedule is None:
        return BuildResult(tuple(checked.problems))
    from .render import RenderOptions, render_site  # only builds need templates and Markdown

    revisions, history_problems = load_revisions(options.content_dir, checked.raw_events,
                                                 options.now)
    files = render_site(checked.site, checked.events, checked.schedule,
                        RenderOptions(options.templates_dir, options.static_dir,
                                      options.extra_context), revisions)
    written = write_output(files, options.output_dir)
    return BuildResult(tuple(checked.problems + history_problems), events=len(checked.events),
                       occurrences=len(checked.schedule.occurrences), written=tuple(written),
                       seconds=time.perf_counter() - started)
