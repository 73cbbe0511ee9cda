"""Who imports what in one module's source: built once per parse, asked once per dependent.

When a module rebinds names, every module importing it is asked how it sees them
(``run.importers``). Scanning each dependent's statements for that made a fan-out of N
dependents cost N scans of whole modules, and a module that imports N others (``main``)
was scanned once per import. The index answers in a dict lookup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sandbox.hot.names import ImportRef, resolve

__all__ = ["ImportIndex"]


class ImportIndex:
    """A module's ``from m import ...`` statements and ``import m as p`` aliases, by ``m``."""

    __slots__ = ("_aliases", "_bound", "_from", "_reads")

    def __init__(self, statements: Sequence[tuple[Iterable[ImportRef], Iterable[str]]],
                 package: str) -> None:
        """Index ``statements`` (each: its imports, its reads) of a module in ``package``."""
        # module -> [(index of a statement importing from it, the names it imports)]
        self._from: dict[str, list[tuple[int, frozenset[str]]]] = {}
        # module -> [(name imported from it, the name it is bound to here)], ``*`` included
        self._bound: dict[str, list[tuple[str, str]]] = {}
        self._aliases: dict[str, list[str]] = {}  # module -> names it is bound to
        reads: set[str] = set()
        for i, (imports, names) in enumerate(statements):
            reads.update(names)
            for ref in imports:
                self._add(i, ref, package)
        self._reads = frozenset(reads)

    def _add(self, i: int, ref: ImportRef, package: str) -> None:
        pairs = ref[2]
        if not pairs:
            return  # ``import a.b``: binds ``a``, which is not the module that changed
        if pairs[0][0] == "":  # import module [as alias]
            self._aliases.setdefault(ref[1], []).append(pairs[0][1])
            return
        targets = resolve(ref, package)
        if targets:
            self._from.setdefault(targets[0], []).append((i, frozenset(n for n, _ in pairs)))
            self._bound.setdefault(targets[0], []).extend(pairs)

    def importers(self, module: str, names: set[str]) -> tuple[set[int], set[str]]:
        """Statements doing ``from module import`` one of ``names`` (or ``*``), and the dotted
        names (``physics.SPEED``) under which the module reads them through ``import module``.
        """
        # A module's ``__getattr__`` (PEP 562) edited: any name imported from it may differ.
        every = "__getattr__" in names
        found = {i for i, imported in self._from.get(module, ())
                 if every or "*" in imported or not imported.isdisjoint(names)}
        dotted = {f"{alias}.{n}" for alias in self._aliases.get(module, ()) for n in names}
        dotted |= self._attributes(module, names)
        return found, dotted & self._reads

    def _attributes(self, module: str, names: set[str]) -> set[str]:
        """``Base.HP`` of ``module`` changed: how this module reads it (``B.HP`` after
        ``from module import Base as B``; ``Base.HP`` itself after a star import)."""
        seen = set()
        for n in names:
            head, dot, rest = n.partition(".")
            if not dot:
                continue
            for imported, bound in self._bound.get(module, ()):
                if imported == head:
                    seen.add(f"{bound}.{rest}")
                elif imported == "*" and not head.startswith("_"):
                    seen.add(n)
        return seen
