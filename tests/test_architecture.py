"""The package's folders are the pipeline, and lower layers never import higher ones:

    base (errors, units, fmt) < scenario < engine < services < analysis < experiments
    < present < cli

read from every module's own imports (the code, not a list kept by hand)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

LAYERS = ["base", "scenario", "engine", "services", "analysis", "experiments", "present", "cli"]
PACKAGE = ROOT / "sim"


def layer(module: str) -> str:
    """sim.engine.pool -> engine; sim.fmt -> base; sim.cli -> cli."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    return "cli" if parts[1:2] == ["cli"] else "base"


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        out[".".join(p for p in rel.parts if p != "__init__")] = path
    return out


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of the package in a file; relative ones are refused."""
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import; use `from sim.... import`"
            if node.module and node.module.split(".")[0] == "sim":
                out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "sim"]
    return out


def test_every_module_lives_in_a_layer():
    assert set(modules()) >= {"sim.cli", "sim.engine.pool", "sim.services.praktijk", "sim.analysis.metrics"}
    for name in modules():
        assert layer(name) in LAYERS, name


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_imports_a_higher_layer(name):
    mine = LAYERS.index(layer(name))
    wrong = [f"line {line}: {target} ({layer(target)})" for line, target in imports(modules()[name])
             if LAYERS.index(layer(target)) > mine]
    assert not wrong, f"{name} ({layer(name)}) imports higher layers: " + "; ".join(wrong)
