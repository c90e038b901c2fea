"""The file tree states the architecture, and these tests hold the code to it
(docs/architecture.md): each layer imports only the layers below it, and schedule/ is pure."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "generator"
# Lowest first. A module may import its own layer and any layer before it in this list.
LAYERS = ["base", "schedule", "content", "render", "build", "importing", "tools", "cli"]
BASE = {"model", "text", "report"}  # root modules every layer may use


def layer_of(module: str) -> str:
    """"generator.content.load" -> "content"; root modules are "base" (cli is the top)."""
    parts = module.split(".")
    if len(parts) == 1:  # the package itself (generator/__init__.py)
        return "base"
    if len(parts) == 2:
        return "cli" if parts[1] == "cli" else ("base" if parts[1] in BASE else parts[1])
    return parts[1]


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(parts), path))
    return found


def imports_of(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import of the package, at any depth of the code."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
            found += [(node.lineno, name) for name in names if name.startswith("generator")]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("generator")]
    return found


MODULES = modules()


def test_every_module_belongs_to_a_known_layer():
    assert {layer_of(m) for m, _ in MODULES if m != "generator"} <= set(LAYERS)


@pytest.mark.parametrize("module,path", MODULES, ids=[m for m, _ in MODULES])
def test_a_layer_imports_only_the_layers_below_it(module, path):
    if module == "generator":
        return
    own = LAYERS.index(layer_of(module))
    for line, target in imports_of(module, path):
        if target == "generator":
            continue
        assert LAYERS.index(layer_of(target)) <= own, (
            f"{path.relative_to(ROOT)}:{line} imports {target}, a layer above "
            f"{layer_of(module)}/")


IMPURE_MODULES = {"os", "io", "pathlib", "subprocess", "sqlite3", "shutil", "tempfile", "time",
                  "random", "socket", "threading", "multiprocessing"}
CLOCK_CALLS = {"now", "utcnow", "today"}  # datetime.now(), date.today(); `time` is not imported


@pytest.mark.parametrize("path", [p for m, p in MODULES if layer_of(m) == "schedule"],
                         ids=lambda p: p.name)
def test_schedule_reads_no_clock_and_does_no_io(path):
    """schedule/ is pure: `now` is always a parameter, and nothing is read or written (zones
    come from the tzdata package through zoneinfo)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            assert not {n.split(".")[0] for n in names if n} & IMPURE_MODULES, \
                f"{path.name}:{node.lineno} imports {names}"
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            assert name not in CLOCK_CALLS | {"open", "print"}, f"{path.name}:{node.lineno} {name}()"


def test_importing_the_package_changes_no_process_wide_state(tmp_path):
    """zoneinfo's search path is set by the entry points (use_pinned_zones), not by an import."""
    import subprocess
    import sys

    code = ("import zoneinfo, sys; before = zoneinfo.TZPATH; sys.path.insert(0, sys.argv[1]);"
            "import generator.cli, generator.build.pipeline, generator.tools.serve,"
            " generator.importing.run; print(zoneinfo.TZPATH == before and before != ())")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    assert done.stdout.strip() == "True", done.stderr
