"""Reading a traceback for the person who made it: the game's frames, where they point.

Helpers of ``ErrorInfo.from_exception`` (``sandbox.events.errors.info``): which files lie in
the game folder (:class:`GamePaths`), a traceback cut to its ends and moved to a loop's head
(:func:`readable_traceback`), the game's own frames, and the columns a frame points at. And
:func:`drop_traceback`, which lets an event's exception go of its frames once located.
"""

from __future__ import annotations

import dis
import linecache
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

__all__ = ["FrameInfo", "GamePaths", "drop_traceback", "game_frames", "innermost_game_summary",
           "readable_traceback", "source_position"]


class GamePaths:
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


def readable_traceback(tb: TracebackType | None) -> TracebackType | None:
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


def innermost_game_summary(summaries: traceback.StackSummary,
                            paths: GamePaths) -> traceback.FrameSummary | None:
    for summary in reversed(summaries):
        if not summary.filename.startswith("<") and paths.under(summary.filename):
            return summary
    return None


def source_position(summary: traceback.FrameSummary | None
                    ) -> tuple[str | None, int | None, int | None]:
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


def game_frames(summaries: traceback.StackSummary, paths: GamePaths) -> list[FrameInfo]:
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
