"""Property: a random game of 2–5 modules under random edits and play equals a fresh import.

After each reload, everything the game's modules reach (``hot_oracle.observe``: values,
function results, class attributes and methods, enum members, registries) equals a fresh
import of the new sources — except the values play changed, which are kept unless their own
statement was edited. Old references (functions, instances, enum members taken before) run
the new code and stay instances of the live classes. A reload is accepted exactly when a
fresh import succeeds (a real ``import main`` of the new sources: import cycles included);
after a refused or failed one, everything equals what it was before.

``HOT_EXAMPLES`` sets the number of examples (CI runs the default, 2,000).
"""

from __future__ import annotations

import enum
import os
import re
import sys
import tempfile
import types
from collections.abc import Iterable
from dataclasses import dataclass, field, is_dataclass
from pathlib import Path
from typing import Any

from hot_oracle import (
    ALL_MODULES,
    SIDE_EFFECTS,
    Item,
    Model,
    call,
    fresh_import,
    frozen,
    observe,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.hot import Reloader

EXAMPLES = int(os.environ.get("HOT_EXAMPLES", "2000"))
# Names play changes, with the item whose statement binds them.
PLAYED = {("main", "score"): "score", ("main", "vy"): "vy", ("main", "state"): "state",
          ("main", "perm"): "perm", ("ents", "EVENTS"): "events"}


@dataclass
class Run:
    """A live game: its reloader, model, what play changed, and references taken."""

    root: Path
    tmp: Path  # where fresh imports write their copies (outside the game folder)
    r: Reloader
    model: Model
    played: dict[tuple[str, str], Any] = field(default_factory=dict)
    refs: dict[tuple[str, str], Any] = field(default_factory=dict)
    instances: dict[tuple[str, str], Any] = field(default_factory=dict)
    members: dict[tuple[str, str], Any] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)

    def namespaces(self, only: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
        """The live modules' namespaces (``only``: those a fresh import reached)."""
        names = self.model.modules if only is None else only
        return {m: sys.modules[m].__dict__ for m in names if m in sys.modules}

    def write(self, model: Model) -> None:
        """Write the modules whose source differs from what was written last."""
        for m in model.modules:
            text = model.source(m)
            if self.written.get(m) != text:
                (self.root / f"{m}.py").write_text(text, encoding="utf-8")
                self.written[m] = text

    def take_references(self) -> None:
        for m, ns in self.namespaces().items():
            for n, value in ns.items():
                if n.startswith("_") or n in SIDE_EFFECTS:
                    continue
                # Definitions only: an old reference to what a re-run plain statement made
                # (``ADD = make(2)``) rightly keeps the old object. And this module's own: a
                # function a star import brought is another module's, whatever this one
                # later binds under its name.
                if getattr(value, "__name__", None) != n or getattr(value, "__module__", "") != m:
                    continue
                if isinstance(value, types.FunctionType):
                    self.refs.setdefault((m, n), value)
                elif isinstance(value, type) and not issubclass(value, enum.Enum):
                    self.instances.setdefault((m, n), value())
                elif isinstance(value, type) and issubclass(value, enum.Enum):
                    for member in value:
                        self.members.setdefault((n, str(member.name)), member)


def play(data: st.DataObject, run: Run) -> None:
    """What playing does between edits: rebind some names, append to a list."""
    ns = run.namespaces()
    for (m, n), _ in PLAYED.items():
        if n not in ns.get(m, {}) or not data.draw(st.booleans(), label=f"play {n}"):
            continue
        if n == "EVENTS":
            ns[m][n].append("hit")
            run.played[(m, n)] = run.played.get((m, n), 0) + 1
        elif n in ("state", "perm"):
            cls, member = ("State", "RUN") if n == "state" else ("Perm", "W")
            if member in getattr(ns.get("ents", {}).get(cls), "__members__", {}):
                ns[m][n] = getattr(ns["ents"][cls], member)
                run.played[(m, n)] = ns[m][n]
        else:
            ns[m][n] = 99 if n == "vy" else 1000
            run.played[(m, n)] = ns[m][n]


def between(data: st.DataObject, model: Model) -> Model:
    """Move the item every module may hold (``helper``) from one module to another."""
    new = model.copy()
    holders = [m for m in new.modules if any(it.key == "shared" for it in new.items[m])]
    if not holders:
        return new
    source = data.draw(st.sampled_from(holders), label="from")
    target = data.draw(st.sampled_from(new.modules), label="to")
    item = next(it for it in new.items[source] if it.key == "shared")
    new.items[source].remove(item)
    new.items[target].insert(data.draw(st.integers(0, len(new.items[target]))), item)
    return new


def edit(data: st.DataObject, model: Model) -> Model:
    """One random edit of one module, or a move between two (a new model)."""
    if data.draw(st.integers(0, 9), label="between") == 0:
        return between(data, model)
    new = model.copy()
    module = data.draw(st.sampled_from(model.modules), label="module")
    items = new.items[module]
    kind = data.draw(st.sampled_from(["param", "param", "param", "move", "remove", "add",
                                      "invalid", "raise"]), label="edit")
    keys = model.keys(module)
    missing = [k for k in keys if all(it.key != k for it in items)]
    if kind == "param" and items:
        i = data.draw(st.integers(0, len(items) - 1))
        items[i] = Item(items[i].key, data.draw(st.integers(0, 9)), data.draw(st.integers(0, 9)))
    elif kind == "move" and len(items) > 1:
        item = items.pop(data.draw(st.integers(0, len(items) - 1)))
        items.insert(data.draw(st.integers(0, len(items))), item)
    elif kind == "remove" and items:
        items.pop(data.draw(st.integers(0, len(items) - 1)))
    elif kind == "add" and missing:
        key = data.draw(st.sampled_from(missing))
        items.insert(data.draw(st.integers(0, len(items))),
                     Item(key, data.draw(st.integers(0, 9)), data.draw(st.integers(0, 9))))
    elif kind == "invalid":
        new.tails[module] = "def broken(:\n    pass\n"
    elif kind == "raise":
        new.tails[module] = "BAD = 1 // 0\n"
    return new


def expected(run: Run, fresh: dict[str, dict[str, Any]]) -> dict[str, object]:
    """What the live game must look like: the fresh import, with play's values kept."""
    want = observe(fresh)
    for (m, n), value in run.played.items():
        key = f"{m}.{n}"
        if n == "EVENTS":
            base = fresh[m].get(n, [])
            want[key] = observe({m: {n: [*base, *["hit"] * value]}})[key]
        else:
            want[key] = observe({m: {n: value}})[key]
    return want


def forget_edited_play(run: Run, old: Model, new: Model) -> None:
    """A played name whose own statement was edited, added or removed takes the edit."""
    for (m, n), key in PLAYED.items():
        if (m, n) in run.played and old.text_of(m, key) != new.text_of(m, key):
            del run.played[(m, n)]


def own(fresh: dict[str, dict[str, Any]], m: str, n: str) -> bool:
    """True when a fresh start has ``m.n`` as m's own definition (not one a star brought)."""
    return getattr(fresh.get(m, {}).get(n), "__module__", None) == m


def check_references(run: Run, fresh: dict[str, dict[str, Any]]) -> None:
    live = run.namespaces(fresh)
    for (m, n), ref in run.refs.items():
        if own(fresh, m, n) and callable(fresh[m][n]):
            assert call(ref, 1) == call(fresh[m][n], 1), f"old reference {m}.{n}"
    for (m, n), obj in run.instances.items():
        cls = live.get(m, {}).get(n)
        if m not in fresh or n not in fresh[m] or not isinstance(cls, type):
            continue
        assert isinstance(obj, cls), f"old {m}.{n} instance is not an instance of {m}.{n}"
        if is_dataclass(obj):
            assert frozen(obj) == frozen(fresh[m][n]()), f"old {m}.{n} instance frozen"
        else:
            assert call(getattr(obj, "act", getattr(obj, "hp", None))) == call(
                getattr(fresh[m][n](), "act", getattr(fresh[m][n](), "hp", None))), (
                f"old {m}.{n} instance's methods")
    for (cls_name, name), member in run.members.items():
        cls = live.get("ents", {}).get(cls_name)
        if cls is not None and name in cls.__members__:
            assert cls[name] is member, f"{cls_name}.{name} is not the member taken before"


def lacks_names(run: Run, fresh: dict[str, dict[str, Any]], report: object) -> bool:
    """A refusal because a fresh start would differ: true when it does, by lacking names.

    A new import cycle can make ``from consts import *`` run while consts is partly run:
    Python accepts it, but the module then lacks names the running game has, which no
    reload can give back. The engine refuses that (``a fresh start would differ here``).
    """
    if "a fresh start would differ here" not in str(report):
        return False
    live = run.namespaces(fresh)
    lacking = [m for m in fresh if {n for n in live[m] if not n.startswith("_")}
               - set(fresh[m])]
    # Or the module has the names, but its own (bound above the star import), not the other
    # module's: ``def helper`` above ``from consts import *`` while consts is partly run.
    said = re.search(r"(\w+)\.py:\d+ gets none of (.+?) from `from (\w+) import \*`",
                     str(report))
    own = said is not None and all(
        fresh[said[1]].get(n) is not fresh[said[3]].get(n)
        for n in said[2].split(", ") if not n.startswith("+"))
    assert lacking or own, f"refused, yet a fresh start has every name: {report}"
    return True


def refused_for_a_block(report: object) -> bool:
    """A refusal of a read inside a block's body that comes before the name is bound.

    ``for _ in range(0): ITEMS.append(1)`` above ``ITEMS = [1]``: this fresh start passes, yet
    fails whenever the body runs; the engine refuses it, by rule (docs/reloading.md).
    """
    return "when this block runs" in str(report)


def step(data: st.DataObject, run: Run) -> None:
    play(data, run)
    new = edit(data, run.model)
    fresh = fresh_import(new, run.tmp)
    before = observe(run.namespaces())
    run.write(new)
    report = run.r.reload()
    if fresh is None or (not report.ok and (lacks_names(run, fresh, report)
                                            or refused_for_a_block(report))):
        assert not report.ok, f"accepted what a fresh import refuses: {report}"
        assert observe(run.namespaces()) == before, "a failed reload left changes"
        run.write(run.model)  # the developer puts the running version back
        assert run.r.reload().ok
        return
    assert report.ok, f"refused what a fresh import accepts: {report}"
    forget_edited_play(run, run.model, new)
    run.model = new
    assert observe(run.namespaces(fresh)) == expected(run, fresh)
    check_references(run, fresh)
    # A definition removed is gone: what was taken from it before is nobody's old reference
    # to the one a later edit adds again.
    for table in (run.refs, run.instances):
        for m, n in [key for key in table if not own(fresh, *key)]:
            del table[(m, n)]
    for cls_name, name in list(run.members):
        members = getattr(fresh.get("ents", {}).get(cls_name), "__members__", {})
        if name not in members:
            del run.members[(cls_name, name)]
    run.take_references()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          derandomize=EXAMPLES <= 2000)
@given(st.data())
def test_random_games_and_edits_equal_a_fresh_import(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "game"
        root.mkdir()
        model = Model.start(ents=data.draw(st.booleans(), label="ents"),
                            links=data.draw(st.integers(0, 2), label="links"))
        r = Reloader(root, retry_delay=0.0)
        run = Run(root, Path(tmp), r, model)
        try:
            run.write(model)
            r.import_module("main")
            run.take_references()
            for _ in range(data.draw(st.integers(1, 3), label="edits")):
                step(data, run)
        finally:
            r.close()
            for m in ALL_MODULES:
                sys.modules.pop(m, None)
