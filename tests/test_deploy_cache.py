"""The build cache survives on the deploy target (README.md, "Scheduled refresh").

On Netlify: Netlify's own build engine (@netlify/build, run offline as the buildbot runs it:
`netlify-config` resolves the configuration, `netlify-build --cachedConfigPath` builds) in fresh
`git clone`s of this repository at HEAD, one after the other, sharing one Netlify cache folder.
The plugin in netlify/plugins/nextup-cache/ must bring back what a refresh needs, the refresh must
reuse pages, and every output must equal a clean build; a cache from other code or other content
must be used only where it still holds.

On GitHub Actions: docs/github-actions-build.yml must cache exactly the folders the generator
uses, under a key a later run can find.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from generator.build.cache import cache_path

NETLIFY_TOML = tomllib.loads((ROOT / "netlify.toml").read_text())
PLUGIN = "./netlify/plugins/nextup-cache"
WORKFLOW = ROOT / "docs" / "github-actions-build.yml"
# Two moments six hours apart, as the scheduled refresh runs (.github/workflows/refresh.yml).
FIRST_NOW = "2027-01-20T12:00:00Z"
REFRESH_NOW = "2027-01-20T18:00:00Z"
# Where Netlify's build engine is: the project's node_modules (npm ci), or NETLIFY_BUILD_BIN_DIR.
BIN_DIR = Path(os.environ.get("NETLIFY_BUILD_BIN_DIR", ROOT / "node_modules" / ".bin"))
VENV_BIN = ROOT / ".venv" / "bin"


def _output_of(command: str) -> str:
    found = re.search(r"--output[ =](\S+)", command)
    return found.group(1) if found else "public"  # the command line's default


# --- what the configuration says ------------------------------------------------------------------

def test_netlify_builds_into_the_folder_it_publishes_and_runs_the_cache_plugin():
    build = NETLIFY_TOML["build"]
    assert "build.py build" in build["command"]
    assert _output_of(build["command"]) == build["publish"], (
        "netlify.toml: the build command's --output must be the publish folder: the plugin "
        "saves the publish folder and the cache beside it")
    assert [p["package"] for p in NETLIFY_TOML.get("plugins", [])] == [PLUGIN]
    plugin = ROOT / PLUGIN
    assert (plugin / "manifest.yml").is_file() and (plugin / "index.js").is_file()


def test_the_plugin_saves_the_folder_the_generator_keeps_its_cache_in():
    source = (ROOT / PLUGIN / "index.js").read_text()
    folder = re.search(r"const CACHE_FOLDER = '([^']+)';", source)
    assert folder, f"{PLUGIN}/index.js: no CACHE_FOLDER constant"
    publish = Path(NETLIFY_TOML["build"]["publish"])
    # The plugin puts it beside the publish folder, as cache_path does.
    expected = cache_path(ROOT / publish).parent
    assert expected == (ROOT / publish).resolve().parent / folder.group(1), (
        f"{PLUGIN}/index.js saves {folder.group(1)}/ beside {publish}/, but the generator keeps "
        f"its cache in {expected.relative_to(ROOT)}/")
    assert "'--format=pax'" in source  # nanosecond file times: see the test below


def _workflow_steps():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    return workflow, [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_the_github_actions_workflow_caches_what_the_generator_uses():
    workflow, steps = _workflow_steps()
    builds = [s for s in steps if "build.py build" in s.get("run", "")]
    assert len(builds) == 1, f"{WORKFLOW.name}: expected one step running build.py build"
    output = _output_of(builds[0]["run"])
    caches = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    build_cache = [s for s in caches if ".nextup-cache" in s["with"]["path"]]
    assert len(build_cache) == 1, f"{WORKFLOW.name}: no actions/cache step for .nextup-cache"
    cached = build_cache[0]["with"]
    paths = {line.strip() for line in cached["path"].splitlines() if line.strip()}
    expected = {str(cache_path(ROOT / output).parent.relative_to(ROOT)), output}
    assert paths == expected, (
        f"{WORKFLOW.name}: actions/cache keeps {sorted(paths)}, but the build writes {output}/ "
        f"and its cache {cache_path(ROOT / output).relative_to(ROOT)}")
    # A cache is never overwritten: each run saves under its own key, and the next run restores
    # the newest whose key starts with the prefix.
    key, restore = cached["key"], cached["restore-keys"].strip()
    assert "${{ github.run_id }}" in key and key.startswith(restore), (key, restore)
    assert steps.index(build_cache[0]) < steps.index(builds[0])
    # What is published is what was built.
    pages = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert [s["with"]["path"] for s in pages] == [output]
    # The packages come back from a cache too, with their file times: the build cache's key
    # includes them (cache.py code_version), so a fresh pip install would reject it.
    venv = [s for s in caches if s["with"]["path"].strip() == ".venv"]
    assert venv and builds[0]["run"].lstrip().startswith(".venv/bin/python build.py")
    assert "hashFiles('requirements.txt')" in venv[0]["with"]["key"]
    triggers = workflow.get(True, workflow.get("on"))  # YAML 1.1 reads a bare `on` as true
    assert "schedule" in triggers and "push" in triggers


# --- Netlify's build engine, offline, in fresh clones ---------------------------------------------

def _run(args, cwd, env=None, timeout=300, succeed=True):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout, stdin=subprocess.DEVNULL)
    assert (result.returncode == 0) == succeed, (
        f"{' '.join(map(str, args))} (in {cwd}) exited {result.returncode}:\n"
        f"{result.stdout}\n{result.stderr}")
    return result


def _git(cwd, *args):
    return _run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                 *args], cwd)


class Deploy:
    """One Netlify build in a fresh clone; what it printed and what it left."""

    def __init__(self, clone: Path, log: str):
        self.clone, self.log = clone, log
        self.restored = "nextup-cache: restored public/" in log
        self.saved = "nextup-cache: saved public/ and .nextup-cache/" in log

    @property
    def reused(self) -> int:
        found = re.findall(r"^timing: .* reused (\d+) pages$", self.log, re.MULTILINE)
        assert len(found) == 1, f"no timing line in the build's log:\n{self.log}"
        return int(found[0])

    @property
    def events(self) -> int:
        return int(re.search(r"^Built (\d+) events?", self.log, re.MULTILINE).group(1))


@pytest.fixture(scope="module")
def netlify(tmp_path_factory):
    for tool in ("netlify-config", "netlify-build"):
        assert (BIN_DIR / tool).exists(), (
            f"{BIN_DIR / tool} is missing: run `npm ci` (package.json pins @netlify/build), "
            "or set NETLIFY_BUILD_BIN_DIR to a folder holding it")
    assert (VENV_BIN / "python").exists(), f"{VENV_BIN}/python is missing: run `make setup-test`"
    work = tmp_path_factory.mktemp("deploys")
    head = _run(["git", "rev-parse", "HEAD"], ROOT).stdout.strip()
    clones = iter(range(1, 100))

    def clone() -> Path:
        target = work / f"clone-{next(clones)}"
        _git(work, "clone", "--quiet", str(ROOT), str(target))
        _git(target, "checkout", "--quiet", head)
        return target

    def deploy(target: Path, now: str, venv_bin: Path = VENV_BIN, succeed: bool = True,
               cache_dir: Path = work / "netlify-cache") -> Deploy:
        """`netlify build --offline` as the buildbot runs it, with netlify.toml's command
        pinned to `now` (--inlineConfig, as the CLI passes its flags)."""
        command = tomllib.loads((target / "netlify.toml").read_text())["build"]["command"]
        config = work / f"{target.name}-config.json"
        inline = json.dumps({"build": {"command": f"{command} --now {now}"}})
        env = {**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ['PATH']}",
               "NEXTUP_TIMING": "1"}
        _run([BIN_DIR / "netlify-config", "--offline", "--inlineConfig", inline,
              "--output", config], target, env)
        result = _run([BIN_DIR / "netlify-build", "--offline", "--cachedConfigPath", config,
                       "--cacheDir", cache_dir], target, env, succeed=succeed)
        return Deploy(target, result.stdout + result.stderr)

    def clean(target: Path, now: str) -> Path:
        """The same clone built from nothing: no cache, no previous output."""
        output = work / f"{target.name}-clean-{len(list(work.glob('*-clean-*')))}" / "public"
        _run([VENV_BIN / "python", "build.py", "build", "--output", output, "--now", now],
             target)
        return output

    return clone, deploy, clean, work


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_tree(built: Path, clean: Path):
    ours, theirs = _tree(built), _tree(clean)
    assert ours.keys() == theirs.keys(), (
        f"files only in the deploy: {sorted(ours.keys() - theirs.keys())[:10]}; "
        f"only in the clean build: {sorted(theirs.keys() - ours.keys())[:10]}")
    differ = [path for path in ours if ours[path] != theirs[path]]
    assert not differ, f"{len(differ)} files differ from a clean build, e.g. {differ[:10]}"


def _commit(clone: Path, message: str):
    _git(clone, "commit", "--quiet", "-am", message)


def test_deploys_in_fresh_clones_refresh_from_the_cache_and_match_a_clean_build(netlify):
    clone, deploy, clean, work = netlify
    # The first deploy: nothing saved yet, so a full build; it saves for the next one.
    first = deploy(clone(), FIRST_NOW)
    assert not first.restored and first.reused == 0 and first.saved, first.log
    assert "nextup-cache: no saved cache" in first.log
    assert_same_tree(first.clone / "public", clean(first.clone, FIRST_NOW))

    # The scheduled refresh, six hours later, in another fresh clone: the cache comes back and
    # most pages are kept as they are.
    second = deploy(clone(), REFRESH_NOW)
    assert second.restored and second.saved, second.log
    assert 0 < second.reused <= second.events, second.log
    assert_same_tree(second.clone / "public", clean(second.clone, REFRESH_NOW))

    # The saved archive keeps every file's time to the nanosecond, as the manifest records it
    # (Netlify's cache utilities copy a folder file by file with millisecond times: then no
    # output file would match the manifest and nothing would be reused).
    archive, = (work / "netlify-cache").rglob(".nextup-cache.tar")
    with tarfile.open(archive) as tar:
        archived = {m.name: m for m in tar.getmembers() if m.isfile()}
    database = sqlite3.connect(cache_path(second.clone / "public"))
    manifest = dict(((path, (size, mtime)) for path, size, mtime in
                     database.execute("SELECT path, size, mtime_ns FROM manifest")))
    database.close()
    assert manifest
    for path, (size, mtime_ns) in manifest.items():
        member = archived[f"public/{path}"]
        assert member.size == size
        # pax keeps the time as a decimal string: compare it as the generator does, in ns.
        assert _pax_mtime_ns(member) == mtime_ns, path


def _pax_mtime_ns(member: tarfile.TarInfo) -> int:
    text = member.pax_headers.get("mtime")
    assert text, f"{member.name}: the archive has no pax mtime (not --format=pax?)"
    seconds, _, fraction = text.partition(".")
    return int(seconds) * 10**9 + int((fraction + "000000000")[:9])


def test_a_cache_from_other_content_or_other_code_is_used_only_where_it_holds(netlify):
    clone, deploy, clean, _ = netlify
    deploy(clone(), FIRST_NOW)

    # Another content revision: one event edited. The others are reused; the edited one is
    # built anew (its memo is keyed by the file's bytes).
    edited = clone()
    event = sorted((edited / "content" / "events").glob("*.md"))[0]
    event.write_text(event.read_text().replace("+++\n", "+++\n# edited\n", 1))
    _commit(edited, "Edit one event")
    after_edit = deploy(edited, FIRST_NOW)
    assert after_edit.restored
    assert after_edit.reused == after_edit.events - 1, after_edit.log
    assert_same_tree(edited / "public", clean(edited, FIRST_NOW))

    # Another code version: a template changed. The restored cache is rejected whole (its key
    # is the code, templates, packages and site.toml), so nothing is reused, and the output is
    # that clone's own clean build.
    changed = clone()
    template = changed / "templates" / "event.html"
    template.write_text(template.read_text() + "\n{# a change of code #}\n")
    _commit(changed, "Change a template")
    after_change = deploy(changed, FIRST_NOW)
    assert after_change.restored and after_change.reused == 0, after_change.log
    assert_same_tree(changed / "public", clean(changed, FIRST_NOW))


def test_a_failed_build_saves_nothing_and_a_failed_save_fails_only_the_plugin(netlify):
    clone, deploy, clean, work = netlify
    deploy(clone(), FIRST_NOW)
    archive, = (work / "netlify-cache").rglob(".nextup-cache.tar")
    saved = archive.read_bytes()

    # An error in the content: the build fails, and the last good build's cache stays as it was.
    broken = clone()
    event = sorted((broken / "content" / "events").glob("*.md"))[0]
    event.write_text(event.read_text().replace("+++\n", "+++\nthis is not TOML\n", 1))
    _commit(broken, "Break one event")
    failed = deploy(broken, FIRST_NOW, succeed=False)
    assert failed.restored and not failed.saved, failed.log
    assert "Build failed" in failed.log
    assert archive.read_bytes() == saved
    assert not (broken / ".nextup-cache.tar").exists()

    # A damaged archive in Netlify's cache: said, nothing of it used, a full build.
    archive.write_bytes(saved[: len(saved) // 2])
    damaged = deploy(clone(), FIRST_NOW)
    assert ("nextup-cache: .nextup-cache.tar from Netlify's cache is damaged (its SHA-256 is "
            "not the one saved with it); nothing restored, this build is a full one.") in (
        damaged.log)
    assert not damaged.restored and damaged.reused == 0 and damaged.saved, damaged.log
    assert_same_tree(damaged.clone / "public", clean(damaged.clone, FIRST_NOW))

    # Netlify's cache cannot take the archive: the plugin fails, the deploy does not.
    unusable = work / "not-a-folder"
    unusable.write_text("a file where the cache folder should be")
    target = clone()
    unsaved = deploy(target, FIRST_NOW, cache_dir=unusable)
    assert not unsaved.restored and not unsaved.saved, unsaved.log
    assert 'Plugin "./netlify/plugins/nextup-cache" failed' in unsaved.log
    assert "nextup-cache: could not save the cache for the next deploy" in unsaved.log
    assert not (target / ".nextup-cache.tar").exists()

    # Built again where public/ and .nextup-cache/ exist (`netlify build` on a computer): they
    # are newer than any saved cache, so they are kept and nothing is restored.
    again = deploy(target, REFRESH_NOW)
    assert not again.restored, again.log
    assert "already exists; kept as it is, nothing restored" in again.log
    assert again.reused > 0 and again.saved


def test_a_refresh_reuses_pages_when_the_packages_were_installed_anew(netlify, tmp_path):
    clone, deploy, clean, _ = netlify
    deploy(clone(), FIRST_NOW)
    # The same packages at the same versions, installed again: a copy of the virtual
    # environment whose files have new modification times.
    venv = tmp_path / "venv"
    shutil.copytree(ROOT / ".venv", venv, symlinks=True, copy_function=shutil.copyfile)
    refresh = deploy(clone(), REFRESH_NOW, venv_bin=venv / "bin")
    assert refresh.restored, refresh.log
    # The cache is keyed by the packages' versions, not their files' times (cache.code_version).
    assert refresh.reused > 0, refresh.log
