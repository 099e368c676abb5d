"""No page relies on Streamlit's magic (``runner.magicEnabled = false`` in ``.streamlit/config.toml``):
a bare expression on its own line would silently show nothing."""

from __future__ import annotations

import ast

import pytest

from conftest import ROOT

SCRIPTS = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]


def bare_expressions(tree: ast.AST) -> list[int]:
    """Line numbers of the statements magic would write (not a call, a docstring, yield or await)."""
    lines = []
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            for i, statement in enumerate(body if isinstance(body, list) else []):
                if not isinstance(statement, ast.Expr):
                    continue
                value = statement.value
                docstring = i == 0 and isinstance(value, ast.Constant) and isinstance(value.value, str)
                if not docstring and not isinstance(value, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom)):
                    lines.append(statement.lineno)
    return lines


def test_magic_is_off():
    assert "magicEnabled = false" in (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_no_page_writes_by_magic(script):
    assert bare_expressions(ast.parse("\"\"\"doc\"\"\"\nx = 1\nx\nif x:\n    x + 1\nprint(x)\n")) == [3, 5]


def test_a_bare_expression_is_found():
    assert bare_expressions(ast.parse("\"\"\"doc\"\"\"\nx = 1\nx\nif x:\n    x + 1\nprint(x)\n")) == [3, 5]
