"""Reading game sources and splitting them into top-level statements with keys.

A module's source is cut into *statements*: runs of whole lines, one per top-level
statement (a decorated def with its decorators; statements sharing a line stay together).
A statement's key is its text, so a statement that did not change keeps its key wherever it
moves, and comparing two versions of a file costs a dict lookup per statement.

Parsing a whole 200-line file costs more than a millisecond, so the cut is made on the raw
lines first (a statement starts at a line that begins in column 0) and only the statements
whose text is new are parsed. A wrong cut (a column-0 line inside a string or brackets)
always leaves a piece that does not parse; that piece is glued to the next one and parsed
again (``_glued``), and only past ``_MAX_GLUE`` pieces is the whole file parsed instead.
"""

from __future__ import annotations
import __future__

import ast
import enum
import io
import os
import re
import sys
import time
import tokenize
from dataclasses import dataclass
from pathlib import Path
from types import CodeType

from sandbox.hot.names import ClassBody, ImportRef, Imports, StatementNames, analyze, class_body

__all__ = [
    "MAX_SOURCE_BYTES",
    "EmptySourceError",
    "Kind",
    "ParsedSource",
    "SourceError",
    "SourceFile",
    "Statement",
    "TooLargeSourceError",
    "UndecodableSourceError",
    "UnparsableSourceError",
    "UnreadableSourceError",
    "parse",
    "read",
]


class Kind(enum.Enum):
    """What a top-level statement makes: a function, a class, or anything else."""

    DEF = "def"
    CLASS = "class"
    STMT = "stmt"


class SourceError(Exception):
    """A game file cannot be used (empty, not UTF-8): the running code is kept."""

    hint = "fix and save to retry (F9)"

    def __init__(self, message: str, path: Path, shown: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.shown = shown
        self.line = line


class EmptySourceError(SourceError):
    """A game file is empty: the running code is kept (editors truncate, then write)."""

    hint = "the running code is kept; save it again with content"

    def __init__(self, path: Path, shown: str) -> None:
        super().__init__(f"{shown} is empty", path, shown)


class UndecodableSourceError(SourceError):
    """A game file is not valid UTF-8."""

    hint = "the running code is kept; save it as UTF-8 to retry (F9)"

    def __init__(self, path: Path, shown: str, exc: UnicodeDecodeError) -> None:
        line = exc.object[: exc.start].count(b"\n") + 1
        super().__init__(f"{shown} is not valid UTF-8 (byte {exc.start})", path, shown, line)


# Parsing and analysing a data-dense source costs about a second per megabyte on the main
# thread (a 10 MB list literal: ~10 s of frozen frames); game modules are far smaller.
MAX_SOURCE_BYTES = 1_000_000


class TooLargeSourceError(SourceError):
    """A game file is too big to reload without freezing the game for seconds."""

    hint = "the running code is kept; keep big data in a file the game reads (JSON, CSV)"

    def __init__(self, path: Path, shown: str, size: int) -> None:
        super().__init__(f"{shown} is {size / 1e6:.1f} MB, too big to reload (the limit is "
                         f"{MAX_SOURCE_BYTES / 1e6:g} MB)", path, shown)


class UnreadableSourceError(SourceError):
    """A game file cannot be read: a directory in its place, no permission, gone mid-read."""

    hint = "the running code is kept; put the module's file back and save (F9)"

    def __init__(self, path: Path, shown: str, exc: OSError) -> None:
        reason = ("it is a directory" if isinstance(exc, IsADirectoryError)
                  else "it is gone" if isinstance(exc, FileNotFoundError)
                  else (exc.strerror or type(exc).__name__).lower())
        super().__init__(f"{shown} cannot be read: {reason}", path, shown)


class UnparsableSourceError(SourceError):
    """A game file the parser gives up on without a SyntaxError (too deep, a NUL byte)."""

    hint = "the running code is kept; fix the file and save to retry (F9)"


@dataclass(frozen=True)
class SourceFile:
    """A file's text as read, with the stat taken just before reading."""

    text: str
    mtime_ns: int
    size: int
    read_ns: int


def read(path: Path) -> SourceFile:
    """Read ``path`` as UTF-8 (a BOM is dropped); stat first, so a later write shows."""
    st = os.stat(path)
    now = time.time_ns()
    with open(path, encoding="utf-8-sig", newline=None) as f:
        text = f.read()
    return SourceFile(text, st.st_mtime_ns, st.st_size, now)


class Statement:
    """One top-level statement (or several sharing lines): its text, lines and names."""

    __slots__ = ("_code", "_code_flags", "_norm", "binds", "body", "def_offset", "docstring",
                 "end", "future", "imports", "kind", "lazy_reads", "name", "reads", "start",
                 "text")

    def __init__(self, text: str, start: int, tree: ast.Module, names: StatementNames) -> None:
        self.text = text
        self.start = start  # first line, 1-based (a decorator's line for decorated defs)
        self.end = start + text.count("\n") - 1
        # Tuples, not the analysis' frozensets: the cyclic GC stops tracking a tuple of strings
        # after one pass, but tracks every set for good (three per statement were a quarter of
        # the objects a 100-module game made every full collection walk).
        self.binds: tuple[str, ...] = tuple(names.binds)
        self.reads: tuple[str, ...] = tuple(names.reads)
        self.imports: tuple[ImportRef, ...] = tuple(names.imports)
        # Names read only by annotations: never evaluated under ``from __future__ import
        # annotations`` or on 3.14 (PEP 649), so they cannot fail a fresh start there.
        self.lazy_reads: tuple[str, ...] = tuple(names.lazy_reads)
        self.kind: Kind
        self.name: str | None
        body = tree.body
        node = body[0] if len(body) == 1 else None
        # Lines of decorators above the ``def`` line: a body-only edit keeps them.
        self.def_offset = 0
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.kind, self.name = Kind.DEF, node.name
            self.def_offset = node.lineno - 1
        elif isinstance(node, ast.ClassDef):
            self.kind, self.name = Kind.CLASS, node.name
        else:
            self.kind, self.name = Kind.STMT, None
        # No syntax tree is kept: a tree is many small objects that every gc pass walks. A class
        # keeps what patching it compares instead (its body's statements by name).
        self.body: ClassBody | None = None
        if isinstance(node, ast.ClassDef):
            # Split on "\n" only, as the parser counts lines: splitlines() also splits on a
            # form feed or U+2028 inside the body and shifted every chunk after it.
            self.body = class_body(node, [line + "\n" for line in text.split("\n")])
        first = body[0] if body else None
        self.docstring: str | None = None  # set when this is a string literal statement
        if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)):
            self.docstring = first.value.value
        self.future = 0  # compiler flags of ``from __future__ import`` statements
        for item in body:
            if isinstance(item, ast.ImportFrom) and item.module == "__future__":
                for alias in item.names:
                    feature = getattr(__future__, alias.name, None)
                    self.future |= getattr(feature, "compiler_flag", 0)
        self._code: CodeType | None = None
        self._code_flags = 0
        self._norm: str | None = None

    @property
    def decorators(self) -> str:
        """The decorator lines of a def (empty for anything else)."""
        if not self.def_offset:
            return ""
        return "".join(self.text.split("\n")[: self.def_offset])

    def undecorated(self, filename: str, flags: int) -> CodeType:
        """A def compiled without its decorators, at its real lines (a body-only edit)."""
        lines = self.text.split("\n")
        padded = "\n" * (self.start - 1 + self.def_offset) + "\n".join(lines[self.def_offset:])
        code: CodeType = compile(padded, filename, "exec", flags=flags, dont_inherit=True)
        return code

    @property
    def norm(self) -> str:
        """The key with comments ignored (lines kept): a comment edit changes nothing."""
        if self._norm is None:
            # Only asked of statements whose text changed, so tokenize's cost is fine.
            skip = (tokenize.COMMENT, tokenize.NL)
            tokens = tokenize.generate_tokens(io.StringIO(self.text).readline)
            try:
                self._norm = "\x00".join(f"{t.start[0]}:{t.string}" for t in tokens
                                          if t.type not in skip)
            except (tokenize.TokenError, SyntaxError):
                self._norm = self.text
        return self._norm

    def moved(self, start: int) -> Statement:
        """The same statement at another line (shares the parse)."""
        twin = Statement.__new__(Statement)
        for slot in Statement.__slots__:
            setattr(twin, slot, getattr(self, slot))
        twin.start = start
        twin.end = start + self.text.count("\n") - 1
        twin._code = None
        twin._norm = self._norm
        return twin

    def code(self, filename: str, flags: int) -> CodeType:
        """The statement compiled alone, with the real file name and line numbers."""
        # The flags are part of the key: a ``from __future__`` edit recompiles every statement.
        code = self._code
        if code is None or self._code_flags != flags:
            padded = "\n" * (self.start - 1) + self.text
            code = compile(padded, filename, "exec", flags=flags, dont_inherit=True)
            self._code, self._code_flags = code, flags
        return code

    def __repr__(self) -> str:
        first = self.text.split("\n", 1)[0]
        return f"<Statement {self.start}-{self.end} {first!r}>"


@dataclass
class ParsedSource:
    """A module's source cut into statements, with its __future__ flags and imports."""

    text: str
    statements: list[Statement]
    flags: int
    imports: Imports


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


def _future_flags(statements: list[Statement]) -> int:
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
    return ParsedSource(text, statements, _future_flags(statements), imports)
