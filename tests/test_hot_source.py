"""Cutting a module into top-level statements: the fast line cut agrees with a full parse."""

from __future__ import annotations

import ast
import enum
import gc
import sys

import pytest

from sandbox.hot.source import parse

TRICKY = [
    # A docstring whose later paragraphs start at column 0 (bounce's own main.py).
    '"""Title.\n\nRun it with `x`: it\'s fine.\nSecond line.\n"""\n\nimport os\nX = 1\n',
    # A flush-left list, a backslash continuation, a string that mentions def.
    "ITEMS = [\n1,\n2,\n]\nY = 1 + \\\n2\nS = '''\ndef not_a_function():\n'''\n",
    # Decorators, else/except continuations and comments between statements.
    "@dec\n# note\n@dec2\ndef f():\n    pass\n\ntry:\n    pass\nexcept E:\n    pass\n"
    "if a:\n    pass\nelse:\n    pass\n# trailing\n",
]


def statement_spans(text: str) -> list[tuple[int, str]]:
    """(first line, first code line) of each statement, by the full parse."""
    lines = text.split("\n")
    spans = []
    for node in ast.parse(text).body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        spans.append((first, lines[first - 1]))
    return spans


@pytest.mark.parametrize("text", TRICKY)
def test_line_cut_matches_the_full_parse(text: str) -> None:
    parsed = parse(text, "m.py")
    got = [(st.start, st.text.split("\n")[0]) for st in parsed.statements]
    assert got == statement_spans(text)
    assert all(st.text in text for st in parsed.statements)


def test_a_real_syntax_error_still_names_its_line() -> None:
    text = '"""Doc.\n\nflush left\n"""\nX = 1\nY = (\nZ = 2\n'
    with pytest.raises(SyntaxError) as caught:
        parse(text, "m.py")
    assert caught.value.filename == "m.py" and caught.value.lineno == 6


def _tracked_reachable(root: object) -> list[object]:
    """Objects the cyclic GC tracks among those reachable from ``root`` (classes not followed)."""
    seen: dict[int, object] = {}
    todo = [root]
    while todo:
        obj = todo.pop()
        # Enum members (a statement's Kind) are three objects shared by every parse.
        if (id(obj) in seen or not gc.is_tracked(obj) or isinstance(obj, (type, enum.Enum))):
            continue
        seen[id(obj)] = obj
        todo.extend(gc.get_referents(obj))
    return list(seen.values())


def test_a_parsed_source_gives_the_gc_little_to_walk() -> None:
    # Every game module's parsed source lives as long as the game: a 100-module game once
    # kept 50,000 tracked objects here (syntax trees, name sets) and a full collection took
    # 12 ms, a dropped frame. Names in tuples and class bodies as texts are not tracked.
    text = "import os\n\nclass A:\n    X = 1\n\n    class B:\n        def f(self):\n" \
           "            return os.sep\n\n    def g(self, y=[1, 2]):\n        return {y}\n\n" \
           "def h(a):\n    return [a for a in range(3)]\n\nZ = {'k': (1, 2)}\n"
    parsed = parse(text, "m.py")
    for _ in range(3):  # each pass untracks one more level of nested tuples
        gc.collect()
    reachable = _tracked_reachable(parsed)
    assert not [o for o in reachable if isinstance(o, (ast.AST, set))]
    assert [o for o in reachable if isinstance(o, frozenset)] == [parsed.imports]
    # The ParsedSource, its imports and statement list, the statements, a ClassBody per class
    # (with its dict of nested bodies). What CPython itself tracks differs by version: 3.10
    # gives every instance a real __dict__ (a tracked dict per object); 3.14 no longer untracks
    # a dict that holds only untracked values, so a ClassBody's dicts of texts and of reads
    # stay tracked too.
    # 3.14 also keeps the ParsedSource's empty dict of import indexes (made when a fan-out
    # first asks) tracked.
    per_object = 1 if sys.version_info < (3, 11) else 0
    per_class = 2 + per_object + (2 if sys.version_info >= (3, 14) else 0)
    per_source = 1 if sys.version_info >= (3, 14) else 0
    assert (len(reachable)
            <= 3 + per_object + per_source + len(parsed.statements) + 2 * per_class)
