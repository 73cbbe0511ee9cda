"""Preparing a reload: read what changed, parse it, match statements, compile; mutate nothing.

:func:`prepare` only reads files and the engine's records of what runs, so it is safe off
the main thread. Its :class:`Plan` says, for each changed module, which statements are the
same, which moved, which changed or are new (compiled already) and which were removed.
"""

from __future__ import annotations

import enum
import functools
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from sandbox.hot.freshstart import check_fresh_start, star_exports
from sandbox.hot.names import resolve
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

__all__ = ["ModulePlan", "Plan", "Status", "Step", "match", "prepare", "shown_path",
           "unchanged_steps"]


class Status(enum.Enum):
    """How a statement of the new source relates to the running one it is paired with."""

    SAME = "same"  # unchanged text, same place
    MOVED = "moved"  # unchanged text, other lines
    CHANGED = "changed"  # a def or class of the same name with new text (or new flags)
    NEW = "new"  # no running statement pairs with it

    @property
    def runs(self) -> bool:
        """True when the statement runs because of its own text (changed or new)."""
        return self is Status.CHANGED or self is Status.NEW


@dataclass
class Step:
    """A statement of the new source, the running statement it matches, and its status."""

    new: Statement
    old: Statement | None
    status: Status


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


def match(old: list[Statement], new: list[Statement],
          package: str = "") -> tuple[list[Step], list[Statement]]:
    """Pair new statements with running ones: defs and classes by name, others by content.

    A plain statement is paired with a running one of the same text wherever it moved (a
    move is not an edit), else with one differing only in comments. ``package``: the
    module's, for the star imports it makes.
    """
    pairs = _pair_definitions(old, new)
    _pair_statements([st for st in old if st.kind is Kind.STMT],
                     [i for i, st in enumerate(new) if st.kind is Kind.STMT], new, pairs)
    steps = [Step(st, before, _status(before, st))
             for i, st in enumerate(new) for before in (pairs.get(i),)]
    _rerun_reordered_bindings(steps)
    _rerun_across_stars(steps, package)
    matched = {id(st) for st in pairs.values()}
    return steps, [st for st in old if id(st) not in matched]


def _pair_definitions(old: list[Statement], new: list[Statement]) -> dict[int, Statement]:
    """Defs and classes by kind and name, in order (the second ``do`` with the second)."""
    defs: dict[tuple[Kind, str | None], list[Statement]] = {}
    for st in old:
        if st.kind is not Kind.STMT:
            defs.setdefault((st.kind, st.name), []).append(st)
    pairs: dict[int, Statement] = {}
    for i, st in enumerate(new):
        candidates = defs.get((st.kind, st.name)) if st.kind is not Kind.STMT else None
        if candidates:
            pairs[i] = candidates.pop(0)
    return pairs


def _pair_statements(others: list[Statement], new_others: list[int], new: list[Statement],
                     pairs: dict[int, Statement]) -> None:
    """Plain statements: in place by text, then moved ones by text, then by comments-only."""
    if not others or not new_others:
        return
    old_keys = [st.text for st in others]
    new_keys = [new[i].text for i in new_others]
    if old_keys == new_keys:
        pairs.update(zip(new_others, others, strict=True))
        return
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, a1, a2, b1, _ in matcher.get_opcodes():
        if tag == "equal":
            for k in range(a2 - a1):
                pairs[new_others[b1 + k]] = others[a1 + k]
    taken = {id(st) for st in pairs.values()}
    free: dict[str, list[Statement]] = {}
    for st in others:
        if id(st) not in taken:
            free.setdefault(st.text, []).append(st)
    unpaired: list[int] = []
    for i in new_others:
        if i in pairs:
            continue
        same = free.get(new[i].text)
        if same:
            pairs[i] = same.pop(0)  # moved elsewhere: the same statement
        else:
            unpaired.append(i)
    left = [st for texts in free.values() for st in texts]
    left.sort(key=lambda st: st.start)
    _pair_by_norm(left, unpaired, new, pairs)


def _status(before: Statement | None, st: Statement) -> Status:
    if before is None:
        return Status.NEW
    if before.text != st.text and not _same_code(before, st):
        return Status.CHANGED
    if st.kind is Kind.STMT or before.text.count("\n") == st.text.count("\n"):
        return Status.SAME if before.start == st.start else Status.MOVED
    return Status.CHANGED  # a comment line inside a def: its line numbers need new code


def _rerun_reordered_bindings(steps: list[Step]) -> None:
    """A moved statement binding a name another statement binds too runs again.

    ``X = 1`` / ``X = 2`` swapped changes which binding wins; running the moved ones again,
    in their new order, gives what a fresh start gives.
    """
    moved = [step for step in steps if step.status is Status.MOVED
             and step.new.kind is Kind.STMT]
    if not moved:
        return  # the usual edit: nothing moved
    binders: dict[str, int] = {}
    for step in steps:
        for n in step.new.binds:
            binders[n] = binders.get(n, 0) + 1
    for step in moved:
        if any(binders[n] > 1 for n in step.new.binds):
            step.status = Status.CHANGED


def _star_gives(star: Statement, names: Iterable[str], package: str) -> bool:
    """Whether ``star``'s ``from m import *`` may bind one of ``names`` (unknown: yes)."""
    for ref in star.imports:
        if any(n == "*" for n, _ in ref[2]):
            targets = resolve(ref, package)
            exports = star_exports(targets[0]) if targets else None
            if exports is None or not exports.isdisjoint(names):
                return True
    return False


def _rerun_across_stars(steps: list[Step], package: str) -> None:
    """A move past a star import that gives a name both bind: the one now last runs again.

    ``def helper`` moved from above ``from consts import *`` (which gives helper too) to
    below it: in a fresh start the module's own helper now wins, so the def runs again.
    """
    stars = [(k, step) for k, step in enumerate(steps)
             if step.old is not None and "*" in step.new.binds]
    if not stars:
        return  # the usual module: no star import
    for i, step in enumerate(steps):
        old = step.old
        if old is None or "*" in step.new.binds:
            continue
        for k, star in stars:
            assert star.old is not None
            if ((i < k) != (old.start < star.old.start)
                    and _star_gives(star.new, step.new.binds, package)):
                later = step if i > k else star
                if later.status is Status.SAME or later.status is Status.MOVED:
                    later.status = Status.CHANGED


def _same_code(a: Statement, b: Statement) -> bool:
    """True when two texts differ only in comments and spacing within lines."""
    if "#" not in a.text and "#" not in b.text and "".join(a.text.split()) != "".join(
            b.text.split()):
        return False  # cheap: no comment, and more than spacing differs
    return a.norm == b.norm


def _pair_by_norm(old: list[Statement], new_indexes: list[int], new: list[Statement],
                  pairs: dict[int, Statement]) -> None:
    """Pair statements whose text differs only in comments, in order."""
    start = 0
    for i in new_indexes:
        for k in range(start, len(old)):
            if _same_code(old[k], new[i]):
                pairs[i] = old[k]
                start = k + 1
                break


def unchanged_steps(parsed: ParsedSource) -> list[Step]:
    """Steps for a module whose source did not change (dependents re-run some of them)."""
    return [Step(st, st, Status.SAME) for st in parsed.statements]


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
    kept: set[str] = set()
    check = bool(removed)
    for step in steps:
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
    return (step.status is Status.SAME or (step.status is Status.CHANGED and old is not None
            and old.reads == step.new.reads and old.binds == step.new.binds))


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
