"""site.toml's [editing] table, read and checked: the CMS at /admin/ and the "Edit this event"
link (README, "Editing in the browser").

    [editing]
    backend = "git-gateway"           # or "github": where the CMS logs in and saves
    repository = "harbourcode/events" # owner/name on GitHub (for "github", and edit links there)
    branch = "main"
    edit_link = "cms"                 # or "github"; false (the default): no link
    cms = true                        # false: build no /admin/
"""
from __future__ import annotations

import re

from ..model import Editing
from .rules import suggest

EDITING_FIELDS = ("cms", "backend", "repository", "branch", "edit_link")
BACKENDS = ("git-gateway", "github")
EDIT_LINKS = ("cms", "github")
# GitHub's own rules for owner and repository names; a branch name without spaces or controls.
_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_BRANCH = re.compile(r"[A-Za-z0-9._/-]{1,200}")


def check_editing(report, data: dict) -> Editing:
    """The [editing] settings (defaults for what is absent or wrong), every problem reported to
    `report` at its line."""
    from .validate import _value_words  # validate imports this module: import it late

    if "editing" not in data:
        return Editing()
    table = data["editing"]
    if not isinstance(table, dict):
        report.error(("editing",), f"must be an [editing] table, not {_value_words(table)}",
                     "write [editing] on a line of its own, then its settings below it")
        return Editing()
    for key in table:
        if key not in EDITING_FIELDS:
            report.error(("editing", key), f'unknown field "{key}" in [editing]',
                         suggest(key, EDITING_FIELDS) or "fields: " + ", ".join(EDITING_FIELDS))
    settings: dict = {}
    cms = table.get("cms", True)
    if isinstance(cms, bool):
        settings["cms"] = cms
    else:
        report.error(("editing", "cms"), f"must be true or false, not {_value_words(cms)}",
                     "write cms = false to build no /admin/, or leave it out")
    if "backend" in table:
        backend = table["backend"]
        if backend in BACKENDS:
            settings["backend"] = backend
        else:
            report.error(("editing", "backend"), f"must be one of {', '.join(BACKENDS)}, "
                         f"not {_value_words(backend)}",
                         (suggest(backend, BACKENDS) if isinstance(backend, str) else None)
                         or 'write backend = "git-gateway" (Netlify Identity) or "github"')
    if "repository" in table:
        repository = table["repository"]
        if isinstance(repository, str) and _REPOSITORY.fullmatch(repository.strip()):
            settings["repository"] = repository.strip()
        else:
            report.error(("editing", "repository"), "must be a GitHub repository's owner/name, "
                         f"not {_value_words(repository)}",
                         'write repository = "harbourcode/events", as in its github.com address')
    if "branch" in table:
        branch = table["branch"]
        if isinstance(branch, str) and _BRANCH.fullmatch(branch.strip()):
            settings["branch"] = branch.strip()
        else:
            report.error(("editing", "branch"), f"must be a branch name, not {_value_words(branch)}",
                         'write branch = "main", the branch the site is built from')
    if "edit_link" in table:
        link = table["edit_link"]
        if link is False:
            settings["edit_link"] = None
        elif link in EDIT_LINKS:
            settings["edit_link"] = link
        else:
            report.error(("editing", "edit_link"), 'must be "cms", "github" or false, not '
                         f"{_value_words(link)}",
                         'write edit_link = "cms" to link each event page to its form in /admin/')
    editing = Editing(**settings)
    if editing.backend == "github" and editing.repository is None and "backend" in settings:
        report.error(("editing", "backend"), 'the "github" backend needs the repository',
                     'add repository = "owner/name" to [editing]')
    if editing.edit_link == "github" and editing.repository is None:
        report.error(("editing", "edit_link"), "a link to the file on GitHub needs the repository",
                     'add repository = "owner/name" to [editing], or write edit_link = "cms"')
    if editing.edit_link == "cms" and not editing.cms:
        report.error(("editing", "edit_link"), "links to the CMS, but cms = false builds none",
                     'write edit_link = "github", or remove cms = false')
    return editing
