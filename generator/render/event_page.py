"""One event's own outputs: its page, and its VEVENT for the calendars.

Each is a pure function of the event, its revision and its next dates, so a build can render
events in parallel, and a refresh can skip an event whose inputs have not changed (see
`page_inputs` and `vevent_inputs`).
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import urlsplit

from ..schedule.dates import iso_utc, zone_abbreviation
from ..schedule.expand import last_occurrence
from ..schedule.zones import get_zone
from .words import schedule_in_words
from .markup import Description
from .place import place_view
from ..model import Event, Occurrence, Revision
from .context import PageContext
from .discovery import event_json_ld
from .feed import event_schedule_json
from .subscribe import subscribe_menu
from .ics import ambiguous_starts, calendar_sessions, event_lines, holiday_exdates, vevent_text
from ..content.lint import review_overdue
from .language import Language, language_for
from .admin import edit_address
from .views import (EndedView, EventView, absolute_url, all_day_words, cancelled_words,
                    google_calendar_link, holiday_words, image_src, image_url, next_view,
                    occurrence_view)
from .sessions import event_page_session_inputs, past_sessions_view, with_session_notes

UPCOMING_SHOWN = 10  # dates listed on an event's page


def page_path(event: Event) -> str:
    return f"events/{event.slug}/index.html"


def ics_path(event: Event) -> str:
    return f"events/{event.slug}/event.ics"


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def page_inputs(event: Event, file_digest: str, revision: Revision, coming: list[Occurrence],
                now: datetime, horizon_end: datetime, site_zone: str) -> str:
    """Everything an event page depends on besides the code, templates and site settings
    (which the build cache's version covers): if this does not change, neither does the page.
    Time enters only through the dates shown, the cancelled dates still ahead, and whether
    review_by has passed."""
    return _digest("page", file_digest, event.image, revision, [tuple(o) for o in coming],
                   _cancelled_ahead(event, coming, now, horizon_end),
                   _holidays_ahead(event, coming, now, horizon_end), site_zone,
                   holiday_exdates(event, (now, horizon_end)) if event.skip_holidays else (),
                   _unconfirmed_since(event, now, site_zone),
                   event_page_session_inputs(event, now))


def _shown_until(coming: list[Occurrence], horizon_end: datetime) -> datetime:
    upcoming = coming[:UPCOMING_SHOWN]
    return upcoming[-1].start if upcoming else horizon_end


def _cancelled_ahead(event: Event, coming: list[Occurrence], now: datetime,
                     horizon_end: datetime, language: Language | None = None) -> list[str]:
    return cancelled_words(event, now, _shown_until(coming, horizon_end), language)


def _holidays_ahead(event: Event, coming: list[Occurrence], now: datetime,
                    horizon_end: datetime, language: Language | None = None) -> list[str]:
    return holiday_words(event, now, _shown_until(coming, horizon_end), language)


def _unconfirmed_since(event: Event, now: datetime, site_zone: str,
                       language: Language | None = None) -> str | None:
    """"30 June 2027" once the event's review_by date has passed (in the site's zone)."""
    if not review_overdue(event, now, site_zone):
        return None
    return (language or language_for()).day_month_year(event.review_by)


def vevent_inputs(file_digest: str, revision: Revision, pinned: list[datetime],
                  holidays: list[datetime] = (), sessions: dict | None = None) -> str:
    """`pinned`: ambiguous_starts; `holidays`: holiday_exdates; `sessions`: calendar_sessions,
    all for the build's window (session files change without the event's file)."""
    return _digest("vevent", file_digest, revision, pinned, list(holidays),
                   sorted((sessions or {}).items()))


def render_event_page(event: Event, page: PageContext, coming: list[Occurrence], now: datetime,
                      horizon_end: datetime, description: Description) -> bytes:
    site, links, language = page.site, page.links, page.language
    page_url = absolute_url(site, links.event(event.slug))
    # A cancelled or postponed event lists no dates and counts down to none; its JSON-LD still
    # names the next date it would have had (search engines want the original startDate).
    would_have_been = coming[:UPCOMING_SHOWN]
    coming = [] if event.status else coming
    upcoming = coming[:UPCOMING_SHOWN]
    category = site.category(event.category)
    # Nothing ahead: a series that has ended keeps its page, saying when it last met. (A page's
    # inputs cover this: it is a function of the event, once `coming` is empty.)
    last = None if upcoming else last_occurrence(event, now)
    view = EventView(
        slug=event.slug, title=event.title, schedule=schedule_in_words(event, language),
        duration=_length_words(event, language), timezone=event.timezone,
        zone_note=None if event.all_day else language.gettext("Times in %(zone)s.",
                                                              zone=event.timezone),
        category=category.slug, category_label=category.label,
        category_page=links.category(category.slug), project=event.project,
        project_page=links.project(event.project) if event.project else None,
        audience=event.audience, join_url=event.url,
        join_label=event.url.split("://", 1)[-1].rstrip("/") if event.url else None,
        description_html=description.html, summary=event.summary or description.summary,
        page=links.event(event.slug), ics=links.event_ics(event.slug),
        google_calendar=google_calendar_link(event, upcoming[0] if upcoming else None, page_url),
        upcoming=with_session_notes(
            upcoming,
            [occurrence_view(o, event, site, links, event.timezone, language) for o in upcoming],
            event, links, language),
        past_sessions=past_sessions_view(event, links, now, language),
        cancelled=(_cancelled_ahead(event, coming, now, horizon_end, language)
                   if not event.status else []),
        holidays=(_holidays_ahead(event, coming, now, horizon_end, language)
                  if not event.status else []),
        status=_status_words(event.status, language), reason=event.reason,
        unconfirmed_since=_unconfirmed_since(event, now, site.timezone, language),
        place=place_view(event, language), rsvp_url=event.rsvp_url,
        rsvp_label=(language.gettext("RSVP on %(site)s", site=urlsplit(event.rsvp_url).hostname)
                    if event.rsvp_url else None),
        image_src=image_src(links, event.image) if event.image else None,
        image_alt=event.image.alt if event.image else None,
        ended=_ended_view(event, last, language) if last else None,
        subscribe=None if last else subscribe_menu(site, links.event_ics(event.slug), event.title,
                                                   language),
        edit_url=edit_address(site, links, event))
    preview = event.image or site.default_image
    return page.render(
        page_path(event), "event.html", countdown_block=last is None, event=view,
        event_schedule=event_schedule_json(event, page_url, coming, UPCOMING_SHOWN),
        event_next=next_view(upcoming[0] if upcoming else None, event, site, links, language),
        json_ld=event_json_ld(event, site, view, would_have_been[0] if would_have_been else last,
                              page_url,
                              image_url(site, links, preview),
                              holiday_exdates(event, (now, horizon_end))
                              if event.skip_holidays else ()),
        og_image=image_url(site, links, preview), og_image_alt=preview.alt if preview else None)


def _status_words(status: str | None, language: Language) -> str | None:
    """What a cancelled or postponed event's page says it is: "Cancelled", "Postponed"."""
    if status == "cancelled":
        return language.pgettext("the whole event", "Cancelled")
    if status == "postponed":
        return language.pgettext("the whole event", "Postponed")
    return status.capitalize() if status else None


def _ended_view(event: Event, last: Occurrence, language: Language) -> EndedView:
    """"This event took place on Friday 5 February 2027, 17:00–18:00 GMT."; a series says when
    it last met. In the event's own zone, named (the page's other times are)."""
    # One event on several days at one time of day (`days`) is one event, not a series.
    several_days = event.days > 1 and event.rule is not None and event.rule.count == event.days
    one_off = (event.rule is None or several_days) and not event.rdates
    if last.dates:
        when = all_day_words(language, *last.dates)
    else:
        start, end = (moment.astimezone(get_zone(event.timezone)) for moment in (last.start, last.end))
        days = (language.day_range(event.start.date(), start.date()) if several_days
                else language.long_day(start.date()))
        # TRANSLATORS: "Friday 5 February 2027, 17:00–18:00 GMT".
        when = language.gettext("%(day)s, %(times)s %(zone)s", day=days,
                                times=f"{language.clock(start)}–{language.clock(end)}",
                                zone=zone_abbreviation(start))
    return EndedView(one_off, when, iso_utc(last.start))


def _length_words(event: Event, language: Language) -> str:
    """"25 minutes"; "3 days" (all day); "8 hours each day, for 3 days"."""
    if event.all_day:
        return language.ngettext("%(count)s day", "%(count)s days", event.days)
    if event.days > 1:
        return language.ngettext("%(duration)s each day, for %(count)s day",
                                 "%(duration)s each day, for %(count)s days", event.days,
                                 duration=language.duration(event.duration))
    return language.duration(event.duration)


def render_vevent(event: Event, page: PageContext, description: Description, revision: Revision,
                  window: tuple[datetime, datetime]) -> str:
    site = page.site
    return vevent_text(event_lines(event, site, absolute_url(site, page.links.event(event.slug)),
                                   site.category(event.category).label, description.text,
                                   revision, window))




__all__ = ["UPCOMING_SHOWN", "ambiguous_starts", "calendar_sessions", "holiday_exdates", "ics_path", "page_inputs",
           "page_path", "render_event_page", "render_vevent", "vevent_inputs"]
