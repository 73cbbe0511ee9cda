"""Engine speed benchmarks of issue 14: a saved typo's frame, a big game's first import, fan-out.

- ``typo``: headless bounce paced at 60 fps; saves alternate between a valid edit (the
  rectangle's colour) and a broken one (``def broken(:`` at top level), written between
  frames and picked up by the watcher. The frame that picked up each save is timed.
- ``first_import``: a generated game of 100 modules (~28,000 lines), imported in fresh
  processes: plain ``import main`` with its bytecode cache warm, the engine with its parse
  cache cold (deleted before) and warm. Rounds alternate the three. With valgrind installed,
  also the instructions of each import (cachegrind), which a shared machine does not blur.
- ``fanout``: ``config.py`` with ``SPEED`` and N modules doing ``from config import SPEED``;
  the reload of a ``SPEED`` edit, for N = 10, 50, 200 (checked: every dependent sees it).

Also a worker: ``bench_hot.py --import-worker plain|engine|none DIR`` prints the seconds one
first import of ``DIR/main.py`` took (``none``: makes the Reloader, imports nothing).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench_gen import game_sources, write_edit
from bench_host import _coloured, _game_copy, _Pacer
from bench_table import stat_cells, summary, table, verdict

FRAME_BUDGET = 1 / 60

__all__ = ["fanout", "first_import", "section_fanout", "section_import", "section_typo", "typo"]

HERE = Path(__file__).resolve().parent
BROKEN = "\ndef broken(:\n    pass\n"


def _record_reports(host: Any) -> list[Any]:
    """Every report of the host's reloads (failed ones too: the host holds their errors back
    for a grace period, so its event log does not show them in the frame that ran them)."""
    reports: list[Any] = []
    inner = host.reloader.apply

    def recorded(plan: Any) -> Any:
        report = inner(plan)
        reports.append(report)
        return report

    host.reloader.apply = recorded
    return reports


def typo(saves: int, frames_between: int = 8) -> dict[str, Any]:
    """Frames that picked up a valid save and a broken one, ``saves`` alternating saves."""
    from sandbox import Host

    valid: list[float] = []
    broken: list[float] = []
    frame_seconds: list[float] = []
    with _game_copy() as game, contextlib.redirect_stdout(io.StringIO()):
        main = game / "main.py"
        template = main.read_text(encoding="utf-8")
        with Host(game, headless=True, watch=True, fps=60) as host:
            reports = _record_reports(host)
            host.step(2)
            pacer = _Pacer()
            written = frame = 0
            settle = frames_between * 3
            while written < saves or settle > 0:
                if written >= saves:
                    settle -= 1
                pacer.wait()
                reports.clear()
                t0 = time.perf_counter()
                host.step(1)
                dt = time.perf_counter() - t0
                frame_seconds.append(dt)
                if any(not r.ok for r in reports):
                    broken.append(dt)
                elif any(r.changed for r in reports):
                    valid.append(dt)
                frame += 1
                if written < saves and frame % frames_between == 0:
                    written += 1
                    text = _coloured(template, written % 120 + 1)
                    # Odd saves break the file; every save changes the colour, so a valid save
                    # after a broken one is a real reload.
                    main.write_text(text + BROKEN if written % 2 else text, encoding="utf-8")
    return {"saves": saves, "valid": valid, "broken": broken, "frame_seconds": frame_seconds}


# ------------------------------------------------------------------------ first import

def _import_worker(kind: str, folder: str) -> None:
    """One first import of ``folder``'s ``main`` in this (fresh) process; prints the wall
    and CPU seconds it took."""
    # Both have the engine imported before the timed import: the same heap for the garbage
    # collector to walk, as in the host, which always has it.
    from sandbox.hot import Reloader

    if kind == "plain":
        sys.path.insert(0, folder)
        start = time.perf_counter(), time.process_time()
        __import__("main")
    elif kind == "none":  # what the engine's import is counted over, in instructions
        Reloader(folder)
        start = time.perf_counter(), time.process_time()
    else:
        r = Reloader(folder)
        start = time.perf_counter(), time.process_time()
        r.import_module("main")
    print(time.perf_counter() - start[0], time.process_time() - start[1])


def _run_worker(kind: str, folder: Path) -> tuple[float, float]:
    # Both may write their caches (a shell's PYTHONDONTWRITEBYTECODE would turn this into a
    # measurement of the compiler and the parser).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = subprocess.run([sys.executable, str(Path(__file__)), "--import-worker", kind,
                          str(folder)], capture_output=True, text=True, check=True, env=env)
    wall, cpu = out.stdout.split()[-2:]
    return float(wall), float(cpu)


_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _worker_instructions(kind: str, folder: Path) -> int:
    """Instructions of one worker process under cachegrind (median of three)."""
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
           sys.executable, str(Path(__file__)), "--import-worker", kind, str(folder)]
    # A fixed hash seed: string hashes decide dict probe sequences, so instruction counts.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    counts = []
    for _ in range(3):
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        found = _REFS.search(proc.stderr)
        if proc.returncode != 0 or found is None:
            raise RuntimeError((proc.stderr.strip().splitlines() or ["valgrind failed"])[-1])
        counts.append(int(found.group(1).replace(",", "")))
    return int(statistics.median(counts))


def import_instructions(folder: Path) -> dict[str, int] | None:
    """Instructions of a warm first import, plain and engine, over a process that only makes
    the Reloader (None: valgrind is not installed, a system package)."""
    if shutil.which("valgrind") is None:
        return None
    base = _worker_instructions("none", folder)
    return {kind: _worker_instructions(kind, folder) - base for kind in ("plain", "engine")}


def _clear_engine_cache(folder: Path) -> None:
    for f in folder.glob("__pycache__/*.potato*"):
        f.unlink()


@contextlib.contextmanager
def _generated_game(modules: int, lines: int) -> Iterator[Path]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        for name, text in game_sources(modules, 1, lines).items():
            write_edit(tmp / f"{name}.py", text)
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def first_import(modules: int = 100, lines: int = 280, rounds: int = 11,
                 instructions: bool = True) -> dict[str, Any]:
    """Seconds of a first import: plain (bytecode cache), engine cold cache, engine warm.

    Each in a fresh process, the three alternating; wall and CPU time of the import alone;
    ``instructions``: also the warm imports' instruction counts (when valgrind is installed).
    """
    kinds = ("plain", "engine_cold", "engine_warm")
    out: dict[str, Any] = {"modules": modules, **{k: [] for k in kinds},
                           **{f"{k}_cpu": [] for k in kinds}}
    with _generated_game(modules, lines) as folder:
        out["lines"] = sum(p.read_text().count("\n") for p in folder.glob("*.py"))
        _run_worker("plain", folder)  # writes the bytecode cache (and warms the disk cache)
        _run_worker("engine", folder)
        for _ in range(rounds):
            for kind in kinds:
                if kind == "engine_cold":
                    _clear_engine_cache(folder)
                wall, cpu = _run_worker("plain" if kind == "plain" else "engine", folder)
                out[kind].append(wall)
                out[f"{kind}_cpu"].append(cpu)
        out["instructions"] = import_instructions(folder) if instructions else None
    return out


# ------------------------------------------------------------------------------ fan-out

def _fanout_game(folder: Path, dependents: int) -> None:
    (folder / "config.py").write_text("SPEED = 0\n")
    for i in range(dependents):
        (folder / f"d{i:03d}.py").write_text(
            f'"""Dependent {i}."""\nfrom config import SPEED\n\n\ndef speed():\n'
            f"    return SPEED + {i}\n")
    (folder / "main.py").write_text("".join(f"import d{i:03d}\n" for i in range(dependents)))


def fanout(dependents: int, reloads: int = 30, warmup: int = 3) -> dict[str, Any]:
    """Seconds of the reload of a ``SPEED`` edit that ``dependents`` modules import."""
    import gc

    from sandbox.hot import Reloader

    seconds: list[float] = []
    cpu: list[float] = []
    tmp = Path(tempfile.mkdtemp(prefix="bench-fanout-"))
    try:
        _fanout_game(tmp, dependents)
        config = tmp / "config.py"
        with Reloader(tmp) as r:
            r.import_module("main")
            last = sys.modules[f"d{dependents - 1:03d}"]
            for i in range(1, warmup + reloads + 1):
                write_edit(config, f"SPEED = {i}\n")
                gc.collect()
                c0, t0 = time.thread_time(), time.perf_counter()
                report = r.reload([config])
                dt, dc = time.perf_counter() - t0, time.thread_time() - c0
                if not report.ok or last.speed() != i + dependents - 1:
                    raise RuntimeError(f"fan-out reload did not reach the dependents: {report}")
                if i > warmup:
                    seconds.append(dt)
                    cpu.append(dc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"dependents": dependents, "seconds": seconds, "cpu": cpu}


# ----------------------------------------------------------------- sections of bench.py

def section_typo(quick: bool) -> dict[str, Any]:
    """bench.py typo: the frame that picks up a broken save against a valid save's frame."""
    saves = 6 if quick else 100
    res = typo(saves)
    print(f"typo: headless bounce at 60 fps, {saves} saves alternating valid and broken "
          "(`def broken(:` at top level), the frame that picked each up (ms)")
    print(table(["", "median", "p95", "min–max", "n"], [
        ["frame picking up a valid save", *stat_cells(res["valid"])],
        ["frame picking up a broken save", *stat_cells(res["broken"])],
        ["all frames", *stat_cells(res["frame_seconds"])]]))
    valid = summary(res["valid"]).get("median")
    broken = summary(res["broken"]).get("median")
    ratio = broken / valid if valid and broken else None
    over = sum(1 for t in res["frame_seconds"] if t > FRAME_BUDGET)
    ok = None if ratio is None or broken is None else (
        ratio <= 3 and broken < FRAME_BUDGET and over == 0)
    print(f"  broken / valid = {'–' if ratio is None else f'{ratio:.2f}×'}; frames over "
          f"16.7 ms: {over}; target ≤ 3×, < 16.7 ms, 0 over budget: {verdict(ok)}\n")
    res.update(ratio=ratio, over_budget=over, target_met=ok)
    return res


def section_import(quick: bool) -> dict[str, Any]:
    """bench.py import: a 100-module game's first import, the engine against plain import."""
    res = first_import(10, 100, 1, instructions=False) if quick else first_import()
    print(f"import: first import of a {res['modules']}-module game ({res['lines']:,} lines), "
          "one fresh process each, rounds alternating (ms)")
    names = {"plain": "plain import, bytecode cache warm", "engine_cold":
             "engine, parse cache cold", "engine_warm": "engine, parse cache warm"}
    rows = [[label, *stat_cells(res[k], 1)] for k, label in names.items()]
    # CPU time too: on a shared machine a wall-time sample also counts other processes' turns.
    rows += [[f"{label}, CPU time", *stat_cells(res[f"{k}_cpu"], 1)] for k, label in names.items()]
    print(table(["", "median", "p95", "min–max", "n"], rows))

    ratios = {}
    for kind in ("engine_cold", "engine_warm"):
        for suffix in ("", "_cpu"):
            plain = summary(res["plain" + suffix]).get("median")
            mine = summary(res[kind + suffix]).get("median")
            ratios[kind + suffix] = mine / plain if plain and mine else None
    counts = res.get("instructions")
    if counts:
        ratios["instructions"] = counts["engine"] / counts["plain"]
        print(f"  instructions (cachegrind, median of 3, beyond a process that only makes the "
              f"Reloader): plain {counts['plain'] / 1e6:.1f} M, engine warm "
              f"{counts['engine'] / 1e6:.1f} M: {ratios['instructions']:.2f}×")
    elif not quick:
        print("  instructions: not measured (valgrind is not installed)")
    warm, warm_cpu = ratios["engine_warm"], ratios["engine_warm_cpu"]
    print(f"  engine / plain, wall (CPU): cold cache {ratios['engine_cold'] or 0:.2f}× "
          f"({ratios['engine_cold_cpu'] or 0:.2f}×), warm cache {warm or 0:.2f}× "
          f"({warm_cpu or 0:.2f}×); target warm ≤ 1.5×: wall "
          f"{verdict(None if warm is None else warm <= 1.5)}, CPU "
          f"{verdict(None if warm_cpu is None else warm_cpu <= 1.5)}\n")
    res.update(ratios=ratios, target_met=None if warm is None else warm <= 1.5)
    return res


def section_fanout(quick: bool) -> dict[str, Any]:
    """bench.py fanout: one edit of config.SPEED that 10, 50, 200 modules import by name."""
    counts = (10, 50) if quick else (10, 50, 200)
    reloads = 3 if quick else 30
    print(f"fanout: reload of a `SPEED` edit in config.py, N modules doing "
          f"`from config import SPEED`, {reloads} reloads each (ms)")
    runs = {n: fanout(n, reloads) for n in counts}
    rows = [[f"{n} dependents", *stat_cells(r["seconds"], 3)] for n, r in runs.items()]
    # CPU time too: on a shared machine a wall-time sample also counts other processes' turns.
    rows += [[f"{n} dependents, CPU time", *stat_cells(r["cpu"], 3)] for n, r in runs.items()]
    print(table(["", "median", "p95", "min–max", "n"], rows))
    med = {n: summary(r["seconds"]).get("median", 0.0) for n, r in runs.items()}
    per = ", ".join(f"{n}: {med[n] / n * 1e6:.1f} µs" for n in counts)
    fifty = med.get(50)
    print(f"  per dependent: {per}; 200 / 10 = {med[counts[-1]] / med[10]:.1f}× for "
          f"{counts[-1] // 10}× the dependents; target 50 ≤ 2 ms: "
          f"{verdict(None if fifty is None else fifty <= 0.002)}\n")
    return {"runs": runs, "medians": med, "target_met": None if fifty is None else fifty <= 0.002}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--import-worker":
        sys.path.insert(0, str(HERE.parent))
        _import_worker(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: bench_hot.py --import-worker plain|engine|none DIR")
