"""The one place that turns an exception into an ``ErrorInfo``: what, where, what to do next.

Everything outside the engine that shows an error builds it here: a hook that raised or hung
(:func:`error_info`), a start-up that failed (:func:`startup_error`), a reload the watchdog
interrupted (:func:`reload_error_info`), an asset that failed to load (:func:`asset_error`).
The engine (``sandbox.hot``, which may import only ``sandbox.events``) locates its reload
errors with the same :func:`error_info`. Nothing here imports SDL, rich or another sandbox
module, so the engine can use it.

:class:`HookTimeout` and :class:`GameExit` live here (``sandbox.watchdog`` raises them) so that
their wording is shaped in this module too.
"""

from __future__ import annotations

import builtins
import difflib
import dis
import functools
import linecache
import traceback
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import CodeType, TracebackType

__all__ = [
    "RUNAWAY_HINT",
    "ErrorInfo",
    "FrameInfo",
    "GameExit",
    "HookTimeout",
    "MemoryRunaway",
    "asset_error",
    "drop_traceback",
    "error_info",
    "init_attributes",
    "recursion_info",
    "reload_error_info",
    "stale_object_hint",
    "startup_error",
]

DEFAULT_HINT = "fix and save to retry (F9)"
HANG_HINT = "an endless loop? fix it and save to retry (F9)"


class HookTimeout(Exception):
    """A hook ran longer than the limit; its traceback ends where the hook was stuck."""


class MemoryRunaway(Exception):
    """The process grew by more than the memory limit during a hook; it was interrupted."""


RUNAWAY_HINT = ("an infinite recursion, or a list that grows forever? fix it and save to "
                "retry (F9)")


class GameExit(Exception):
    """Game code called ``sys.exit()`` or raised KeyboardInterrupt/SystemExit in a hook."""


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
        paths = _GamePaths(Path(root) if root is not None else None)
        summaries = traceback.extract_tb(_readable(exc.__traceback__))
        frames = tuple(_game_frames(summaries, paths))
        if isinstance(exc, SyntaxError) and exc.filename and not exc.filename.startswith("<"):
            return _syntax_error(exc, paths, frames, hint)
        kind, message = type(exc).__name__, _message(exc)
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


def _syntax_error(exc: SyntaxError, paths: _GamePaths, frames: tuple[FrameInfo, ...],
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


# -- the wording of each kind of failure -------------------------------------------------------
def error_info(exc: BaseException, root: str | Path | None = None) -> ErrorInfo:
    """ErrorInfo for any failure in game code, with clear wording for hangs, recursion and exits."""
    if isinstance(exc, RecursionError):
        return recursion_info(exc, root)
    info = ErrorInfo.from_exception(exc, root)
    if isinstance(exc, HookTimeout):
        return replace(info, hint=HANG_HINT)
    if isinstance(exc, MemoryRunaway):
        return replace(_at_recursive_call(info)[0], hint=RUNAWAY_HINT)
    if isinstance(exc, GameExit):
        # str(exc) is a whole sentence with its own "at file:line"; keep the first clause.
        return replace(info, message=str(exc).split(" in ")[0],
                       hint="the session stays up — press Esc to quit, or save to continue")
    stale = stale_object_hint(exc)
    return replace(info, hint=stale) if stale else info


def stale_object_hint(exc: BaseException) -> str | None:
    """The hint for an object made before a reload added the attribute it lacks, else None.

    ``self.age = 0`` added to ``Enemy.__init__`` and read in ``step()``: hot reload patches
    the methods in place but does not run ``__init__`` again, so every Enemy made before the
    edit has no ``age`` (Flutter's "hot restart needed"). Told when building an object of
    its class now assigns that attribute (:func:`init_attributes`; the engine patches code in
    place, so this is the current code) — unless the error was raised inside that
    ``__init__`` itself, where the object is a new one.
    """
    if not isinstance(exc, AttributeError):
        return None
    name, obj = getattr(exc, "name", None), getattr(exc, "obj", None)
    if not isinstance(name, str) or obj is None or isinstance(obj, type):
        return None
    cls = type(obj)
    init = getattr(cls.__init__, "__code__", None)
    if init is None or name not in init_attributes(cls) or _raised_in(exc, init):
        return None
    return f"existing {cls.__name__} objects were made before this change: press F5 to restart"


def init_attributes(cls: type) -> frozenset[str]:
    """The attributes building a ``cls`` object assigns: ``self.age = 0`` in ``__init__``.

    Methods of the class that ``__init__`` uses (``self.reset()``) are followed too, and
    theirs, each once: a common way to set an object up.
    """
    names: set[str] = set()
    seen: set[CodeType] = set()
    todo = [getattr(getattr(cls, "__init__", None), "__code__", None)]
    while todo:
        code = todo.pop()
        if not isinstance(code, CodeType) or code in seen:
            continue
        seen.add(code)
        stored, used = _attribute_use(code)
        names |= stored
        todo.extend(_method_code(cls, attr) for attr in used)
    return frozenset(names)


def _method_code(cls: type, name: str) -> CodeType | None:
    """The code of the function ``name`` in ``cls`` or a base, found without running any."""
    for klass in cls.__mro__:
        if name in vars(klass):
            code = getattr(vars(klass)[name], "__code__", None)
            return code if isinstance(code, CodeType) else None
    return None


@functools.lru_cache(maxsize=4096)
def _attribute_use(code: CodeType) -> tuple[frozenset[str], frozenset[str]]:
    """The attribute names ``code`` (or a function nested in it) assigns, and those it reads.

    Cached by code object: after a reload every class is looked at again, and ``dis`` of
    400 unchanged ``__init__``s cost 25 ms a reload (a cache hit is a hash of the code).
    """
    stored: set[str] = set()
    used: set[str] = set()
    for i in dis.get_instructions(code):
        if i.opname == "STORE_ATTR":
            stored.add(i.argval)
        elif i.opname in ("LOAD_ATTR", "LOAD_METHOD"):
            used.add(i.argval)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            inner_stored, inner_used = _attribute_use(const)
            stored |= inner_stored
            used |= inner_used
    return frozenset(stored), frozenset(used)


def _raised_in(exc: BaseException, code: CodeType) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code is code:
            return True
        tb = tb.tb_next
    return False


def startup_error(exc: BaseException, root: str | Path | None, timeout: float) -> ErrorInfo:
    """The first import of ``main.py`` failed: a slow start says how to allow more time."""
    info = error_info(exc, root)
    if isinstance(exc, HookTimeout):
        info = replace(info, message=f"importing main.py ran longer than {timeout:g} s and was "
                                     "interrupted (a slow start? allow more with --hang-timeout)")
    return info


def exit_message(exc: BaseException, fn: object, root: str | Path | None) -> str:
    """The message of the GameExit that replaces a ``sys.exit()`` or KeyboardInterrupt."""
    what = "called sys.exit()" if isinstance(exc, SystemExit) else "raised KeyboardInterrupt"
    where = ErrorInfo.from_exception(exc, root).where
    at = f" at {where}" if where else ""
    name = getattr(fn, "__name__", "hook")
    return f"game code {what} in {name}(){at}; the session stays up — press Esc to quit"


def recursion_info(exc: RecursionError, root: str | Path | None = None,
                   base: ErrorInfo | None = None) -> ErrorInfo:
    """An ErrorInfo for infinite recursion: the repeating function, once, not 1000 frames.

    ``base``: the error as located already (the engine does it before rolling back, while
    the source lines are still the new code's).
    """
    info, inner = _at_recursive_call(base or ErrorInfo.from_exception(exc, root))
    if inner is None:
        return info
    return replace(
        info,
        kind="RecursionError",
        message=f"infinite recursion in {inner.function}() ({inner.path}:{inner.line})",
        hint="the function calls itself without end: add a stopping case, then save (F9)",
        exception=exc,
    )


def _at_recursive_call(base: ErrorInfo) -> tuple[ErrorInfo, FrameInfo | None]:
    """``base`` at its recursive call, each frame once; and that call's frame (None: none).

    The recursive call is the innermost of the most repeated frames. Usually it is the
    innermost frame itself: then its line and caret are kept. A memory runaway is most often
    a recursion too, so it is shown the same way.
    """
    counts = Counter((f.path, f.line, f.function) for f in base.frames)
    if not counts:
        return base, None
    top = max(counts.values())
    inner = next(f for f in reversed(base.frames) if counts[(f.path, f.line, f.function)] == top)
    distinct: dict[tuple[str, int, str], FrameInfo] = {}
    for frame in base.frames:  # keep each distinct frame once, outermost first
        distinct.setdefault((frame.path, frame.line, frame.function), frame)
    same = (base.path, base.line) == (inner.path, inner.line)
    return replace(
        base,
        path=inner.path,
        line=inner.line,
        column=base.column if same else None,
        source_line=(base.source_line if same else None) or inner.source or None,
        frames=tuple(distinct.values()),
        end_column=base.end_column if same else None,
    ), inner


def reload_error_info(exc: BaseException | None, info: ErrorInfo | None, what: str,
                      timeout: float, root: str | Path | None = None, *,
                      interrupted: bool = False, runaway: str | None = None) -> ErrorInfo | None:
    """Reword the error of a failed reload that ran under the watchdog.

    The engine catches everything a reload raises (to roll back) and returns it in its report,
    so the watchdog's interrupt (``interrupted``) arrives as a caught exception, not as a
    HookTimeout. ``info`` was located by the engine before its rollback, so its source line is
    the new code's: keep it and only change the wording. None when there is nothing to reword.
    """
    if runaway is not None and exc is not None:  # interrupted for memory: "ran away with …"
        base, _ = _at_recursive_call(info or ErrorInfo.from_exception(exc, root))
        return replace(base, kind="MemoryRunaway", message=f"{what} {runaway}",
                       hint=RUNAWAY_HINT)
    if interrupted and exc is not None:
        base = info or ErrorInfo.from_exception(exc, root)
        return replace(base, kind="HookTimeout",
                       message=f"{what} ran longer than {timeout:g} s and was interrupted",
                       hint=HANG_HINT)
    if isinstance(exc, RecursionError):
        return recursion_info(exc, root, info)
    return None


def failed_reload_info(exc: BaseException | None, info: ErrorInfo | None,
                       root: str | Path | None) -> ErrorInfo:
    """What a failed reload shows: the engine's ErrorInfo, or one made from its exception."""
    return info or error_info(exc or RuntimeError("reload failed"), root)


def asset_error(path: str, message: str) -> ErrorInfo:
    """The panel's ErrorInfo for an asset that failed to (re)load; the old one stays in use."""
    return ErrorInfo("AssetError", message, path=path,
                     hint="the old version stays in use; fix the file and save it again")
