"""The sample site, built at a pinned clock, is exactly the committed golden output."""
import difflib

from golden import GOLDEN_DIR, build_sample, golden_files


def test_sample_site_matches_golden_output(tmp_path):
    output = tmp_path / "public"
    build_sample(output)
    built = golden_files(output)
    expected = {p.relative_to(GOLDEN_DIR).as_posix(): p.read_bytes()
                for p in sorted(GOLDEN_DIR.rglob("*")) if p.is_file()}
    assert sorted(built) == sorted(expected), "files added or missing; see tests/golden.py"
    for name in expected:
        if built[name] != expected[name]:
            diff = "\n".join(difflib.unified_diff(
                expected[name].decode("utf-8", "replace").splitlines(),
                built[name].decode("utf-8", "replace").splitlines(), "golden/" + name, "built/" + name,
                lineterm="", n=2))
            raise AssertionError(f"{name} differs from golden output "
                                 f"(regenerate with tests/golden.py if intended):\n{diff[:4000]}")
