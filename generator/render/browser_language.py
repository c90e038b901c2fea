"""The words and formats of the browser's scripts (static/js/): one JSON block in every page
(templates/partials/language_data.html), read by each script, so that the countdown, the local
times, the stars and the rest speak the site's language. Messages keep their %(name)s
placeholders (the scripts fill them); plural messages carry one form per CLDR category
(zero/one/two/few/many/other) for Intl.PluralRules to choose. Durations, lists, digits and
country names come from the browser's Intl, in the language's own formats."""
from __future__ import annotations

from markupsafe import Markup

from ..model import Site
from .feed import script_safe_json
from .language import Language

# The numbers Intl.PluralRules gives each CLDR category in some language: the first that
# Babel's rules put in a category stands for it.
_SAMPLES = range(0, 201)


def _plural(language: Language, forms) -> dict[str, str]:
    """{category: message} of a plural message; `forms(n)` is the catalogue's form for the
    count n, its %(count)s kept for the script."""
    found: dict[str, str] = {}
    for n in _SAMPLES:
        category = language.locale.plural_form(n)
        if category not in found:
            found[category] = forms(n)
    return found


def messages(language: Language) -> dict[str, object]:
    """Every word the scripts show, by a short key."""
    _ = language.gettext
    return {
        # countdown.js and live.js
        "soon": _("Starting soon"),
        "live": _("Live now"),
        "ended": _("Ended"),
        "stale": _("This schedule may be out of date."),
        # TRANSLATORS: the countdown to the next meeting; %(duration)s is "2 days 3 hours".
        "in": _("in %(duration)s"),
        # TRANSLATORS: the countdown during a meeting; %(duration)s is "1 hour 5 minutes".
        "ends": _("is live, ends in %(duration)s"),
        "lessMinute": _("less than a minute"),
        # TRANSLATORS: a link to join a meeting online (a video call).
        "join": _("Join"),
        "empty": _("Nothing more is scheduled here until the next update."),
        # localtimes.js
        "zoneNote": _("Times in your time zone (%(zone)s)."),
        "zoneNoteBoth": _("Times in your time zone (%(zone)s), with %(event_zone)s times in brackets."),
        # TRANSLATORS: a date and the times on it: "Mon 15 Feb, 12:30–12:55".
        "dayTime": _("%(day)s, %(time)s"),
        # TRANSLATORS: an event on whole days: "Monday 15 February 2027 to Tuesday 16 February 2027".
        "dayRange": _("%(first)s to %(last)s, all day"),
        # TRANSLATORS: an event on one whole day: "Monday 15 February 2027, all day".
        "oneDay": _("%(day)s, all day"),
        # my.js
        "allDay": _("all day"),
        # TRANSLATORS: an event on several whole days; %(day)s is its last day, "Tue 16 Feb".
        "allDayTo": _("all day, to %(day)s"),
        # TRANSLATORS: the next date of a starred event, "Next: Mon 15 Feb, 07:00–08:00 GMT".
        "next": _("Next: %(when)s"),
        # TRANSLATORS: a link that adds the event's calendar to a calendar app.
        "subscribe": _("Subscribe"),
        "download": _("download .ics"),
        # timechanges.js
        # TRANSLATORS: %(day)s is "Mon 29 Mar", %(time)s and %(was)s clock times, %(place)s a country ("the UK") or a time zone.
        "changeBoth": _("From %(day)s this meeting is at %(time)s for you (was %(was)s): %(place)s and you change clocks."),
        # TRANSLATORS: %(day)s is "Mon 29 Mar", %(time)s and %(was)s clock times, %(place)s a country ("the UK") or a time zone.
        "changeThere": _("From %(day)s this meeting is at %(time)s for you (was %(was)s): %(place)s moves its clocks."),
        # TRANSLATORS: %(day)s is "Mon 29 Mar", %(time)s and %(was)s clock times.
        "changeHere": _("From %(day)s this meeting is at %(time)s for you (was %(was)s): your clocks change."),
        # calendar.js
        # TRANSLATORS: in a calendar's day, before an event that lasts the whole day.
        "calAllDay": _("All day"),
        # TRANSLATORS: a moved meeting in the calendar; %(when)s is its first date, "Mon 15 Feb 07:00".
        "movedFrom": _("from %(when)s"),
        # The state of a calendar entry, as the build's calendar pages say it.
        "moved": language.pgettext("calendar entry", "moved"),
        "cancelled": language.pgettext("calendar entry", "cancelled"),
        # TRANSLATORS: a link to the day's other events in the list, when the calendar is filtered.
        "moreAny": _("More…"),
        # TRANSLATORS: a link to the day's other events in the list.
        "more": _plural(language, lambda n: language.translations.ngettext(
            "+%(count)s more", "+%(count)s more", n)),
        # stars.js
        # TRANSLATORS: a button that adds an event to the visitor's own list ("My events").
        "star": _("Star"),
        # TRANSLATORS: in the header, before the next of the events the visitor starred.
        "myNext": _("My next event:"),
    }


def browser_language(language: Language, site: Site) -> Markup:
    """The JSON the scripts read (escaped for a <script> element)."""
    lang = "en-GB" if language.house_english else language.tag  # Nextup's English: en-GB's names
    data = {"lang": lang, "format": lang, "dir": language.direction,
            "follow": bool(site.follow_visitor_language), "messages": messages(language)}
    if language.house_english and not site.follow_visitor_language:
        data["clock"] = "h23"  # always 24-hour, as the build writes (the visitor's own when followed)
    return Markup(script_safe_json(data))
