"""Preparing a reload: read what changed, parse it, match statements, compile; mutate nothing.

:func:`prepare` only reads files and the engine's records of what runs, so it is safe off
the main thread. Its :class:`Plan` says, for each changed module, which statements are the
same, which moved, which changed or are new (compiled already) and which were removed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from sandbox.hot.source import (
    MAX_SOURCE_BYTES,
    EmptySourceError,
    ParsedSource,
    SourceError,
    SourceFile,
    Statement,
    TooLargeSourceError,
    UndecodableSourceError,
    UnreadableSourceError,
    parse,
    read,
)
from sandbox.hot.tracking import RACY_NS, Tracked

__all__ = ["ModulePlan", "Plan", "Step", "match", "prepare", "shown_path", "unchanged_steps"]


@dataclass
class Step:
    """A statement of the new source, the running statement it matches, and its status.

    ``status`` is ``same`` (unchanged, same place), ``moved`` (unchanged text, other line),
    ``changed`` (a def or class of the same name with new text) or ``new``.
    """

    new: Statement
    old: Statement | None
    status: str


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


@dataclass
class Plan:
    """The result of :func:`prepare`: module plans, or the error that stops the reload."""

    modules: list[ModulePlan] = field(default_factory=list)
    error: BaseException | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def match(old: list[Statement], new: list[Statement]) -> tuple[list[Step], list[Statement]]:
    """Pair new statements with running ones: defs and classes by name, others by text."""
    defs: dict[tuple[str, str | None], list[Statement]] = {}
    others: list[Statement] = []
    for st in old:
        if st.kind == "stmt":
            others.append(st)
        else:
            defs.setdefault((st.kind, st.name), []).append(st)
    pairs: dict[int, Statement] = {}
    new_others: list[int] = []
    for i, st in enumerate(new):
        if st.kind == "stmt":
            new_others.append(i)
            continue
        candidates = defs.get((st.kind, st.name))
        if candidates:
            pairs[i] = candidates.pop(0)
    if others and new_others:
        old_keys = [st.text for st in others]
        new_keys = [new[i].text for i in new_others]
        if old_keys == new_keys:
            pairs.update(zip(new_others, others, strict=True))
        else:
            matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
            for tag, a1, a2, b1, b2 in matcher.get_opcodes():
                if tag == "equal":
                    for k in range(a2 - a1):
                        pairs[new_others[b1 + k]] = others[a1 + k]
                elif tag == "replace":
                    _pair_by_norm(others[a1:a2], new_others[b1:b2], new, pairs)
    steps: list[Step] = []
    for i, st in enumerate(new):
        before = pairs.get(i)
        if before is None:
            status = "new"
        elif before.text != st.text and not _same_code(before, st):
            status = "changed"
        elif st.kind == "stmt" or before.text.count("\n") == st.text.count("\n"):
            status = "same" if before.start == st.start else "moved"
        else:
            status = "changed"  # a comment line inside a def: its line numbers need new code
        steps.append(Step(st, before, status))
    matched = {id(st) for st in pairs.values()}
    return steps, [st for st in old if id(st) not in matched]


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
    return [Step(st, st, "same") for st in parsed.statements]


def shown_path(tracked: Tracked, root: Path) -> str:
    """``tracked``'s file as the user sees it: relative to ``root`` (``main.py``), else its name."""
    try:
        return tracked.path.relative_to(root).as_posix()
    except ValueError:
        return tracked.path.name


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
    return source, parse(source.text, t.filename, t.parsed)


# A file last written this long before it was read is not being saved right now.
_SETTLED_NS = 2_000_000_000


def prepare(candidates: Iterable[Tracked], root: Path, retry_delay: float) -> Plan:
    """Read, parse, match and compile every changed module among ``candidates``."""
    start = time.perf_counter()
    plan = Plan()
    changed: list[tuple[Tracked, SourceFile]] = []
    for t, s in changed_files(candidates):
        if s is None:
            plan.notes.append(f"{shown_path(t, root)} is missing — its running code is kept")
        else:
            changed.append((t, s))
    loaded: list[tuple[Tracked, SourceFile, ParsedSource]] = []
    retry: list[Tracked] = []
    settled: BaseException | None = None  # a failure in a file nobody is writing right now
    for t, first in changed:
        try:
            loaded.append((t, *_load(t, root, first if first.size >= 0 else None)))
        except (SyntaxError, SourceError, OSError) as exc:
            if first.size >= 0 and first.read_ns - first.mtime_ns > _SETTLED_NS:
                settled = settled or exc
            else:
                retry.append(t)
    if settled is not None:
        # Written long ago: reading it again will not help, so the frame is not held up.
        plan.error = settled
        plan.seconds = time.perf_counter() - start
        return plan
    if retry:
        # Editors save by truncating and then writing: give the write a moment, read once more.
        time.sleep(retry_delay)
        for t in retry:
            try:
                loaded.append((t, *_load(t, root, None)))
            except (SyntaxError, SourceError, OSError) as exc:
                plan.error = exc
                plan.seconds = time.perf_counter() - start
                return plan
    for t, source, parsed in loaded:
        if parsed.text == t.parsed.text:
            continue  # the second read found the running text again
        steps, removed = match(t.parsed.statements, parsed.statements)
        kept: set[str] = set()
        for step in steps:
            kept.update(step.new.binds)
            if step.status in ("changed", "new"):
                try:
                    step.new.code(t.filename, parsed.flags)
                except SyntaxError as exc:
                    plan.error = exc
                    plan.seconds = time.perf_counter() - start
                    return plan
        gone = frozenset().union(*(st.binds for st in removed)) - kept if removed else frozenset()
        deps = None if parsed.imports == t.parsed.imports else frozenset(t.depends_on(parsed))
        plan.modules.append(ModulePlan(t, source, parsed, steps, removed, gone, deps))
    plan.seconds = time.perf_counter() - start
    return plan
