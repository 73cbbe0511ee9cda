"""Apply cost of one reload: potato-sandbox's engine next to importlib, IPython and jurigged.

Run by ``scripts/bench.py engine``: one fresh process per peer (``python bench_engine.py
--peer NAME``) so that no peer sees another's modules, hooks or caches. Inside it, every
scenario gets a fresh temporary folder with real files; the edit is written (not timed), then
only the apply is timed, and the new return value is checked after every reload.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from bench_gen import EDIT_FUNCTION, edited_module, edited_source, game_sources, write_edit

__all__ = ["PEERS", "SCENARIOS", "Scenario", "ScenarioResult", "run_peer"]

QUICK_MAX_LINES = 200  # --quick is a smoke test: the big scenarios only cost time
QUICK_MAX_MODULES = 10
# After each timed apply (outside the timing) the harness runs gc.collect(), so no peer
# carries its garbage into the next apply: superreload leaves many cycles and, without this,
# measured 3x slower from collections landing inside its timing. BENCH_GC=none turns it off.
# BENCH_GC=cold also streams through 64 MB (twice the last-level cache) after collecting, so
# every apply starts from caches as cold as after seconds of game frames, whatever the size of
# the heap: the collection's walk leaves a small heap cached and a big one not.
GC_MODE = os.environ.get("BENCH_GC", "between")
COLLECT_BETWEEN = GC_MODE in ("between", "cold")
_FLUSH = bytearray(64 << 20) if GC_MODE == "cold" else bytearray()


def _chill_caches() -> None:
    """Read and write 64 MB so nothing the next apply needs is left in any CPU cache."""
    _FLUSH[:] = bytes(_FLUSH)
NOT_INSTALLED = "not installed (pip install -e '.[bench]')"


@dataclass(frozen=True)
class Scenario:
    """One edited module: its size in lines and how many modules the game has."""

    key: str
    label: str
    lines: int
    modules: int
    reps: int


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("lines200", "200 lines (24 fn, 4 classes)", 200, 1, 40),
    Scenario("lines1000", "1,000 lines", 1000, 1, 25),
    Scenario("lines5000", "5,000 lines", 5000, 1, 12),
    Scenario("game1", "game of 1 module", 200, 1, 40),
    Scenario("game10", "game of 10 modules", 200, 10, 40),
    Scenario("game100", "game of 100 modules", 200, 100, 25),
)


@dataclass
class ScenarioResult:
    """Timings of one peer on one scenario, and what its reloads did."""

    peer: str
    scenario: str
    seconds: list[float] = field(default_factory=list)
    old_refs_new_code: bool | None = None
    error: str | None = None
    note: str = ""


class Peer:
    """A reload mechanism driven through its Python API, without any watcher."""

    name = "peer"

    def setup(self, root: Path, names: list[str]) -> dict[str, ModuleType]:
        """Import the game (``main`` imports the rest) and start tracking it."""
        sys.path.insert(0, str(root))
        importlib.import_module("main")
        return {n: sys.modules[n] for n in names}

    def apply(self, name: str, path: Path) -> None:
        """Apply the edit just written to ``path`` (module ``name``): the timed part."""
        raise NotImplementedError

    def note(self) -> str:
        """Anything the table should say about how this peer's reloads went."""
        return ""

    def close(self, root: Path, names: list[str]) -> None:
        """Forget the game's modules so the next scenario starts clean."""
        for n in names:
            sys.modules.pop(n, None)
        with contextlib.suppress(ValueError):
            sys.path.remove(str(root))


class SandboxPeer(Peer):
    """potato-sandbox: ``Reloader.reload()`` checking every tracked file, as the API default."""

    name = "potato-sandbox"
    hint = False

    def setup(self, root: Path, names: list[str]) -> dict[str, ModuleType]:
        from sandbox.hot import Reloader

        self.reloader = Reloader(root)
        self.reloader.import_module("main")
        self.engine_seconds: list[float] = []
        return {n: self.reloader.modules[n] for n in names}

    def apply(self, name: str, path: Path) -> None:
        report = self.reloader.reload([path]) if self.hint else self.reloader.reload()
        if not report.ok or name not in report.changed:
            raise RuntimeError(f"reload did not apply: {report}")
        self.engine_seconds.append(report.seconds)

    def close(self, root: Path, names: list[str]) -> None:
        self.reloader.close()
        super().close(root, names)


class SandboxHintPeer(SandboxPeer):
    """potato-sandbox given the changed path, as the host does with the watcher's queue."""

    name = "potato-sandbox (path hint)"
    hint = True


class ImportlibPeer(Peer):
    """``importlib.reload`` of the one module known to have changed (no change detection)."""

    name = "importlib.reload"

    def apply(self, name: str, path: Path) -> None:
        importlib.reload(sys.modules[name])


class IPythonPeer(Peer):
    """IPython's autoreload ``ModuleReloader``, as ``%autoreload 2`` drives it before a cell."""

    name = "IPython %autoreload 2 (deduper)"
    deduper = True

    def setup(self, root: Path, names: list[str]) -> dict[str, ModuleType]:
        from IPython.extensions.autoreload import ModuleReloader

        mods = super().setup(root, names)
        self.reloader = ModuleReloader()  # type: ignore[no-untyped-call]  # caches mtimes
        self.reloader.enabled = True
        self.reloader.check_all = True
        self.reloader.autoload_obj = False
        self.reloader.hide_errors = True
        self.reloader.deduper_reloader.enabled = self.deduper
        self.reloader.deduper_reloader.update_sources()
        self.paths: dict[str, int] = {"deduper": 0, "superreload": 0}
        deduper = self.reloader.deduper_reloader
        original = deduper.maybe_reload_module

        def counted(module: ModuleType) -> bool:
            done = bool(original(module))
            self.paths["deduper" if done else "superreload"] += 1
            return done

        deduper.maybe_reload_module = counted  # type: ignore[method-assign]
        return mods

    def apply(self, name: str, path: Path) -> None:
        self.reloader.check()  # type: ignore[no-untyped-call]
        if self.reloader.failed:
            raise RuntimeError(f"autoreload failed: {self.reloader.failed}")

    def note(self) -> str:
        if not self.deduper:
            return "superreload"
        return ", ".join(f"{k} {v}" for k, v in self.paths.items() if v)


class IPythonSuperPeer(IPythonPeer):
    """``%autoreload 2-`` (``--full``): the classic ``superreload`` path, deduper off."""

    name = "IPython %autoreload 2- (superreload)"
    deduper = False


class JuriggedPeer(Peer):
    """jurigged's ``CodeFile.refresh()`` for the changed file, as its watcher calls it."""

    name = "jurigged"

    def setup(self, root: Path, names: list[str]) -> dict[str, ModuleType]:
        from jurigged.register import registry

        mods = super().setup(root, names)
        self.codefiles = {}
        for n, mod in mods.items():
            file = str(mod.__file__)
            registry.prepare(n, file)
            self.codefiles[file] = registry.get(file)
        return mods

    def apply(self, name: str, path: Path) -> None:
        self.codefiles[str(path)].refresh()


PEERS: dict[str, type[Peer]] = {
    p.name: p
    for p in (
        SandboxPeer,
        SandboxHintPeer,
        ImportlibPeer,
        IPythonPeer,
        IPythonSuperPeer,
        JuriggedPeer,
    )
}

REQUIRES = {
    IPythonPeer.name: "IPython",
    IPythonSuperPeer.name: "IPython",
    JuriggedPeer.name: "jurigged",
}


def run_scenario(peer: Peer, sc: Scenario, reps: int, warmup: int) -> ScenarioResult:
    """Time ``reps`` one-line edits of ``edit_me`` for one peer in one fresh game folder."""
    result = ScenarioResult(peer.name, sc.key)
    root = Path(tempfile.mkdtemp(prefix=f"bench-{sc.key}-"))
    sources = game_sources(sc.modules, 0, sc.lines)
    names = list(sources)
    edited = edited_module(sc.modules)
    for n, src in sources.items():
        write_edit(root / f"{n}.py", src)
    path = root / f"{edited}.py"
    try:
        mods = peer.setup(root, names)
        old_ref = getattr(mods[edited], EDIT_FUNCTION)
        gc.collect()
        old_ok = True
        for i in range(warmup + reps):
            value = i + 1
            write_edit(path, edited_source(sc.modules, value, sc.lines))
            t0 = time.perf_counter()
            peer.apply(edited, path)
            dt = time.perf_counter() - t0
            live = getattr(sys.modules[edited], EDIT_FUNCTION)(0)
            if live != value:
                raise RuntimeError(f"edit {value} not live: edit_me(0) returned {live}")
            old_ok = old_ok and old_ref(0) == value
            if i >= warmup:
                result.seconds.append(dt)
            if COLLECT_BETWEEN:
                gc.collect()
            if _FLUSH:
                _chill_caches()
        result.old_refs_new_code = old_ok
        result.note = peer.note()
    except Exception as exc:  # a peer failing is a result, not a crash of the suite
        result.error = f"{type(exc).__name__}: {exc}"
        traceback.print_exc(file=sys.stderr)
    finally:
        with contextlib.suppress(Exception):
            peer.close(root, names)
        shutil.rmtree(root, ignore_errors=True)
    return result


def run_peer(name: str, scenarios: list[Scenario], quick: bool) -> list[dict[str, Any]]:
    """Run every scenario for one peer in this process; returns JSON-ready results."""
    sys.dont_write_bytecode = True  # a same-size edit within a second must not hit a stale .pyc
    module = REQUIRES.get(name)
    if module is not None:
        try:
            importlib.import_module(module)
        except ImportError:
            return [asdict(ScenarioResult(name, sc.key, error=NOT_INSTALLED)) for sc in scenarios]
    out = []
    for sc in scenarios:
        if quick and (sc.lines > QUICK_MAX_LINES or sc.modules > QUICK_MAX_MODULES):
            out.append(asdict(ScenarioResult(name, sc.key, error="skipped (--quick)")))
            continue
        peer = PEERS[name]()
        reps = 2 if quick else sc.reps
        out.append(asdict(run_scenario(peer, sc, reps, warmup=1 if quick else 3)))
    return out


def main(argv: list[str] | None = None) -> int:
    """Worker entry point: run one peer, print its results as JSON on stdout."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--peer", action="append", required=True, choices=sorted(PEERS))
    ap.add_argument("--scenario", action="append", help="scenario keys (default: all)")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    keys = args.scenario or [s.key for s in SCENARIOS]
    scenarios = [s for s in SCENARIOS if s.key in keys]
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo: import sandbox
    json.dump([r for p in args.peer for r in run_peer(p, scenarios, args.quick)], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
