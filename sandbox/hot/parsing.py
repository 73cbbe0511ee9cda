"""Cutting a module's source into top-level statements, parsing only the new ones.

Parsing a whole 200-line file costs more than a millisecond, so the cut is made on the raw
lines first (a statement starts at a line that begins in column 0) and only the statements
whose text is new are parsed. A wrong cut (a column-0 line inside a string or brackets)
always leaves a piece that does not parse; that piece is glued to the next one and parsed
again (``_glued``), and only past ``_MAX_GLUE`` pieces is the whole file parsed instead.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from collections.abc import Callable

from sandbox.hot.importindex import ImportIndex
from sandbox.hot.names import Imports, analyze
from sandbox.hot.statement import Statement

__all__ = ["ParsedSource", "future_flags", "parse"]


class ParsedSource:
    """A module's source cut into statements, with its __future__ flags and imports.

    ``statements`` may be given as a function that makes them: the parse cache
    (``sandbox.hot.parsecache``) rebuilds a module's statements only when something first
    asks for them (its first reload), not for every module a game imports.
    """

    __slots__ = ("_indexes", "_make", "_statements", "flags", "imports", "text")

    def __init__(self, text: str, statements: list[Statement] | Callable[[], list[Statement]],
                 flags: int, imports: Imports) -> None:
        self.text = text
        self.flags = flags
        self.imports = imports
        self._statements = statements if isinstance(statements, list) else None
        self._make = None if isinstance(statements, list) else statements
        # Built when a dependency first rebinds names this module imports; by package, as
        # the index resolves relative imports (one package per module in practice).
        self._indexes: dict[str, ImportIndex] = {}

    @property
    def statements(self) -> list[Statement]:
        """The top-level statements, in order."""
        statements = self._statements
        if statements is None:
            # prepare() may run off the main thread: two threads may both make the statements
            # (equal lists), and ``_statements`` is set before ``_make`` is dropped.
            make = self._make
            statements = make() if make is not None else self._statements
            assert statements is not None
            self._statements, self._make = statements, None
        return statements

    def import_index(self, package: str) -> ImportIndex:
        """Which statements import what, for a module in ``package`` (built once)."""
        index = self._indexes.get(package)
        if index is None:
            index = ImportIndex([(st.imports, st.reads) for st in self.statements], package)
            self._indexes[package] = index
        return index

    def __repr__(self) -> str:
        return f"<ParsedSource {len(self.text)} chars, flags {self.flags:#x}>"


# A line that starts in column 0 with code (not a blank, an indent or a comment).
_START = re.compile(r"^[^\s#]", re.MULTILINE)
# An indented line with code: before the first statement it is an error the full parse reports.
_INDENTED_CODE = re.compile(r"^[ \t\f]+[^\s#]", re.MULTILINE)
_CONTINUATION = re.compile(r"(?:else|elif|except|finally)\b")


def _trim(text: str, start: int, end: int) -> int:
    """``end`` moved back over trailing blank and comment-only lines (kept: the first line)."""
    while True:
        newline = text.rfind("\n", start, end - 1)
        if newline < 0:
            return end
        line = text[newline + 1 : end].strip()
        if line and not line.startswith("#"):
            return end
        end = newline + 1


def _cut(text: str) -> list[tuple[int, int, int]] | None:
    """(start offset, end offset, first line) of each statement, by column-0 lines.

    ``text`` ends with a newline. None when code precedes the first column-0 line.
    """
    starts: list[int] = []
    glued = False  # the previous start was a decorator: this line belongs to it
    for m in _START.finditer(text):
        at = m.start()
        if glued or (starts and _CONTINUATION.match(text, at)):
            glued = text.startswith("@", at)
            continue
        starts.append(at)
        glued = text.startswith("@", at)
    if not starts:
        return None if _INDENTED_CODE.search(text) else []
    if _INDENTED_CODE.search(text, 0, starts[0]):
        return None
    cuts: list[tuple[int, int, int]] = []
    line = text.count("\n", 0, starts[0]) + 1
    for i, at in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        cuts.append((at, _trim(text, at, end), line))
        line += text.count("\n", at, end)
    return cuts


# Python 3.10 turns its parse tree into ``ast`` objects recursively with no depth check: a
# left-deep chain of 200,000 ``+`` (a data-dense source) overflows the C stack and kills the
# process (3.11+ raises RecursionError). A chain this long is refused before the parser sees it.
_CHAIN_LIMIT = 50_000
_BINARY_OPS = frozenset(["+", "-", "*", "/", "//", "%", "@", "**", "<<", ">>", "&", "|", "^"])
_OPERATOR_CHARS = re.compile(r"[-+*/%@&|^<>]")


def _parse(text: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse``, but a RecursionError (not a crash) for a chain too deep for 3.10."""
    if sys.version_info < (3, 11) and len(_OPERATOR_CHARS.findall(text)) > _CHAIN_LIMIT \
            and _longest_chain(text) > _CHAIN_LIMIT:
        raise RecursionError("an operator chain too long for Python 3.10's parser")
    return ast.parse(text, filename)


def _longest_chain(text: str) -> int:
    """The most binary-operator tokens at one bracket depth: a bound on a chain's AST depth."""
    counts: dict[int, int] = {}
    depth = longest = 0
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.NEWLINE:  # a statement ends: its chains end with it
            counts.clear()
        if token.type != tokenize.OP:
            continue
        if token.string in "([{":
            depth += 1
        elif token.string in ")]}":
            counts[depth] = 0
            depth -= 1
        elif token.string in _BINARY_OPS:
            counts[depth] = counts.get(depth, 0) + 1
            longest = max(longest, counts[depth])
    return longest


def _statement(text: str, start: int, cache: dict[str, Statement]) -> Statement:
    known = cache.get(text)
    if known is not None:
        return known if known.start == start else known.moved(start)
    tree = _parse(text)
    return Statement(text, start, tree, analyze(tree))


# Gluing more pieces than this means a real syntax error (or a huge multi-line string): the
# full parse is cheaper than gluing on, and it reports the error properly.
_MAX_GLUE = 32


def _glued(full: str, cuts: list[tuple[int, int, int]],
           cache: dict[str, Statement]) -> list[Statement]:
    """Parse each cut piece; a piece that does not parse is glued to the next and retried.

    A column-0 line inside a multi-line string or bracket (a docstring's second paragraph,
    a list written flush left) looks like a statement start to the line cut. The piece before
    it then ends inside an open string or bracket and never parses alone, so gluing is safe:
    a prefix ending at a line start parses only when everything in it is closed.
    """
    statements: list[Statement] = []
    i = 0
    while i < len(cuts):
        start, end, line = cuts[i]
        j = i
        while True:
            try:
                statements.append(_statement(full[start:end], line, cache))
                break
            except SyntaxError:
                j += 1
                if j >= len(cuts) or j - i > _MAX_GLUE:
                    raise
                end = cuts[j][1]
        i = j + 1
    return statements


def _by_tree(lines: list[str], filename: str, cache: dict[str, Statement]) -> list[Statement]:
    """Cut by a full parse: the slow path, for files the line cut gets wrong.

    ``lines`` are split on newlines (dropped); the texts match what the line cut gives.
    """
    tree = _parse("\n".join(lines), filename)
    spans: list[list[int]] = []
    for node in tree.body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        last = node.end_lineno or node.lineno
        if spans and first <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], last)
        else:
            spans.append([first, last])
    return [_statement("".join(x + "\n" for x in lines[a - 1 : b]), a, cache) for a, b in spans]


def future_flags(statements: list[Statement]) -> int:
    """Flags of the leading ``from __future__`` imports (after an optional docstring)."""
    flags = 0
    for st in statements:
        if st.future:
            flags |= st.future
        elif st.docstring is None:
            break
    return flags


def parse(text: str, filename: str, previous: ParsedSource | None = None) -> ParsedSource:
    """Cut ``text`` into statements, reusing the parse of every statement ``previous`` had.

    Raises SyntaxError (with ``filename`` and the real line) when the text does not parse.
    """
    cache = {st.text: st for st in previous.statements} if previous is not None else {}
    full = text if not text or text.endswith("\n") else text + "\n"
    try:
        cuts = _cut(full)
        if cuts is None:
            raise SyntaxError("indented code before the first statement")
        statements = _glued(full, cuts, cache)
    except SyntaxError:
        statements = _by_tree(full.split("\n"), filename, cache)
    imports: Imports = frozenset().union(*(st.imports for st in statements))
    return ParsedSource(text, statements, future_flags(statements), imports)
