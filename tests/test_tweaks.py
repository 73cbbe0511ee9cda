"""Finding tweakable literals and editing them as bytes (sandbox.tweaks): no SDL, no host."""

from __future__ import annotations

import ast

import pytest

from sandbox.tweaks import (
    Kind,
    TweakSourceError,
    default_range,
    edit_bytes,
    find_literals,
    format_value,
    parse_range,
)

SOURCE = (
    b'"""A game."""\r\n'
    b"SPEED = 3  # tweak 0..10\r\n"
    b"GRAVITY = -9.8\r\n"
    b"BACKGROUND = (0, 0, 255)\r\n"
    b"TINT = (10, 20, 30, 40)  # rgba\r\n"
    b"SIZE = (640, 480)\r\n"
    b"TITLE = 'bounce'\r\n"
    b'NAME: str = "x"\r\n'
    b"SHOW = True\r\n"
    b"LONG = '" + b"x" * 60 + b"'\r\n"
    b"FMT = f'{SPEED}'\r\n"
    b"DERIVED = SPEED * 2\r\n"
    b"a = b = 1\r\n"
    b"if SHOW:\r\n"
    b"    HIDDEN = 1\r\n"
    b"class Ball:\r\n"
    b"    RADIUS: int = 10\r\n"
    b"    def f(self):\r\n"
    b"        LOCAL = 5\r\n"
)


def by_name(data: bytes) -> dict[str, object]:
    return {lit.name: lit.value for lit in find_literals(data)}


def test_finds_numbers_colours_booleans_short_strings_and_class_attributes() -> None:
    assert by_name(SOURCE) == {
        "SPEED": 3, "GRAVITY": -9.8,
        "BACKGROUND[0]": 0, "BACKGROUND[1]": 0, "BACKGROUND[2]": 255,
        "TINT[0]": 10, "TINT[1]": 20, "TINT[2]": 30, "TINT[3]": 40,
        "TITLE": "bounce", "NAME": "x", "SHOW": True, "Ball.RADIUS": 10}
    kinds = {lit.name: lit.kind for lit in find_literals(SOURCE)}
    assert kinds["SPEED"] is Kind.INT and kinds["GRAVITY"] is Kind.FLOAT
    assert kinds["SHOW"] is Kind.BOOL and kinds["TITLE"] is Kind.STR
    assert kinds["TINT[3]"] is Kind.CHANNEL
    lines = {lit.name: lit.line for lit in find_literals(SOURCE)}
    assert lines["SPEED"] == 2 and lines["Ball.RADIUS"] == 17


def test_the_range_comes_from_the_comment_or_the_magnitude() -> None:
    lits = {lit.name: lit for lit in find_literals(SOURCE)}
    assert (lits["SPEED"].low, lits["SPEED"].high) == (0, 10)
    assert (lits["GRAVITY"].low, lits["GRAVITY"].high) == (-20, 20)
    assert (lits["BACKGROUND[2]"].low, lits["BACKGROUND[2]"].high) == (0, 255)
    assert default_range(2, True) == (0, 10)
    assert default_range(0.3, False) == (0, 1)
    assert default_range(0, False) == (0, 1)
    assert default_range(250, True) == (0, 500)
    assert parse_range(b"X = 1  # tweak -1.5..2.5") == (-1.5, 2.5)
    assert parse_range(b"X = 1  # tweak 5..1") is None  # an empty range is no range
    assert parse_range(b"X = 1  # a comment") is None


@pytest.mark.parametrize(("name", "value", "literal"), [
    ("SPEED", 4.5, b"SPEED = 4.5  # tweak 0..10\r\n"),
    ("GRAVITY", 3, b"GRAVITY = 3\r\n"),
    ("BACKGROUND[1]", 128, b"BACKGROUND = (0, 128, 255)\r\n"),
    ("SHOW", False, b"SHOW = False\r\n"),
    ("NAME", "it's", b'NAME: str = "it\'s"\r\n'),
    ("Ball.RADIUS", 12, b"    RADIUS: int = 12\r\n"),
])
def test_an_edit_changes_that_literal_and_no_other_byte(name: str, value: object,
                                                         literal: bytes) -> None:
    lit = next(lit for lit in find_literals(SOURCE) if lit.name == name)
    new = edit_bytes(SOURCE, lit, value)
    old_line = SOURCE.splitlines(keepends=True)[lit.line - 1]
    assert new == SOURCE.replace(old_line, literal, 1)  # CRLF and the comment kept
    # the oracle: what Python reads from the edited source
    tree = ast.parse(new)
    assert by_name(new)[name] == value
    assert tree is not None


def test_strings_keep_their_quotes_and_odd_literals_are_skipped() -> None:
    assert format_value("red", b"'blue'") == b"'red'"
    assert format_value("red", b'"blue"') == b'"red"'
    assert format_value("say \"hi\"", b'"x"') == b"'say \"hi\"'"
    with pytest.raises(TweakSourceError):
        format_value(object())
    odd = b"A = 'a' 'b'\nB = 1e3\nC = 0x10\nD = (1, 2, 300)\nE = (\n  1, 2, 3)\n"
    assert by_name(odd) == {"B": 1000.0, "C": 16}


def test_utf8_before_the_literal_does_not_shift_the_edit() -> None:
    data = "NAME = 'café'; SPEED = 2  # é\n".encode()
    data = b"S = 2  # caf\xc3\xa9\nT = ('\xc3\xa9', 1)\nU = 'h\xc3\xa9'; V = 7\n"
    lits = {lit.name: lit for lit in find_literals(data)}
    assert edit_bytes(data, lits["V"], 8) == data.replace(b"V = 7", b"V = 8")


def test_a_source_that_does_not_parse_says_so() -> None:
    with pytest.raises(TweakSourceError, match="does not parse"):
        find_literals(b"SPEED = (\n")
