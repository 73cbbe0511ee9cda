"""Turning an exception from a reload into an ErrorInfo that says what, where and what next."""

from __future__ import annotations

from pathlib import Path

from sandbox.events import ErrorInfo
from sandbox.hot.source import SourceError

__all__ = ["error_info"]


def error_info(exc: BaseException, root: Path) -> ErrorInfo:
    """Locate ``exc`` in the game under ``root`` (file:line) with a hint on what to do next."""
    if isinstance(exc, SourceError):
        return ErrorInfo(kind=type(exc).__name__, message=str(exc), path=exc.shown,
                         line=exc.line, hint=exc.hint, exception=exc)
    return ErrorInfo.from_exception(exc, root)
