"""The engine's report of one reload or restart: a dataclass with a one-line ``__str__``."""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.events import ErrorInfo

__all__ = ["SELF_EXPLAINED", "ReloadReport"]

# Error kinds whose message already says what and where ("main.py is empty").
SELF_EXPLAINED = frozenset({"EmptySourceError", "UndecodableSourceError", "FileNotFoundError",
                            "TooLargeSourceError", "UnreadableSourceError",
                            "UnparsableSourceError", "FreshStartError",
                            "ImportCycleError"})


# Names listed in the one-line report before "+N more": the line must stay short.
LISTED = 3


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _listed(items: list[str]) -> str:
    """``SPEED, VEL, A, +3 more``: each name once, at most :data:`LISTED` of them."""
    names = list(dict.fromkeys(items))
    shown = ", ".join(names[:LISTED])
    return shown if len(names) <= LISTED else f"{shown}, +{len(names) - LISTED} more"


@dataclass
class ReloadReport:
    """What one reload did: which modules changed and what was patched, re-run or rebound.

    ``patched``, ``rerun``, ``added``, ``removed`` and ``rebound`` hold short descriptions
    (``"main.update"``, ``"main.py:12"``, ``"main.Ball (__slots__ changed)"``); ``changed``
    holds the names of the modules whose new code is live. ``files`` names the files read
    (``main.py``), for the message. When ``ok`` is false, ``error`` is the exception and
    ``error_info`` locates it. ``notes`` are things to know that are not errors
    (``physics.py is missing …``).

    ``bound_names`` lists, as (module, name), every module-level name that a statement this
    reload ran bound: re-run and new plain statements (``SPEED = 3``, an import re-run in a
    dependent, every name a ``from m import *`` changed), and definitions rebound rather than
    patched. Definitions patched in place keep their object and are not listed. A plain
    statement's names are listed even when bound to the object they had (``LIVES = 8`` when
    play had made it 8) — and so is a name it could bind but did not (an ``if`` not taken), as
    the two cannot be told apart. In the order they ran (dependencies before dependents, then
    statement order), each pair once. A failed reload lists none: it was rolled back.

    ``kept`` lists ``module.name`` for names a statement would have bound again but play had
    changed, so they keep their value (``"main.vy"``: ``kept vy: changed while playing``).

    For the one-line message, ``reran`` names what re-ran as people call it (``SPEED``,
    ``Enemy.COLOUR``; a statement binding no name by its ``main.py:5``) and ``fields`` says
    what happened to dataclass fields (``Player: field size added``), which ``added`` and
    ``removed`` then leave out.
    """

    ok: bool = True
    error: BaseException | None = None
    error_info: ErrorInfo | None = None
    changed: list[str] = field(default_factory=list)
    patched: list[str] = field(default_factory=list)
    rerun: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rebound: list[str] = field(default_factory=list)
    seconds: float = 0.0
    files: list[str] = field(default_factory=list)
    restart: bool = False
    notes: list[str] = field(default_factory=list)
    bound_names: list[tuple[str, str]] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    reran: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if not self.ok:
            return self._failure()
        ms = f"({self.seconds * 1000:.1f} ms)"
        if self.restart:
            return f"restarted: {_plural(len(self.changed), 'module')} imported fresh {ms}"
        note = "".join(f"; {n}" for n in self.notes)
        if not self.changed:
            return f"nothing changed{note}"
        files = ", ".join(self.files or [f"{name}.py" for name in self.changed])
        detail = "; ".join(self._parts()) or "no code changes"
        return f"reloaded {files}: {detail} {ms}{note}"

    def _failure(self) -> str:
        info = self.error_info
        text = str(info) if info is not None else repr(self.error)
        if info is not None and info.kind in SELF_EXPLAINED:
            text = info.message
        hint = info.hint if info is not None else "fix and save to retry (F9)"
        verb = "restart failed" if self.restart else "reload failed"
        return f"{verb}: {text} — {hint}"

    def _short(self, qualname: str) -> str:
        """``main.Enemy.g`` as ``Enemy.g``: the file is already on the line."""
        for module in sorted(self.changed, key=len, reverse=True):
            if qualname.startswith(f"{module}."):
                return qualname[len(module) + 1:]
        return qualname

    def _parts(self) -> list[str]:
        parts = [_plural(len(self.patched), "function") + " patched"] if self.patched else []
        reran = self.reran or [self._short(q) for q in self.rerun]
        for verb, items in (("re-ran", reran), ("added", [self._short(q) for q in self.added]),
                            ("removed", [self._short(q) for q in self.removed])):
            if items:
                parts.append(f"{verb} {_listed(items)}")
        parts.extend(self.fields)
        if self.rebound:
            why = "; ".join(self.rebound)
            parts.append(_plural(len(self.rebound), "name") + f" rebound ({why})")
        if self.kept:
            names = ", ".join(k.rsplit(".", 1)[-1] for k in self.kept)
            parts.append(f"kept {names}: changed while playing")
        return parts
