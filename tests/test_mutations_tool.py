"""tools/mutations.py stays in step with the code: every rule's snippet is found exactly once
in sim/ (code moved or rewritten makes this fail, naming the rule), each names tests that
exist, and a snippet found twice or nowhere is one clear error. The mutation run itself
(minutes) is not part of the test suite: docs/rules.md holds its output."""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from .conftest import ROOT

spec = importlib.util.spec_from_file_location("mutations", ROOT / "tools" / "mutations.py")
mutations = importlib.util.module_from_spec(spec)
sys.modules.setdefault("mutations", mutations)  # a dataclass looks its module up while it is built
spec.loader.exec_module(mutations)


@pytest.mark.parametrize("m", mutations.MUTATIONS, ids=lambda m: m.name)
def test_every_snippet_is_found_once_and_its_tests_exist(m):
    path = mutations.locate(ROOT, m.snippet)
    assert m.becomes != m.snippet and m.snippet in path.read_text()
    files = [a for a in m.tests if a.startswith("tests/")]
    assert files and all((ROOT / f).is_file() for f in files), m.tests
    if "-k" in m.tests:
        words = re.findall(r"[a-z0-9_]+", m.tests[m.tests.index("-k") + 1])
        text = "".join((ROOT / f).read_text() for f in files)
        assert any(w in text for w in words if w not in ("and", "or", "not")), m.tests


def test_a_snippet_found_twice_or_nowhere_is_one_clear_error(tmp_path):
    (tmp_path / "sim").mkdir()
    (tmp_path / "sim" / "a.py").write_text("x = 1\nx = 1\n")
    with pytest.raises(SystemExit, match="x2, not exactly once"):
        mutations.locate(tmp_path, "x = 1")
    with pytest.raises(SystemExit, match="nowhere"):
        mutations.locate(tmp_path, "y = 2")


def test_the_rule_names_are_those_of_the_rule_map():
    text = (ROOT / "docs" / "rules.md").read_text()
    names = [m.name for m in mutations.MUTATIONS]
    assert len(names) == len(set(names)) >= 12
    missing = [n for n in names if f"| {n} |" not in text]
    assert not missing, f"rules broken by tools/mutations.py but not in docs/rules.md: {missing}"
