"""The editors' workflow: `check` (text and GitHub annotations, --explain), `new`, and the
summary every build ends with."""
import json
import re
import shutil


from conftest import ROOT, SAMPLE_CONTENT, run_cli, write_event

BROKEN = ROOT / "tests" / "fixtures" / "broken" / "content"
NOW = "2027-01-20T12:00:00Z"


def copy_sample(tmp_path):
    shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")
    return tmp_path / "content"


def test_check_reports_every_broken_file_with_its_line_and_writes_nothing(tmp_path):
    shutil.copytree(BROKEN, tmp_path / "content")
    result = run_cli("check", "--content", "content", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    located = {tuple(re.match(r"([^:]+)(?::(\d+))?", line).groups()) for line in lines[:-1]}
    assert ("content/events/euro-scrum.md", "7") in located
    assert ("content/events/bad-toml.md", "6") in located
    assert ("content/events/mistyped.md", "10") in located
    assert ("content/site.toml", "3") in located
    assert lines[-1].startswith("Checked 8 event files in content/: 12 errors")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_check_passes_once_the_files_are_fixed(tmp_path):
    content = copy_sample(tmp_path)
    write_event(content, "euro-scrum", """
        title = "Euro Scrum"
        category = "scrum"
        timezone = "Europe/Londn"
        start = 2027-02-01T07:00:00
        duration = 25
        rrule = "FREQ=WEEKLY;BYDAY=MO"
    """)
    broken = run_cli("check", "--content", "content", "--now", NOW, cwd=tmp_path)
    assert broken.returncode == 1
    assert 'content/events/euro-scrum.md:4:12: timezone: unknown zone "Europe/Londn"; did you mean "Europe/London"?' in broken.stderr
    path = content / "events" / "euro-scrum.md"
    path.write_text(path.read_text().replace("Europe/Londn", "Europe/London"))
    fixed = run_cli("check", "--content", "content", "--now", NOW, cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    assert "no errors" in fixed.stdout


def test_check_in_github_format_annotates_the_changed_line(tmp_path):
    shutil.copytree(BROKEN, tmp_path / "content")
    result = run_cli("check", "--content", "content", "--format", "github", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 1
    assert ("::error file=content/events/euro-scrum.md,line=7,col=12,title=timezone::unknown zone "
            '"Europe/Londn"; did you mean "Europe/London"?') in result.stdout.splitlines()
    for line in result.stdout.splitlines():
        assert re.fullmatch(r"::(error|warning) file=[^,:]+(,line=\d+(,col=\d+)?)?(,title=[^:]+)?::.+", line), line


def test_github_annotations_escape_newlines_and_percent_signs():
    from generator.model import Problem
    from generator.report import github_annotation

    problem = Problem("content/events/a,b.md", 3, None, "title", "50% off\nnext line",
                      severity="warning")
    assert github_annotation(problem) == \
        "::warning file=content/events/a%2Cb.md,line=3,title=title::50%25 off%0Anext line"


def test_warnings_do_not_fail_a_check(tmp_path):
    content = copy_sample(tmp_path)
    write_event(content, "second-scrum", """
        title = "Second Scrum"
        category = "scrum"
        timezone = "Europe/London"
        start = 2027-01-04T07:00:00
        duration = 15
        rrule = "FREQ=WEEKLY;BYDAY=MO"
        exdates = [2027-02-01T07:10:00]
    """)
    result = run_cli("check", "--content", "content", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert any("content/events/second-scrum.md:8:" in w and "matches no occurrence" in w for w in warnings)
    # Two scrums at once: the EuroAsia Scrum starts at 07:00 London on Mondays too.
    assert any("starts at the same time as EuroAsia Scrum (euroasia-scrum), also scrum, on Monday "
               "25 January 2027 at 07:00 (Europe/London)" in w for w in warnings), warnings


def test_explain_prints_each_occurrence_in_its_zone_and_in_utc(tmp_path):
    copy_sample(tmp_path)
    result = run_cli("check", "--content", "content", "--now", "2027-03-25T12:00:00Z",
                     "--explain", "atlantic-scrum", cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "atlantic-scrum: Atlantic Scrum"
    assert lines[1] == "  Every Tuesday and Wednesday at 15:15 (Europe/London)"
    # London moves to summer time on 28 March: 15:15 stays 15:15 there, 14:15 in UTC; the
    # moved occurrence of 30 March says so.
    assert re.match(r"  Tue 30 Mar 2027 16:30–16:55 BST \(Europe/London\) +"
                    r"= Tue 30 Mar 15:30–15:55 UTC  \[Atlantic Scrum \(late start\)\]  \[moved from Tue 30 Mar 15:15\]", lines[2]), lines[2]
    assert re.match(r"  Wed 31 Mar 2027 15:15–15:40 BST \(Europe/London\) += Wed 31 Mar 14:15–14:40 UTC$", lines[3])


def test_new_writes_an_event_that_checks_and_builds(tmp_path):
    content = copy_sample(tmp_path)
    made = run_cli("new", "Atlantic Retro & Planning", "--content", "content", "--category",
                   "meeting", "--timezone", "America/Sao_Paulo", "--now", NOW, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    path = content / "events" / "atlantic-retro-planning.md"
    text = path.read_text()
    assert 'title = "Atlantic Retro & Planning"' in text and 'timezone = "America/Sao_Paulo"' in text
    checked = run_cli("check", "--content", "content", "--now", NOW, "--explain",
                      "atlantic-retro-planning", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "Every Wednesday at 10:00 (America/Sao_Paulo)" in checked.stdout
    built = run_cli("build", "--content", "content", "--output", "public", "--now", NOW, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "public" / "events" / "atlantic-retro-planning" / "index.html").exists()
    again = run_cli("new", "Atlantic Retro & Planning", "--content", "content", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_every_commented_example_in_a_new_file_is_valid_when_switched_on(tmp_path):
    content = copy_sample(tmp_path)
    assert run_cli("new", "Demo", "--content", "content", "--now", NOW, cwd=tmp_path).returncode == 0
    path = content / "events" / "demo.md"
    lines = path.read_text().splitlines()
    optional = [i for i, line in enumerate(lines)
                if re.match(r"# ((project|audience|summary|until|exdates|rdates|original|start|duration|title|rsvp_url|image|image_alt|name|address|locality|country|geo|notes) = |\[\[overrides\]\]|\[location\])", line)]
    assert len(optional) >= 19
    for i in optional:
        lines[i] = lines[i][2:]
    path.write_text("\n".join(lines) + "\n")
    result = run_cli("check", "--content", "content", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_every_build_ends_with_a_summary(tmp_path):
    copy_sample(tmp_path)
    result = run_cli("build", "--content", "content", "--output", "public", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0
    feed = json.loads((tmp_path / "public" / "events.json").read_text())
    # 72 pages: the site's 43 (home, lists, events, /subscribe/, /my/, the calendar), 9 of
    # sessions (the sample's 8 records' pages and /sessions/), 19 to embed (4 categories,
    # 3 projects, 12 events) and the CMS's /admin/; their next.json and badges are not feeds. 4 feeds: events.json,
    # countdown.json, changes.atom and sessions.atom.
    assert re.fullmatch(rf"Built {len(feed['events'])} events \({len(feed['occurrences'])} occurrences "
                        r"in the horizon\): 72 pages, 20 calendars, "
                        r"4 feeds, \d+ other files into public/ in \d+\.\d\d s; 0 warnings\.\n", result.stdout), result.stdout


def test_a_real_build_never_carries_the_live_reload_hook(tmp_path):
    copy_sample(tmp_path)
    assert run_cli("build", "--content", "content", "--output", "public", "--now", NOW, cwd=tmp_path).returncode == 0
    for page in (tmp_path / "public").rglob("*"):
        if page.is_file():
            assert b"__nextup" not in page.read_bytes(), page
