"""Size budgets (bytes, not time): the homepage stays small at any site size, and each browser
script stays within its budget, gzipped (README "Script budgets"; tests/js/ report them too)."""
import gzip
import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_CONTENT, SAMPLE_NOW, build

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

HOMEPAGE_BUDGET = 20 * 1024
# Gzipped bytes per script, as in the README's table (which says why each is what it is).
SCRIPT_BUDGETS = {"countdown.js": 2208, "live.js": 2560, "timechanges.js": 2560, "localtimes.js": 3072,
                  "stars.js": 1536, "my.js": 2560}


def homepage_transfer(output: Path) -> dict[str, int]:
    """Gzipped bytes of the homepage and everything it loads: linked assets and feeds."""
    html = (output / "index.html").read_bytes()
    paths = set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html))
    # data-feed-full (events.json) is fetched only once countdown.json has passed its horizon.
    paths |= set(re.findall(rb'data-feed="(/[^"]+)"', html))
    sizes = {"index.html": len(gzip.compress(html))}
    for path in sorted(paths):
        sizes[path.decode()] = len(gzip.compress((output / path.decode().lstrip("/")).read_bytes()))
    return sizes


@pytest.mark.parametrize("events", [0, 1500])
def test_homepage_transfer_stays_under_20_kb(tmp_path, events):
    if events:
        generate(events, tmp_path / "site")
        content = tmp_path / "site" / "nextup"
    else:
        content = SAMPLE_CONTENT
    assert build(content, tmp_path / "public", SAMPLE_NOW).ok
    sizes = homepage_transfer(tmp_path / "public")
    print(f"\nhomepage with {events or 'the sample'} events:", sizes, "total", sum(sizes.values()))
    assert "/countdown.json" in sizes and not any("events.json" in p for p in sizes)
    assert sum(sizes.values()) <= HOMEPAGE_BUDGET


@pytest.mark.parametrize("script", sorted(SCRIPT_BUDGETS))
def test_each_script_stays_within_its_gzipped_budget(script):
    size = len(gzip.compress((ROOT / "static" / "js" / script).read_bytes(), compresslevel=6, mtime=0))
    print(f"\n{script}: {size} bytes gzipped, budget {SCRIPT_BUDGETS[script]}")
    assert size <= SCRIPT_BUDGETS[script]


def test_readme_states_each_scripts_budget():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for script, budget in SCRIPT_BUDGETS.items():
        assert re.search(rf"^\| `static/js/{re.escape(script)}` \| [\d,]+ \| {budget:,} \|", readme, re.M), script
