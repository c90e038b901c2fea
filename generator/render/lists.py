"""Lists of occurrences, cut to sizes a visitor can read and a build can afford.

A community of thirty events has a few hundred occurrences in its horizon: every list shows
all of them. A community of ten thousand has two hundred thousand: no visitor reads that page,
and rendering it would cost more than the rest of the site. So a list is split into pages of
about PAGE_SIZE occurrences, breaking between days where it can, and stops after MAX_PAGES
pages with a note pointing to the filters and the feeds, which have everything.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Occurrence
from ..schedule.zones import get_zone

PAGE_SIZE = 300
MAX_PAGES = 4  # for the list of all events
MAX_FILTERED_PAGES = 2  # for a category's or a project's list: the filters narrow it further
HOME_LIMIT = 40  # occurrences on the homepage's "next 7 days"


@dataclass(frozen=True, slots=True)
class ListPage:
    number: int  # from 1
    occurrences: list[Occurrence]
    path: str  # relative to the list's folder: "" or "page/2/"
    previous: str | None  # path of the previous page
    next: str | None
    total_pages: int
    truncated: int  # occurrences left out after the last page (0 if none)


def page_path(number: int) -> str:
    return "" if number == 1 else f"page/{number}/"


def paginate(occurrences: list[Occurrence], zone: str, max_pages: int = MAX_PAGES,
             total: int | None = None) -> list[ListPage]:
    """Split into pages of about PAGE_SIZE, preferably between two days (in `zone`).
    `total` is how many there are in all, when `occurrences` holds only the first ones."""
    tz = get_zone(zone)
    chunks: list[list[Occurrence]] = [[]]
    previous_day = None
    for occurrence in occurrences:
        day = occurrence.start.astimezone(tz).date()
        current = chunks[-1]
        new_day = previous_day is not None and day != previous_day
        if len(current) >= PAGE_SIZE or (new_day and len(current) >= PAGE_SIZE * 3 // 4):
            if len(chunks) == max_pages:
                break
            chunks.append([])
        chunks[-1].append(occurrence)
        previous_day = day
    left_out = (len(occurrences) if total is None else total) - sum(len(c) for c in chunks)
    count = len(chunks)
    return [ListPage(number, chunk, page_path(number),
                     page_path(number - 1) if number > 1 else None,
                     page_path(number + 1) if number < count else None, count,
                     left_out if number == count else 0)
            for number, chunk in enumerate(chunks, start=1)]
