"""What applying one reload shares across its modules: journal, handlers, what changed.

:class:`Changes` collects what the reload did, for the report; :class:`ReloadContext` is
what every module's applier needs from the reload as a whole (and nothing of the Reloader).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sandbox.hot.handlers import HandlerRegistry
from sandbox.hot.transaction import Journal

__all__ = ["Changes", "ReloadContext"]


@dataclass
class Changes:
    """What applying changes did: short descriptions, and the names statements bound.

    ``rerun`` locates each re-run statement (``main.py:5``, ``main.Enemy.COLOUR``); ``reran``
    names it for people (``SPEED``, ``Enemy.COLOUR``; the location when it binds no name).
    ``bound`` holds (module, name) for the names statements run by the reload bound, in the
    order they ran (a name may repeat; ``ReloadReport.bound_names`` says which count).
    ``kept`` holds ``module.name`` for names a statement would have bound again, kept
    because play changed them (``vy`` of a falling ball when ``SPEED`` is edited).
    """

    patched: list[str] = field(default_factory=list)
    rerun: list[str] = field(default_factory=list)
    reran: list[str] = field(default_factory=list)  # what re-ran, by name: SPEED, Enemy.COLOUR
    fields: list[str] = field(default_factory=list)  # "Player: field size added"
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rebound: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    bound: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ReloadContext:
    """The reload-wide parts a module applier works with.

    ``namespaces`` gives every game module's namespace (for finding registrations and
    closures); ``gone`` collects, per module, the names this reload deleted from it (a
    ``from m import *`` elsewhere drops them too).
    """

    journal: Journal
    handlers: HandlerRegistry
    namespaces: Callable[[], Iterable[dict[str, Any]]]
    changes: Changes = field(default_factory=Changes)
    gone: dict[str, set[str]] = field(default_factory=dict)
