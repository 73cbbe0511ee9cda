"""A top-level statement of a game module: its text, lines, kind and the names it uses.

A module's source is cut into *statements* (``sandbox.hot.parsing``): runs of whole lines,
one per top-level statement (a decorated def with its decorators; statements sharing a line
stay together). A statement's key is its text, so a statement that did not change keeps its
key wherever it moves, and comparing two versions of a file costs a dict lookup per statement.
"""

from __future__ import annotations
import __future__

import ast
import enum
import io
import sys
import tokenize
from types import CodeType
from typing import Any

from sandbox.hot.names import ClassBody, ImportRef, StatementNames, class_body

__all__ = ["Kind", "Statement"]


class Kind(enum.Enum):
    """What a top-level statement makes: a function, a class, or anything else."""

    DEF = "def"
    CLASS = "class"
    STMT = "stmt"


def _optional_flag(name: str) -> int:
    """The compiler flag of ``from __future__ import name``, when it still changes anything.

    ``print_function`` and the like are mandatory now: the compiler ignores them in a
    module's source, but passed to ``compile()`` as flags they end up in each code object's
    ``co_flags``, where a fresh import has none.
    """
    feature = getattr(__future__, name, None)
    flag = getattr(feature, "compiler_flag", 0)
    mandatory = getattr(feature, "mandatory", None)
    if not isinstance(flag, int) or (mandatory is not None and sys.version_info >= mandatory):
        return 0
    return flag


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
                    self.future |= _optional_flag(alias.name)
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

    # -- the parse cache (sandbox.hot.parsecache) --------------------------------------------

    def record(self) -> tuple[Any, ...]:
        """What the parse found, as plain data ``marshal`` can store (text and lines apart)."""
        body = None if self.body is None else _body_record(self.body, self.text)
        return (self.binds, self.reads, self.imports, self.lazy_reads, self.kind.value,
                self.name, self.def_offset, body, self.docstring, self.future,
                self.end - self.start)

    @classmethod
    def from_record(cls, text: str, start: int, record: tuple[Any, ...]) -> Statement:
        """The statement :meth:`record` describes, at ``start``, without parsing ``text``."""
        st = cls.__new__(cls)
        (st.binds, st.reads, st.imports, st.lazy_reads, kind, st.name, st.def_offset, body,
         st.docstring, st.future, lines) = record
        st.text, st.start, st.end = text, start, start + lines
        st.kind = _KINDS[kind]
        st.body = None if body is None else _body_from_record(body, text)
        st._code, st._code_flags, st._norm = None, 0, None
        return st

    def __repr__(self) -> str:
        first = self.text.split("\n", 1)[0]
        return f"<Statement {self.start}-{self.end} {first!r}>"


_KINDS = {kind.value: kind for kind in Kind}  # Kind(value) is an enum call: 1.5 µs each


def _body_record(body: ClassBody, text: str) -> tuple[Any, ...]:
    # A body's statement texts are slices of the class's text: kept as (offset, length),
    # which halves an entry and what reading it back costs.
    spans = {k: tuple(_span(chunk, text) for chunk in v) for k, v in body.texts.items()}
    return (spans, body.reads, {k: _body_record(v, text) for k, v in body.nested.items()})


def _span(chunk: str, text: str) -> tuple[int, int] | str:
    at = text.find(chunk)  # any occurrence: the slice is the same string
    return (at, len(chunk)) if at >= 0 else chunk


def _body_from_record(record: tuple[Any, ...], text: str) -> ClassBody:
    spans, reads, nested = record
    texts = {k: tuple(s if isinstance(s, str) else text[s[0] : s[0] + s[1]] for s in v)
             for k, v in spans.items()}
    return ClassBody(texts, reads, {k: _body_from_record(v, text) for k, v in nested.items()})
