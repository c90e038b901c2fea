"""`build.py import issue-form BODY [--comment FILE]`: an event proposed with the issue form.

The form becomes an event file (importing/issue_form.py), checked twice: on its own before it
is written, and then with the whole site by the pipeline, exactly as `check` does. The result is
told as a Markdown comment for the issue: what `check --explain` says (the schedule in words,
the next dates in the event's zone and in UTC), or every problem, named by the form's field.
It lives in tools/ because the explanation is `check --explain`'s own (tools/explain.py).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..build.pipeline import check_content
from ..content.load import display_path, parse_event_text
from ..content.validate import read_site, validate_event
from ..importing.draft import event_file_text
from ..importing.issue_form import (FORM_NAME, FormProblem, draft_from_form, form_problem,
                                    read_body, read_form)
from ..report import EXIT_CONTENT_ERRORS, EXIT_ENVIRONMENT, EXIT_OK, EXIT_USAGE, count
from ..text import FORBIDDEN_IN_DESCRIPTION, FORBIDDEN_IN_SETTINGS
from .explain import explain_events


@dataclass
class Proposal:
    """What became of one submitted form."""

    problems: list[FormProblem] = field(default_factory=list)
    path: Path | None = None  # the event file, once written
    text: str = ""  # its contents
    explanation: str = ""  # check --explain for it

    @property
    def ok(self) -> bool:
        return self.path is not None and not any(p.is_error for p in self.problems)


def propose_event(body: str, content_dir: Path, now: datetime) -> Proposal:
    """Turn the form into content/events/<slug>.md and check it with the site; on any error
    nothing stays written."""
    proposal = Proposal()
    site, site_problems = read_site(content_dir)
    if site is None:
        proposal.problems += [FormProblem(None, f"the site cannot be read: {p}",
                                          "a maintainer must fix site.toml") for p in site_problems]
        return proposal
    categories = [c.slug for c in site.categories]
    draft, problems = draft_from_form(read_form(body), categories, "the issue")
    proposal.problems += problems
    if draft is None:
        return proposal
    path = content_dir / "events" / f"{draft.slug}.md"
    text = event_file_text(draft)
    raw, file_problems = parse_event_text(path, text)
    if raw is not None:
        file_problems += validate_event(raw, categories, site.skip_holidays)[1]
    proposal.problems += [form_problem(p) for p in file_problems]
    if path.exists() or path.is_symlink():
        proposal.problems.append(FormProblem(
            "Title", f'the site already has an event called "{draft.slug}" '
            f"({display_path(path)})", "choose another title; to change that event, say what "
            "should change in a new issue"))
    if any(p.is_error for p in proposal.problems):
        return proposal
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    try:
        checked = check_content(content_dir, now)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    shown = display_path(path)
    # The site's verdict replaces the first look: the same problems, and those that need every
    # event (two events at one address, the same start as another scrum).
    proposal.problems = [form_problem(p) for p in checked.problems if p.file == shown]
    proposal.problems += [FormProblem(None, f"another file of the site has an error: {p}",
                                      "a maintainer must fix it first")
                          for p in checked.problems if p.file != shown and p.is_error]
    if any(p.is_error for p in proposal.problems):
        path.unlink()
        return proposal
    proposal.path, proposal.text = path, text
    proposal.explanation = explain_events(checked.events, [draft.slug], now)
    return proposal


# --- telling it --------------------------------------------------------------------------------

def comment_markdown(proposal: Proposal) -> str:
    """The comment for the issue. Everything the proposer typed that it repeats is inside a
    code block (fenced longer than any run of backticks in it): nothing typed in the form can
    become a heading, a link or an @mention in the comment."""
    if proposal.ok:
        name = display_path(proposal.path)
        parts = [f"### The event is ready for review: `{name}`", "",
                 "It passes `check`. This is what the site will show (`check --explain`): its "
                 "schedule in words, then the next meetings in the event's own time zone and in "
                 "UTC. If something is wrong, edit the issue: the file is made again.", "",
                 code_block(proposal.explanation, "text")]
        warnings = [p for p in proposal.problems if not p.is_error]
        if warnings:
            parts += ["", f"{count(len(warnings), 'warning')} (the event is added all the same):",
                      "", code_block(problem_lines(warnings), "text")]
        parts += ["", "<details><summary>The event file</summary>", "",
                  code_block(proposal.text, "toml"), "", "</details>"]
        return "\n".join(parts) + "\n"
    errors = [p for p in proposal.problems if p.is_error]
    lines = [f"### The event could not be added: {count(len(errors), 'problem')}", "",
             "Edit the issue (the ⋯ menu of its first comment, then *Edit*), change the fields "
             "named below, and save: the check runs again.", "",
             code_block(problem_lines(proposal.problems), "text")]
    return "\n".join(lines) + "\n"


def problem_lines(problems: list[FormProblem]) -> str:
    """"Time zone: unknown zone "Europe/Londn"" and, below it, how to fix it."""
    lines = []
    for problem in problems:
        where = f"{problem.label}: " if problem.label else ""
        level = "" if problem.is_error else "warning: "
        lines.append(safe_text(f"{level}{where}{problem.message}"))
        if problem.hint:
            lines.append(safe_text(f"  how to fix: {problem.hint}"))
    return "\n".join(lines)


def safe_text(text: str) -> str:
    """One line with every control character written as an escape (report.py does the same)."""
    return FORBIDDEN_IN_SETTINGS.sub(
        lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def code_block(text: str, language: str) -> str:
    text = FORBIDDEN_IN_DESCRIPTION.sub(
        lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    longest = max((len(run) for run in re.findall(r"`+|~+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip(chr(10))}\n{fence}"


def plain_report(proposal: Proposal) -> str:
    if proposal.ok:
        lines = [f"Wrote {display_path(proposal.path)}; it passes check.", "",
                 proposal.explanation]
        lines += [safe_text("warning: " + str(p)) for p in proposal.problems if not p.is_error]
        return "\n".join(lines)
    errors = [p for p in proposal.problems if p.is_error]
    return "\n".join([f"The form has {count(len(errors), 'problem')}; nothing was written:",
                      *[f"  {line}" for line in problem_lines(proposal.problems).split("\n")]])


def run_propose_event(args, now: datetime) -> int:
    try:
        body = read_body(args.file)
    except OSError as error:
        return _unusable(args, f"cannot read {display_path(args.file)}: {error.strerror}")
    except ValueError as error:
        return _unusable(args, str(error))
    proposal = propose_event(body, args.content, now)
    status = EXIT_OK if proposal.ok else EXIT_CONTENT_ERRORS
    print(plain_report(proposal), file=sys.stdout if proposal.ok else sys.stderr)
    return _write_comment(args, comment_markdown(proposal)) or status


def _unusable(args, reason: str) -> int:
    print(f"error: {reason}", file=sys.stderr)
    proposal = Proposal([FormProblem(None, reason, f'open a new issue with the "{FORM_NAME}" '
                                     "form")])
    return _write_comment(args, comment_markdown(proposal)) or EXIT_USAGE


def _write_comment(args, markdown: str) -> int:
    if args.comment is None:
        return 0
    try:
        Path(args.comment).write_text(markdown, encoding="utf-8", newline="\n")
    except OSError as error:
        print(f"error: cannot write {display_path(args.comment)}: {error.strerror}",
              file=sys.stderr)
        return EXIT_ENVIRONMENT
    return 0

