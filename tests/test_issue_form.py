"""`build.py import issue-form`: the "Propose an event" issue form, turned into an event file
and a comment, on issue bodies saved as GitHub writes them (tests/data/issue_forms/); the form,
its workflow and the site's categories kept in step."""
from __future__ import annotations

import re
import shutil
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from dateutil.rrule import MONTHLY, TU, rrule

from conftest import ROOT, SAMPLE_CONTENT, run_cli, write_event
from generator.build.pipeline import check_content
from generator.importing.issue_form import LABELS, FIELDS, REPEATS
from generator.schedule.expand import expand_occurrences

FORMS = ROOT / "tests" / "data" / "issue_forms"
TEMPLATE = ROOT / ".github" / "ISSUE_TEMPLATE" / "propose-event.yml"
WORKFLOW = ROOT / ".github" / "workflows" / "propose-event.yml"
NOW = "2027-01-20T12:00:00Z"
NOW_UTC = datetime(2027, 1, 20, 12, tzinfo=timezone.utc)


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of the sample site to propose events to."""
    target = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, target)
    return target


def propose(body: Path | str, content: Path, tmp_path: Path):
    """Run the command as the workflow does; (process, comment text, event files added)."""
    if isinstance(body, str):
        path = tmp_path / "body.md"
        path.write_text(body, encoding="utf-8")
        body = path
    before = set((content / "events").iterdir())
    comment = tmp_path / "comment.md"
    # From the folder above content/, as the workflow runs it: files are named content/...
    done = run_cli("import", "issue-form", str(body), "--content", content.name, "--now", NOW,
                   "--comment", str(comment), cwd=content.parent)
    added = sorted(set((content / "events").iterdir()) - before)
    return done, comment.read_text(encoding="utf-8"), added


def form_body(**changes: str) -> str:
    """The valid weekly form with some answers changed (label: new answer)."""
    text = (FORMS / "weekly.md").read_text(encoding="utf-8")
    for label, value in changes.items():
        label = label.replace("_", " ")
        pattern = re.compile(rf"(### {re.escape(label)}\n\n)(.*?)(?=\n\n### |\n?\Z)", re.S)
        assert pattern.search(text), label
        text = pattern.sub(lambda m: m.group(1) + value, text, count=1)
    return text


# --- the form itself ---------------------------------------------------------------------------

def template() -> dict:
    return yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))


def template_fields() -> list[dict]:
    return [item for item in template()["body"] if item["type"] != "markdown"]


def test_form_has_the_labels_the_command_reads_in_its_order():
    assert [item["attributes"]["label"] for item in template_fields()] == list(LABELS)


def test_form_follows_githubs_form_schema_rules():
    """Unique ids of letters, digits, - and _; unique labels; a name and a description; no
    dropdown option GitHub reserves ("None")."""
    form = template()
    assert form["name"] and form["description"] and form["body"]
    ids = [item["id"] for item in template_fields()]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)
    assert len(set(LABELS)) == len(LABELS)
    for item in template_fields():
        assert item["type"] in ("input", "textarea", "dropdown")
        assert "None" not in item["attributes"].get("options", [])
        # Text stays text: unquoted, YAML 1.1 reads 15:15 as a number and on as true.
        for key in ("label", "description", "placeholder"):
            assert isinstance(item["attributes"].get(key, ""), str), (item["id"], key)
        assert all(isinstance(o, str) for o in item["attributes"].get("options", []))


def test_required_fields_are_required_in_the_form_too():
    required = {item["attributes"]["label"] for item in template_fields()
                if item.get("validations", {}).get("required")}
    assert required == {f.label for f in FIELDS if f.required}


def test_only_the_fields_that_take_lines_are_text_areas():
    areas = {item["attributes"]["label"] for item in template_fields()
             if item["type"] == "textarea"}
    assert areas == {f.label for f in FIELDS if f.lines}


def test_category_dropdown_is_the_sample_sites_categories():
    """They cannot drift: a category added to site.toml must be added to the form."""
    site = tomllib.loads((SAMPLE_CONTENT / "site.toml").read_text(encoding="utf-8"))
    (category,) = [i for i in template_fields() if i["attributes"]["label"] == "Category"]
    assert category["type"] == "dropdown"
    assert category["attributes"]["options"] == site["categories"]


def test_repeats_dropdown_offers_what_the_command_understands():
    (repeats,) = [i for i in template_fields() if i["attributes"]["label"] == "Repeats"]
    assert repeats["attributes"]["options"] == list(REPEATS)


def test_the_form_explains_zones_and_start_in_the_words_of_build_py_new():
    """The same hints as the file `new` writes and the CMS shows (the field catalogue), so the
    ways in read alike."""
    from generator.content.fields import EVENT
    from generator.tools.new import BODY

    described = " ".join(" ".join(item["attributes"].get("description", "").split())
                         for item in template_fields())
    hints = " ".join([f.hint for f in EVENT] + [BODY])
    for sentence in ("Times below are wall-clock times there: a 10:00 meeting stays at 10:00 "
                     "in this zone when clocks change.",
                     "If it is not on a day the repeat below picks, the series starts on the "
                     "first day that is.", "Where people join (optional)",
                     "who it is for, and how to join. Markdown works: **bold**, lists, links."):
        assert sentence in described, sentence
        assert sentence in " ".join(hints.split()), sentence


def test_every_field_explains_itself():
    for item in template_fields():
        assert len(item["attributes"].get("description", "")) > 20, item["attributes"]["label"]


# --- valid forms ---------------------------------------------------------------------------------

VALID = {"weekly.md": "tuesday-pairing", "monthly.md": "second-tuesday-review",
         "one-off.md": "spring-planning-day", "heading-in-description.md": "tuesday-pairing"}


@pytest.mark.parametrize("name,slug", VALID.items())
def test_a_valid_form_writes_an_event_file_that_passes_check(name, slug, content, tmp_path):
    done, comment, added = propose(FORMS / name, content, tmp_path)
    assert done.returncode == 0, done.stderr
    assert added == [content / "events" / f"{slug}.md"]
    checked = run_cli("check", "--content", str(content), "--now", NOW, "--explain", slug)
    assert checked.returncode == 0, checked.stderr
    assert "0 warnings" in checked.stdout
    # The comment holds what check --explain prints for it, line for line.
    explanation = checked.stdout[:checked.stdout.index("\nChecked ")].strip("\n")
    assert f"```text\n{explanation}\n```" in comment
    assert f"ready for review: `content/events/{slug}.md`" in comment
    assert done.stderr == ""


def test_the_comment_shows_the_schedule_in_words_and_dates_in_both_zones(content, tmp_path):
    _, comment, _ = propose(FORMS / "monthly.md", content, tmp_path)
    assert "  Second Tuesday of each month at 17:00 (Europe/Berlin), 12 times\n" in comment
    assert "  Tue 9 Feb 2027 17:00–18:00 CET (Europe/Berlin)   = Tue 9 Feb 16:00–17:00 UTC\n" \
        in comment
    assert "  Tue 13 Apr 2027 17:00–18:00 CEST (Europe/Berlin) = Tue 13 Apr 15:00–16:00 UTC\n" \
        in comment


def test_local_times_are_written_bare_and_fields_before_tables(content, tmp_path):
    propose(FORMS / "weekly.md", content, tmp_path)
    text = (content / "events" / "tuesday-pairing.md").read_text(encoding="utf-8")
    assert "start = 2027-01-05T18:30:00\n" in text
    assert "exdates = [2027-02-16, 2027-03-04T18:30:00]\n" in text
    assert "until = 2027-06-30\n" in text
    assert text.index("url = ") < text.index("[repeat]")
    assert "# Proposed with the \"Propose an event\" issue form; contact: @sam" in text


def test_headings_typed_into_the_description_stay_in_it(content, tmp_path):
    """GitHub does not escape what people type: a `### Contact` line in the description is
    taken for the field only if a real one follows it."""
    propose(FORMS / "heading-in-description.md", content, tmp_path)
    text = (content / "events" / "tuesday-pairing.md").read_text(encoding="utf-8")
    assert text.endswith("### Contact\n\nStill the description.\n")
    assert "contact: @sam on the community chat." in text


HAND_WRITTEN = {
    "weekly.md": ("tuesday-pairing", '''
        title = "Tuesday Pairing"
        category = "pair-programming"
        timezone = "America/New_York"
        start = 2027-01-05T18:30:00
        duration = 90
        exdates = [2027-02-16, 2027-03-04T18:30:00]
        rrule = "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270630"
        '''),
    "monthly.md": ("second-tuesday-review", '''
        title = "Second Tuesday Review"
        category = "meeting"
        timezone = "Europe/Berlin"
        start = 2027-01-12T17:00:00
        duration = 60
        exdates = [2027-08-10T17:00:00]
        rrule = "FREQ=MONTHLY;BYDAY=2TU;COUNT=12"
        '''),
    "one-off.md": ("spring-planning-day", '''
        title = "Spring Planning Day"
        category = "meeting"
        timezone = "Asia/Tokyo"
        start = 2027-03-20T09:30:00
        duration = 240
        '''),
}


def occurrences(content: Path, slug: str) -> list[tuple[datetime, datetime]]:
    checked = check_content(content, NOW_UTC)
    assert checked.ok, checked.problems
    (event,) = [e for e in checked.events if e.slug == slug]
    begin = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return [(o.start, o.end) for o in expand_occurrences(event, begin, begin + timedelta(days=1000))]


@pytest.mark.parametrize("name", HAND_WRITTEN)
def test_occurrences_equal_the_same_event_written_by_hand(name, content, tmp_path):
    propose(FORMS / name, content, tmp_path)
    slug, front_matter = HAND_WRITTEN[name]
    by_hand = tmp_path / "by-hand"
    by_hand.mkdir()
    (by_hand / "site.toml").write_text('categories = ["scrum", "pair-programming", "meeting"]\n',
                                       encoding="utf-8")
    write_event(by_hand, slug, front_matter)
    proposed = occurrences(content, slug)
    assert proposed == occurrences(by_hand, slug)
    assert proposed  # and not trivially so


def test_second_tuesday_agrees_with_dateutil(content, tmp_path):
    propose(FORMS / "monthly.md", content, tmp_path)
    berlin = ZoneInfo("Europe/Berlin")
    expected = [(m.replace(tzinfo=berlin).astimezone(timezone.utc),
                 (m + timedelta(minutes=60)).replace(tzinfo=berlin).astimezone(timezone.utc))
                for m in rrule(MONTHLY, byweekday=TU(2), count=12,
                               dtstart=datetime(2027, 1, 12, 17))
                if m.date() != datetime(2027, 8, 10).date()]
    assert occurrences(content, "second-tuesday-review") == expected
    assert len(expected) == 11


def test_same_form_and_now_give_byte_identical_files_and_comments(tmp_path):
    results = []
    for run in ("a", "b"):
        target = tmp_path / run / "content"
        shutil.copytree(SAMPLE_CONTENT, target)
        _, comment, added = propose(FORMS / "weekly.md", target, tmp_path / run)
        results.append((comment, added[0].read_bytes()))
    assert results[0] == results[1]


# --- broken forms: every problem, named by the form's field ----------------------------------

BROKEN = [
    ("bad-zone.md", ['Time zone: unknown zone "Europe/Londn"',
                     '  how to fix: did you mean "Europe/London"?']),
    ("bad-date.md", ['First meeting: date: "2027-02-30" is not a date',
                     "  how to fix: write it as year-month-day, like 2027-01-05 (and check that "
                     "the day exists in that month)",
                     'First meeting: local time: "6.30pm" is not a time of day',
                     "  how to fix: write it on the 24-hour clock, like 15:15 or 09:30"]),
    ("missing-title.md", ["Title: is empty",
                          '  how to fix: write the event\'s name, e.g. "Atlantic Scrum"']),
    ("unknown-category.md", ['Category: "hackathon" is not one of the site\'s categories',
                             "  how to fix: choose one of: scrum, pair-programming, meeting, "
                             "client-meeting"]),
]


@pytest.mark.parametrize("name,lines", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_form_writes_nothing_and_names_each_field_to_fix(name, lines, content, tmp_path):
    done, comment, added = propose(FORMS / name, content, tmp_path)
    assert done.returncode == 1
    assert added == []
    assert "could not be added" in comment
    block = comment[comment.index("```text\n") + 8:comment.rindex("\n```")].split("\n")
    assert block == lines
    assert "Traceback" not in done.stderr + done.stdout
    assert "nothing was written" in done.stderr


def test_every_problem_of_every_field_is_told_at_once(content, tmp_path):
    body = form_body(Title="_No response_", Time_zone="Europe/Londn", Duration_in_minutes="1h",
                     Every_how_many="two", Cancelled_dates="2027-02-16\nsoon")
    done, comment, _ = propose(body, content, tmp_path)
    assert done.returncode == 1
    assert "could not be added: 5 problems" in comment
    for line in ("Title: is empty", 'Time zone: unknown zone "Europe/Londn"',
                 'Duration in minutes: "1h" is not a whole number',
                 'Every how many: "two" is not a whole number',
                 'Cancelled dates: "soon" (date 2) is not a date or a date and time'):
        assert f"\n{line}\n" in comment, line


def test_what_the_sites_check_finds_is_named_by_the_field_too(content, tmp_path):
    """Once every answer reads, the build's validator decides; its problems (and warnings)
    name the form's field, not the file's."""
    done, comment, _ = propose(form_body(Time_zone="EST", On="mon, funday"), content, tmp_path)
    assert done.returncode == 1
    assert '\nOn: "funday" is not a weekday\n  how to fix: did you mean "sunday"?\n' in comment
    assert "\nwarning: Time zone: EST is an old zone name" in comment


def test_a_meeting_that_does_not_repeat_refuses_repeat_answers(content, tmp_path):
    done, comment, _ = propose(form_body(Repeats="Does not repeat"), content, tmp_path)
    assert done.returncode == 1
    assert "On: a meeting that does not repeat has nothing to fill in here" in comment
    assert "Last meeting on: a meeting that does not repeat" in comment


def test_until_and_count_together_are_refused_at_the_form_field(content, tmp_path):
    done, comment, _ = propose(form_body(Number_of_meetings="10"), content, tmp_path)
    assert done.returncode == 1
    assert "Last meeting on: count and until cannot both be given" in comment


def test_an_existing_event_is_never_replaced(content, tmp_path):
    existing = content / "events" / "monthly-review.md"
    before = existing.read_bytes()
    done, comment, added = propose(form_body(Title="Monthly Review"), content, tmp_path)
    assert done.returncode == 1 and added == []
    assert 'Title: the site already has an event called "monthly-review"' in comment
    assert existing.read_bytes() == before


def test_a_problem_the_whole_site_check_finds_removes_the_file(content, tmp_path):
    """Two events at one start in the countdown category is the site-wide check's business;
    a warning of it does not stop the proposal, and errors of other files are named."""
    (content / "events" / "broken.md").write_text("+++\ntitle = 1\n+++\n", encoding="utf-8")
    done, comment, added = propose(FORMS / "weekly.md", content, tmp_path)
    assert done.returncode == 1 and added == []
    assert not (content / "events" / "tuesday-pairing.md").exists()
    assert "another file of the site has an error" in comment


# --- hostile input ---------------------------------------------------------------------------

def test_a_title_cannot_write_toml_of_its_own(content, tmp_path):
    done, comment, added = propose(form_body(Title='Evil"\n[repeat]\nevery = "day'), content,
                                   tmp_path)
    assert done.returncode == 1 and added == []
    assert "Title: must be one line" in comment


def test_quotes_and_brackets_in_one_line_stay_text(content, tmp_path):
    title = 'Quote" [repeat] every = "day" \\ end'
    description = "+++\ntitle = \"forged\"\n+++\n\n```\n````\nBackticks."
    done, comment, added = propose(form_body(Title=title, Description=description), content,
                                   tmp_path)
    assert done.returncode == 0, done.stderr
    text = added[0].read_text(encoding="utf-8")
    data = tomllib.loads(text.split("+++\n")[1])
    assert data["title"] == title
    assert data["repeat"] == {"every": "week", "on": ["tue", "thu"],
                              "until": datetime(2027, 6, 30).date()}
    assert text.endswith(description + "\n")
    # The comment's fences are longer than any run of backticks the proposer typed.
    assert "`````toml\n" in comment


def test_control_characters_are_refused_and_shown_escaped(content, tmp_path):
    body = form_body(Title="Scrum\x1b[31m red", Description="Ring \x07 the bell",
                     Join_link="https://x.org/\x00")
    done, comment, added = propose(body, content, tmp_path)
    assert done.returncode == 1 and added == []
    assert "\x1b" not in comment + done.stderr and "\x07" not in comment + done.stderr
    assert "Title: holds a control character (U+001B ESCAPE)" in comment
    assert "Join link: holds a control character (U+0000 NUL)" in comment
    assert "Description: holds a control character (U+0007 BEL)" in comment


def test_a_join_link_that_is_not_a_web_address_is_refused(content, tmp_path):
    done, comment, _ = propose(form_body(Join_link="javascript:alert(1)"), content, tmp_path)
    assert done.returncode == 1
    assert "\nJoin link: " in comment


def test_a_huge_body_is_refused_in_one_line(content, tmp_path):
    done, comment, added = propose(form_body(Description="x" * 300_000), content, tmp_path)
    assert done.returncode == 2 and added == []
    assert "longer than GitHub allows" in comment and "Traceback" not in done.stderr


def test_a_body_that_is_not_utf8_is_refused(content, tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes(form_body(Title="Caf\xe9").encode("latin-1"))
    done, comment, _ = propose(path, content, tmp_path)
    assert done.returncode == 2
    assert "not UTF-8" in comment


def test_an_issue_not_written_with_the_form_says_so(content, tmp_path):
    done, comment, added = propose("Please add our meetup, Tuesdays at 7!\n", content, tmp_path)
    assert done.returncode == 1 and added == []
    assert 'was not written with the "Propose an event" form' in comment


def test_a_missing_body_file_is_a_usage_error(content, tmp_path):
    done = run_cli("import", "issue-form", str(tmp_path / "nothing.md"), "--content", str(content))
    assert done.returncode == 2
    assert done.stderr.startswith("error: cannot read ") and "Traceback" not in done.stderr


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(content, tmp_path):
    import os

    pipe = tmp_path / "body.fifo"
    os.mkfifo(pipe)
    done = run_cli("import", "issue-form", str(pipe), "--content", str(content))
    assert done.returncode == 2
    assert "not a regular file" in done.stderr


def test_windows_line_endings_read_the_same(content, tmp_path):
    body = (FORMS / "weekly.md").read_text(encoding="utf-8").replace("\n", "\r\n")
    done, _, added = propose(body, content, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "\r" not in added[0].read_text(encoding="utf-8")


# --- the workflow ---------------------------------------------------------------------------

def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_workflow_runs_on_issues_with_the_forms_label():
    flow = workflow()
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads the key `on` as true
    assert triggers == {"issues": {"types": ["opened", "edited", "labeled"]}}
    (job,) = flow["jobs"].values()
    (label,) = template()["labels"]
    assert job["if"] == (f"contains(github.event.issue.labels.*.name, '{label}') && "
                         f"(github.event.action != 'labeled' || github.event.label.name == "
                         f"'{label}')")
    assert flow["permissions"] == {"contents": "write", "pull-requests": "write",
                                   "issues": "write"}


def test_workflow_passes_untrusted_text_only_through_the_environment():
    """No `${{ }}` inside a script: an issue title or body there would be run as shell."""
    (job,) = workflow()["jobs"].values()
    scripts = [step["run"] for step in job["steps"] if "run" in step]
    assert scripts
    for script in scripts:
        assert "${{" not in script, script
    assert job["env"]["ISSUE_BODY"] == "${{ github.event.issue.body }}"
    everything = WORKFLOW.read_text(encoding="utf-8")
    assert set(re.findall(r"\$\{\{\s*([^}]*?)\s*\}\}", everything)) == {
        "github.event.issue.number", "github.event.issue.body", "github.token"}


def test_workflow_runs_the_command_pushes_the_branch_and_comments():
    (job,) = workflow()["jobs"].values()
    script = "\n".join(step.get("run", "") for step in job["steps"])
    assert 'python build.py import issue-form "$RUNNER_TEMP/issue-body.md"' in script
    assert '--comment "$RUNNER_TEMP/comment.md"' in script
    assert 'branch="propose/$ISSUE_NUMBER"' in script
    assert "git push --force origin \"$branch\"" in script
    assert "gh pr create" in script and "gh pr list --head" in script
    assert 'gh issue comment "$ISSUE_NUMBER" --body-file "$RUNNER_TEMP/comment.md"' in script


def test_readme_lists_the_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python build.py import issue-form BODY_FILE [--comment COMMENT_FILE]" in readme


def test_workflow_scripts_run_a_hostile_issue_as_data(tmp_path):
    """The workflow's own scripts, run by bash as the runner does, in a clone with a local
    remote and a stand-in for the gh CLI: the issue's text, full of shell, only ever reaches
    our command, and the branch, the pull request and the comment are made."""
    import os
    import subprocess
    import sys

    work, remote, runner, bin_dir = (tmp_path / n for n in ("work", "remote.git", "runner", "bin"))
    for folder in (work, runner, bin_dir):
        folder.mkdir()
    shutil.copy(ROOT / "build.py", work)
    shutil.copytree(ROOT / "generator", work / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(SAMPLE_CONTENT, work / "content")
    git = lambda *args, cwd=work: subprocess.run(["git", *args], cwd=cwd, check=True,  # noqa: E731
                                                 capture_output=True, text=True).stdout
    subprocess.run(["git", "init", "--bare", "-q", str(remote)], check=True)
    git("init", "-q", "-b", "main")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "site")
    git("remote", "add", "origin", str(remote))
    git("push", "-q", "origin", "main")
    (bin_dir / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    calls = tmp_path / "gh-calls"
    (bin_dir / "gh").write_text(
        "#!/bin/sh\n" f'printf "%s\\n" "$*" >> "{calls}"\n'
        'case "$1 $2" in "pr create") echo https://github.com/o/r/pull/7;; esac\n')
    for tool in ("gh", "python"):
        (bin_dir / tool).chmod(0o755)
    hostile = form_body(Title="Scrum $(touch PWNED) `touch PWNED2`",
                        Description="'; touch PWNED3; echo '\n$(touch PWNED4)")
    output = tmp_path / "github-output"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "RUNNER_TEMP": str(runner), "GITHUB_OUTPUT": str(output), "ISSUE_NUMBER": "42",
           "ISSUE_BODY": hostile, "GH_TOKEN": "not-a-token", "HOME": str(tmp_path),
           "GIT_CONFIG_NOSYSTEM": "1"}
    (job,) = workflow()["jobs"].values()
    steps = {step.get("id") or step.get("name"): step for step in job["steps"] if "run" in step}

    def run(name: str) -> None:
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               steps[name]["run"]], cwd=work, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done

    run("convert")
    assert output.read_text() == "status=0\n"
    run("Push the branch and open or update the pull request")
    run("Comment on the issue")
    assert not list(work.glob("PWNED*")) and not list(tmp_path.glob("**/PWNED*"))
    files = git("ls-tree", "-r", "--name-only", "propose/42", "content/events", cwd=remote)
    assert "content/events/scrum-touch-pwned-touch-pwned2.md" in files.split("\n")
    logged = calls.read_text()
    assert "pr create --head propose/42 --title Proposed event (#42)" in logged
    assert f"issue comment 42 --body-file {runner}/comment.md" in logged
    comment = (runner / "comment.md").read_text()
    assert "ready for review" in comment and comment.endswith(
        "Pull request: https://github.com/o/r/pull/7\n")
