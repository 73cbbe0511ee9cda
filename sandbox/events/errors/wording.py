"""The wording of each kind of failure: hangs, runaways, recursion, exits, reloads, assets.

:func:`error_info` is what everyone calls for an exception from game code; the others shape
the errors of a start-up, an interrupted reload and an asset. :class:`HookTimeout`,
:class:`MemoryRunaway` and :class:`GameExit` live here (``sandbox.watchdog`` raises them) so
that their wording is shaped here too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from sandbox.events.errors.attributes import stale_object_hint
from sandbox.events.errors.info import ErrorInfo
from sandbox.events.errors.tracebacks import FrameInfo

__all__ = ["HANG_HINT", "RUNAWAY_HINT", "GameExit", "HookTimeout", "MemoryRunaway",
           "asset_error", "error_info", "exit_message", "failed_reload_info", "recursion_info",
           "reload_error_info", "startup_error"]

HANG_HINT = "an endless loop? fix it and save to retry (F9)"


class HookTimeout(Exception):
    """A hook ran longer than the limit; its traceback ends where the hook was stuck."""


class MemoryRunaway(Exception):
    """The process grew by more than the memory limit during a hook; it was interrupted."""


RUNAWAY_HINT = ("an infinite recursion, or a list that grows forever? fix it and save to "
                "retry (F9)")


class GameExit(Exception):
    """Game code called ``sys.exit()`` or raised KeyboardInterrupt/SystemExit in a hook."""


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
