"""The engine's shape (issue 12): no import cycles, kinds as enums, short functions.

Measured on the source with ``ast`` (no extra tools): an import cycle inside
``sandbox/hot`` (``TYPE_CHECKING`` imports count too), a bare ``"stmt"``/``"def"``/
``"class"`` compared with, or a function whose cyclomatic complexity (counted as radon
counts it: one, plus one per branch, loop, handler, boolean operator and comprehension
clause) is over 20.
"""

from __future__ import annotations

import ast
from pathlib import Path

HOT = Path(__file__).resolve().parent.parent / "sandbox" / "hot"
MAX_COMPLEXITY = 20


def _modules() -> dict[str, ast.Module]:
    return {f"sandbox.hot.{p.stem}" if p.stem != "__init__" else "sandbox.hot":
            ast.parse(p.read_text(encoding="utf-8")) for p in sorted(HOT.glob("*.py"))}


def _imports(tree: ast.Module, known: set[str]) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            found.update(n for n in names if n in known)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
    return found


def test_no_import_cycle_in_the_engine() -> None:
    modules = _modules()
    graph = {name: _imports(tree, set(modules)) - {name} for name, tree in modules.items()}
    graph["sandbox.hot"] = set()  # the package re-exports; nothing inside imports it back
    for name, deps in graph.items():
        assert "sandbox.hot" not in deps, f"{name} imports the package itself"
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        assert name not in path, " -> ".join([*path[path.index(name):], name])
        if name in done:
            return
        for dep in sorted(graph[name]):
            visit(dep, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_statement_kinds_are_never_bare_strings() -> None:
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                for side in [node.left, *node.comparators]:
                    assert not (isinstance(side, ast.Constant) and side.value in (
                        "stmt", "def", "class", "same", "moved", "changed", "new")), (
                        f"{name}:{node.lineno} compares with {side.value!r}")


def complexity(func: ast.AST) -> int:
    """Cyclomatic complexity of a function, as radon counts it (nested functions apart)."""
    count = 1
    todo = list(ast.iter_child_nodes(func))
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, (ast.If, ast.IfExp, ast.For, ast.AsyncFor, ast.While,
                             ast.ExceptHandler, ast.Assert)):
            count += 1
        elif isinstance(node, ast.BoolOp):
            count += len(node.values) - 1
        elif isinstance(node, ast.comprehension):
            count += 1 + len(node.ifs)
        elif isinstance(node, ast.match_case):
            count += 1
        if isinstance(node, (ast.For, ast.While, ast.AsyncFor)) and node.orelse:
            count += 1
        todo.extend(ast.iter_child_nodes(node))
    return count


def test_complexity_counts_like_radon() -> None:
    tree = ast.parse("def f(a, b):\n    if a and b:\n        return [x for x in a if x]\n"
                     "    for y in b:\n        pass\n    return 0\n")
    assert complexity(tree.body[0]) == 6  # radon cc: 1 + if + and + for-comp + if-comp + for


def test_no_engine_function_over_complexity_20() -> None:
    over = []
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                cc = complexity(node)
                if cc > MAX_COMPLEXITY:
                    over.append(f"{name}.{node.name}: {cc}")
    assert not over
