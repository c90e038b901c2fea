"""Golden output: the sample site built at a pinned clock, compared file by file with
tests/golden/sample/. After an intended change, regenerate with

    .venv/bin/python tests/golden.py

and read the diff (`git diff tests/golden`) before committing it: it is the change a visitor sees.
"""
from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

GOLDEN_DIR = ROOT / "tests" / "golden" / "sample"
# Asset names carry content hashes; a CSS tweak should not rewrite every golden page.
_ASSET_HASH = re.compile(rb"\.[0-9a-f]{10}\.(css|js|svg)\b")


def normalise(data: bytes) -> bytes:
    return _ASSET_HASH.sub(rb".HASH.\1", data)


def golden_files(output: Path) -> dict[str, bytes]:
    """Every built file except static assets (their own tests cover them), normalised."""
    return {p.relative_to(output).as_posix(): normalise(p.read_bytes())
            for p in sorted(output.rglob("*")) if p.is_file() and "static" not in p.relative_to(output).parts}


def build_sample(output: Path) -> None:
    """Build a copy of the sample content, outside git: the calendar revision data then does
    not depend on this repository's history (or on how deep a CI checkout is)."""
    from conftest import SAMPLE_CONTENT, SAMPLE_NOW, build

    content = output.parent / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    result = build(content, output, SAMPLE_NOW)
    if not result.ok:
        raise SystemExit("\n".join(map(str, result.problems)))


def update() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        output = Path(temporary) / "public"
        build_sample(output)
        shutil.rmtree(GOLDEN_DIR, ignore_errors=True)
        for name, data in golden_files(output).items():
            target = GOLDEN_DIR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    print(f"wrote {GOLDEN_DIR.relative_to(ROOT)}")


if __name__ == "__main__":
    update()
