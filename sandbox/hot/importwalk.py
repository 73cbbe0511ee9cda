"""A fresh start's imports, walked without running anything: where would it fail?

A reload runs the changed statements of modules that are already fully imported, so
``from main import SCALE`` added to physics.py runs fine while main.py does
``from physics import step`` at its top — and the next start (F5) fails: Python runs main,
main imports physics, physics asks main for SCALE, which main has not bound yet ("cannot
import name … (most likely due to a circular import)"). :class:`Walk` imports the game's
sources as a fresh start would, from the entry module down, tracking the names each partly
run module has bound so far, and raises :class:`ImportCycleError` for what would fail.

Python allows many cycles (``import main`` used only inside functions, a name bound above
the import that leads back): those pass. Raised are only failures the walk is sure of,
made by top-level statements that always run (not under ``if``/``try``/``for``/``with``):

- ``from m import X`` while ``m`` is partly run and has not bound X (ImportError);
- a read of ``m.X`` (after ``import m``) in the same state (AttributeError);
- a read of a name that ``from m import *`` would have given, had ``m`` not been partly run
  (NameError) — and such a star import missing names at all: Python allows it, but the
  running module has them, so the game cannot equal a fresh start ("would differ").

Anything the walk cannot follow (an import of a game module under ``if``/``try``, a module
that may bind any name through ``globals()``, a new file that does not parse) raises
:class:`GiveUp`: no verdict.
"""
from __future__ import annotations
import __future__

import ast
import itertools
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.hot.freshstart import PRESET, own_names
from sandbox.hot.names import ImportRef, first_attribute, resolve
from sandbox.hot.plan import ModulePlan, shown_path
from sandbox.hot.source import Kind, ParsedSource, SourceError, Statement, parse, read
from sandbox.hot.tracking import Tracked

__all__ = ["GiveUp", "ImportCycleError", "Walk", "game_file"]

_LAZY_ANNOTATIONS = sys.version_info >= (3, 14)
_FUTURE_ANNOTATIONS = __future__.annotations.compiler_flag
# A statement starting with one of these may not run all of its body (or any of it).
_CONDITIONAL = frozenset({"if", "try", "for", "while", "with", "async", "match"})
# Reading one of these may bind any name in the module: the walk stops trusting what it knows.
_DYNAMIC = frozenset({"globals", "vars", "exec", "eval", "setattr", "__import__", "importlib"})


class ImportCycleError(SourceError):
    """The new sources would fail on a fresh start: a circular import asks too early."""

    def __init__(self, what: str, path: Path, shown: str, line: int, hint: str,
                 verb: str = "fail") -> None:
        super().__init__(f"a fresh start would {verb} here: {what}", path, shown, line)
        self.hint = hint


class GiveUp(Exception):
    """The walk met something it cannot follow: no verdict."""


@dataclass
class _Source:
    name: str
    parsed: ParsedSource
    path: Path
    shown: str
    package: str


@dataclass
class _Started:
    """One module of the walk: what it has bound so far and where it is."""

    src: _Source
    bound: set[str] = field(default_factory=set)
    anything: bool = False  # it may have bound any name (globals(), an unknown star import)
    done: bool = False
    line: int = 0  # the statement running now
    aliases: dict[str, str] = field(default_factory=dict)  # ``import m as a``: a -> m
    stars: list[tuple[_Started, int, frozenset[str]]] = field(default_factory=list)
    stars_unknown: bool = False  # a star import of something else: any name may come from it

    def knows(self, name: str) -> bool:
        """True when reading ``name`` from this module now may succeed."""
        return name in self.bound or self.anything or "__getattr__" in self.bound

    def will_bind(self) -> frozenset[str]:
        """Public names the whole module binds (what its star import would give)."""
        names = {n for st in self.src.parsed.statements for n in st.binds}
        return frozenset(n for n in names if not n.startswith("_") and n != "*")


def _sure(st: Statement) -> bool:
    """True when the statement always runs as a whole (a def, a class, a simple statement)."""
    if st.kind is not Kind.STMT:
        return True
    return st.text.split(None, 1)[0].rstrip(":") not in _CONDITIONAL


# ``if TYPE_CHECKING:`` never runs, nor ``if __name__ == "__main__":`` in an imported module.
# (Compared without spaces: ``if __name__ == "__main__"`` is ``if__name__=="__main__"``.)
_NEVER = frozenset({"ifTYPE_CHECKING", "iftyping.TYPE_CHECKING", "if__name__=='__main__'",
                    'if__name__=="__main__"'})


def _never_runs(st: Statement) -> bool:
    """True for a block a fresh start never runs (its imports do not count)."""
    return "".join(st.text.split(":", 1)[0].split()) in _NEVER


def _ordered_imports(st: Statement) -> list[ImportRef]:
    """The statement's imports in source order (its analysis keeps them as a set)."""
    if len(st.imports) < 2:
        return list(st.imports)
    refs: list[ImportRef] = []
    for node in ast.parse(st.text).body:
        if isinstance(node, ast.Import):
            for a in node.names:
                bound = a.asname or a.name.split(".")[0]
                named = a.asname is not None or "." not in a.name
                refs.append((0, a.name, (("", bound),) if named else ()))
        elif isinstance(node, ast.ImportFrom):
            refs.append((node.level, node.module or "",
                         tuple((a.name, a.asname or a.name) for a in node.names)))
    return refs


def game_file(root: Path, name: str) -> tuple[Path, str] | None:
    """The file and package of game module ``name`` when it is not imported yet."""
    if name in sys.modules or name.split(".")[0] in sys.stdlib_module_names:
        return None
    base = root.joinpath(*name.split("."))
    for path, package in ((base.with_suffix(".py"), name.rpartition(".")[0]),
                          (base / "__init__.py", name)):
        if os.path.isfile(path):
            return path, package
    return None


class Walk:
    """A fresh start of the game, statement by statement, without running anything."""

    def __init__(self, changed: Mapping[str, ModulePlan], tracked: Mapping[str, Tracked],
                 root: Path) -> None:
        self.changed = changed
        self.tracked = tracked
        self.root = root
        self.started: dict[str, _Started] = {}
        self.stack: list[_Started] = []
        self._missing: set[str] = set()

    # -- which modules are the game's ----------------------------------------------------

    def source(self, name: str) -> _Source | None:
        """The source a fresh start would run for module ``name`` (None: not a game module)."""
        if name in self._missing:
            return None
        mp = self.changed.get(name)
        t = mp.tracked if mp is not None else self.tracked.get(name)
        if t is not None:
            parsed = mp.parsed if mp is not None else t.parsed
            return _Source(name, parsed, t.path, shown_path(t, self.root), t.package)
        found = self._new_file(name)
        if found is None:
            self._missing.add(name)
        return found

    def _new_file(self, name: str) -> _Source | None:
        """A game module not imported yet (a file the edit started importing)."""
        found = game_file(self.root, name)
        if found is None:
            return None
        path, package = found
        try:
            parsed = parse(read(path).text, str(path))
        except Exception:
            raise GiveUp from None  # the reload reports it when it imports the file
        return _Source(name, parsed, path, path.relative_to(self.root).as_posix(), package)

    # -- importing -----------------------------------------------------------------------

    def import_module(self, name: str) -> _Started | None:
        """``import name``: its parent packages first; the (maybe partly run) module."""
        parts = name.split(".")
        module = None
        for i in range(1, len(parts) + 1):
            parent, module = module, self._start(".".join(parts[:i]))
            if module is None:
                return None
            if parent is not None:
                parent.bound.add(parts[i - 1])  # a submodule is bound in its package
        return module

    def _start(self, name: str) -> _Started | None:
        known = self.started.get(name)
        if known is not None:
            return known
        src = self.source(name)
        if src is None:
            return None
        module = self.started[name] = _Started(src)
        self.stack.append(module)
        self._run(module)
        self._check_stars(module)
        self.stack.pop()
        module.done = True
        return module

    def _run(self, m: _Started) -> None:
        parsed = m.src.parsed
        lazy = _LAZY_ANNOTATIONS or bool(parsed.flags & _FUTURE_ANNOTATIONS)
        for st in parsed.statements:
            m.line = st.start
            if _sure(st):
                for ref in _ordered_imports(st):
                    self._import(m, st, ref)
                self._check_reads(m, st, lazy)
            elif not _never_runs(st) and any(
                    self.source(t[0]) is not None
                    for t in (resolve(ref, m.src.package) for ref in st.imports) if t):
                raise GiveUp  # a game module imported only sometimes: the order is unknown
            m.bound.update(n for n in st.binds if n != "*")
            if not _DYNAMIC.isdisjoint(st.reads):
                m.anything = True

    def _import(self, m: _Started, st: Statement, ref: ImportRef) -> None:
        targets = resolve(ref, m.src.package)
        if not targets:
            return
        target = self.import_module(targets[0])
        pairs = ref[2]
        if not pairs or pairs[0][0] == "":  # import m [as a]
            if target is not None and pairs:
                m.aliases[pairs[0][1]] = targets[0]
            return
        for name, _ in pairs:
            if name == "*":
                self._star(m, target, st)
            elif self.source(f"{targets[0]}.{name}") is not None:
                self.import_module(f"{targets[0]}.{name}")
            elif target is not None and not target.done and not target.knows(name):
                self._fail(m, st, target, f"imports {name} from {targets[0]}, which has not "
                           "bound it yet",
                           f"move the import into the function that uses {name}, or bind "
                           f"{name} in {target.src.shown} above line {target.line}")

    def _star(self, m: _Started, target: _Started | None, st: Statement) -> None:
        if target is None or "__all__" in target.bound or "__all__" in target.will_bind():
            m.stars_unknown = True  # names we do not know (another package, an __all__)
        elif target.done:
            m.bound |= target.will_bind()
        else:
            m.stars.append((target, st.start, target.will_bind() - target.bound))
            m.bound |= {n for n in target.bound if not n.startswith("_")}

    def _check_reads(self, m: _Started, st: Statement, lazy: bool) -> None:
        skip = own_names(st) | (frozenset(st.lazy_reads) if lazy else frozenset())
        for read_name in sorted(st.reads):
            if read_name in skip:
                continue
            alias, attr = first_attribute(read_name)
            if attr is not None:
                read_name = f"{alias}.{attr}"
                target = self.started.get(m.aliases.get(alias, ""))
                if (target is not None and alias not in st.binds and not target.done
                        and not target.knows(attr)
                        and self.source(f"{target.src.name}.{attr}") is None):
                    self._fail(m, st, target, f"reads {read_name}, which "
                               f"{target.src.name} has not bound yet",
                               f"read {read_name} inside the function that uses it, or bind "
                               f"{attr} in {target.src.shown} above line {target.line}")
            elif not (m.stars_unknown or m.anything or read_name in m.bound
                      or read_name in PRESET or read_name in st.binds):
                self._check_star(m, st, read_name)

    def _check_star(self, m: _Started, st: Statement, name: str) -> None:
        for target, line, missing in m.stars:
            if name in missing:
                self._fail(m, st, target, f"reads {name}, which `from {target.src.name} "
                           f"import *` ({m.src.shown}:{line}) did not give: "
                           f"{target.src.name} had not bound it yet",
                           f"import {name} inside the functions that use it, or bind it in "
                           f"{target.src.shown} above line {target.line}")

    def _check_stars(self, m: _Started) -> None:
        """A star import of a partly run module that missed names: a fresh start differs.

        Python allows it, but the module then lacks names the running game's has (it got
        them when the other module was complete): the reload cannot make the game equal to
        what a fresh start gives, so it is refused.
        """
        statements = m.src.parsed.statements
        for target, line, missing in m.stars:
            # What the module binds below the star import wins either way; what it binds above
            # (``def helper`` above ``from consts import *``) stays its own in a fresh start,
            # where the running game got the other module's.
            own = {n for st in statements if st.start > line for n in st.binds}
            lost = sorted(missing - own)
            if lost:
                names = ", ".join(lost[:3]) + (f", +{len(lost) - 3} more" if len(lost) > 3
                                               else "")
                st = next(s for s in m.src.parsed.statements if s.start == line)
                self._fail(m, st, target, f"gets none of {names} from `from "
                           f"{target.src.name} import *`: {target.src.name} has not bound "
                           "them yet", f"import {target.src.name} and read "
                           f"{target.src.name}.{lost[0]} where it is used, or move "
                           f"{target.src.shown}:{target.line}'s import below what "
                           f"{m.src.name} needs", verb="differ")

    def _fail(self, m: _Started, st: Statement, target: _Started, what: str,
              hint: str, verb: str = "fail") -> None:
        chain = self.stack[self.stack.index(target):]
        steps = [f"{a.src.shown}:{a.line} importing {b.src.name}"
                 for a, b in itertools.pairwise(chain)]
        where = f"{m.src.shown}:{st.start}"
        raise ImportCycleError(f"{where} {what} (a circular import: {target.src.name} is "
                               f"still at {', '.join(steps)})", m.src.path, m.src.shown,
                               st.start, f"{hint}, then save (F9)", verb)
