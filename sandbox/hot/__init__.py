"""The hot-reload engine: statement-level reload, in-place patching, Nim-style handlers.

Games use the handler API (``from sandbox import hot``; ``@hot.before_reload`` …); the host
and tests use :class:`Reloader`. Pure Python: nothing here imports SDL, rich or watchfiles.
"""

from __future__ import annotations

from sandbox.hot.api import (
    after_reload,
    before_reload,
    has_any_module_changed,
    has_module_changed,
    perform_code_reload,
)
from sandbox.hot.reloader import Reloader
from sandbox.hot.report import ReloadReport

__all__ = [
    "ReloadReport",
    "Reloader",
    "after_reload",
    "before_reload",
    "has_any_module_changed",
    "has_module_changed",
    "perform_code_reload",
]
