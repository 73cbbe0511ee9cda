"""Preparing a reload: read what changed, parse it, match statements, compile; mutate nothing.

:func:`prepare` only reads files and the engine's records of what runs, so it is safe off
the main thread. Its :class:`Plan` says, for each changed module, which statements are the
same, which moved, which changed or are new (compiled already) and which were removed.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.hot.effects import may_leave_unbound
from sandbox.hot.freshstart import check_fresh_start
from sandbox.hot.matching import Status, Step, match
from sandbox.hot.source import (
    MAX_SOURCE_BYTES,
    EmptySourceError,
    Kind,
    ParsedSource,
    SourceFile,
    Statement,
    TooLargeSourceError,
    UndecodableSourceError,
    UnparsableSourceError,
    UnreadableSourceError,
    parse,
    read,
)
from sandbox.hot.tracking import RACY_NS, Tracked

__all__ = ["ModulePlan", "Plan", "changed_files", "prepare", "shown_path"]


@dataclass
class ModulePlan:
    """What reloading one changed module will do."""

    tracked: Tracked
    source: SourceFile
    parsed: ParsedSource
    steps: list[Step]
    removed: list[Statement]
    deleted: frozenset[str]  # names bound only by removed statements
    depends_on: frozenset[str] | None = None  # new import edges; None: imports unchanged
    reordered: bool = False  # names bound or read, or their order, changed


@dataclass
class Plan:
    """The result of :func:`prepare`: module plans, or the error that stops the reload."""

    modules: list[ModulePlan] = field(default_factory=list)
    error: BaseException | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def shown_path(tracked: Tracked, root: Path) -> str:
    """``tracked``'s file as the user sees it: relative to ``root`` (``main.py``), else its name."""
    return _relative(tracked.path, root)


@functools.lru_cache(maxsize=4096)
def _relative(path: Path, root: Path) -> str:
    # Cached: every module a reload visits is named in its messages, and pathlib's
    # relative_to costs ~10 µs, a fifth of what visiting one dependent otherwise costs.
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def changed_files(tracked: Iterable[Tracked]) -> list[tuple[Tracked, SourceFile | None]]:
    """Tracked modules whose file differs from what runs (None: the file is gone)."""
    found: list[tuple[Tracked, SourceFile | None]] = []
    for t in tracked:
        try:
            st = os.stat(t.path)
            if t.stat_says_same(st.st_mtime_ns, st.st_size):
                continue
            source = read(t.path)
        except FileNotFoundError:
            found.append((t, None))
            continue
        except (OSError, UnicodeDecodeError):
            found.append((t, SourceFile("\0", 0, -1, 0)))  # unreadable: prepare says why
            continue
        if source.text == t.parsed.text:
            if source.mtime_ns + RACY_NS < source.read_ns:
                t.remember(source)  # proven stable: later checks can trust the stat
            continue
        found.append((t, source))
    return found


def _parse(t: Tracked, root: Path, text: str) -> ParsedSource:
    """Parse ``text``; whatever the parser raises becomes an error naming the game file."""
    shown = shown_path(t, root)
    nul = text.find("\0")
    if nul >= 0:  # the parser would name ast.py, or no file at all
        line = text.count("\n", 0, nul) + 1
        raise UnparsableSourceError(f"{shown} contains a NUL byte (line {line})", t.path, shown,
                                    line)
    try:
        return parse(text, t.filename, t.parsed)
    except (RecursionError, MemoryError) as exc:
        raise UnparsableSourceError(f"{shown} is nested too deeply to parse "
                                    f"({type(exc).__name__})", t.path, shown) from None


def _load(t: Tracked, root: Path, source: SourceFile | None) -> tuple[SourceFile, ParsedSource]:
    """Parse ``source`` (read again when None) for module ``t``."""
    if source is None:
        try:
            source = read(t.path)
        except UnicodeDecodeError as exc:
            raise UndecodableSourceError(t.path, shown_path(t, root), exc) from None
        except OSError as exc:
            raise UnreadableSourceError(t.path, shown_path(t, root), exc) from None
    if len(source.text) > MAX_SOURCE_BYTES:
        raise TooLargeSourceError(t.path, shown_path(t, root), len(source.text.encode()))
    if not source.text.strip():
        raise EmptySourceError(t.path, shown_path(t, root))
    return source, _parse(t, root, source.text)


def _changed(candidates: Iterable[Tracked], root: Path,
             notes: list[str]) -> list[tuple[Tracked, SourceFile]]:
    changed: list[tuple[Tracked, SourceFile]] = []
    for t, s in changed_files(candidates):
        if s is None:
            notes.append(f"{shown_path(t, root)} is missing — its running code is kept")
        else:
            changed.append((t, s))
    return changed


def _load_all(changed: list[tuple[Tracked, SourceFile]],
              root: Path) -> list[tuple[Tracked, SourceFile, ParsedSource]]:
    """Parse every changed file; the first one that cannot be used is the reload's error.

    Editors save by truncating and then writing, so a reload may read a file half-written
    (empty, or cut mid-statement). That is reported at once, never waited for: this runs on
    the main thread, and the wait (50 ms) used to drop three frames for every typo. Nothing
    is lost by not waiting: a failed read records nothing (not the stat either), so the
    editor's second write is a change again — the watcher sees it and the host reloads it
    with the files of the failed save — and the host holds the errors that follow a save for
    a grace period (``sandbox.changes.GRACE``), so an error that the next write fixes is
    never shown. A caller of ``Reloader.reload()`` gets the error, and the next call reads
    the file again.
    """
    return [(t, *_load(t, root, first if first.size >= 0 else None)) for t, first in changed]


def _module_plan(t: Tracked, source: SourceFile, parsed: ParsedSource, root: Path) -> ModulePlan:
    """Match, check and compile one changed module."""
    steps, removed = match(t.parsed.statements, parsed.statements, t.package)
    if parsed.flags != t.parsed.flags:
        # A ``from __future__`` edit: every def and class is compiled again with the new flags.
        for step in steps:
            if step.new.kind is not Kind.STMT and step.status is not Status.NEW:
                step.status = Status.CHANGED
                step.recompile = True
    kept: set[str] = set()
    check = bool(removed)
    for step in steps:
        # ``window = Window()`` removed, ``if __name__ == "__main__": window = ...`` added:
        # what the removed line bound goes, and the block binds it again if it runs.
        if not (step.status.runs and removed and may_leave_unbound(step.new)):
            kept.update(step.new.binds)
        if step.status is not Status.SAME:
            check = check or not _same_names(step)
            if step.status is Status.CHANGED or step.status is Status.NEW:
                step.new.code(t.filename, parsed.flags)
    if check:
        check_fresh_start(parsed, t.path, shown_path(t, root), t.package)
    gone = frozenset().union(*(st.binds for st in removed)) - kept if removed else frozenset()
    deps = None if parsed.imports == t.parsed.imports else frozenset(t.depends_on(parsed))
    return ModulePlan(t, source, parsed, steps, removed, gone, deps, check)


def _same_names(step: Step) -> bool:
    """True when the step binds and reads what its running statement did, in the same place.

    Then it cannot make a name read before it is bound: the usual edit (a function's body)
    skips that check.
    """
    old = step.old
    # A statement moved and run again for it (``X = 1`` / ``X *= 2`` swapped) is CHANGED with
    # the same names, yet in another place: checked.
    return (step.status is Status.SAME or (step.status is Status.CHANGED and old is not None
            and old.start == step.new.start and old.reads == step.new.reads
            and old.binds == step.new.binds))


def prepare(candidates: Iterable[Tracked], root: Path) -> Plan:
    """Read, parse, match and compile every changed module among ``candidates``.

    Any failure (a syntax error, an unreadable file, a parser that gives up, a read before
    a bind) becomes ``plan.error``: nothing escapes, and nothing was touched.
    """
    start = time.perf_counter()
    plan = Plan()
    try:
        for t, source, parsed in _load_all(_changed(candidates, root, plan.notes), root):
            if parsed.text != t.parsed.text:  # else the file was saved back as it runs
                plan.modules.append(_module_plan(t, source, parsed, root))
    except Exception as exc:
        plan.error = exc
        plan.modules = []
    plan.seconds = time.perf_counter() - start
    return plan
