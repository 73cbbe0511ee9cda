"""Which differing names the engine's documented rules explain (docs/reloading.md).

"What needs F5": a value the module computed at import time by *calling* code
(``game = Game()``, ``LEVEL = make_level()``) is not made again when only the called code's
body changed: the statement that called it does not run again (it could spawn or register
twice). So a name bound by a top-level statement that is the same in both versions, contains
a call, and reads no module-level name that a changed plain statement binds, is expected to
keep its old value: such a difference is counted as *documented*, not as a divergence. A
name whose statement changed, or that reads a changed plain value (``VEL = f(SPEED)`` after
``SPEED`` changed: that must re-run), stays a divergence.
"""

from __future__ import annotations

import ast

__all__ = ["documented_failure", "documented_names"]

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _bound(stmt: ast.stmt) -> set[str]:
    names: set[str] = set()
    if isinstance(stmt, _DEFS):
        return {stmt.name}
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).partition(".")[0])
    return names


def _reads(stmt: ast.stmt) -> set[str]:
    return {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx,
                                                                                  ast.Load)}


def _statements(source: str) -> list[tuple[str, ast.stmt]] | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return [(ast.dump(s), s) for s in tree.body]


def documented_names(old: str, new: str) -> set[str]:
    """Names of ``new`` bound only by unchanged statements that call code (see above)."""
    before, after = _statements(old), _statements(new)
    if before is None or after is None:
        return set()
    unchanged = {text for text, _ in before}
    changed_plain: set[str] = set()
    for text, stmt in after:
        if text not in unchanged and not isinstance(stmt, _DEFS):
            changed_plain |= _bound(stmt)
    documented: set[str] = set()
    undocumented: set[str] = set()
    for text, stmt in after:
        calls = any(isinstance(n, ast.Call) for n in ast.walk(stmt))
        same = text in unchanged and not isinstance(stmt, _DEFS)
        target = documented if same and calls and not _reads(stmt) & changed_plain \
            else undocumented
        target |= _bound(stmt)
    return documented - undocumented


def documented_failure(old: str, new: str, line: int) -> bool:
    """A fresh import failed inside game code called from line ``line`` of ``new``: True
    when that top-level statement is unchanged (the engine rightly does not run it again)."""
    before, after = _statements(old), _statements(new)
    if before is None or after is None:
        return False
    unchanged = {text for text, _ in before}
    for text, stmt in after:
        if stmt.lineno <= line <= (stmt.end_lineno or stmt.lineno):
            return text in unchanged and not isinstance(stmt, _DEFS)
    return False
