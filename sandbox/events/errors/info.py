"""``ErrorInfo``: what went wrong, where (file:line, the line, a caret) and what to do next.

:meth:`ErrorInfo.from_exception` locates any exception in the game folder: a SyntaxError at
the line that failed to parse, anything else at the innermost frame of the game's own code
(``sandbox.events.errors.tracebacks`` reads the traceback). The message gets a KeyError's key
as written and the "Did you mean" CPython's tracebacks add but ``str(exc)`` leaves out.
"""

from __future__ import annotations

import builtins
import difflib
import linecache
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.events.errors.tracebacks import (
    FrameInfo,
    GamePaths,
    game_frames,
    innermost_game_summary,
    readable_traceback,
    source_position,
)

__all__ = ["DEFAULT_HINT", "ErrorInfo"]

DEFAULT_HINT = "fix and save to retry (F9)"


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
    hint: str = DEFAULT_HINT
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
    def from_exception(cls, exc: BaseException, root: Path | str | None = None,
                       hint: str = DEFAULT_HINT) -> ErrorInfo:
        """Build an ErrorInfo from ``exc``, locating it in the game under ``root``.

        A SyntaxError points at the offending line of the file that failed to parse; any
        other exception points at the innermost traceback frame inside the game folder (or
        the innermost frame at all when none is). The plain location, without the wording
        :func:`error_info` gives hangs, recursion and exits.
        """
        paths = GamePaths(Path(root) if root is not None else None)
        summaries = traceback.extract_tb(readable_traceback(exc.__traceback__))
        frames = tuple(game_frames(summaries, paths))
        if isinstance(exc, SyntaxError) and exc.filename and not exc.filename.startswith("<"):
            return _syntax_error(exc, paths, frames, hint)
        kind, message = type(exc).__name__, _message(exc)
        if frames:
            last = frames[-1]
            text, column, end = source_position(innermost_game_summary(summaries, paths))
            return cls(kind, message, last.path, last.line, column, text or last.source or None,
                       frames, hint, exc, end)
        # No frame inside the game: fall back to the innermost frame anywhere.
        if summaries:
            inner = summaries[-1]
            return cls(kind, message, paths.shown(inner.filename), inner.lineno, None,
                       (inner.line or None), frames, hint, exc)
        return cls(kind, message, None, None, None, None, frames, hint, exc)


def _syntax_error(exc: SyntaxError, paths: GamePaths, frames: tuple[FrameInfo, ...],
                  hint: str) -> ErrorInfo:
    """A SyntaxError points at the line of the file that failed to parse."""
    assert exc.filename is not None
    text = (exc.text or "").rstrip("\n") or None
    if text is None and exc.lineno:
        text = linecache.getline(exc.filename, exc.lineno).rstrip("\n") or None
    same_line = exc.end_lineno in (None, exc.lineno)
    return ErrorInfo(kind=type(exc).__name__, message=exc.msg or "",
                     path=paths.shown(exc.filename), line=exc.lineno, column=exc.offset,
                     source_line=text, frames=frames, hint=hint, exception=exc,
                     end_column=exc.end_offset if same_line and exc.end_offset else None)


def _message(exc: BaseException) -> str:
    """``str(exc)``, with a KeyError's key as written and CPython's "Did you mean" added."""
    message = str(exc)
    if isinstance(exc, KeyError) and len(exc.args) == 1:
        message = repr(exc.args[0])
    suggestion = _suggestion(exc)
    if suggestion and "Did you mean" not in message:
        message = f"{message}. Did you mean: {suggestion!r}?"
    return message


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
