"""HTML pages from Jinja2 templates and the view models in views.py."""
from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup

from .language import Language


def make_environment(templates_dir: Path, language: Language) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        # Compiled templates are kept like Python's own bytecode (keyed by the template's
        # source, so never stale): compiling them costs more than building a small site.
        bytecode_cache=_bytecode_cache(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the build, not the page
        # One environment per build (render/context.py): no template changes under it, so none
        # is stat'ed again for each of thousands of pages.
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # {% trans %} and _("..."): the site's catalogue (extracted by `make translations`).
        extensions=["jinja2.ext.i18n"],
    )
    # newstyle: _("%(n)s more", n=3) fills its placeholders itself and escapes what it fills in.
    environment.install_gettext_translations(language.translations, newstyle=True)
    environment.globals.update(_message_callables(language.translations))
    # {% trans %} blocks are one line of text however the template wraps them (as extracted).
    environment.policies["ext.i18n.trimmed"] = True
    return environment


def _message_callables(translations) -> dict:
    """Jinja's newstyle gettext, ngettext, pgettext and npgettext, doing what jinja2.ext's do
    (the translation as Markup, then `% variables` always, so "%%" reads "%" everywhere) as
    plain functions, a message without variables looked up once. Jinja's own pass the template
    context through three nested `Context.call`s for each of the ~300,000 messages of a
    10,000-event build. Every template is autoescaped (select_autoescape above), so the
    translation is always Markup, as Jinja's would be."""
    plain: dict[str, Markup] = {}

    def gettext(message: str, /, **variables) -> Markup:
        if variables:
            return Markup(translations.gettext(message)) % variables
        found = plain.get(message)
        if found is None:
            found = plain[message] = Markup(translations.gettext(message)) % {}
        return found

    def ngettext(singular: str, plural: str, num: int, /, **variables) -> Markup:
        variables.setdefault("num", num)
        return Markup(translations.ngettext(singular, plural, num)) % variables

    def pgettext(context: str, message: str, /, **variables) -> Markup:
        return Markup(translations.pgettext(context, message)) % variables

    def npgettext(context: str, singular: str, plural: str, num: int, /,
                  **variables) -> Markup:
        variables.setdefault("num", num)
        return Markup(translations.npgettext(context, singular, plural, num)) % variables

    return {"gettext": gettext, "_": gettext, "ngettext": ngettext, "pgettext": pgettext,
            "npgettext": npgettext}


def _bytecode_cache(templates_dir: Path) -> jinja2.BytecodeCache | None:
    folder = templates_dir / "__pycache__"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None  # a read-only checkout: compile every time
    return jinja2.FileSystemBytecodeCache(str(folder))


def render_page(environment: jinja2.Environment, template: str, **context) -> bytes:
    return environment.get_template(template).render(**context).encode("utf-8")
