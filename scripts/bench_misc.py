"""Call overhead of a patched function and memory over many reloads (engine only, no SDL)."""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import shutil
import sys
import tempfile
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType, FunctionType, ModuleType
from typing import Any

from bench_gen import EDIT_FUNCTION, module_source, write_edit

__all__ = ["call_overhead", "memory_growth", "rss", "rss_growth"]

_FUNC = "def f(x):\n    return x + {value}\n"


@contextlib.contextmanager
def _folder(prefix: str) -> Iterator[Path]:
    """A temporary game folder, removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _time_calls(fn: Callable[[int], int], n: int) -> float:
    """Seconds for ``n`` calls of ``fn(1)`` in a plain loop."""
    t0 = time.perf_counter()
    for _ in range(n):
        fn(1)
    return time.perf_counter() - t0


def _import_plain(root: Path, name: str, source: str) -> ModuleType:
    """Import a module the ordinary way (no engine), from its own file."""
    (root / f"{name}.py").write_text(source, encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(root))


def call_overhead(calls: int, repeats: int) -> dict[str, Any]:
    """Time a function patched by a reload against a plain one; ``repeats`` alternating runs.

    The patched function is the object captured *before* the reload (what a callback list or
    ``from main import f`` holds). A second plain function gives the noise floor: plain vs
    plain on the same machine in the same run.
    """
    from sandbox.hot import Reloader

    sys.dont_write_bytecode = True
    with _folder("bench-call-") as root, _folder("bench-plain-") as plain_root:
        game = root / "hotcall.py"
        write_edit(game, _FUNC.format(value=1))
        r = Reloader(root)
        try:
            mod = r.import_module("hotcall")
            patched = mod.f
            write_edit(game, _FUNC.format(value=2))
            report = r.reload()
            in_place = patched(1) == 3
            if not in_place:  # an engine that rebinds: measure what the module now holds
                patched = r.modules["hotcall"].f
            if patched(1) != 3:
                raise RuntimeError(f"the edit did not apply: {report}")
            plain = _import_plain(plain_root, "plaincall", _FUNC.format(value=2)).f
            plain2 = _import_plain(plain_root, "plaincall2", _FUNC.format(value=2)).f
            times: dict[str, list[float]] = {"patched": [], "plain": [], "plain2": []}
            fns = {"patched": patched, "plain": plain, "plain2": plain2}
            for fn in fns.values():  # warm up: let the interpreter specialise each call
                _time_calls(fn, min(calls, 10_000))
            for i in range(repeats):
                order = list(fns) if i % 2 == 0 else list(reversed(fns))
                for name in order:
                    times[name].append(_time_calls(fns[name], calls))
        finally:
            r.close()
            for name in ("plaincall", "plaincall2"):
                sys.modules.pop(name, None)
    return {"calls": calls, "patched_in_place": in_place, "seconds": times}


def rss() -> int | None:
    """Resident set size of this process in bytes (psutil, else Linux's /proc), or None."""
    try:
        import psutil  # type: ignore[import-untyped]  # the bench extra; no stubs
    except ImportError:  # CI installs only the test extra; Linux still tells us directly
        try:
            with open("/proc/self/statm", encoding="ascii") as statm:
                return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return None
    return int(psutil.Process().memory_info().rss)


def rss_growth(rss_at: dict[int, int], baseline: int, reloads: int) -> dict[str, Any]:
    """The memory benchmarks' common fields: RSS at reload ``baseline`` and at the last one."""
    return {
        "reloads": reloads,
        "baseline": baseline,
        "rss_baseline": rss_at[baseline],
        "rss_end": rss_at[reloads],
        "growth_mb": (rss_at[reloads] - rss_at[baseline]) / 2**20,
    }


def _module_objects(name: str) -> int:
    """Functions and classes alive anywhere whose ``__module__`` is ``name``."""
    return sum(
        1
        for o in gc.get_objects()
        if isinstance(o, FunctionType | type) and getattr(o, "__module__", None) == name
    )


def memory_growth(reloads: int, baseline: int = 10, lines: int = 200) -> dict[str, Any]:
    """RSS after ``baseline`` reloads and after ``reloads``; whether replaced code is freed.

    Each reload is a one-line edit of ``edit_me`` in a generated module (verified live).
    Weak references to every replaced code object show whether old code is freed; a count of
    the module's function and class objects shows whether replaced ones pile up.
    """
    from sandbox.hot import Reloader

    sys.dont_write_bytecode = True
    if rss() is None:
        return {"error": "psutil not installed (pip install -e '.[bench]')"}
    with _folder("bench-mem-") as root:
        path = root / "memgame.py"
        write_edit(path, module_source("memgame", lines, 0))
        r = Reloader(root)
        old_code: list[weakref.ref[CodeType]] = []
        try:
            r.import_module("memgame")
            rss_at: dict[int, int] = {}
            objects: dict[int, int] = {}
            for i in range(1, reloads + 1):
                old_code.append(weakref.ref(getattr(r.modules["memgame"], EDIT_FUNCTION).__code__))
                write_edit(path, module_source("memgame", lines, i))
                report = r.reload()
                live = getattr(r.modules["memgame"], EDIT_FUNCTION)(0)
                if not report.ok or live != i:
                    raise RuntimeError(f"reload {i} did not apply: {report}")
                if i in (baseline, reloads):
                    gc.collect()
                    rss_at[i] = rss() or 0
                    objects[i] = _module_objects("memgame")
            current = getattr(r.modules["memgame"], EDIT_FUNCTION).__code__
            gc.collect()
            alive = sum(1 for w in old_code if w() is not None and w() is not current)
        finally:
            r.close()
    return {
        **rss_growth(rss_at, baseline, reloads),
        "old_code_objects": len(old_code),
        "old_code_alive": alive,
        "module_objects_baseline": objects[baseline],
        "module_objects_end": objects[reloads],
    }


def main(argv: list[str] | None = None) -> int:
    """Worker entry point: ``bench_misc.py CALLS REPEATS`` prints call_overhead() as JSON."""
    import json

    args = sys.argv[1:] if argv is None else argv
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo: import sandbox
    json.dump(call_overhead(int(args[0]), int(args[1])), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
