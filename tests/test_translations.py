"""The catalogues under locale/: the template holds every message the code and templates have,
and each language's catalogue translates every one of them with the right placeholders and
plural forms (README, Translating Nextup)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from conftest import ROOT, run_cli
from generator.content.languages import (LOCALE_DIR, catalogue_problems, catalogue_tags,
                                         read_catalogue)

TEMPLATE = LOCALE_DIR / "messages.pot"
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))


def keys(catalog: Catalog) -> set:
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in catalog if m.id}


def test_the_template_holds_every_message_of_the_code_and_templates(tmp_path):
    """A message added to a template or to render/ without `make translations` fails here."""
    fresh = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F",
                    str(LOCALE_DIR / "babel.cfg"), "-o", str(fresh), "."], cwd=ROOT, check=True)
    extracted, shipped = keys(read_catalogue(fresh)), keys(read_catalogue(TEMPLATE))
    assert sorted(map(str, extracted - shipped)) == [], "run make translations"
    assert sorted(map(str, shipped - extracted)) == [], "run make translations"
    assert len(extracted) > 200  # every page, feed and script: not an extraction that found nothing


def test_nextup_ships_the_six_languages_of_the_issue():
    assert catalogue_tags() == ["en", "ar", "de", "es", "fr", "pt-BR"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_each_catalogue_is_complete_and_its_placeholders_match(path):
    catalogue = read_catalogue(path)
    assert catalogue.locale is not None and str(catalogue.locale) == path.parent.parent.name
    assert catalogue_problems(read_catalogue(TEMPLATE), catalogue) == []


def _template() -> Catalog:
    template = Catalog()
    template.add("Next dates")
    template.add("Times in %(zone)s.")
    template.add(("%(count)s hour", "%(count)s hours"))
    template.add("May", context="month name")
    return template


def _portuguese(changes: dict | None = None) -> Catalog:
    catalogue = Catalog(locale="pt_BR")
    strings = {"Next dates": "Próximas datas", "Times in %(zone)s.": "Horários em %(zone)s.",
               ("%(count)s hour", "%(count)s hours"): ("uma hora", "%(count)s de horas", "%(count)s horas"),
               "May": "maio", **(changes or {})}
    for key, string in strings.items():
        if string is not None:
            catalogue.add(key, string, context="month name" if key == "May" else None)
    return catalogue


def test_the_check_passes_a_good_catalogue_and_allows_a_number_in_words():
    assert catalogue_problems(_template(), _portuguese()) == []


def test_the_check_finds_a_missing_message():
    assert catalogue_problems(_template(), _portuguese({"Next dates": None})) == [
        'msgid "Next dates": missing (run make translations, then translate it)']


def test_the_check_finds_a_misspelt_placeholder_and_an_empty_plural_form():
    problems = catalogue_problems(_template(), _portuguese({
        "Times in %(zone)s.": "Horários em %(zona)s.",
        ("%(count)s hour", "%(count)s hours"): ("uma hora", "%(count)s de horas", "")}))
    assert sorted(problems) == [
        'msgid "%(count)s hour" (form 2): not translated',
        'msgid "Times in %(zone)s.": placeholder %(zona)s is not in the English; use only %(zone)s',
        'msgid "Times in %(zone)s.": placeholder %(zone)s is missing; keep every %(...)s of the '
        'English']


def test_the_check_finds_a_message_the_code_no_longer_has_and_a_wrong_plural_header():
    catalogue = _portuguese()
    catalogue.add("Old words", "Palavras antigas")
    assert catalogue_problems(_template(), catalogue) == [
        'msgid "Old words": no longer used (run make translations, which drops it)']
    arabic = Catalog(locale="ar")
    arabic._num_plurals, arabic._plural_expr = 2, "(n != 1)"
    assert catalogue_problems(Catalog(), arabic)[0].startswith("Plural-Forms has 2 forms; CLDR")


def _check_site(tmp_path, settings: str):
    (tmp_path / "events").mkdir(exist_ok=True)
    (tmp_path / "site.toml").write_text(settings, encoding="utf-8")
    return run_cli("check", "--content", str(tmp_path))


def test_a_language_tag_in_any_case_reads_as_bcp_47(tmp_path):
    from generator.content.validate import read_site

    (tmp_path / "site.toml").write_text('language = "en-us"\n', encoding="utf-8")
    site, problems = read_site(tmp_path)
    assert problems == [] and site.language == "en-US" and not site.follow_visitor_language


def test_a_language_without_a_catalogue_is_a_located_error_naming_the_shipped_ones(tmp_path):
    result = _check_site(tmp_path, 'title = "x"\nlanguage = "it"\n')
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].endswith(
        'site.toml:2:12: language: Nextup has no catalogue for "it"; languages: '
        + ", ".join(catalogue_tags()) + ', or a region of one ("es-MX"); the README\'s '
        '"Translating Nextup" adds a language')


def test_a_tag_cldr_does_not_know_and_a_flag_that_is_not_true_or_false_are_both_reported(tmp_path):
    result = _check_site(tmp_path, 'language = "klingon"\nfollow_visitor_language = "yes"\n')
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert 'site.toml:1:12: language: "klingon" is not a language tag CLDR knows' in lines[0]
    assert lines[1].endswith("site.toml:2:27: follow_visitor_language: must be true or false, "
                             "not 'yes'; write follow_visitor_language = true, or leave it out")
