"""Functions stay short: cyclomatic complexity at most 20 (issue 12), measured with ``ast``.

The count is McCabe's as radon computes it (``radon cc``; it agrees with radon on every
function of ``sandbox/``): 1, plus one per ``if``/``elif``/conditional expression/``assert``/
``case``, per loop (and its ``else``), per ``except`` (and a ``try``'s ``else``), per extra
operand of ``and``/``or``, and per comprehension ``for`` and ``if``. A nested function or
class is counted on its own.

The engine (``sandbox/hot/``) has its own work in progress on this (issue 12) and is left
out here until it is done.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SANDBOX = Path(__file__).resolve().parent.parent / "sandbox"
LIMIT = 20
SKIPPED = ("hot",)  # sandbox/hot/: see the module docstring


def _own_nodes(fn: ast.AST) -> Iterator[ast.AST]:
    stack = list(ast.iter_child_nodes(fn))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def complexity(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """McCabe's cyclomatic complexity of ``fn`` (its nested functions not included)."""
    n = 1
    for node in _own_nodes(fn):
        if isinstance(node, (ast.If, ast.IfExp, ast.Assert, ast.match_case)):
            n += 1
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            n += 1 + bool(node.orelse)
        elif isinstance(node, ast.Try):
            n += len(node.handlers) + bool(node.orelse)
        elif isinstance(node, ast.BoolOp):
            n += len(node.values) - 1
        elif isinstance(node, ast.comprehension):
            n += 1 + len(node.ifs)
    return n


def too_complex(root: Path) -> list[str]:
    """``file:line name (n)`` for every function over ``LIMIT``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.relative_to(root).parts[0] in SKIPPED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = complexity(node)
                if n > LIMIT:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.name} ({n})")
    return found


def test_no_function_outside_the_engine_is_over_20() -> None:
    assert too_complex(SANDBOX) == []


def test_the_count_is_mccabes() -> None:
    source = (
        "def f(xs, a, b):\n"
        "    if a and b or a:\n"           # if +1, and/or +2
        "        return [x for x in xs if x]\n"  # comprehension +2
        "    for x in xs:\n"               # loop +1, else +1
        "        pass\n"
        "    else:\n"
        "        pass\n"
        "    try:\n"
        "        pass\n"
        "    except ValueError:\n"         # +1
        "        pass\n"
        "    def inner():\n"               # counted on its own
        "        if a:\n"
        "            pass\n"
        "    return 1 if a else 2\n"       # +1
    )
    fn = ast.parse(source).body[0]
    assert isinstance(fn, ast.FunctionDef)
    assert complexity(fn) == 1 + 1 + 2 + 2 + 2 + 1 + 1


def test_a_too_complex_function_is_reported(tmp_path: Path) -> None:
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(LIMIT))
    (tmp_path / "big.py").write_text(f"def big(x):\n{branches}    return -1\n")
    (tmp_path / "hot").mkdir()
    (tmp_path / "hot" / "skipped.py").write_text(f"def big(x):\n{branches}    return -1\n")
    assert too_complex(tmp_path) == [f"big.py:1 big ({LIMIT + 1})"]
