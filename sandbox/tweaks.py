"""Tweakable values in a game's source: finding the literals, their ranges, and editing them.

A *tweakable* is a top-level or class-level assignment of one name to a literal: a number
(``SPEED = 3``, ``G = -9.8``), a colour (a tuple of 3 or 4 ints 0–255), a boolean or a short
one-line string. Each colour channel is a tweakable of its own (``BACKGROUND[2]``), so an edit
changes that channel's digits only.

Edits work on the file's *bytes*: the literal's span (from ``ast``'s UTF-8 byte offsets) is
replaced and every other byte — formatting, comments, other values, CRLF line endings — stays.
A span is used only if the bytes there still evaluate to the value ``ast`` saw (a coding
cookie or a BOM would shift offsets: such literals are skipped rather than mis-edited).

The range comes from a trailing comment (``SPEED = 3  # tweak 0..10``) or from the value's
magnitude (:func:`default_range`). Nothing here imports SDL or touches a module: the live
values are read by ``sandbox.tweak_edit``.
"""

from __future__ import annotations

import ast
import enum
import io
import math
import re
import tokenize
from dataclasses import dataclass

__all__ = ["MAX_STRING", "Kind", "Literal", "TweakSourceError", "default_range", "edit_bytes",
           "find_literals", "format_value", "parse_range"]

MAX_STRING = 40  # longer strings are text, not a value to tweak
_RANGE = re.compile(r"#\s*tweak\s+(-?[\d.]+(?:e-?\d+)?)\s*\.\.\s*(-?[\d.]+(?:e-?\d+)?)", re.I)


class Kind(enum.Enum):
    """What kind of literal a tweakable is (which control the panel gives it)."""

    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    STR = "str"
    CHANNEL = "channel"  # one int 0..255 of a colour tuple


class TweakSourceError(ValueError):
    """A source that cannot be scanned or edited (it does not parse, a span moved)."""


@dataclass(frozen=True)
class Literal:
    """One tweakable literal in one file, as the file's bytes hold it now.

    ``name``: ``SPEED``, ``Ball.RADIUS``, or a colour channel ``BACKGROUND[2]``; ``target``:
    the assigned name (``BACKGROUND``, ``Ball.RADIUS``); ``start``/``end``: byte offsets of
    the literal; ``line``: 1-based; ``low``/``high``: the range; ``colour``: the whole tuple
    for a channel (the swatch), else None.
    """

    name: str
    target: str
    kind: Kind
    value: object
    line: int
    start: int
    end: int
    low: float
    high: float
    colour: tuple[int, ...] | None = None
    commented: bool = False  # the range is the line's ``# tweak LOW..HIGH``

    @property
    def channel(self) -> int | None:
        """The channel index of a colour channel (0 = red), else None."""
        return int(self.name.rsplit("[", 1)[1][:-1]) if self.kind is Kind.CHANNEL else None


def default_range(value: float, integer: bool) -> tuple[float, float]:
    """A slider range from a value's magnitude: 0..a round number above twice it.

    Negative values get a range symmetric around 0 (a velocity may change direction).
    """
    mag = abs(value)
    if mag == 0:
        return (0.0, 10.0 if integer else 1.0)
    top = 10 ** math.ceil(math.log10(mag * 2))
    for nice in (top / 5, top / 2, top):  # the smallest of 2, 5, 10 × 10^k above 2·|value|
        if nice >= mag * 2:
            top = nice
            break
    if integer:
        top = max(top, 10)
    return (-float(top), float(top)) if value < 0 else (0.0, float(top))


def parse_range(line: bytes) -> tuple[float, float] | None:
    """The ``# tweak LOW..HIGH`` range on a source line, or None."""
    match = _RANGE.search(line.decode("utf-8", "replace"))
    if match is None:
        return None
    try:
        low, high = float(match.group(1)), float(match.group(2))
    except ValueError:
        return None
    return (low, high) if low < high else None


def format_value(value: object, old_source: bytes = b"") -> bytes:
    """The literal that writes ``value``: ``4.5``, ``True``, ``'red'`` (old quote style kept)."""
    if isinstance(value, bool):
        return b"True" if value else b"False"
    if isinstance(value, int):
        return str(value).encode()
    if isinstance(value, float):
        return repr(value).encode()
    if isinstance(value, str):
        text = repr(value)
        if old_source.startswith(b'"') and '"' not in value and text.startswith("'"):
            text = '"' + text[1:-1].replace("\\'", "'") + '"'
        return text.encode("utf-8")
    raise TweakSourceError(f"cannot write {value!r} as a literal")


def edit_bytes(data: bytes, lit: Literal, value: object) -> bytes:
    """``data`` with ``lit``'s literal replaced by ``value``; every other byte the same."""
    new = format_value(value, data[lit.start:lit.end])
    return data[:lit.start] + new + data[lit.end:]


def find_literals(data: bytes) -> list[Literal]:
    """Every tweakable literal in a module's source bytes, in file order.

    Raises :class:`TweakSourceError` when the source does not parse.
    """
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError) as exc:
        raise TweakSourceError(f"does not parse: {exc}") from None
    starts = _line_starts(data)
    found: list[Literal] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            for inner in stmt.body:
                found.extend(_assigned(inner, stmt.name + ".", data, starts))
        else:
            found.extend(_assigned(stmt, "", data, starts))
    return found


def _line_starts(data: bytes) -> list[int]:
    """Byte offset of each line's start (index 0 is line 1), as Python's tokenizer splits."""
    starts, offset = [], 0
    for line in data.splitlines(keepends=True):
        starts.append(offset)
        offset += len(line)
    starts.append(offset)
    return starts


def _assigned(stmt: ast.stmt, prefix: str, data: bytes, starts: list[int]) -> list[Literal]:
    """The literals a ``NAME = literal`` (or ``NAME: T = literal``) statement assigns."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target, value = stmt.targets[0], stmt.value
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        target, value = stmt.target, stmt.value
    else:
        return []
    if not isinstance(target, ast.Name) or stmt.lineno != getattr(value, "end_lineno", 0):
        return []  # one name, one line: a literal split over lines is not a slider's
    name = prefix + target.id
    line_bytes = data[starts[stmt.lineno - 1]:starts[stmt.lineno]]
    comment_range = parse_range(line_bytes)
    if isinstance(value, ast.Tuple) and len(value.elts) in (3, 4):
        return _colour(name, value, data, starts, comment_range)
    lit = _scalar(name, name, value, data, starts, comment_range)
    return [lit] if lit is not None else []


def _span(node: ast.expr, data: bytes, starts: list[int]) -> tuple[int, int] | None:
    """The node's byte span, if the bytes there evaluate to what ``ast`` saw."""
    end_col = node.end_col_offset
    if node.end_lineno != node.lineno or end_col is None:
        return None
    start = starts[node.lineno - 1] + node.col_offset
    end = starts[node.lineno - 1] + end_col
    try:
        same = ast.literal_eval(data[start:end].decode("utf-8")) == ast.literal_eval(node)
    except (ValueError, SyntaxError, UnicodeDecodeError, TypeError):
        return None
    return (start, end) if same else None


def _number(node: ast.expr) -> object:
    """The value of a number, a negated number, a bool or a string literal (else None)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _number(node.operand)
        if isinstance(inner, (int, float)) and not isinstance(inner, bool):
            return -inner if isinstance(node.op, ast.USub) else inner
        return None
    if isinstance(node, ast.Constant):
        return node.value
    return None


def _scalar(name: str, target: str, node: ast.expr, data: bytes, starts: list[int],
            comment: tuple[float, float] | None) -> Literal | None:
    value = _number(node)
    commented = False
    if isinstance(value, bool):
        kind, low, high = Kind.BOOL, 0.0, 1.0
    elif isinstance(value, (int, float)):
        if not math.isfinite(value):
            return None
        kind = Kind.INT if isinstance(value, int) else Kind.FLOAT
        low, high = comment or default_range(value, kind is Kind.INT)
        commented = comment is not None
    elif isinstance(value, str) and len(value) <= MAX_STRING and "\n" not in value:
        kind, low, high = Kind.STR, 0.0, 0.0
    else:
        return None
    span = _span(node, data, starts)
    if span is None or (kind is Kind.STR and not _one_string(data[span[0]:span[1]])):
        return None  # prefixed (f, b, r) or concatenated strings are not plain values
    return Literal(name, target, kind, value, node.lineno, span[0], span[1], low, high,
                   commented=commented)


def _one_string(source: bytes) -> bool:
    """True for one plain quoted string token (not ``'a' 'b'``, not ``r'a'``)."""
    if source[:1] not in (b"'", b'"'):
        return False
    try:
        tokens = list(tokenize.tokenize(io.BytesIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return False
    return sum(t.type == tokenize.STRING for t in tokens) == 1


def _colour(name: str, node: ast.Tuple, data: bytes, starts: list[int],
            comment: tuple[float, float] | None) -> list[Literal]:
    """A tuple of 3 or 4 ints 0..255: one CHANNEL literal per element."""
    values = [_number(e) for e in node.elts]
    if not all(type(v) is int and 0 <= v <= 255 for v in values):
        return []
    colour = tuple(int(v) for v in values)  # type: ignore[call-overload]
    out: list[Literal] = []
    for i, element in enumerate(node.elts):
        span = _span(element, data, starts)
        if span is None:
            return []
        out.append(Literal(f"{name}[{i}]", name, Kind.CHANNEL, colour[i], node.lineno,
                           span[0], span[1], 0.0, 255.0, colour))
    return out
