"""What a statement changes: the names it updates from their own value, and through calls.

``SPEED *= 2``, ``ENEMIES.append(e)``, ``COLORS['blue'] = 2``, ``del COLORS['red']`` and
``X = f(X)`` change a name from its value. So does ``spawn(3)`` when ``spawn`` is a function
of the same module whose body does one of those to a module name (``ENEMIES.append(n)``),
directly or through the functions it calls in turn. :mod:`chains` uses this to run such a
chain again from its binding. Setting an attribute (``PLAYER.x = 5``) is not counted: running
it again gives what a fresh start gives.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Iterator, Sequence

from sandbox.hot.names import Updates
from sandbox.hot.source import Kind, Statement

__all__ = ["Effects", "header_reads", "may_leave_unbound", "reads_before_binding",
           "updated_names"]

_NONE: frozenset[str] = frozenset()
_PARSE_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError)
_DEPTH = 4  # calls followed from a statement: spawn() → add() → ... (cycles stop at once)


@functools.lru_cache(maxsize=4096)
def _updates_of(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(names updated, plain names called) by a top-level statement's text."""
    try:
        tree = ast.parse(text)
    except _PARSE_ERRORS:
        return _NONE, _NONE  # parsed once already; nothing to learn here
    visitor = Updates()
    visitor.visit(tree)
    return frozenset(visitor.names), frozenset(visitor.calls)


def _stores(body: Iterable[ast.AST]) -> Iterator[str]:
    """Names a function body binds in its own scope (nested scopes left out)."""
    stack = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            yield node.id
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
            continue
        elif isinstance(node, ast.Lambda):
            continue
        stack.extend(ast.iter_child_nodes(node))


@functools.lru_cache(maxsize=4096)
def _function_effects(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(module names updated, plain names called) when the def in ``text`` is called."""
    try:
        tree = ast.parse(text)
    except _PARSE_ERRORS:
        return _NONE, _NONE
    node = tree.body[0] if tree.body else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return _NONE, _NONE
    declared = {n for g in ast.walk(node) if isinstance(g, ast.Global) for n in g.names}
    args = node.args
    params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg,
                              args.kwarg] if a is not None}
    stored = set(_stores(node.body))
    visitor = Updates()
    for stmt in node.body:
        visitor.visit(stmt)
    local = (params | stored) - declared
    names = {n for n in visitor.names if n not in local} | (declared & stored)
    return frozenset(names), frozenset(visitor.calls)


def _may_update(st: Statement) -> bool:
    """Cheap first test: a plain statement binding nothing, reading a name it binds, or of
    several lines (``for e in LEVEL:`` / ``    ENEMIES.append(Enemy(e))``)."""
    if st.kind is not Kind.STMT or st.imports:
        return False
    return (not st.binds or st.start != st.end or not set(st.binds).isdisjoint(st.reads))


@functools.lru_cache(maxsize=4096)
def _reads_first(text: str) -> frozenset[str]:
    try:
        body = ast.parse(text).body
    except _PARSE_ERRORS:
        return _NONE
    node = body[0] if len(body) == 1 else None
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        return frozenset({node.target.id})
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        bound = {t.id for t in targets if isinstance(t, ast.Name)}
        return frozenset(n.id for n in ast.walk(node.value)
                         if isinstance(n, ast.Name) and n.id in bound)
    return _NONE


def reads_before_binding(st: Statement) -> frozenset[str]:
    """Names ``st`` reads before it binds them: ``SPEED *= 2``, ``X = X + 1``.

    Only a single assignment says so for sure: a block (``for w in ...:`` /
    ``    w.append(2)``) may bind a name before it reads it.
    """
    return _reads_first(st.text) if _may_update(st) and st.start == st.end else _NONE


_BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try)


@functools.lru_cache(maxsize=1024)
def _is_block(text: str) -> bool:
    try:
        body = ast.parse(text).body
    except _PARSE_ERRORS:
        return False
    return len(body) == 1 and isinstance(body[0], _BLOCKS)


@functools.lru_cache(maxsize=256)
def _header_reads(text: str) -> frozenset[str] | None:
    try:
        body = ast.parse(text).body
    except _PARSE_ERRORS:
        return None
    node = body[0] if len(body) == 1 else None
    if isinstance(node, (ast.If, ast.While)):
        heads: list[ast.AST] = [node.test]
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        heads = [node.iter]
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        return None  # a with block's body always runs (unless its context manager raises)
    elif isinstance(node, ast.Try):
        heads = []
    else:
        return None
    return frozenset(n.id for head in heads for n in ast.walk(head) if isinstance(n, ast.Name))


def header_reads(st: Statement) -> frozenset[str] | set[str]:
    """What ``st`` reads for sure when it runs: all its reads, but for an ``if``, ``for``,
    ``while`` or ``try`` block only its header's (a body may not run, or catch the error)."""
    if st.kind is not Kind.STMT or st.start == st.end:
        return set(st.reads)
    heads = _header_reads(st.text)
    return set(st.reads) if heads is None else heads


def may_leave_unbound(st: Statement) -> bool:
    """Whether ``st`` may run without binding the names it binds (``if``, ``for``, ``try``...)."""
    return st.kind is Kind.STMT and st.start != st.end and _is_block(st.text)


def updated_names(st: Statement) -> frozenset[str]:
    """The names ``st`` itself changes from their own value (``X += 1``, ``X.append(v)``)."""
    return _updates_of(st.text)[0] if _may_update(st) else _NONE


class Effects:
    """What the statements of one module's source change, calls to its own functions included."""

    def __init__(self, statements: Sequence[Statement]) -> None:
        # The last def of a name is the one a call at the end of the module runs.
        self._defs = {st.name: st for st in statements
                      if st.kind is Kind.DEF and st.name is not None}
        self._called: dict[str, frozenset[str]] = {}

    def updates(self, st: Statement) -> frozenset[str]:
        """The names ``st`` changes from their value, by itself or through a call."""
        if st.kind is not Kind.STMT or st.imports:
            return _NONE
        defs = self._defs
        if not (_may_update(st) or (defs and any(r in defs for r in st.reads))):
            return _NONE
        names, calls = _updates_of(st.text)
        for name in calls:
            if name in defs:
                names = names | self._through(name, _DEPTH)
        return names

    def _through(self, name: str, depth: int) -> frozenset[str]:
        """The module names a call of this module's function ``name`` changes."""
        known = self._called.get(name)
        if known is not None:
            return known
        self._called[name] = _NONE  # a recursive call adds nothing new
        names, calls = _function_effects(self._defs[name].text)
        if depth > 1:
            for callee in calls:
                if callee in self._defs and callee != name:
                    names = names | self._through(callee, depth - 1)
        self._called[name] = names
        return names
