"""The pages of session records: one per record and an event's archive (per event, with its
page: build/per_event.py caches them with it), and /sessions/ (site-wide, render/site.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..model import Event
from .context import PageContext
from .discovery import session_json_ld
from .views import absolute_url, image_url
from .sessions import (PAST_SHOWN, SESSIONS_MAX_PAGES, SESSIONS_PAGE_SIZE, archive_path,
                       has_ended, neighbour, past_sessions, session_path, session_times,
                       session_view)


def render_session_page(event: Event, index: int, page: PageContext, now: datetime) -> bytes:
    """The page of `event.sessions[index]`, with links to the sessions before and after it."""
    links, site, language = page.links, page.site, page.language
    session = event.sessions[index]
    view = session_view(session, event, links, now, language=language)
    previous = neighbour(event.sessions[index - 1], event, links, language) if index > 0 else None
    following = (neighbour(event.sessions[index + 1], event, links, language)
                 if index + 1 < len(event.sessions) else None)
    category = site.category(event.category)
    # TRANSLATORS: a session page's description for search engines, when it has no notes:
    # "Scrum: Tuesday 5 January 2027, 07:00–07:25 GMT."
    description = view.summary or language.gettext("%(event)s: %(when)s.", event=event.title,
                                                    when=view.when)
    # Search engines read the session as one Event of the series: cancelled ones keep their
    # date (EventCancelled), moved ones are EventRescheduled with previousStartDate.
    json_ld = session_json_ld(event, session, site,
                              absolute_url(site, links.session(event.slug, session.key)),
                              absolute_url(site, links.event(event.slug)), description,
                              image_url(site, links, event.image or site.default_image))
    return page.render(session_path(event, session), "session.html", session=view,
                       previous=previous, following=following,
                       category_label=category.label, category_page=links.category(category.slug),
                       description=description, json_ld=json_ld)


def render_archive_page(event: Event, page: PageContext, now: datetime) -> bytes:
    """Every past session of one event, newest first (its page shows the latest few)."""
    links = page.links
    views = [session_view(s, event, links, now, with_notes=False, language=page.language)
             for s in past_sessions(event, now)]
    return page.render(archive_path(event), "event_sessions.html", event_title=event.title,
                       event_page=links.event(event.slug), sessions=views)


# --- /sessions/ --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SessionsPage:
    path: str  # "sessions/index.html", "sessions/page/2/index.html"
    number: int
    total_pages: int
    previous: str | None  # addresses of the pages before and after
    next: str | None


def recorded_sessions(events: dict[str, Event], now: datetime) -> tuple[list, int]:
    """((event, session) with a recording that has ended, newest first, at most
    SESSIONS_PAGE_SIZE x SESSIONS_MAX_PAGES; and how many there are in all)."""
    found = [(event, session) for event in events.values() for session in event.sessions
             if session.recording and not session.cancelled and has_ended(session, event, now)]
    found.sort(key=lambda pair: (session_times(pair[1], pair[0])[0], pair[0].slug), reverse=True)
    return found[:SESSIONS_PAGE_SIZE * SESSIONS_MAX_PAGES], len(found)


def render_sessions_pages(page: PageContext, events: dict[str, Event], now: datetime,
                          put, atom_feeds: list[dict] = ()) -> list[str]:
    """/sessions/ and its later pages; returns their addresses, for the sitemap. `atom_feeds`:
    the feed of the same sessions, for <link rel="alternate">."""
    links = page.links
    listed, total = recorded_sessions(events, now)
    chunks = [listed[i:i + SESSIONS_PAGE_SIZE] for i in range(0, len(listed), SESSIONS_PAGE_SIZE)]
    chunks = chunks or [[]]
    home = links.sessions()
    addresses = []
    for number, chunk in enumerate(chunks, start=1):
        path = "sessions/index.html" if number == 1 else f"sessions/page/{number}/index.html"
        pagination = SessionsPage(
            path, number, len(chunks),
            previous=(home if number == 2 else f"{home}page/{number - 1}/") if number > 1 else None,
            next=f"{home}page/{number + 1}/" if number < len(chunks) else None)
        views = [session_view(session, event, links, now, with_notes=False,
                              language=page.language) for event, session in chunk]
        put(path, page.render(path, "sessions.html", sessions=views, pagination=pagination,
                              not_listed=total - len(listed) if number == len(chunks) else 0,
                              atom_feeds=atom_feeds))
        addresses.append(page.address(path))
    return addresses


def session_addresses(events: dict[str, Event], page: PageContext, now: datetime) -> list[str]:
    """Every session page and archive page the per-event stage wrote, for the sitemap."""
    addresses = []
    for event in events.values():
        addresses += [page.address(session_path(event, s)) for s in event.sessions]
        if len(past_sessions(event, now)) > PAST_SHOWN:
            addresses.append(page.address(archive_path(event)))
    return addresses
