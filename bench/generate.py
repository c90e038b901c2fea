"""Synthetic sites for the benchmark: N events as a Nextup content directory, and the same pages
(same count, same Markdown bodies, minimal layouts) as a Hugo site.

    python bench/generate.py 1000 bench/work/1000

Deterministic: the same N gives the same files. The mix is what a large community would have:
weekly scrums on several weekdays, fortnightly pairing, monthly reviews (nth weekday), one-off
events, a few daily stand-ups and series with an end date or exceptions, in many zones.
"""
from __future__ import annotations

import os
import random
import re
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path

ZONES = ["Europe/London", "Europe/Berlin", "Europe/Lisbon", "America/New_York",
         "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata",
         "Asia/Kathmandu", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney",
         "Australia/Adelaide", "Pacific/Auckland", "Africa/Lagos", "Africa/Nairobi",
         "America/Santiago", "Asia/Tehran", "Europe/Istanbul", "America/Mexico_City"]
CATEGORIES = ["scrum", "pair-programming", "meeting", "client-meeting"]
DAYS = ["MO", "TU", "WE", "TH", "FR"]
WORDS = ("we plan the sprint review the board pair on tickets discuss architecture welcome new "
         "volunteers demo what shipped agree next steps and help each other unblock work on the "
         "website mobile app data pipeline accessibility audit documentation tests deployment").split()


def paragraph(rng: random.Random, sentences: int) -> str:
    text = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
        sentence = " ".join(words).capitalize() + "."
        if rng.random() < 0.2:
            sentence = sentence.replace(words[2], f"**{words[2]}**", 1)
        text.append(sentence)
    return " ".join(text)


def description(rng: random.Random, index: int) -> str:
    parts = [paragraph(rng, rng.randint(2, 4)) for _ in range(rng.randint(2, 4))]
    if index % 3 == 0:
        parts.append("\n".join(f"* {paragraph(rng, 1)}" for _ in range(3)))
    parts.append(f"Notes and recordings: https://example.org/events/{index}/notes")
    return "\n\n".join(parts) + "\n"


def event_front_matter(rng: random.Random, index: int) -> tuple[str, str]:
    """(TOML front matter, title) for event number `index`."""
    zone = rng.choice(ZONES)
    category = CATEGORIES[index % 4]
    kind = rng.random()
    start = datetime(2020, 1, 6) + timedelta(days=rng.randint(0, 2400),
                                             hours=rng.randint(6, 20), minutes=rng.choice((0, 15, 30, 45)))
    lines = []
    if kind < 0.45:  # weekly on one to four weekdays
        days = sorted(rng.sample(DAYS, rng.randint(1, 4)), key=DAYS.index)
        lines.append(f'rrule = "FREQ=WEEKLY;BYDAY={",".join(days)}"')
        title = f"Scrum {index}"
    elif kind < 0.6:  # fortnightly
        lines += ["[repeat]", 'every = "week"', "interval = 2", f'on = ["{rng.choice(DAYS).lower()}"]']
        title = f"Pairing {index}"
    elif kind < 0.75:  # monthly, nth weekday
        lines.append(f'rrule = "FREQ=MONTHLY;BYDAY={rng.choice((1, 2, 3, -1))}{rng.choice(DAYS)}"')
        title = f"Review {index}"
    elif kind < 0.8:  # daily stand-up with an end date
        lines.append(f'rrule = "FREQ=DAILY;UNTIL={(start + timedelta(days=3000)):%Y%m%d}"')
        title = f"Stand-up {index}"
    else:  # one-off, mostly in the coming months
        start = datetime(2027, 1, 1) + timedelta(days=rng.randint(-30, 200), hours=rng.randint(8, 20))
        title = f"Workshop {index}"
    head = [f'title = "{title}"', f'category = "{category}"', f'timezone = "{zone}"',
            f"start = {start.isoformat()}", f"duration = {rng.choice((15, 25, 30, 45, 60, 90))}",
            f'url = "https://meet.jit.si/Bench{index}"', f'project = "project-{index % 40}"']
    tables = [line for line in lines if line.startswith("[")]
    if tables:  # keys before tables, as TOML requires
        split = lines.index(tables[0])
        head += lines[:split]
        lines = lines[split:]
    else:
        head += lines
        lines = []
    return "\n".join(head + lines), title


def generate(count: int, root: Path) -> None:
    rng = random.Random(count)
    nextup = root / "nextup"
    hugo = root / "hugo"
    shutil.rmtree(root, ignore_errors=True)
    (nextup / "events").mkdir(parents=True)
    (hugo / "content" / "events").mkdir(parents=True)
    (nextup / "site.toml").write_text('title = "Benchmark community"\n'
                                      'base_url = "https://bench.example.org/"\n')
    for index in range(count):
        front, title = event_front_matter(rng, index)
        body = description(rng, index)
        (nextup / "events" / f"event-{index:05d}.md").write_text(f"+++\n{front}\n+++\n{body}")
        (hugo / "content" / "events" / f"event-{index:05d}.md").write_text(
            f'+++\ntitle = "{title}"\n+++\n{body}')
    _write_hugo_site(hugo)
    _commit(nextup)


def _commit(content: Path) -> None:
    """Put the content under git, as a real site's is: its history gives each event's calendar
    LAST-MODIFIED and SEQUENCE. Without it every file counts as edited just now, and every
    refresh would rewrite every page."""
    import subprocess

    stamp = "2027-01-01T00:00:00Z"
    environment = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "HOME": str(content),
                   "GIT_CONFIG_NOSYSTEM": "1", "PATH": os.environ.get("PATH", "")}
    for command in (["init", "-q"], ["add", "-A"],
                    ["-c", "user.name=bench", "-c", "user.email=bench@example.org",
                     "commit", "-q", "-m", "Generated events"]):
        subprocess.run(["git", *command], cwd=content, env=environment, check=True)


def _write_hugo_site(hugo: Path) -> None:
    (hugo / "hugo.toml").write_text(
        'baseURL = "https://bench.example.org/"\ntitle = "Benchmark community"\n'
        'disableKinds = ["taxonomy", "term"]\n')
    layouts = hugo / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}'
            '</title></head><body><main>%s</main></body></html>\n')
    (layouts / "single.html").write_text(page % "<h1>{{ .Title }}</h1>{{ .Content }}")
    (layouts / "list.html").write_text(
        page % "<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">"
               "{{ .Title }}</a></li>{{ end }}</ul>")
    (hugo / "layouts" / "index.html").write_text(
        page % "<h1>{{ .Site.Title }}</h1><ul>{{ range first 20 .Site.RegularPages }}<li>"
               "<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>")


# Hugo's twin with Nextup's output: each event gets the five files Nextup writes for it (its
# page, its calendar, the widget's iframe page, next.json and the badge), each as large as
# Nextup's own, so Hugo writes the same number of files and bytes.
SIZED_FORMATS = '\n'.join([
    '[mediaTypes."text/calendar"]', '  suffixes = ["ics"]',
    '[outputFormats.Calendar]', '  mediaType = "text/calendar"', '  baseName = "event"',
    '  isPlainText = true',
    '[outputFormats.Widget]', '  mediaType = "text/html"', '  baseName = "widget"', '  isHTML = true',
    '[outputFormats.Next]', '  mediaType = "application/json"', '  baseName = "next"',
    '  isPlainText = true',
    '[outputFormats.Badge]', '  mediaType = "application/json"', '  baseName = "badge"',
    '  isPlainText = true',
    '[outputs]', '  page = ["HTML", "Calendar", "Widget", "Next", "Badge"]', ''])


def write_hugo_sized_site(site: Path, nextup_output: Path, slug: str = "event-00000") -> Path:
    """A copy of the Hugo twin (site/hugo) whose layouts are Nextup's own files for one event
    (from a Nextup build in `nextup_output`), its title and description made Hugo's
    {{ .Title }} and {{ .Content }}. Returns its folder."""
    sized = site / "hugo-sized"
    shutil.rmtree(sized, ignore_errors=True)
    shutil.copytree(site / "hugo", sized, ignore=shutil.ignore_patterns("public", "resources"))
    front = (site / "nextup" / "events" / f"{slug}.md").read_text()
    title = re.search(r'^title = "(.*)"$', front, re.M).group(1)
    layouts = sized / "layouts" / "_default"
    files = {"single.html": f"events/{slug}/index.html",
             "single.calendar.ics": f"events/{slug}/event.ics",
             "single.widget.html": f"embed/events/{slug}/index.html",
             "single.next.json": f"embed/events/{slug}/next.json",
             "single.badge.json": f"badges/events/{slug}.json"}
    for layout, built in files.items():
        text = (nextup_output / built).read_text()
        # Go templates: literal braces as actions, then the event's own text as Hugo's.
        text = text.replace("{{", "\0").replace("\0", '{{ "{{" }}')
        if layout == "single.html":
            body = re.search(r'<div class="description[^"]*">(.*?)</div>', text, re.S)
            if body:
                text = text.replace(body.group(1), "{{ .Content }}", 1)
        text = text.replace(title, "{{ .Title }}")
        (layouts / layout).write_text(text)
    config = sized / "hugo.toml"
    config.write_text(config.read_text() + SIZED_FORMATS)
    return sized


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
