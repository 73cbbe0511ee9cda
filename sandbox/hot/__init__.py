"""The hot-reload engine: statement-level reload, in-place patching, Nim-style handlers.

Games use the handler API (``from sandbox import hot``; ``@hot.before_reload`` …); the host
and tests use :class:`Reloader`. Pure Python: nothing here imports SDL, rich or watchfiles.

How it is put together (a reload is ``apply(prepare(paths))``):

- ``tracking``: the import hook that loads every module under the game folder and keeps its
  running source; ``source`` and ``names``: a source cut into top-level statements, each
  keyed by its text, with the names it binds and reads.
- ``plan``: ``prepare`` (any thread) finds what changed, re-reads empty or broken files once,
  matches statements (defs by name, others by text) and compiles the changed ones.
- ``run`` and ``apply``: run changed statements and their readers in the live namespaces,
  dependencies first, then dependents; ``patch`` and ``classes`` move new definitions onto
  the running function and class objects; ``graph``: the import graph.
- ``transaction``: the undo journal that makes a reload all or nothing; ``handlers`` and
  ``api``: ``before_reload``/``after_reload``; ``report`` and ``errors``: what the user sees.
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
