"""Small event dataclasses, each with a one-line ``__str__``.

The terminal, the in-window overlay and the tests all show the same line, so an event's
``__str__`` is its user-facing message. The engine's own report (``sandbox.hot.ReloadReport``)
follows the same rule. Nothing here imports SDL or rich.
"""

from __future__ import annotations

import builtins
import difflib
import dis
import linecache
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

__all__ = [
    "ErrorInfo",
    "Event",
    "FrameInfo",
    "GameError",
    "Notice",
    "Restarted",
    "ScreenshotSaved",
    "drop_traceback",
]


class _GamePaths:
    """Where files lie relative to the game folder, each file resolved once.

    Resolving is a few system calls, and a RecursionError's traceback names the same file a
    thousand times: resolved per frame, locating one took ~100 ms.
    """

    def __init__(self, root: Path | None) -> None:
        self.root: Path | None = None
        if root is not None:
            try:
                self.root = root.resolve()
            except OSError:
                self.root = root
        self._relative: dict[str, str | None] = {}

    def relative(self, path: str) -> str | None:
        """``path`` relative to the game folder (posix), or None when it lies outside."""
        if self.root is None:
            return None
        if path not in self._relative:
            try:
                self._relative[path] = Path(path).resolve().relative_to(self.root).as_posix()
            except (ValueError, OSError):
                self._relative[path] = None
        return self._relative[path]

    def under(self, path: str) -> bool:
        """True when ``path`` lies in the game folder (always, with no folder given)."""
        return self.root is None or self.relative(path) is not None

    def shown(self, path: str) -> str:
        """``path`` as the user sees it: relative to the game folder when it lies under it."""
        return self.relative(path) or path


@dataclass(frozen=True)
class FrameInfo:
    """One traceback frame: where, in which function, and the source line."""

    path: str
    line: int
    function: str
    source: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} in {self.function}"


@dataclass(frozen=True)
class ErrorInfo:
    """What went wrong, where (file:line) and what to do next, from an exception.

    ``path`` is relative to the game folder when the error is in the game's own code.
    ``frames`` holds only the game's own frames (the sandbox's internals are trimmed away),
    innermost last; ``hint`` says what to do next. ``source_line`` is the line as written
    (indentation kept); ``column``/``end_column`` are 1-based character positions in it (the
    end exclusive), from a SyntaxError or from the traceback's positions (Python 3.11+).
    """

    kind: str
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    source_line: str | None = None
    frames: tuple[FrameInfo, ...] = ()
    hint: str = "fix and save to retry (F9)"
    exception: BaseException | None = field(default=None, compare=False, repr=False)
    end_column: int | None = None

    @property
    def where(self) -> str:
        """``main.py:12``, or ``""`` when the location is unknown."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        where = f" at {self.where}" if self.where else ""
        message = f": {self.message}" if self.message else ""
        return f"{self.kind}{message}{where}"

    @classmethod
    def from_exception(
        cls,
        exc: BaseException,
        root: Path | str | None = None,
        hint: str = "fix and save to retry (F9)",
    ) -> ErrorInfo:
        """Build an ErrorInfo from ``exc``, locating it in the game under ``root``.

        A SyntaxError points at the offending line of the file that failed to parse; any
        other exception points at the innermost traceback frame inside the game folder (or
        the innermost frame at all when none is).
        """
        paths = _GamePaths(Path(root) if root is not None else None)
        summaries = traceback.extract_tb(_readable(exc.__traceback__))
        frames = tuple(_game_frames(summaries, paths))
        kind = type(exc).__name__
        if isinstance(exc, SyntaxError) and exc.filename and not exc.filename.startswith("<"):
            text = (exc.text or "").rstrip("\n") or None
            if text is None and exc.lineno:
                text = linecache.getline(exc.filename, exc.lineno).rstrip("\n") or None
            same_line = exc.end_lineno in (None, exc.lineno)
            return cls(
                kind=kind,
                message=exc.msg or "",
                path=paths.shown(exc.filename),
                line=exc.lineno,
                column=exc.offset,
                source_line=text,
                frames=frames,
                hint=hint,
                exception=exc,
                end_column=exc.end_offset if same_line and exc.end_offset else None,
            )
        message = str(exc)
        if isinstance(exc, KeyError) and len(exc.args) == 1:
            message = repr(exc.args[0])
        suggestion = _suggestion(exc)
        if suggestion and "Did you mean" not in message:
            message = f"{message}. Did you mean: {suggestion!r}?"
        if frames:
            last = frames[-1]
            text, column, end = _position(_innermost_game_summary(summaries, paths))
            return cls(kind, message, last.path, last.line, column, text or last.source or None,
                       frames, hint, exc, end)
        # No frame inside the game: fall back to the innermost frame anywhere.
        if summaries:
            inner = summaries[-1]
            return cls(kind, message, paths.shown(inner.filename), inner.lineno, None,
                       (inner.line or None), frames, hint, exc)
        return cls(kind, message, None, None, None, None, frames, hint, exc)


def drop_traceback(exc: BaseException | None) -> None:
    """Let go of the traceback of ``exc`` (and of its chain): the frames and their locals.

    The host keeps every event, and an event keeps its exception, whose traceback keeps each
    frame alive, with its locals and, through ``f_back``, its callers: for a failed reload the
    engine's plan and parsed sources (~10 KB a time, a leak over a long session). The
    ErrorInfo already holds everything shown (files, lines, source).
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc.__traceback__ = None
        exc = exc.__cause__ or exc.__context__


# Of a very long traceback (an interrupted runaway recursion is millions of frames deep, and
# locating each would take minutes), the outermost and the innermost this many are shown.
_KEPT_FRAMES = 100


def _readable(tb: TracebackType | None) -> TracebackType | None:
    """``tb`` cut to its ends when very long, and moved to the loop's head when at a jump back.

    Only an interrupt (the watchdog's or Ctrl+C) is raised at a backward jump, and CPython
    numbers that jump differently by version: 3.11-3.13 give a ``while`` loop's the ``while``
    line, 3.14 the body's last line (``pass`` in ``while True: pass``), and every version a
    ``for`` loop's the body's line. A person knows the loop by its head: of the jump and its
    target, report whichever comes first in the file, with no caret (offset -1: no columns),
    as what runs forever is the whole loop, not one expression in its head.
    """
    entries: list[TracebackType] = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    if not entries:
        return None
    chain = [(e.tb_frame, e.tb_lasti, e.tb_lineno) for e in
             (entries if len(entries) <= 2 * _KEPT_FRAMES
              else entries[:_KEPT_FRAMES] + entries[-_KEPT_FRAMES:])]
    head = _loop_head(entries[-1])
    if head is not None:
        chain[-1] = (entries[-1].tb_frame, -1, head)
    elif len(chain) == len(entries):
        return entries[0]
    rebuilt: TracebackType | None = None
    for frame, lasti, line in reversed(chain):
        rebuilt = TracebackType(rebuilt, frame, lasti, line)
    return rebuilt


def _loop_head(tb: TracebackType) -> int | None:
    """The first line of the loop whose jump back ``tb`` stopped at, or None."""
    code = tb.tb_frame.f_code
    at = {i.offset: i for i in dis.get_instructions(code) if "JUMP" in i.opname}
    jump = at.get(tb.tb_lasti)
    if jump is not None and jump.argval in at and jump.argval > jump.offset:
        jump = at[jump.argval]  # 3.10 also stops at a jump forward to the jump back
    if jump is None or not isinstance(jump.argval, int) or jump.argval >= jump.offset:
        return None
    lines = [line for start, end, line in code.co_lines()
             for offset in (jump.offset, jump.argval) if start <= offset < end and line]
    return min(lines) if lines else None


def _innermost_game_summary(summaries: traceback.StackSummary,
                            paths: _GamePaths) -> traceback.FrameSummary | None:
    for summary in reversed(summaries):
        if not summary.filename.startswith("<") and paths.under(summary.filename):
            return summary
    return None


def _position(summary: traceback.FrameSummary | None) -> tuple[str | None, int | None, int | None]:
    """The raw source line and the 1-based character columns the traceback points at.

    CPython's positions are UTF-8 byte offsets into the line: converted to characters so a
    caret lines up under non-ASCII text too.
    """
    if summary is None or not summary.lineno:
        return None, None, None
    text = linecache.getline(summary.filename, summary.lineno).rstrip("\n") or None
    colno = getattr(summary, "colno", None)
    if text is None or colno is None:
        return text, None, None
    raw = text.encode("utf-8")

    def chars(offset: int) -> int:
        return len(raw[:offset].decode("utf-8", "replace")) + 1

    end_colno = getattr(summary, "end_colno", None)
    same_line = getattr(summary, "end_lineno", None) in (None, summary.lineno)
    end = chars(end_colno) if end_colno is not None and same_line else None
    return text, chars(colno), end


def _suggestion(exc: BaseException) -> str | None:
    """A close name for a misspelt attribute or name ("fil" → "fill"), like CPython's REPL.

    Python 3.10+ prints this suggestion in its own tracebacks but leaves it out of str(exc),
    which is all the panel and the terminal line would otherwise show.
    """
    name = getattr(exc, "name", None)
    if not isinstance(name, str) or not isinstance(exc, (AttributeError, NameError)):
        return None
    candidates: list[str] = []
    if isinstance(exc, AttributeError):
        try:
            candidates = dir(exc.obj)
        except Exception:  # an object whose __dir__ raises gets no suggestion
            return None
    else:
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is None:
            return None
        frame = tb.tb_frame
        candidates = [*frame.f_locals, *frame.f_globals, *vars(builtins)]
    close = difflib.get_close_matches(name, [c for c in candidates if c != name], n=1,
                                      cutoff=0.7)
    return close[0] if close else None


def _game_frames(summaries: traceback.StackSummary, paths: _GamePaths) -> list[FrameInfo]:
    frames: list[FrameInfo] = []
    for summary in summaries:
        filename = summary.filename
        if filename.startswith("<") or not paths.under(filename):
            continue
        frames.append(
            FrameInfo(
                path=paths.shown(filename),
                line=summary.lineno or 0,
                function=summary.name,
                source=(summary.line or "").strip(),
            )
        )
    return frames


@dataclass(frozen=True)
class Event:
    """Base class of the host's events; ``str(event)`` is the line everyone shows."""


@dataclass(frozen=True)
class GameError(Event):
    """A hook (load, update, draw, on_event) raised or hung; the game is paused."""

    hook: str
    error: ErrorInfo

    def __str__(self) -> str:
        return f"{self.hook}() failed: {self.error} — game paused; {self.error.hint}"


@dataclass(frozen=True)
class Restarted(Event):
    """A hot restart (F5) re-imported every game module and ran load() again."""

    modules: int
    seconds: float

    def __str__(self) -> str:
        return f"restarted: {self.modules} modules imported fresh ({self.seconds * 1000:.1f} ms)"


@dataclass(frozen=True)
class ScreenshotSaved(Event):
    """A screenshot was written to ``path``."""

    path: str

    def __str__(self) -> str:
        return f"screenshot saved to {self.path}"


@dataclass(frozen=True)
class Notice(Event):
    """A one-line message that needs no structure of its own (paused, resumed, …)."""

    text: str

    def __str__(self) -> str:
        return self.text
