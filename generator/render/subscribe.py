"""How each calendar app subscribes to one of the site's calendars: the links, the steps where
there is no link, and, honestly, how often each app looks again.

View code (templates only lay the menu out). The deep links:
- Google Calendar: calendar/render?cid=<the webcal:// address, percent-encoded>, the form
  Google's own "add by URL" links use; Google polls every 12 to 24 hours and ignores the
  calendar's REFRESH-INTERVAL.
- Outlook.com and Microsoft 365: calendar/0/addfromweb?url=<https address>&name=<name> on
  outlook.live.com (personal accounts) and outlook.office.com (work or school). Microsoft does
  not document it; it is the form the "Subscribe from web" dialog opens with, used as such by
  many public calendar sites. Outlook on the web takes https://, not webcal://.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from ..model import Site
from .language import Language, language_for
from .views import absolute_url, url_path, webcal_url


@dataclass(frozen=True, slots=True)
class SubscribeOption:
    app: str  # "Google Calendar"
    href: str | None  # opens the app, or downloads the file; None: the visitor copies the address
    action: str  # the link's words, or what to do first: "Subscribe in Google Calendar"
    steps: str | None  # where the copied address goes, for apps without a link
    refresh: str  # how often the app looks for changes
    download: bool = False  # a one-time copy (the link gets the download attribute)


@dataclass(frozen=True, slots=True)
class SubscribeMenu:
    name: str  # the calendar's name, as calendar apps show it
    https: str  # the calendar's address, to copy
    webcal: str
    options: tuple[SubscribeOption, ...]


def subscribe_menu(site: Site, calendar_path: str, name: str,
                   language: Language | None = None) -> SubscribeMenu:
    """Every way to add the calendar at `calendar_path` (a site path: "/events.ics")."""
    _ = (language or language_for()).gettext
    https = absolute_url(site, calendar_path)
    webcal = webcal_url(https)
    outlook_query = urlencode({"url": https, "name": name}, quote_via=quote)
    options = (
        SubscribeOption(
            "Google Calendar", google_subscribe_link(webcal), _("Subscribe in Google Calendar"),
            None,
            _("Google looks for changes every 12 to 24 hours, whatever the calendar asks for: a "
            "moved meeting can take a day to show.")),
        SubscribeOption(
            "Apple Calendar (Mac, iPhone, iPad)", webcal, _("Subscribe in Apple Calendar"), None,
            _("As often as you choose when you subscribe (Auto-refresh, from every 5 minutes to "
            "every week).")),
        SubscribeOption(
            "Outlook.com", "https://outlook.live.com/calendar/0/addfromweb?" + outlook_query,
            _("Subscribe in Outlook.com"), None,
            _("Outlook on the web looks about every 3 hours.")),
        SubscribeOption(
            _("Microsoft 365 (work or school)"),
            "https://outlook.office.com/calendar/0/addfromweb?" + outlook_query,
            _("Subscribe in Outlook for Microsoft 365"), None,
            _("Outlook on the web looks about every 3 hours.")),
        SubscribeOption(
            _("Outlook for Windows or Mac"), None, _("Copy the address below"),
            _("In Outlook's calendar choose Add Calendar, then From Internet (new Outlook: "
            "Subscribe from web), paste the address and confirm."),
            _("Outlook follows the calendar's own suggestion, every 6 hours, when it sends and "
            "receives.")),
        SubscribeOption(
            "Thunderbird", None, _("Copy the address below"),
            _("In Thunderbird's calendar choose New Calendar, On the Network, paste the address "
              "as the Location, then Find Calendars and Subscribe."),
            _("Every 30 minutes unless you change it (the calendar's Properties, Refresh).")),
        SubscribeOption(
            _("Download once"), url_path(calendar_path), _("Download the .ics file"), None,
            _("A copy of the dates as they are today: it never updates, so a moved or cancelled "
            "meeting will not reach it. Subscribe instead where you can."), download=True),
    )
    return SubscribeMenu(name, https, webcal, options)


def google_subscribe_link(webcal: str) -> str:
    """Google Calendar's subscribe link: cid is the whole webcal:// address, encoded."""
    return "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe="")
