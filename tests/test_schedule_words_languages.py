"""The schedule in words in other languages, for the worked examples of docs/editing.md.

The expected strings are reviewed translations (es, pt-BR, de, fr, ar). They need the site's
catalogues (locale/<tag>/LC_MESSAGES/messages.po): until a language has one, its tests skip.
The date parts are also checked against Babel's own full date format, which needs no catalogue.
"""
from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date

from generator.content.languages import catalogue_path
from generator.content.validate import DEFAULT_CATEGORIES, validate_event
from generator.model import RawFile
from generator.render.language import language_for
from generator.render.words import schedule_in_words


def make_event(front_matter: str):
    data = {"title": "Example", "category": "scrum", "duration": 30,
            **tomllib.loads(front_matter)}
    path = Path("content/events/example.md")
    event, problems = validate_event(RawFile(path, str(path), data, {}), DEFAULT_CATEGORIES)
    assert event is not None, [str(p) for p in problems]
    return event


def language(tag: str):
    if catalogue_path(tag) is None:
        pytest.skip(f"no catalogue for {tag} yet (the lead builds locale/ from the fragments)")
    return language_for(tag)


WEEKDAYS = """timezone = "Europe/London"\nstart = 2027-01-18T09:00:00
[repeat]\nevery = "week"\non = ["mon", "tue", "wed", "thu", "fri"]\n"""
SATURDAY = """timezone = "Asia/Kolkata"\nstart = 2027-01-23T11:00:00
[repeat]\nevery = "week"\non = ["sat"]\n"""
THREE_DAYS = """timezone = "Asia/Singapore"\nstart = 2027-01-18T12:00:00
[repeat]\nevery = "week"\non = ["mon", "wed", "fri"]\n"""
FORTNIGHT = """timezone = "Europe/Berlin"\nstart = 2027-01-21T17:00:00
[repeat]\nevery = "week"\ninterval = 2\non = ["thu"]\n"""
SECOND_TUESDAY = """timezone = "Europe/London"\nstart = 2027-01-12T19:00:00
[repeat]\nevery = "month"\non = ["second tuesday"]\n"""
LAST_FRIDAY = """timezone = "Europe/London"\nstart = 2027-01-29T17:00:00
[repeat]\nevery = "month"\non = ["last fri"]\n"""
FIRST_SATURDAY = """timezone = "America/Sao_Paulo"\nstart = 2027-01-02T10:00:00
[repeat]\nevery = "month"\non = ["first saturday"]\n"""
FOUR_TIMES = """timezone = "America/Sao_Paulo"\nstart = 2027-01-26T19:00:00
[repeat]\nevery = "week"\non = ["tue"]\ncount = 4\n"""
ONCE = """timezone = "Europe/Madrid"\nstart = 2027-03-10T18:00:00\n"""

EXPECTED = {
    "es": {
        WEEKDAYS: "De lunes a viernes, todas las semanas a las 9:00 (Europe/London)",
        SATURDAY: "Todos los sábados a las 11:00 (Asia/Kolkata)",
        FORTNIGHT: "Cada dos jueves a las 17:00 (Europe/Berlin)",
        SECOND_TUESDAY: "El segundo martes de cada mes a las 19:00 (Europe/London)",
        LAST_FRIDAY: "El último viernes de cada mes a las 17:00 (Europe/London)",
        FOUR_TIMES: "Todos los martes a las 19:00 (America/Sao_Paulo), 4 veces",
        ONCE: "Una sola vez, el miércoles, 10 de marzo de 2027 a las 18:00 (Europe/Madrid)",
    },
    "pt-BR": {
        WEEKDAYS: "De segunda-feira a sexta-feira, toda semana às 09:00 (Europe/London)",
        SATURDAY: "Todo sábado às 11:00 (Asia/Kolkata)",
        FORTNIGHT: "A cada duas quintas-feiras às 17:00 (Europe/Berlin)",
        SECOND_TUESDAY: "Segunda terça-feira de cada mês às 19:00 (Europe/London)",
        FIRST_SATURDAY: "Primeiro sábado de cada mês às 10:00 (America/Sao_Paulo)",
        FOUR_TIMES: "Toda terça-feira às 19:00 (America/Sao_Paulo), 4 vezes",
    },
    "de": {
        WEEKDAYS: "Jeden Montag bis Freitag um 09:00 (Europe/London)",
        SATURDAY: "Jeden Samstag um 11:00 (Asia/Kolkata)",
        FORTNIGHT: "Jeden zweiten Donnerstag um 17:00 (Europe/Berlin)",
        SECOND_TUESDAY: "Am zweiten Dienstag jedes Monats um 19:00 (Europe/London)",
        LAST_FRIDAY: "Am letzten Freitag jedes Monats um 17:00 (Europe/London)",
        FOUR_TIMES: "Jeden Dienstag um 19:00 (America/Sao_Paulo), 4 Mal",
    },
    "fr": {
        WEEKDAYS: "Du lundi au vendredi, chaque semaine à 09:00 (Europe/London)",
        SATURDAY: "Tous les samedis à 11:00 (Asia/Kolkata)",
        THREE_DAYS: "Lundi, mercredi et vendredi, chaque semaine à 12:00 (Asia/Singapore)",
        FORTNIGHT: "Un jeudi sur deux à 17:00 (Europe/Berlin)",
        SECOND_TUESDAY: "Le deuxième mardi de chaque mois à 19:00 (Europe/London)",
        LAST_FRIDAY: "Le dernier vendredi de chaque mois à 17:00 (Europe/London)",
        FOUR_TIMES: "Tous les mardis à 19:00 (America/Sao_Paulo), 4 fois",
    },
    "ar": {
        SATURDAY: "كل يوم سبت الساعة 11:00 ص (Asia/Kolkata)",
        SECOND_TUESDAY: "ثاني ثلاثاء من كل شهر الساعة 7:00 م (Europe/London)",
        LAST_FRIDAY: "آخر جمعة من كل شهر الساعة 5:00 م (Europe/London)",
    },
}


@pytest.mark.parametrize("tag,front_matter,expected",
                         [(tag, fm, words) for tag, cases in EXPECTED.items()
                          for fm, words in cases.items()])
def test_schedule_in_words_reads_naturally(tag, front_matter, expected):
    assert schedule_in_words(make_event(front_matter), language(tag)) == expected


@pytest.mark.parametrize("tag", ["es", "pt-BR", "de", "fr", "ar"])
def test_dates_in_the_words_are_cldr_full_dates(tag):
    """The one-off's date is Babel's full date (less its comma, where Nextup drops it)."""
    words = schedule_in_words(make_event(ONCE), language(tag))
    full = format_date(date(2027, 3, 10), "full", locale=tag.replace("-", "_"))
    assert language_for(tag).long_day(date(2027, 3, 10)) in words
    # Every word of CLDR's full date is in the sentence (the house pattern may reorder commas).
    for word in full.replace(",", " ").split():
        assert word in words, (word, words)
