"""Generated game sources for the benchmarks: modules of a given size and games of N modules.

Every generated module has one function, ``edit_me``, whose last line is the only line an
edit changes (``return x + VALUE``), so a one-line edit is a real change of behaviour that
the benchmark can verify by calling the function.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "EDIT_FUNCTION",
    "edited_module",
    "edited_source",
    "game_sources",
    "module_source",
    "write_edit",
]

EDIT_FUNCTION = "edit_me"

_HEADER = '''"""Generated benchmark module {name}: {functions} functions, {classes} classes."""

import math

SCALE = 3
OFFSET = 0.5
'''

_FUNCTION = '''
def f{i:04d}(x, y=3):
    """Return a mix of x and y ({i})."""
    total = 0
    for k in range(y):
        total += (x + k) * {i} % 7
    return math.floor(total * SCALE + OFFSET) if total > 0 else -total
'''

_CLASS = '''
class C{i:03d}:
    """A generated class ({i})."""

    scale = {i}

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value * self.scale + SCALE

    @property
    def double(self):
        return self.get() * 2
'''

_EDIT = '''
def {fn}(x):
    """The function the benchmark edits: only its return line ever changes."""
    return x + {value}
'''


def _counts(lines: int) -> tuple[int, int]:
    """Functions and classes for a module of about ``lines`` lines (200 -> 24 and 4)."""
    # 24 functions and 4 classes make 231 lines; bigger modules keep the same mix.
    scale = 1.0 if lines <= 231 else lines / 231
    return max(1, round(24 * scale)), max(1, round(4 * scale))


def module_source(name: str, lines: int, value: int, imports: tuple[str, ...] = ()) -> str:
    """Source of a generated module of about ``lines`` lines whose ``edit_me(0) == value``."""
    functions, classes = _counts(lines)
    parts = [_HEADER.format(name=name, functions=functions, classes=classes)]
    parts.extend(f"import {mod}\n" for mod in imports)
    body: list[str] = [_FUNCTION.format(i=i) for i in range(functions - 1)]
    body.insert(len(body) // 2, _EDIT.format(fn=EDIT_FUNCTION, value=value))
    classes_src = [_CLASS.format(i=i) for i in range(classes)]
    # Interleave classes between functions so the edited function sits mid-file.
    step = max(1, len(body) // (classes + 1))
    for j, cls in enumerate(classes_src):
        body.insert(min(len(body), (j + 1) * step + j), cls)
    parts.extend(body)
    return "".join(parts)


def game_sources(modules: int, value: int, lines: int = 200) -> dict[str, str]:
    """Sources of a game of ``modules`` modules: ``main`` plus leaves ``m000``… (main imports all).

    With one module the game is ``main`` alone and ``main`` is the edited module; otherwise the
    edited leaf is ``m000`` (it imports no game module), every other leaf imports the previous
    one, and ``main`` does ``from m000 import edit_me as leaf_edit`` as well.
    """
    if modules <= 1:
        return {"main": module_source("main", lines, value)}
    leaves = [f"m{i:03d}" for i in range(modules - 1)]
    sources = {}
    for i, leaf in enumerate(leaves):
        imports = (leaves[i - 1],) if i > 0 else ()
        sources[leaf] = module_source(leaf, lines, value if i == 0 else 0, imports)
    main = module_source("main", lines, 0, tuple(leaves))
    sources["main"] = main + f"\nfrom {leaves[0]} import {EDIT_FUNCTION} as leaf_edit\n"
    return sources


def edited_module(modules: int) -> str:
    """The module a benchmark edits in a game of ``modules`` modules."""
    return "main" if modules <= 1 else "m000"


def edited_source(modules: int, value: int, lines: int = 200) -> str:
    """``game_sources(modules, value, lines)[edited_module(modules)]``, without the others.

    The harness writes an edit right before each timed reload: generating all 100 modules
    there (2 MB of strings) churned the caches the reload then ran in, a cost that grew
    with the module count and was the harness's, not the engine's.
    """
    # The edited module imports no game module (game_sources: only later leaves do).
    return module_source(edited_module(modules), lines, value)


_mtime_ns: dict[str, int] = {}


def write_edit(path: Path, source: str) -> None:
    """Write ``source`` to ``path`` and give it a strictly newer mtime than the last write.

    Peers that compare mtimes (IPython) must see every edit even when two writes land in
    the same clock tick, so each write moves the mtime at least 10 ms forward.
    """
    path.write_text(source, encoding="utf-8")
    key = str(path)
    now = max(os.stat(path).st_mtime_ns, _mtime_ns.get(key, 0) + 10_000_000)
    os.utime(path, ns=(now, now))
    _mtime_ns[key] = now
