"""ics.ambiguous_starts walks only the series starts near a clock change (a large site asks for
every event's): it must find exactly what walking every start of the window finds."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from generator.content.load import parse_event_text
from generator.content.validate import validate_event
from generator.render.ics import _days_between, _needs_utc, ambiguous_starts
from generator.schedule.expand import series_starts
from generator.schedule.zones import clock_change_days, to_local

ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "America/Santiago",
         "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Tehran",
         "America/St_Johns", "Asia/Tokyo"]


def walk_every_start(event, window):
    """The plain definition: every series start of the window, kept if it touches a change day
    and calendar clients may misread it."""
    zone = event.timezone
    first, last = (to_local(moment, zone) for moment in window)
    earliest = first - timedelta(days=2, minutes=event.duration)
    latest = last + timedelta(days=2)
    change_days = clock_change_days(zone, earliest.date(), latest.date())
    length = timedelta(minutes=event.duration)
    return [local for local in series_starts(event, earliest, latest)
            if any(change_days.get(d) for d in _days_between(local, local + length))
            and _needs_utc(local, event.duration, zone)]


def events(count: int):
    rng = random.Random(17)
    rules = ["FREQ=DAILY", "FREQ=WEEKLY;BYDAY=SU", "FREQ=WEEKLY;BYDAY=SA,SU", "FREQ=DAILY;INTERVAL=3",
             "FREQ=MONTHLY;BYDAY=1SU", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;COUNT=400",
             "FREQ=DAILY;BYHOUR=1,2,3;BYMINUTE=30"]
    for index in range(count):
        start = datetime(2026, 1, 1) + timedelta(days=rng.randint(0, 500),
                                                 hours=rng.choice((0, 1, 2, 3, 22, 23, 12)),
                                                 minutes=rng.choice((0, 15, 30, 45)))
        text = (f'+++\ntitle = "E{index}"\ncategory = "meeting"\ntimezone = "{rng.choice(ZONES)}"\n'
                f"start = {start.isoformat()}\nduration = {rng.choice((15, 60, 90, 150, 600, 1500))}\n"
                f'rrule = "{rng.choice(rules)}"\n+++\n')
        raw, problems = parse_event_text(Path(f"events/e{index}.md"), text)
        event, problems = validate_event(raw, None)
        assert event is not None, problems
        yield event


def test_ambiguous_starts_equal_walking_every_start_of_the_window():
    found_any = 0
    for index, event in enumerate(events(300)):
        now = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(days=7 * (index % 60))
        window = (now, now + timedelta(days=90))
        expected = walk_every_start(event, window)
        assert ambiguous_starts(event, window) == expected, (event.slug, event.rule, window)
        found_any += bool(expected)
    assert found_any > 15  # the sample does reach clock changes
