"""What every page shares: the Jinja environment, the site's links, asset addresses, and the
context every template receives. Built once per process (a build's workers build their own)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..model import Site
from .browser_language import browser_language
from .language import Language, language_for
from .pages import make_environment, render_page
from .views import Links, absolute_url, image_url, webcal_url


@dataclass(frozen=True, slots=True)
class RenderOptions:
    templates_dir: Path
    static_dir: Path
    extra_context: dict = field(default_factory=dict)


@dataclass
class PageContext:
    site: Site
    links: Links
    environment: jinja2.Environment
    common: dict  # what every template receives
    language: Language
    made_from: tuple = ()  # page_context's arguments: a worker that gets this pickled remakes it

    def __reduce__(self):
        # A Jinja environment cannot be pickled; what it is made from can.
        return page_context, self.made_from

    def render(self, path: str, template: str, **context) -> bytes:
        """A page at `path` (relative to the output), with its canonical address."""
        address = self.links.prefix + path.removesuffix("index.html")
        return render_page(self.environment, template,
                           **{**self.common, "canonical": absolute_url(self.site, address),
                              **context})

    def address(self, path: str) -> str:
        return self.links.prefix + path.removesuffix("index.html")


def page_context(site: Site, options: RenderOptions, asset_paths: dict[str, str]) -> PageContext:
    links = Links(site.path_prefix)
    language = language_for(site.language)
    common = {
        "language": language, "browser_language": browser_language(language, site),
        "site": site, "links": links,
        "countdown_label": site.category(site.countdown_category).label,
        "assets": {name: links.prefix + path for name, path in asset_paths.items()},
        "countdown_block": False,
        "calendar_webcal": webcal_url(absolute_url(site, links.calendar())),
        # Link previews of every page: the site's default picture, unless a page has its own.
        "og_image": image_url(site, links, site.default_image), "og_image_alt": None,
        **options.extra_context,
    }
    environment = make_environment(options.templates_dir, language)
    # What every page repeats, rendered once here rather than in each of thousands of pages.
    common["chrome"] = {
        "head": Markup(environment.get_template("partials/head_links.html").render(**common)),
        "header": {flag: Markup(environment.get_template("partials/site_header.html")
                                .render(**{**common, "countdown_block": flag}))
                   for flag in (False, True)},
        "footer": Markup(environment.get_template("partials/site_footer.html").render(**common)),
    }
    return PageContext(site, links, environment, common, language, (site, options, asset_paths))
