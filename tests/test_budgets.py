"""Size budgets (bytes, not time): the homepage stays small at any site size, and the countdown
script stays within 2 KB gzipped (also reported by tests/js/countdown.test.mjs)."""
import gzip
import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_CONTENT, SAMPLE_NOW, build

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

HOMEPAGE_BUDGET = 20 * 1024


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
