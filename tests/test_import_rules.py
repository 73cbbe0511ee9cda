"""The import rules of docs/architecture.md, checked on the sources with ``ast``.

- SDL (``sdl2``, ``sdl2.*`` and the ``sdl2dll`` binaries) is imported only by ``sandbox/sdl/``;
- ``watchfiles`` only by ``sandbox/watcher.py``; ``rich`` only by ``sandbox/console.py``;
- the engine, ``sandbox/hot/``, imports none of them and no other ``sandbox`` module except
  ``sandbox.events`` (its ``ErrorInfo``), which itself imports only the standard library.

Every import counts: at the top, inside functions, under ``if TYPE_CHECKING:``, relative
ones, and ``importlib.import_module("...")``/``__import__("...")`` with a literal name.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SANDBOX = Path(__file__).resolve().parent.parent / "sandbox"
SDL = frozenset({"sdl2", "sdl2dll"})
# Third-party packages confined to one place: top-level name -> the file or folder that may.
OWNERS = {**dict.fromkeys(SDL, "sandbox/sdl/"), "watchfiles": "sandbox/watcher.py",
          "rich": "sandbox/console.py", "debugpy": "sandbox/debugger.py"}
HOT_MAY_IMPORT = ("sandbox.events",)  # besides sandbox.hot itself


def module_name(path: Path, root: Path) -> str:
    """``sandbox.hot.plan`` for root/sandbox/hot/plan.py; a package is its ``__init__``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, root: Path) -> Iterator[tuple[str, int]]:
    """(absolute module name, line) of every import in ``path``.

    ``from a import b`` yields ``a`` and ``a.b``: ``b`` may be a submodule (``from sandbox
    import hot``), and a name that is not one (``from sandbox import Host``) is then judged
    as if it were, which is what a rule about modules wants.
    """
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..events import y
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            if base:
                yield base, node.lineno
            for alias in node.names:
                if alias.name != "*":
                    yield f"{base}.{alias.name}" if base else alias.name, node.lineno
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if called in ("import_module", "__import__") and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                yield first.value, node.lineno


def within(module: str, package: str) -> bool:
    """True for ``package`` itself and anything in it (``sandbox.events.ErrorInfo``)."""
    return module == package or module.startswith(package + ".")


def sources() -> list[Path]:
    return sorted(SANDBOX.rglob("*.py"))


def violations(root: Path) -> list[str]:
    """Every broken rule under ``root/sandbox``, as "file:line imports module (why)"."""
    found: list[str] = []
    for path in sorted((root / "sandbox").rglob("*.py")):
        rel = path.relative_to(root)
        in_hot = rel.parts[:2] == ("sandbox", "hot")
        for module, line in imported(path, root):
            top = module.split(".")[0]
            where = f"{rel}:{line} imports {module}"
            owner = OWNERS.get(top)
            if owner is not None and not rel.as_posix().startswith(owner):
                found.append(f"{where} (only {owner} may)")
            if in_hot and top in OWNERS:
                found.append(f"{where} (the engine never imports SDL, rich or watchfiles)")
            if in_hot and top == "sandbox" and module != "sandbox" \
                    and not any(within(module, ok) for ok in ("sandbox.hot", *HOT_MAY_IMPORT)):
                found.append(f"{where} (the engine imports no sandbox module but "
                             f"{', '.join(HOT_MAY_IMPORT)})")
    return found


def test_every_import_rule_holds() -> None:
    assert violations(SANDBOX.parent) == []


def test_the_scan_sees_what_it_judges() -> None:
    """Positive controls: a scan that saw no imports would pass the rules vacuously."""
    names = {rel: {m for m, _ in imported(p, SANDBOX.parent)}
             for p in sources() for rel in [p.relative_to(SANDBOX.parent).as_posix()]}
    assert "sdl2" in names["sandbox/sdl/display.py"]
    assert "watchfiles" in names["sandbox/watcher.py"]
    assert "rich.console" in names["sandbox/console.py"]
    assert "sandbox.events" in names["sandbox/hot/report.py"]
    assert "sandbox.watcher.Watcher" in names["sandbox/host.py"]  # imported inside __init__


def test_sandbox_events_imports_only_the_standard_library() -> None:
    """What the engine may import must not pull in SDL, rich or another sandbox module."""
    files = sorted((SANDBOX / "events").rglob("*.py"))
    assert files, "sandbox/events/ is a package"
    outside = sorted({m for path in files for m, _ in imported(path, SANDBOX.parent)
                      if m.split(".")[0] not in sys.stdlib_module_names
                      and not within(m, "sandbox.events")})
    assert outside == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in {"sandbox/__init__.py": "", "sandbox/hot/__init__.py": "",
                      "sandbox/sdl/__init__.py": "", **files}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


@pytest.mark.parametrize(("rel", "source", "expected"), [
    ("sandbox/host.py", "import sdl2\n", "sandbox/host.py:1 imports sdl2"),
    ("sandbox/host.py", "def f():\n    import sdl2.ext as e\n",
     "sandbox/host.py:2 imports sdl2.ext"),
    ("sandbox/host.py", "from sdl2 import SDL_Init\n", "imports sdl2.SDL_Init"),
    ("sandbox/host.py", "import importlib\nimportlib.import_module('sdl2')\n",
     "sandbox/host.py:2 imports sdl2"),
    ("sandbox/screen.py", "import watchfiles\n", "imports watchfiles"),
    ("sandbox/overlay.py", "from rich.text import Text\n", "imports rich.text"),
    ("sandbox/hot/plan.py", "from sandbox import host\n", "imports sandbox.host"),
    ("sandbox/hot/plan.py", "from sandbox import Host\n", "imports sandbox.Host"),
    ("sandbox/hot/plan.py", "from .. import sdl\n", "imports sandbox.sdl"),
    ("sandbox/hot/plan.py", "from ..devtools import DevTools\n", "imports sandbox.devtools"),
    ("sandbox/hot/plan.py", "if True:\n    import rich\n", "(the engine never imports"),
])
def test_a_broken_rule_is_reported(tmp_path: Path, rel: str, source: str, expected: str) -> None:
    found = violations(_tree(tmp_path, {rel: source}))
    assert any(expected in v for v in found), found


def test_what_the_rules_allow_is_not_reported(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "sandbox/sdl/display.py": "import sdl2\nimport sdl2.ext\nfrom . import errors\n",
        "sandbox/watcher.py": "import watchfiles\n",
        "sandbox/console.py": "from rich.console import Console\n",
        "sandbox/hot/report.py": "from sandbox.events import ErrorInfo\n",
        "sandbox/hot/reloader.py": "from sandbox.hot import api\nfrom . import plan\n"
                                   "from .plan import prepare\nimport importlib\n",
    })
    assert violations(root) == []


def test_importing_the_engine_loads_no_sdl_rich_or_watchfiles() -> None:
    """The same rule at run time, transitive imports and ``sandbox/__init__`` included."""
    code = ("import sys, sandbox.hot\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'sdl2', 'sdl2dll', 'rich', 'watchfiles'}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stdout.strip() == "[]"


# -- the host's structure: no import cycles, nobody reaching into another object's privates ----
def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the ``sandbox`` modules it imports (any import: top, function, TYPE_CHECKING).

    A name imported from a module is resolved to the longest module it names; a module's own
    parent packages are left out (importing ``sandbox.x`` always runs ``sandbox/__init__``
    first, which is not a cycle anyone wrote).
    """
    paths = {module_name(p, root): p for p in sorted((root / "sandbox").rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        deps: set[str] = set()
        for module, _ in imported(path, root):
            parts = module.split(".")
            target = next((".".join(parts[:i]) for i in range(len(parts), 0, -1)
                           if ".".join(parts[:i]) in paths), None)
            if target is not None and target != name and not name.startswith(target + "."):
                deps.add(target)
        graph[name] = deps
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


def test_no_import_cycles_outside_the_engine() -> None:
    """``host ↔ changes/controls/looping`` was a cycle: the parts no longer import the host.

    Cycles wholly inside ``sandbox.hot`` are the engine's own (``hot.api ↔ reloader ↔ run``)
    and are judged by the engine's rules, not here.
    """
    cycles = [c for c in import_cycles(import_graph(SANDBOX.parent))
              if not all(within(m, "sandbox.hot") for m in c)]
    assert cycles == []


def test_the_cycle_finder_finds_a_cycle_through_type_checking(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "sandbox/host.py": "from sandbox.changes import Changes\n",
        "sandbox/changes.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                              "    from sandbox.host import Host\n",
        "sandbox/clock.py": "from sandbox import events\n",
        "sandbox/events.py": "",
    })
    assert import_cycles(import_graph(root)) == [["sandbox.changes", "sandbox.host"]]


# The engine and the SDL layer are other parts' concern (and other work in progress).
PRIVATE_RULE_SKIPS = ("sandbox/hot/", "sandbox/sdl/")
# CPython's documented functions that carry an underscore (they are nobody's private state).
DOCUMENTED_UNDERSCORE = frozenset({"sys._current_frames", "sys._getframe"})


def _reaches_private(node: ast.AST) -> bool:
    """``node`` is ``x._name`` with ``x`` not ``self``/``cls`` (and not CPython's ``sys._…``)."""
    if not (isinstance(node, ast.Attribute) and node.attr.startswith("_")) \
            or node.attr.startswith("__"):
        return False
    if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
        return False
    return ast.unparse(node) not in DOCUMENTED_UNDERSCORE


def private_reaches(root: Path) -> list[str]:
    """Every ``x._name`` where ``x`` is not ``self``/``cls``: a reach into another's privates."""
    found: list[str] = []
    for path in sorted((root / "sandbox").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(PRIVATE_RULE_SKIPS):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if _reaches_private(node):
                found.append(f"{rel}:{node.lineno} {ast.unparse(node)}")
    return found


def test_no_module_reaches_into_another_objects_private_names() -> None:
    assert private_reaches(SANDBOX.parent) == []


def test_the_private_rule_sees_a_reach(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"sandbox/changes.py": "def f(host):\n    host._emit(1)\n"
                                                  "    self._ok = host.__class__\n"
                                                  "    sys._getframe(0)\n"})
    assert private_reaches(root) == ["sandbox/changes.py:2 host._emit"]
