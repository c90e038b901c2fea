"""Shared test helpers: build a content directory in-process or via the CLI, and ask ical.js."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.cli import parse_now  # noqa: E402
from generator.build.pipeline import BuildOptions, build_site  # noqa: E402
from generator.schedule.zones import use_pinned_zones  # noqa: E402

use_pinned_zones()  # as the command line does: zones from the pinned tzdata package only

SAMPLE_CONTENT = ROOT / "content"
# The sample site's pinned clock for golden and browser tests: the window then spans the US
# (14 March) and EU (28 March) clock changes and the end of Sydney's summer time (4 April).
SAMPLE_NOW = "2027-01-20T12:00:00Z"


def write_event(content_dir: Path, slug: str, front_matter: str, body: str = "") -> Path:
    """Write content/events/<slug>.md from dedented TOML front matter and a Markdown body."""
    path = content_dir / "events" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("+++\n" + textwrap.dedent(front_matter).strip() + "\n+++\n" + body,
                    encoding="utf-8")
    return path


def build(content_dir: Path, output_dir: Path, now: str, horizon_days: int | None = None):
    """Run the whole pipeline in-process; returns the BuildResult."""
    return build_site(BuildOptions(content_dir, output_dir, parse_now(now), horizon_days))


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def icaljs_expand(ics_path: Path, start: str, end: str) -> list[dict]:
    """Occurrences ical.js finds in an ICS file: [{uid, start, end, summary}], sorted."""
    result = subprocess.run(["node", str(ROOT / "tests" / "js" / "ical_expand.mjs"),
                             str(ics_path), start, end],
                            capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout)


def feed_instants(feed: dict) -> list[tuple[str, str, str]]:
    """(slug, start, end) per occurrence; an all-day one as its days, the end exclusive: those
    are what it means (ical.js gives a date's instants in the machine's zone)."""
    return [(o["event"], o["date"], _day_after(o["end_date"])) if o.get("all_day")
            else (o["event"], o["start"], o["end"]) for o in feed["occurrences"]]


def icaljs_instants(found: list[dict]) -> list[tuple[str, str, str]]:
    return sorted((o["uid"].split("@")[0], o.get("day", o["start"]), o.get("end_day", o["end"]))
                  for o in found)


def _day_after(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    path = tmp_path / "content"
    (path / "events").mkdir(parents=True)
    return path


@pytest.fixture
def output_dir(tmp_path: Path) -> Path:
    return tmp_path / "public"
