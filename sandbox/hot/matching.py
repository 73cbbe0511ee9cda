"""Pairing a module's new statements with the running ones, and what must run again.

Defs and classes pair by name, plain statements by text wherever they moved. Each pair gets a
:class:`Status`; a few rules then mark statements an edit did not touch that must still run
again for the module to match a fresh start: bindings whose order changed, star imports
passed by a move, and update chains (``SPEED = 10`` above an edited ``SPEED *= 3``).
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from sandbox.hot.chains import chain_binders
from sandbox.hot.freshstart import star_exports
from sandbox.hot.names import resolve
from sandbox.hot.source import Kind, ParsedSource, Statement

__all__ = ["Status", "Step", "match", "unchanged_steps"]


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
    # The module's ``from __future__`` flags changed: a class's unchanged methods are compiled
    # again too (``def m(self, y: int)`` gets string annotations), not only its edited ones.
    recompile: bool = False


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
    removed = [st for st in old if id(st) not in matched]
    if removed:
        _rerun_uncovered_bindings(steps, removed)
    for j in chain_binders([s.new for s in steps], [s.old for s in steps],
                           [s.status.runs for s in steps], removed):
        steps[j].status = Status.CHANGED  # ``SPEED = 10`` above an edited ``SPEED *= 3``
    return steps, removed


def _rerun_uncovered_bindings(steps: list[Step], removed: list[Statement]) -> None:
    """A removed statement that was a name's last binding: the one now last runs again.

    ``window = None`` … ``window = MyWindow()``, the second removed: in a fresh start window is
    None, while the running game still holds the window.
    """
    last: dict[str, Step] = {}
    for step in steps:
        for n in step.new.binds:
            last[n] = step
    for gone in removed:
        for n in gone.binds:
            winner = last.get(n)
            if (winner is not None and winner.old is not None and not winner.status.runs
                    and winner.old.start < gone.start):
                winner.status = Status.CHANGED


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
    """Statements of a name bound more than once run again when their order changed.

    ``X = 1`` / ``X = 2`` swapped changes which binding wins; running the moved ones again,
    in their new order, gives what a fresh start gives. Lines that only shifted (a line
    added above two ``for _ in range(9)`` loops) keep their order: nothing runs again.
    """
    if all(step.status is not Status.MOVED for step in steps):
        return  # the usual edit: nothing moved
    binders: dict[str, int] = {}
    for step in steps:
        for n in step.new.binds:
            binders[n] = binders.get(n, 0) + 1
    for n, count in binders.items():
        if count > 1 and n != "*":
            _rerun_if_reordered(steps, n)


def _rerun_if_reordered(steps: list[Step], n: str) -> None:
    """The moved statements binding or reading ``n``, when their relative order changed."""
    prefix = n + "."
    touching = [step for step in steps if step.old is not None
                and (n in step.new.binds
                     or any(r == n or r.startswith(prefix) for r in step.new.reads))]
    starts = [step.old.start for step in touching if step.old is not None]
    if all(a < b for a, b in itertools.pairwise(starts)):
        return
    for step in touching:
        if step.status is Status.MOVED and step.new.kind is Kind.STMT:
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


