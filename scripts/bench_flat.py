"""Is one reload's cost flat in the number of modules? Calls, instructions, then wall time.

The edited leaf of a generated game of 1, 10 or 100 modules (``bench_gen``) is reloaded with
the path hint the host gives. Three measurements, from most to least deterministic:

- **calls** one reload makes (``sys.setprofile``): equal counts mean no Python-level work
  per module of the game;
- **instructions** per reload under ``valgrind --tool=cachegrind`` (when valgrind is
  installed): work below Python too, such as dict and type-cache lookups;
- **wall time**, 100 modules vs 1, each in several fresh processes, with the CPU caches in the
  same state for both games: warm (nothing between reloads) and cold (64 MB streamed between
  reloads, as after seconds of game frames). The engine table's protocol (a ``gc.collect()``
  between reloads) is shown too: that walk leaves a small heap cached and a big one not.

``python bench_flat.py loop MODULES RELOADS`` is the workload cachegrind runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

import bench_gen  # noqa: E402
from bench_table import summary, verdict  # noqa: E402

__all__ = ["calls_per_reload", "instructions_per_reload", "measure", "wall_ratio"]

OURS = "potato-sandbox"
HINT = f"{OURS} (path hint)"
# BENCH_GC modes of bench_engine.py: what runs between two timed reloads.
MODES = {
    "none": "caches warm (nothing between reloads)",
    "cold": "caches cold (64 MB streamed between reloads)",
    "between": "after gc.collect() (the table's protocol)",
}
WALL_LIMIT = 1.25  # 100 vs 1 module, judged on medians over processes
INSTRUCTION_LIMIT = 1.05


def _game(root: Path, modules: int) -> Path:
    """Write a generated game of ``modules`` modules to ``root``; return the edited file."""
    for name, source in bench_gen.game_sources(modules, 0).items():
        (root / f"{name}.py").write_text(source)
    return root / f"{bench_gen.edited_module(modules)}.py"


MAX_RELOADS = 200


def reload_loop(modules: int, reloads: int) -> None:
    """Import a game, then write and reload its edited leaf ``reloads`` times (cachegrind's run).

    Runs with 0 reloads too: the difference between the two runs is the reloads' cost. The
    write before the first reload happens in both, so only reloads are in the difference.
    """
    if not 0 <= reloads <= MAX_RELOADS:
        raise ValueError(f"reloads must be 0 to {MAX_RELOADS}")
    sys.path.insert(0, str(REPO))
    sys.dont_write_bytecode = True
    from sandbox.hot import Reloader

    with tempfile.TemporaryDirectory(prefix="bench-loop-") as tmp:
        edited = _game(Path(tmp), modules)
        reloader = Reloader(tmp)
        try:
            reloader.import_module("main")
            # As many sources generated whatever ``reloads`` is: the difference is reloads only.
            sources = [bench_gen.edited_source(modules, i + 1) for i in range(MAX_RELOADS + 1)]
            for i, source in enumerate(sources[: reloads + 1]):
                bench_gen.write_edit(edited, source)
                if i and not reloader.reload([edited]).ok:
                    raise RuntimeError(f"reload {i} failed")
        finally:
            reloader.close()


class _CallCounter:
    """A sys.setprofile hook counting Python and C calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, frame: object, event: str, arg: object) -> None:
        if event in ("call", "c_call"):
            self.calls += 1


def calls_per_reload() -> dict[int, int]:
    """Calls made by one reload of the edited leaf, in games of 1, 10 and 100 modules."""
    sys.path.insert(0, str(REPO))
    from sandbox.hot import Reloader

    counts: dict[int, int] = {}
    for modules in (1, 10, 100):
        with tempfile.TemporaryDirectory(prefix="bench-calls-") as tmp:
            edited = _game(Path(tmp), modules)
            reloader = Reloader(tmp)
            try:
                reloader.import_module("main")
                bench_gen.write_edit(edited, bench_gen.edited_source(modules, 1))
                reloader.reload([edited])  # the first reload fills per-file caches
                bench_gen.write_edit(edited, bench_gen.edited_source(modules, 2))
                counter = _CallCounter()
                sys.setprofile(counter)
                try:
                    report = reloader.reload([edited])
                finally:
                    sys.setprofile(None)
                if not report.ok:
                    raise RuntimeError(f"calls-per-reload edit failed: {report}")
                counts[modules] = counter.calls
            finally:
                reloader.close()
    return counts


_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _instructions(modules: int, reloads: int) -> int:
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
           sys.executable, str(Path(__file__).resolve()), "loop", str(modules), str(reloads)]
    # A fixed hash seed: string hashes decide dict probe sequences, so instruction counts.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env, check=False)
    found = _REFS.search(proc.stderr)
    if proc.returncode != 0 or found is None:
        raise RuntimeError((proc.stderr.strip().splitlines() or ["valgrind failed"])[-1])
    return int(found.group(1).replace(",", ""))


def instructions_per_reload(reloads: int = 100) -> dict[int, float] | None:
    """Instructions one reload costs (a run with ``reloads`` minus one with none, divided).

    None when valgrind is not installed (it is a system package, not a Python one).
    """
    if shutil.which("valgrind") is None:
        return None
    return {m: (_instructions(m, reloads) - _instructions(m, 0)) / reloads for m in (1, 100)}


def wall_ratio(peer: str, mode: str, processes: int) -> dict[str, Any]:
    """Median over ``processes`` fresh processes of each game's median, 100 vs 1 module."""
    medians: dict[str, list[float]] = {"game1": [], "game100": []}
    env = {**os.environ, "BENCH_GC": mode}
    for _ in range(processes):
        for key in medians:  # alternating, so both games see the same machine load
            cmd = [sys.executable, str(HERE / "bench_engine.py"), "--peer", peer,
                   "--scenario", key]
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env,
                                  check=False)
            if proc.returncode == 0:
                (row,) = json.loads(proc.stdout)
                if row["seconds"]:
                    medians[key].append(summary(row["seconds"])["median"])
    if not (medians["game1"] and medians["game100"]):
        return {"ratio": None}
    one, hundred = statistics.median(medians["game1"]), statistics.median(medians["game100"])
    return {"ratio": hundred / one, "added_ms": (hundred - one) * 1e3,
            "game1_ms": [m * 1e3 for m in medians["game1"]],
            "game100_ms": [m * 1e3 for m in medians["game100"]]}


def _ms_list(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def measure(quick: bool, processes: int = 5) -> dict[str, Any]:
    """Run the three measurements, print them and the verdicts; JSON-ready results."""
    print("  flat in the number of modules (edited leaf, game of 100 vs game of 1):")
    calls = calls_per_reload()
    print("    calls per reload (sys.setprofile): "
          + ", ".join(f"{n} module{'s' if n > 1 else ''} {c}" for n, c in calls.items()))
    instructions: dict[int, float] | None = None
    note = "skipped (--quick)" if quick else "not measured (valgrind not installed)"
    if not quick:
        try:
            instructions = instructions_per_reload()
        except RuntimeError as exc:
            note = f"not measured (valgrind: {exc})"
    if instructions:
        i1, i100 = instructions[1], instructions[100]
        print(f"    instructions per reload (cachegrind, 100 reloads): 1 module {i1 / 1e6:.2f} M, "
              f"100 modules {i100 / 1e6:.2f} M: {i100 / i1:.2f}×")
    else:
        print(f"    instructions per reload: {note}")
    walls: dict[str, dict[str, Any]] = {}
    if quick:
        print("    wall time over processes: skipped (--quick)")
    else:
        print(f"    wall time, medians of {processes} fresh processes per game:")
        runs = [(HINT, mode) for mode in MODES] + [(OURS, "between")]
        for peer, mode in runs:
            label = f"{MODES[mode]}" if peer == HINT else "reload() without the hint, after gc"
            w = walls[f"{peer} / {mode}"] = wall_ratio(peer, mode, processes)
            if w["ratio"] is None:
                print(f"      {label:<46} failed")
                continue
            print(f"      {label:<46} {w['ratio']:5.2f}×  ({w['added_ms']:+.2f} ms; 1: "
                  f"{_ms_list(w['game1_ms'])}; 100: {_ms_list(w['game100_ms'])})")
        print("      (reload() without the hint stats every tracked file to find the change: "
              "per-module work by design; the host always passes the watcher's paths)")

    def wall_ok(mode: str) -> bool | None:
        ratio = walls.get(f"{HINT} / {mode}", {}).get("ratio")
        return None if ratio is None else ratio <= WALL_LIMIT

    equal = [wall_ok("none"), wall_ok("cold")]
    targets = {
        "calls per reload equal for 1, 10, 100 modules": len(set(calls.values())) == 1,
        f"instructions 100 vs 1 ≤ {INSTRUCTION_LIMIT}×": (
            None if not instructions else instructions[100] / instructions[1] <= INSTRUCTION_LIMIT),
        f"wall time 100 vs 1 ≤ {WALL_LIMIT}× with equal caches (warm and cold)": (
            None if None in equal else all(equal)),
    }
    print("  flatness: " + "; ".join(f"{k}: {verdict(v)}" for k, v in targets.items()))
    return {"calls_per_reload": calls, "instructions_per_reload": instructions,
            "wall": walls, "targets": targets}


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "loop":
        sys.exit("usage: bench_flat.py loop MODULES RELOADS")
    try:
        reload_loop(int(sys.argv[2]), int(sys.argv[3]))
    except ValueError as exc:
        sys.exit(f"bench_flat.py: {exc}")
