"""Benchmark: Nextup against Hugo on the same synthetic sites, side by side in one run.

    python bench/run.py                 # 30, 1,000, 10,000 and 30,000 events; writes docs/performance.md
    python bench/run.py --sizes 30 1000 --repeat 3

For each size, every repetition runs, one after the other (A/B alternation, so that a slow
moment of a noisy machine costs one sample of each rather than all samples of one):
- Hugo, full build of its minimal twin (same events and Markdown, minimal layouts);
- Hugo, full build of the Nextup-sized twin: its layouts are Nextup's own five files for one
  event (page, calendar, iframe page, next.json, badge), so it writes as many files and bytes;
- Nextup, full build (empty output, no cache);
- Nextup, refresh (`--now` six hours later, previous output and cache in place);
- Nextup, the deploy case: the same refresh in a fresh `git clone` of the content, with the
  output and cache restored from an archive, as the Netlify plugin restores them.
Wall time is measured around the process, CPU time from its rusage (its children included);
peak memory is the highest total PSS (proportional set size, so pages shared between processes
count once) of the build's whole process tree, sampled every few milliseconds from /proc. It also
measures expanding a 20-year-old daily series against one from last week, and the homepage's
total transfer size.
"""
from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate, write_hugo_sized_site  # noqa: E402

WORK = ROOT / "bench" / "work"
NOW = datetime(2027, 1, 20, 12, tzinfo=timezone.utc)
REFRESH_AFTER = timedelta(hours=6)
DEFAULT_REPEATS = {30: 7, 1000: 5, 10000: 3, 30000: 1}
# What each size measures, in the order every repetition runs them (A/B alternation: a slow
# moment of a noisy machine falls on one sample of each, not on all samples of one).
KINDS = (("hugo", "Hugo full (minimal twin)"), ("hugo_sized", "Hugo full, Nextup-sized output"),
         ("full", "Nextup full"), ("refresh", "Nextup refresh (+6 h)"),
         ("deploy", "Nextup refresh in a fresh clone, cache restored (+6 h)"))
# The floors issue 17 measured on this machine class: a full 10,000-event build doing only
# Nextup's own work on 2 cores, and a refresh (see docs/performance.md).
FLOOR_FULL_10K, FLOOR_REFRESH_10K = 3.0, 0.8
# The homepage's budget, as tests/test_budgets.py HOMEPAGE_BUDGET has it (20 KB, and 2.5 KB since
# issue 16 for the scripts' words in the site's language).
HOMEPAGE_BUDGET = 22 * 1024 + 512


def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _tree_pss_kib(root_pid: int) -> int:
    """Total PSS of a process and its descendants, in KiB (0 for processes already gone)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                match = re.search(r"^Pss:\s+(\d+) kB", rollup.read(), re.M)
                total += int(match.group(1)) if match else 0
        except OSError:
            continue
    return total


# Python as installed normally: compiled modules are cached (this sandbox sets
# PYTHONDONTWRITEBYTECODE, which would make every run compile Nextup's modules again).
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, float, float]:
    """(wall seconds, peak MiB, CPU seconds) of a command, its whole process tree included
    (CPU: user + system time of the process and of the children it waited for)."""
    # Warnings go to a file: a 10,000-event site prints more than a pipe buffer holds, and
    # nobody reads the pipe while we wait, so the build would block on its own stderr.
    errors = tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors,
                               env=ENVIRONMENT)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss_kib(process.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    process.wait()
    if process.returncode != 0:
        errors.seek(0)
        raise SystemExit(f"failed: {' '.join(command)}\n{errors.read().decode()}")
    errors.close()
    # A process can end between two samples: its own maximum RSS bounds what was missed.
    peak = max(peak, 0) or usage.ru_maxrss
    return elapsed, peak / 1024, usage.ru_utime + usage.ru_stime


def nextup_build(content: Path, output: Path, now: datetime) -> list[str]:
    return [python(), str(ROOT / "build.py"), "build", "--content", str(content), "--output",
            str(output), "--now", now.strftime("%Y-%m-%dT%H:%M:%SZ")]


def clean(*paths: Path) -> None:
    for path in paths:
        if path.is_file():
            path.unlink()
        else:
            shutil.rmtree(path, ignore_errors=True)


def run_size(size: int, repeats: int) -> dict:
    site = WORK / str(size)
    generate(size, site)
    content, output, cache = site / "nextup", site / "out", site / ".nextup-cache"
    hugo_out, sized_out = site / "hugo-out", site / "hugo-sized-out"
    deploy = site / "deploy"
    saved = site / "saved.tar"
    results = {name: [] for name, _ in KINDS}
    # Untimed warm-up of both: Python's and Jinja's compiled code, Hugo's caches, the disk.
    subprocess.run(nextup_build(content, output, NOW), check=True, capture_output=True,
                   env=ENVIRONMENT)
    sized = write_hugo_sized_site(site, output)
    for hugo_site, out in ((site / "hugo", hugo_out), (sized, sized_out)):
        subprocess.run(["hugo", "--quiet", "--destination", str(out)], cwd=hugo_site,
                       check=True, capture_output=True)
    for _ in range(repeats):
        clean(hugo_out, sized_out)
        results["hugo"].append(measure(["hugo", "--quiet", "--destination", str(hugo_out)],
                                       cwd=site / "hugo"))
        results["hugo_sized"].append(measure(["hugo", "--quiet", "--destination",
                                              str(sized_out)], cwd=sized))
        clean(output, cache)
        results["full"].append(measure(nextup_build(content, output, NOW)))
        # What a deploy target keeps between builds (netlify/plugins/nextup-cache): the output
        # and the cache, as one archive that keeps file times to the nanosecond.
        subprocess.run(["tar", "--format=pax", "-cf", str(saved), "-C", str(site), "out",
                        ".nextup-cache"], check=True)
        results["refresh"].append(measure(nextup_build(content, output, NOW + REFRESH_AFTER)))
        clean(deploy)
        subprocess.run(["git", "clone", "-q", str(content), str(deploy / "nextup")], check=True)
        subprocess.run(["tar", "-xf", str(saved), "-C", str(deploy)], check=True)
        results["deploy"].append(measure(nextup_build(deploy / "nextup", deploy / "out",
                                                      NOW + REFRESH_AFTER)))
    results["files"] = sum(1 for p in output.rglob("*") if p.is_file())
    results["bytes"] = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    results["hugo_files"] = sum(1 for p in hugo_out.rglob("*") if p.is_file())
    results["sized_files"] = sum(1 for p in sized_out.rglob("*") if p.is_file())
    results["sized_bytes"] = sum(p.stat().st_size for p in sized_out.rglob("*") if p.is_file())
    results["homepage"] = homepage_transfer(output)
    clean(deploy, saved, sized_out, hugo_out)
    return results


def homepage_transfer(output: Path) -> int:
    """Bytes a first visit to the homepage downloads, gzipped: HTML, what it links, its feeds."""
    html = (output / "index.html").read_bytes()
    paths = set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html))
    paths |= set(re.findall(rb'data-feed="([^"]+)"', html))
    total = len(gzip.compress(html))
    for path in paths:
        total += len(gzip.compress((output / path.decode().lstrip("/")).read_bytes()))
    return total


def expansion_costs() -> tuple[float, float]:
    """Seconds to expand a 90-day window of a daily series started 20 years ago and last week."""
    import timeit

    from generator.schedule.expand import expand_occurrences
    from generator.schedule.zones import use_pinned_zones
    from generator.model import Event
    from generator.content.rules import build_rule

    use_pinned_zones()

    def event(start: datetime) -> Event:
        rule = build_rule({"freq": "DAILY"}, start, None)
        return Event(slug="daily", title="Daily", category="scrum", timezone="Europe/London",
                     start=start, duration=15, rule=rule)

    local_now = NOW.replace(tzinfo=None)
    old, new = event(local_now - timedelta(days=366 * 20)), event(local_now - timedelta(days=7))
    window = (NOW, NOW + timedelta(days=90))
    costs = []
    for item in (old, new):
        timer = timeit.Timer(lambda: expand_occurrences(item, *window))
        loops, _ = timer.autorange()
        costs.append(min(timer.repeat(repeat=5, number=loops)) / loops)
    return costs[0], costs[1]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    memory = ""
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
    return (f"{os.cpu_count()} cores ({cpu}){memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; Hugo {hugo}")


def median_spread(samples: list[float]) -> tuple[float, float, float]:
    return statistics.median(samples), min(samples), max(samples)


def table(all_results: dict[int, dict], expansion: tuple[float, float]) -> str:
    rows = ["| events | build | wall time, median (min–max) | × Hugo | × Hugo sized | CPU time, "
            "median | peak memory, median | × Hugo |",
            "| ---: | --- | --- | ---: | ---: | ---: | --- | ---: |"]
    for size, results in all_results.items():
        hugo_time = statistics.median(t for t, _, _ in results["hugo"])
        sized_time = statistics.median(t for t, _, _ in results["hugo_sized"])
        hugo_memory = statistics.median(m for _, m, _ in results["hugo"])
        for name, label in KINDS:
            wall, low, high = median_spread([t for t, _, _ in results[name]])
            cpu = statistics.median(c for _, _, c in results[name])
            memory = statistics.median(m for _, m, _ in results[name])
            rows.append(f"| {size:,} | {label} | {wall:.3f} s ({low:.3f}–{high:.3f}) | "
                        f"{wall / hugo_time:.2f} | {wall / sized_time:.2f} | {cpu:.2f} s | "
                        f"{memory:.0f} MiB | {memory / hugo_memory:.2f} |")
    old, new = expansion
    rows.append("")
    rows.append(f"Expanding a 90-day window of a daily series: started 20 years ago {old * 1e6:.0f} µs, "
                f"started last week {new * 1e6:.0f} µs (ratio {old / new:.2f}).")
    rows.append("")
    rows.append("| events | files written (Nextup / Hugo sized / Hugo minimal) | MB written "
                "(Nextup / Hugo sized) | homepage transfer, gzipped |")
    rows.append("| ---: | --- | --- | ---: |")
    for size, results in all_results.items():
        rows.append(f"| {size:,} | {results['files']:,} / {results['sized_files']:,} / "
                    f"{results['hugo_files']:,} | {results['bytes'] / 1e6:.1f} / "
                    f"{results['sized_bytes'] / 1e6:.1f} | {results['homepage'] / 1024:.1f} KB |")
    return "\n".join(rows)


def targets(all_results: dict[int, dict], expansion: tuple[float, float]) -> str:
    def med(size, name, index):
        return statistics.median(sample[index] for sample in all_results[size][name])

    lines = []

    def check(label: str, ok: bool, detail: str) -> None:
        lines.append(f"- {'met' if ok else 'MISSED'}: {label}: {detail}")

    if 10000 in all_results:
        full, hugo, sized = med(10000, "full", 0), med(10000, "hugo", 0), med(10000, "hugo_sized", 0)
        check("10,000 events, full build at most 1.0 × Hugo writing the same output",
              full <= sized, f"{full:.2f} s against {sized:.2f} s ({full / sized:.2f} ×)")
        check("10,000 events, full build at most 2 × the minimal Hugo twin", full <= 2 * hugo,
              f"{full:.2f} s against {hugo:.2f} s ({full / hugo:.2f} ×)")
        check(f"10,000 events, full build at most 1.5 × the floor ({FLOOR_FULL_10K:.1f} s)",
              full <= 1.5 * FLOOR_FULL_10K, f"{full:.2f} s = {full / FLOOR_FULL_10K:.2f} × the floor")
        for name, label in (("refresh", "refresh"), ("deploy", "refresh in a fresh clone (deploy)")):
            refresh = med(10000, name, 0)
            check(f"10,000 events, {label} at most 1.0 s and 0.3 × Hugo's full build",
                  refresh <= 1.0 and refresh <= 0.3 * hugo,
                  f"{refresh:.2f} s = {refresh / hugo:.2f} × Hugo (floor {FLOOR_REFRESH_10K:.1f} s)")
        memory = med(10000, "full", 1)
        check("10,000 events, peak memory at most 150 MiB", memory <= 150, f"{memory:.0f} MiB "
              f"(Hugo {med(10000, 'hugo', 1):.0f} MiB)")
        if 30000 in all_results:
            ratio = med(30000, "full", 1) / memory
            check("30,000 events, memory linear (at most 3 × that of 10,000)", ratio <= 3,
                  f"{med(30000, 'full', 1):.0f} MiB = {ratio:.2f} × 10,000's")
    if 30 in all_results:
        full, hugo = med(30, "full", 0), med(30, "hugo", 0)
        check("30 events, at most 2 × Hugo", full <= 2 * hugo,
              f"{full:.3f} s against {hugo:.3f} s ({full / hugo:.2f} ×)")
    old, new = expansion
    check("20-year-old daily series at most 2 × one from last week", old <= 2 * new,
          f"{old / new:.2f} ×")
    biggest = max(all_results)
    transfer = all_results[biggest]["homepage"]
    check(f"homepage at most {HOMEPAGE_BUDGET / 1024:.1f} KB gzipped at any size",
          all(r["homepage"] <= HOMEPAGE_BUDGET for r in all_results.values()),
          f"largest {max(r['homepage'] for r in all_results.values()) / 1024:.1f} KB "
          f"({biggest:,} events: {transfer / 1024:.1f} KB)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 1000, 10000, 30000])
    parser.add_argument("--repeat", type=int, default=None, help="repetitions (default: 7/5/3)")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/")
    args = parser.parse_args()
    all_results = {}
    for size in args.sizes:
        repeats = args.repeat or DEFAULT_REPEATS.get(size, 3)
        print(f"{size:,} events, {repeats} runs each ...", file=sys.stderr, flush=True)
        all_results[size] = run_size(size, repeats)
    expansion = expansion_costs()
    report = table(all_results, expansion)
    verdicts = targets(all_results, expansion)
    print(report + "\n\n" + verdicts)
    if not args.no_write:
        write_report(report, verdicts)


def write_report(report: str, verdicts: str) -> None:
    page = ROOT / "docs" / "performance.md"
    text = page.read_text() if page.exists() else "# Performance\n"
    block = (f"<!-- bench:start -->\nMeasured {datetime.now(timezone.utc):%Y-%m-%d} on {machine()}, "
             f"with `python bench/run.py`.\n\n{report}\n\nTargets:\n\n{verdicts}\n<!-- bench:end -->")
    if "<!-- bench:start -->" in text:
        text = re.sub(r"<!-- bench:start -->.*<!-- bench:end -->", lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    page.write_text(text)
    print(f"wrote {page.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
