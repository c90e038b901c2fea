"""Faults injected into real builds: the output is always wholly the old build or wholly the new
one, nothing the user owns is lost, and every failure is one clear line with its own exit code.

Each test names the defect it guards (issue 10). Kills use a real `build.py` process: SIGKILL at
every step of the commit's irreversible part and a sample of the others (tests/fault_injection.py
counts them), at spread moments of a whole build, and SIGTERM/SIGINT/SIGKILL while worker
processes run. File systems that fill up, turn read-only or are mount points are small tmpfs
mounts, where the machine allows mounting (else those tests are skipped, saying why).
"""
from __future__ import annotations

import os
import pickle
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ROOT, SAMPLE_CONTENT, SAMPLE_NOW, build
from generator.build.cache import cache_path
from generator.cli import parse_now
from generator.build.pipeline import BuildOptions, build_site

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

DRIVER = ROOT / "tests" / "fault_injection.py"
T0 = SAMPLE_NOW
T1 = "2027-01-21T09:00:00Z"
OUTCOMES: Counter = Counter()  # (fault, what the output was) -> times; printed at the end


def tree(directory: Path) -> dict[str, bytes] | None:
    """Every file below `directory` (dot files too) and its bytes; None if there is no folder."""
    if not directory.is_dir():
        return None
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file() or p.is_symlink()}


def leftovers(output: Path) -> list[str]:
    """Staging folders, journals and retired builds that a finished build must not leave."""
    beside = [p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}.")]
    inside = [p.name for p in output.iterdir()
              if p.name.startswith((".nextup-staging-", ".nextup-commit"))] if output.is_dir() else []
    return sorted(beside + inside)


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)


def build_args(content: Path, output: Path, now: str) -> list[str]:
    return ["build", "--content", str(content), "--output", str(output), "--now", now]


def which_build(found, states) -> str:
    if found == states.old:
        return "old"
    if found == states.new:
        return "new"
    return "missing" if found is None else "MIXED"


def edit(content: Path) -> None:
    """A realistic set of edits: one event renamed, one's times changed, one deleted, one added."""
    events = content / "events"
    review = events / "monthly-review.md"
    review.write_text(review.read_text().replace('title = "', 'title = "Renamed ', 1))
    pairing = events / "pair-programming-thursdays.md"
    pairing.write_text(pairing.read_text().replace("duration = ", "duration = 1", 1))
    (events / "oceania-pairing.md").unlink()
    shutil.copy(events / "atlantic-scrum.md", events / "zz-added-scrum.md")


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """Content A built at T0 (the old site, with its cache), content B (A edited) and what a
    clean build of B at T1 gives (the new site), and a broken copy of B."""
    root = tmp_path_factory.mktemp("faults")
    content_a, content_b, broken = root / "content-a", root / "content-b", root / "broken"
    shutil.copytree(SAMPLE_CONTENT, content_a)
    shutil.copytree(SAMPLE_CONTENT, content_b)
    edit(content_b)
    shutil.copytree(content_b, broken)
    (broken / "events" / "zz-broken.md").write_text("+++\ntitle = \n+++\n")
    start = root / "start"
    assert cli(*build_args(content_a, start / "public", T0)).returncode == 0
    clean = root / "clean"
    assert build(content_b, clean / "public", T1).ok
    return SimpleNamespace(root=root, a=content_a, b=content_b, broken=broken, start=start,
                           old=tree(start / "public"), new=tree(clean / "public"))


def fresh_copy(states, work: Path) -> Path:
    """The old site and its cache, as the previous build left them (modification times kept,
    so the cache's manifest still matches and unchanged files are linked, not rewritten)."""
    shutil.copytree(states.start, work, copy_function=shutil.copy2, symlinks=True)
    return work / "public"


def drive(kill_at: int, flags: list[str], args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(DRIVER), "--kill-at", str(kill_at), *flags, "--",
                           *args], capture_output=True, text=True, timeout=120)


def spread(first: int, last: int, count: int) -> set[int]:
    if last < first:
        return set()
    return {first + (last - first) * i // max(1, count - 1) for i in range(count)}


def steps_to_kill_at(states, tmp_path: Path, flags: list[str]) -> list[int]:
    output = fresh_copy(states, tmp_path / "count")
    run = drive(0, flags, build_args(states.b, output, T1))
    assert run.returncode == 0, run.stderr
    assert tree(output) == states.new
    _, steps, _, first, last = run.stderr.strip().splitlines()[-1].split()
    steps, first, last = int(steps), int(first), int(last)
    assert 0 < first <= last <= steps
    # Every step of the swap itself; a sample of the linking before it and the clean-up after.
    return sorted(set(range(first, last + 1)) | spread(1, first - 1, 8)
                  | spread(last + 1, steps, 5))


# --- kill -9 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["exchange", "two renames"])
def test_kill_9_at_any_step_of_the_commit_leaves_the_old_or_the_new_site(states, tmp_path, mode):
    """Not atomic: a kill during the commit left events.json new and index.html old."""
    flags = ["--no-exchange"] if mode == "two renames" else []

    def trial(step: int) -> tuple[str, str]:
        output = fresh_copy(states, tmp_path / f"step-{step}")
        killed = drive(step, flags, build_args(states.b, output, T1))
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        right_after = which_build(tree(output), states)
        # With the exchange there is no moment without a whole site; with two renames the
        # output is missing between them, and the next build puts it back.
        assert right_after in (("old", "new") if mode == "exchange" else ("old", "new", "missing"))
        failing = cli(*build_args(states.broken, output, T1))  # recovery needs no good build
        assert failing.returncode == 1, failing.stderr
        after_recovery = which_build(tree(output), states)
        assert after_recovery in ("old", "new") and leftovers(output) == []
        assert right_after == "missing" or after_recovery == right_after
        assert cli(*build_args(states.b, output, T1)).returncode == 0
        assert tree(output) == states.new and leftovers(output) == []
        return right_after, after_recovery

    steps = steps_to_kill_at(states, tmp_path, flags)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(trial, steps))
    for right_after, after_recovery in results:
        OUTCOMES[(f"kill -9 in the commit ({mode})", f"{right_after} -> {after_recovery}")] += 1
    assert {r for r, _ in results} >= {"old", "new"}  # the kills did land on both sides


def test_kill_9_at_spread_moments_of_a_whole_build_leaves_the_old_or_the_new_site(states,
                                                                                  tmp_path):
    """Not atomic, and stale staging: killed builds left half-written output and staging."""
    output = fresh_copy(states, tmp_path / "timing")
    started = time.monotonic()
    assert cli(*build_args(states.b, output, T1)).returncode == 0
    duration = time.monotonic() - started
    seen = Counter()
    for index in range(16):
        output = fresh_copy(states, tmp_path / f"moment-{index}")
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"),
                                    *build_args(states.b, output, T1)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        time.sleep(duration * 1.2 * index / 15)
        process.kill()
        process.wait(timeout=60)
        found = which_build(tree(output), states)
        assert found in ("old", "new"), index
        seen[found] += 1
        assert cli(*build_args(states.b, output, T1)).returncode == 0
        assert tree(output) == states.new and leftovers(output) == []
    OUTCOMES.update({("kill -9 at a moment of the build", k): v for k, v in seen.items()})


def test_staging_left_by_killed_builds_is_removed_by_the_next_build(states, tmp_path):
    """Stale staging folders from killed builds stayed forever."""
    output = fresh_copy(states, tmp_path / "stale")
    for junk in (output.parent / ".public.new-abc123", output.parent / ".public.old-def456",
                 output / ".nextup-staging-ghi789"):
        (junk / "events").mkdir(parents=True)
        (junk / "events" / "index.html").write_text("half a page")
    (output.parent / ".public.swap").write_text("{not json")
    assert cli(*build_args(states.b, output, T1)).returncode == 0
    assert tree(output) == states.new and leftovers(output) == []


# --- two builds at once ----------------------------------------------------------------------

def test_two_builds_into_one_output_give_one_of_the_two_sites_whole(states, tmp_path):
    """Two builds into one output both exited 0 and left a mix of both."""
    old_at_t1 = tree_of_clean_build(states.a, tmp_path / "clean-a", T1)
    for round_number in range(4):
        output = fresh_copy(states, tmp_path / f"round-{round_number}")
        processes = [subprocess.Popen([sys.executable, str(ROOT / "build.py"),
                                       *build_args(content, output, T1)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      cwd=ROOT)
                     for content in ((states.a, states.b) if round_number % 2 else
                                     (states.b, states.a))]
        results = [p.communicate(timeout=120) for p in processes]
        assert [p.returncode for p in processes] == [0, 0], results
        found = tree(output)
        assert found in (old_at_t1, states.new) and leftovers(output) == []
        OUTCOMES[("two builds at once", "A whole" if found == old_at_t1 else "B whole")] += 1


def tree_of_clean_build(content: Path, output: Path, now: str):
    assert build(content, output, now).ok
    return tree(output)


def test_a_second_build_waits_for_the_lock_of_the_first(states, tmp_path):
    """Concurrent builds must serialise: the second says it waits, and builds after."""
    from generator.build.write import output_lock

    output = fresh_copy(states, tmp_path / "locked")
    with output_lock(output, tell=lambda line: None):
        waiting = subprocess.Popen([sys.executable, str(ROOT / "build.py"),
                                    *build_args(states.b, output, T1)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   cwd=ROOT)
        line = waiting.stderr.readline()
        assert line.startswith(f"Waiting for another build into {output.resolve()}/ to finish")
        assert f"(process {os.getpid()})" in line
        assert tree(output) == states.old
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert tree(output) == states.new


def test_a_lock_held_too_long_is_one_clear_line(tmp_path):
    from generator.build.write import OutputUnavailable, output_lock

    output = tmp_path / "public"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; sys.path.insert(0, sys.argv[1]);"
        "from pathlib import Path; from generator.build.write import output_lock\n"
        "with output_lock(Path(sys.argv[2])):\n print('held', flush=True); time.sleep(60)"),
        str(ROOT), str(output)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        told = []
        with pytest.raises(OutputUnavailable) as raised:
            with output_lock(output, tell=told.append, wait_seconds=0.3):
                pass
        assert "has held its lock for 0 s" in str(raised.value)
        assert told and f"(process {holder.pid})" in told[0]
    finally:
        holder.kill()
        holder.wait()


# --- signals and workers ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def large_site(tmp_path_factory):
    """Big enough that the build forks worker processes (400 events or more)."""
    root = tmp_path_factory.mktemp("workers")
    generate(450, root / "site")
    content = root / "site" / "nextup"
    start = root / "start"
    assert cli(*build_args(content, start / "public", T0), timeout=300).returncode == 0
    return SimpleNamespace(content=content, start=start, old=tree(start / "public"))


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def children_of(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGINT", "SIGKILL"])
def test_a_build_stopped_while_its_workers_run_leaves_no_process_and_the_old_site(
        large_site, tmp_path, stop):
    """Orphaned workers: SIGTERM or SIGKILL during the parallel stage left workers running
    forever; the parent must stop its pool and clean up its staging on SIGTERM/SIGINT."""
    work = tmp_path / "work"
    shutil.copytree(large_site.start, work, copy_function=shutil.copy2)
    output = work / "public"
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"),
                                *build_args(large_site.content, output, T1)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               cwd=ROOT)
    assert wait_for(lambda: len(children_of(process.pid)) >= 2), "no workers were started"
    workers = children_of(process.pid)
    process.send_signal(getattr(signal, stop))
    _, err = process.communicate(timeout=60)
    expected = {"SIGTERM": 128 + signal.SIGTERM, "SIGINT": 130, "SIGKILL": -signal.SIGKILL}[stop]
    assert process.returncode == expected, err
    assert wait_for(lambda: not any(Path(f"/proc/{w}").exists() for w in workers), 10), \
        "a worker outlived its parent"
    assert processes_mentioning(str(large_site.content)) == []
    assert tree(output) == large_site.old
    if stop != "SIGKILL":
        assert err.strip().splitlines()[-1] == \
            f"Interrupted: the build stopped and {output}/ was not changed."
        assert "Traceback" not in err and leftovers(output) == []
    assert cli(*build_args(large_site.content, output, T1), timeout=300).returncode == 0
    assert leftovers(output) == []
    OUTCOMES[(f"{stop} during the parallel stage", "old site, no process left")] += 1


# --- the cache -------------------------------------------------------------------------------

def damage(cache: Path, how: str) -> None:
    data = cache.read_bytes()
    if how == "truncated":
        cache.write_bytes(data[:len(data) // 3])
    elif how == "garbled header":
        cache.write_bytes(b"\x00garbage!" * 12 + data[108:])
    elif how == "random bytes":
        cache.write_bytes(os.urandom(len(data)))
    elif how == "a folder in its place":
        cache.unlink()
        cache.mkdir()
        (cache / "x").write_text("x")
    elif how in ("bad pickle", "not a memo"):
        payload = b"\x80\x05garbage" if how == "bad pickle" else pickle.dumps(["not", "a memo"])
        with sqlite3.connect(cache) as connection:
            connection.execute("UPDATE memo SET payload = ?", (payload,))
        connection.close()
    else:
        raise AssertionError(how)


@pytest.mark.parametrize("how", ["truncated", "garbled header", "random bytes",
                                 "a folder in its place", "bad pickle", "not a memo"])
def test_a_damaged_cache_is_discarded_with_one_note(states, tmp_path, how):
    """Corrupt cache is fatal: a truncated or garbled sqlite file (or a bad pickle) made every
    later build fail with a traceback."""
    output = fresh_copy(states, tmp_path / "work")
    damage(cache_path(output), how)
    run = cli(*build_args(states.b, output, T1))
    assert run.returncode == 0, run.stderr
    notes = [line for line in run.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "build cache" in notes[0] and "discarded" in notes[0], notes
    assert "Traceback" not in run.stderr
    assert tree(output) == states.new
    again = cli(*build_args(states.b, output, T1))  # the cache works again
    assert again.returncode == 0 and "note:" not in again.stderr
    OUTCOMES[(f"cache damaged: {how}", "one note, full build, same site")] += 1


def test_a_cache_folder_that_cannot_be_made_is_one_note_each_build(states, tmp_path):
    """Unopenable cache: a traceback. Now: one note, and the build goes on without a cache."""
    output = tmp_path / "public"
    (tmp_path / ".nextup-cache").write_text("a file where the cache folder would go")
    for _ in range(2):
        run = cli(*build_args(states.b, output, T1))
        assert run.returncode == 0, run.stderr
        notes = [line for line in run.stderr.splitlines() if line.startswith("note:")]
        assert len(notes) == 1 and "cannot be used" in notes[0] and "Traceback" not in run.stderr
        assert tree(output) == states.new


# --- refresh after a long gap ----------------------------------------------------------------

@pytest.mark.parametrize("days", [89, 91, 100, 365])
def test_a_refresh_after_a_gap_longer_than_the_horizon_equals_a_clean_build(tmp_path, days):
    """Stale refresh: after a gap longer than the horizon, with the cache present, events.json
    and the lists held occurrences that had already ended."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    later = (parse_now(T0).timestamp() + days * 86400)
    later_text = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(later))
    output = tmp_path / "public"
    assert build(content, output, T0).ok
    assert build(content, output, later_text).ok  # a refresh: the cache is there
    assert tree(output) == tree_of_clean_build(content, tmp_path / "clean", later_text)


# --- file systems: full, read-only, mount points -----------------------------------------------

def _try_mount() -> str | None:
    """Why tmpfs cannot be mounted here, or None if it can."""
    if sys.platform != "linux" or shutil.which("mount") is None:
        return "needs Linux and mount(8)"
    probe = Path(f"/tmp/nextup-mount-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            return f"this machine does not allow mounting tmpfs ({done.stderr.strip()})"
        subprocess.run(["umount", str(probe)], check=True)
        return None
    finally:
        probe.rmdir()


MOUNT_REFUSED = _try_mount()
needs_mount = pytest.mark.skipif(MOUNT_REFUSED is not None, reason=MOUNT_REFUSED or "")


@contextmanager
def tmpfs(path: Path, size: str = "8m"):
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def fill(disk: Path, leave: int) -> None:
    """Fill the file system of `disk` until only about `leave` bytes are free."""
    # Unbuffered: a buffered file keeps what the full disk refused and raises again on close.
    with open(disk / "filler", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
        except OSError:
            pass
    stat = os.statvfs(disk)
    os.truncate(disk / "filler", max(0, (disk / "filler").stat().st_size - leave
                                     + stat.f_bavail * stat.f_frsize))


@needs_mount
@pytest.mark.parametrize("free", [0, 48 * 1024])
def test_a_disk_that_fills_up_stops_the_build_with_one_line_and_the_old_site(states, tmp_path,
                                                                             free):
    """Disk full: a traceback, and the output half written."""
    with tmpfs(tmp_path / "disk") as disk:
        output = disk / "public"
        assert cli(*build_args(states.a, output, T0)).returncode == 0
        old = tree(output)
        fill(disk, free)
        run = cli(*build_args(states.b, output, T1))
        assert run.returncode == 3, run.stderr
        errors = [line for line in run.stderr.splitlines() if not line.startswith("note:")]
        assert len(errors) == 1 and errors[0].startswith("error: no space left on the device")
        assert errors[0].endswith(f"the build stopped and {output}/ was not changed")
        assert tree(output) == old and leftovers(output) == []
        (disk / "filler").unlink()
        assert cli(*build_args(states.b, output, T1)).returncode == 0
        assert tree(output) == states.new
    OUTCOMES[(f"disk full ({free // 1024} KiB free)", "exit 3, one line, old site")] += 1


@needs_mount
def test_a_read_only_output_stops_the_build_with_one_line_and_the_old_site(states, tmp_path):
    """Read-only output: a traceback."""
    with tmpfs(tmp_path / "disk") as disk:
        output = disk / "public"
        assert cli(*build_args(states.a, output, T0)).returncode == 0
        old = tree(output)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        run = cli(*build_args(states.b, output, T1))
        assert run.returncode == 3, run.stderr
        errors = [line for line in run.stderr.splitlines() if not line.startswith("note:")]
        assert len(errors) == 1 and errors[0].startswith("error: the file system is read-only")
        assert "Traceback" not in run.stderr and tree(output) == old
    OUTCOMES[("read-only output", "exit 3, one line, old site")] += 1


@needs_mount
@pytest.mark.parametrize("kind", ["tmpfs", "bind mount"])
def test_an_output_that_is_a_mount_point_builds_and_refreshes(states, tmp_path, kind):
    """Output on a mount point (a Docker volume, a bind mount) failed every build with
    EBUSY/EXDEV tracebacks."""
    output = tmp_path / "public"
    with mount_point(output, kind, tmp_path):
        first = cli(*build_args(states.a, output, T0))
        assert first.returncode == 0, first.stderr
        assert "cannot be swapped whole (it is a mount point)" in first.stderr
        assert tree(output) == tree_of_clean_build(states.a, tmp_path / "clean-a", T0)
        (output / "CNAME").write_text("events.example.org")  # the user's own file
        second = cli(*build_args(states.b, output, T1))
        assert second.returncode == 0, second.stderr
        found = tree(output)
        assert found.pop("CNAME") == b"events.example.org"
        assert found == states.new and leftovers(output) == []
    OUTCOMES[(f"output on a {kind}", "built, refreshed, user's file kept")] += 1


@contextmanager
def mount_point(output: Path, kind: str, tmp_path: Path):
    if kind == "tmpfs":
        with tmpfs(output) as mounted:
            yield mounted
        return
    real = tmp_path / "real-folder"
    real.mkdir()
    output.mkdir()
    subprocess.run(["mount", "--bind", str(real), str(output)], check=True)
    try:
        yield output
    finally:
        subprocess.run(["umount", "-l", str(output)], check=True)


@needs_mount
def test_kill_9_while_files_are_moved_into_a_mount_point_is_finished_by_the_next_build(
        states, tmp_path):
    """On a mount point the files are replaced one by one: a kill there leaves a journal that
    the next build (even a failing one) completes, so the site is again wholly one build."""
    def prepare(name: str) -> Path:
        work = tmp_path / name
        output = work / "public"
        output.mkdir(parents=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(output)], check=True)
        shutil.copytree(states.start / "public", output, copy_function=shutil.copy2,
                        dirs_exist_ok=True)
        shutil.copytree(states.start / ".nextup-cache", work / ".nextup-cache",
                        copy_function=shutil.copy2)
        return output

    output = prepare("count")
    try:
        run = drive(0, [], build_args(states.b, output, T1))
        assert run.returncode == 0 and tree(output) == states.new, run.stderr
        _, total, _, first, last = run.stderr.strip().splitlines()[-1].split()
    finally:
        subprocess.run(["umount", "-l", str(output)], check=True)
    steps = sorted(set(range(int(first), int(last) + 1, 2)) | spread(1, int(first) - 1, 4))
    seen = Counter()
    for step in steps:
        output = prepare(f"step-{step}")
        try:
            assert drive(step, [], build_args(states.b, output, T1)).returncode == -signal.SIGKILL
            failing = cli(*build_args(states.broken, output, T1))
            assert failing.returncode == 1, failing.stderr
            found = which_build(tree(output), states)
            assert found in ("old", "new") and leftovers(output) == [], step
            seen[found] += 1
        finally:
            subprocess.run(["umount", "-l", str(output)], check=True)
    assert seen["new"] and seen["old"]
    OUTCOMES.update({("kill -9 while moving files into a mount point", f"{k} after the next "
                      "build"): v for k, v in seen.items()})


def test_the_busy_mount_point_fallback_moves_files_in(states, tmp_path, monkeypatch):
    """A mount point that the mount table does not show: the swap fails with EBUSY, and the
    build moves its files in one by one instead of failing."""
    import errno

    from generator.build import write

    def busy(a, b):
        raise OSError(errno.EBUSY, "Device or resource busy", str(b))

    output = fresh_copy(states, tmp_path / "busy")
    monkeypatch.setattr(write, "_exchange", busy)
    result = build_site(BuildOptions(states.b, output, parse_now(T1)))
    assert result.ok
    assert any("cannot be swapped whole (it is a mount point)" in n for n in result.notices)
    assert tree(output) == states.new and leftovers(output) == []


def test_zz_print_the_table_of_faults():
    """The closing note's table: each fault injected, how often, what the output was."""
    for (fault, outcome), times in sorted(OUTCOMES.items()):
        print(f"| {fault} | {times} | {outcome} |")
