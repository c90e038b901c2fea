"""The site's two Atom feeds, written with render/atom.py:

- /changes.atom: the schedule's recent changes from the content's git history (found by
  build/changes.py), each dated by its commit, so people learn of a change before their calendar
  app next refreshes;
- /sessions.atom: the newest sessions that have a recording, each the session's own page.

Nothing here reads a clock: every date in them comes from git or from the schedule, so a
rebuild of the same content gives the same bytes, and readers see an entry as new only when
it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape, unescape
from urllib.parse import quote, urljoin

from ..model import Event, Session
from ..schedule.zones import get_zone
from .atom import AtomEntry, atom_feed
from .changes import ScheduleChange
from .context import PageContext
from .language import Language
from .markup import markdown_to_html
from .views import absolute_url

CHANGES_PATH = "changes.atom"
SESSIONS_PATH = "sessions.atom"
SESSIONS_LIMIT = 50  # entries in /sessions.atom, newest first
# The `updated` of a feed with no entries: it must have one, and any moment that moves would
# make an empty feed change with every build.
_NOTHING_YET = datetime(1970, 1, 1, tzinfo=timezone.utc)
_LINK_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')


@dataclass(frozen=True, slots=True)
class FeedHistory:
    """What the git history gives the feeds: the recent changes, and when each session file
    was first and last committed."""

    known: bool = False  # False: the build had no git history at all
    partial: bool = False  # a shallow clone: older changes are not known
    changes: tuple[ScheduleChange, ...] = ()  # newest first
    session_times: dict = field(default_factory=dict)  # (slug, key) -> (first, last) commit


def _change_id(site, change: ScheduleChange) -> str:
    """A tag: URI (RFC 4151) from the site's host, the commit and what it changed: the same
    change keeps it in every build, and no two changes share one."""
    day = change.when.strftime("%Y-%m-%d")
    return (f"tag:{site.host},{day}:changes/{change.commit}/"
            f"{quote(change.event, safe='')}/{quote(change.kind, safe='/:-')}")


def changes_feed(page: PageContext, events: dict[str, Event], history: FeedHistory) -> bytes:
    site, links = page.site, page.links
    home = absolute_url(site, links.home())
    entries = [AtomEntry(_change_id(site, change), change.text, change.when,
                         absolute_url(site, links.event(change.event))
                         if change.on_site and change.event in events else home,
                         summary=change.text, published=change.when)
               for change in history.changes]
    if not history.known:
        subtitle = page.language.gettext(
            "Changes to the schedule appear here once the site is built from its git repository;"
            " this build had no git history.")
    elif history.partial:
        subtitle = page.language.gettext(
            "Changes to the schedule, newest first, each dated by the commit that made it (this"
            " build saw only the latest part of the history).")
    else:
        subtitle = page.language.gettext(
            "Changes to the schedule, newest first, each dated by the commit that made it.")
    return atom_feed(feed_id=absolute_url(site, links.prefix + CHANGES_PATH),
                     title=page.language.gettext("%(site)s: schedule changes", site=site.title),
                     subtitle=subtitle,
                     self_url=absolute_url(site, links.prefix + CHANGES_PATH), page_url=home,
                     author=site.title, entries=entries,
                     updated=entries[0].updated if entries else _NOTHING_YET)


def recorded_sessions(events: dict[str, Event], limit: int = SESSIONS_LIMIT) -> list[Session]:
    """The newest `limit` sessions that have a recording, newest first."""
    sessions = [s for event in events.values() for s in event.sessions
                if s.recording and not s.cancelled and s.start is not None]
    sessions.sort(key=lambda s: (s.start, s.event, s.key), reverse=True)
    return sessions[:limit]


def _absolute_links(html: str, page: str) -> str:
    """Links and pictures of sanitised HTML made absolute from `page`: a feed reader shows the
    content away from the site, where "/events/x/" or "slides.pdf" would lead nowhere."""
    return _LINK_ATTRIBUTE.sub(
        lambda m: f'{m.group(1)}="{escape(urljoin(page, unescape(m.group(2))))}"', html)


def _session_html(session: Session, page: str, language: Language) -> str:
    parts = ([_absolute_links(markdown_to_html(session.notes), page)]
             if session.notes.strip() else [])
    recording = escape(language.gettext("The recording"))
    parts.append(f'<p><a href="{escape(session.recording)}">{recording}</a></p>')
    if session.hosts:
        hosted = language.gettext("Hosted by %(hosts)s.", hosts=", ".join(session.hosts))
        parts.append(f"<p>{escape(hosted)}</p>")
    return "\n".join(parts)


def sessions_feed(page: PageContext, events: dict[str, Event], history: FeedHistory) -> bytes:
    site, links = page.site, page.links
    entries = []
    for session in recorded_sessions(events):
        event = events[session.event]
        address = absolute_url(site, links.session(session.event, session.key))
        local = session.start.astimezone(get_zone(event.timezone))
        day = page.language.long_day(local.date())
        title = f"{event.title}, {day}" + (f": {session.title}" if session.title else "")
        # Updated: when the record was last committed; without git, when the session ended.
        # Neither moves between builds of the same content.
        first, last = history.session_times.get((session.event, session.key),
                                                (None, session.end))
        entries.append(AtomEntry(address, title, last, address,
                                 content_html=_session_html(session, address, page.language), published=first,
                                 categories=(event.category,)))
    sessions_page = absolute_url(site, links.prefix + "sessions/")
    return atom_feed(feed_id=absolute_url(site, links.prefix + SESSIONS_PATH),
                     title=page.language.gettext("%(site)s: session recordings", site=site.title),
                     subtitle=page.language.gettext(
                         "The newest sessions with a recording, with their notes."),
                     self_url=absolute_url(site, links.prefix + SESSIONS_PATH),
                     page_url=sessions_page, author=site.title, entries=entries,
                     updated=max((e.updated for e in entries), default=_NOTHING_YET))
