"""Cutting a module into top-level statements: the fast line cut agrees with a full parse."""

from __future__ import annotations

import ast

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
