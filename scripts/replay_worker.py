"""One worker process of ``scripts/replay_edits.py``: replays the edit pairs of one file.

    replay_worker.py JOB.json RESULTS.jsonl START

For each pair from index ``START`` on: write the old version into a fresh game folder,
import it through the engine, write the new version, ``reload()``, describe the live
module; then import the new version fresh (same file, same module name, the engine's
module put aside meanwhile) and describe that; compare. One JSON line per pair is appended
to RESULTS as soon as it is known, so the parent can restart a crashed worker after it.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib.util
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import traceback
from pathlib import Path
from types import FrameType
from typing import Any

HERE = Path(__file__).resolve().parent
for _p in (str(HERE), str(HERE.parent)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import replay_standins  # noqa: E402
from replay_classify import documented_failure, documented_names  # noqa: E402
from replay_observe import compare, describe_namespace  # noqa: E402

from sandbox.hot import Reloader  # noqa: E402

__all__ = ["PairTimeout", "replay_pair"]

PACKAGE = "replaygame"  # the package a game with relative imports is put in
SUBPACKAGE = "sub"
MODULE = "game"
SEED = 20261202
_roots: list[str] = []  # the running pair's game folder (stand-ins for its imports)


class PairTimeout(KeyboardInterrupt):
    """A pair ran out of time (a KeyboardInterrupt: the engine lets those through)."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise PairTimeout("pair timed out")


def _is_game_file(filename: str) -> bool:
    return any(filename.startswith(root) for root in _roots)


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:300]}"


Described = dict[bool, dict[str, object]]  # a namespace described, normalized and raw


def _fresh_import(name: str, file: Path, seed: int) -> tuple[Described | None, str]:
    """``file`` imported fresh as ``name`` by Python's own import machinery (engine-free);
    its namespace described (normalized and raw), or the error."""
    saved = sys.modules.pop(name, None)
    random.seed(seed)
    try:
        spec = importlib.util.spec_from_file_location(name, file)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return {raw: describe_namespace(module.__dict__, name, raw) for raw in (False, True)}, ""
    except (Exception, SystemExit) as exc:
        return None, _error(exc) + _called_from(exc, file)
    finally:
        sys.modules.pop(name, None)
        if saved is not None:
            sys.modules[name] = saved


def _called_from(exc: BaseException, file: Path) -> str:
    """`` (called from line N)`` when game code called by line N of the module raised."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(file)]
    if len(frames) > 1 and frames[0].name == "<module>":
        return f" (called from line {frames[0].lineno})"
    return ""


def _write(file: Path, text: str, bump: int) -> None:
    file.write_bytes(text.encode("utf-8", "surrogateescape"))
    st = file.stat()  # a later mtime whatever the clock: the engine's stat check sees it
    os.utime(file, ns=(st.st_atime_ns, st.st_mtime_ns + bump * 1_000_000_000))


def _layout(root: Path, package: bool) -> tuple[str, Path]:
    """Where the game file goes: ``game.py``, or ``replaygame/sub/game.py`` when it has
    relative imports (two levels: the pyxel editor's widgets say ``from ..settings``)."""
    if not package:
        return MODULE, root / f"{MODULE}.py"
    folder = root / PACKAGE / SUBPACKAGE
    folder.mkdir(parents=True)
    for init in (root / PACKAGE / "__init__.py", folder / "__init__.py"):
        init.write_text("", encoding="utf-8")
    return f"{PACKAGE}.{SUBPACKAGE}.{MODULE}", folder / f"{MODULE}.py"


def replay_pair(old: str, new: str, package: bool = False) -> dict[str, object]:
    """Replay one edit; the outcome as a JSON-able dict (``outcome`` and details)."""
    root = Path(tempfile.mkdtemp(prefix="replay-")).resolve()
    _roots[:] = [str(root)]
    name, file = _layout(root, package)
    _write(file, old, 0)
    reloader = Reloader(root, entry=name, retry_delay=0.0)
    try:
        random.seed(SEED)
        try:
            reloader.import_module(name)
        except (Exception, SystemExit) as exc:
            return {"outcome": "skipped", "reason": "old version does not import",
                    "error": _error(exc)}
        _write(file, new, 2)
        random.seed(SEED)  # the engine's statements see the same random numbers as fresh
        try:
            report = reloader.reload()
        except (Exception, SystemExit) as exc:
            return {"outcome": "diverged", "category": "reload() raised",
                    "error": _error(exc), "trace": traceback.format_exc()[-2000:]}
        tracked = reloader.tracked(name)  # game code may have deleted its sys.modules entry
        module = tracked.module if tracked is not None else None
        live = {raw: describe_namespace(module.__dict__, name, raw)
                for raw in (False, True)} if report.ok and module else {}
        fresh = [_fresh_import(name, file, seed) for seed in (SEED, SEED + 1)]
        verdict = _verdict(report, live, fresh, name)
        if verdict.get("names"):
            _mark_documented(verdict, old, new)
        elif _documented_refusal(verdict, old, new):
            verdict.update(outcome="documented", category="documented: needs F5 (edited code "
                           "that an unchanged statement called fails in a fresh start)")
        return verdict
    finally:
        reloader.close()
        for mod in [m for m in sys.modules if m in (PACKAGE, MODULE)
                    or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[mod]
        shutil.rmtree(root, ignore_errors=True)


def _verdict(report: Any, live: Described, fresh: list[tuple[Described | None, str]],
             name: str) -> dict[str, object]:
    """Compare; names two fresh imports (other random seeds) disagree on are left out."""
    (fresh_ns, fresh_error), (again, _) = fresh
    if not report.ok and fresh_ns is None:
        return {"outcome": "both refused", "engine": str(report), "fresh": fresh_error}
    if not report.ok:
        return {"outcome": "diverged", "category": "engine refused, fresh import accepts",
                "engine": str(report)}
    if fresh_ns is None:
        return {"outcome": "diverged", "category": "engine accepted, fresh import refuses",
                "engine": str(report), "fresh": fresh_error}
    unstable = {d.name for d in compare(fresh_ns[True], again[True])} if again else set()
    differences = [d for d in compare(live[False], fresh_ns[False]) if d.name not in unstable]
    ignored = sorted(unstable)
    if not differences:
        raw_same = all(d.name in unstable for d in compare(live[True], fresh_ns[True]))
        return {"outcome": "agreed", "engine": str(report), "nondeterministic": ignored,
                "bytecode variant": not raw_same}
    return {"outcome": "diverged", "category": differences[0].category, "engine": str(report),
            "names": [d.as_json() for d in differences], "nondeterministic": ignored}


def _documented_refusal(verdict: dict[str, object], old: str, new: str) -> bool:
    if verdict.get("category") != "engine accepted, fresh import refuses":
        return False
    called = re.search(r" \(called from line (\d+)\)$", str(verdict.get("fresh", "")))
    return called is not None and documented_failure(old, new, int(called.group(1)))


def _mark_documented(verdict: dict[str, object], old: str, new: str) -> None:
    """Differences the engine's documented rules explain (replay_classify) are not divergences."""
    documented = documented_names(old, new)
    names: list[dict[str, object]] = verdict["names"]  # type: ignore[assignment]
    rest = [n for n in names if n["name"] not in documented]
    if not rest:
        verdict.update(outcome="documented", category="documented: needs F5 "
                       "(an unchanged statement's value made by calling edited code)")
    else:
        verdict["category"] = rest[0]["category"]
    verdict["documented"] = sorted(str(n["name"]) for n in names if n["name"] in documented)


class _Isolation:
    """What game code may change in the process, put back after each pair."""

    def __init__(self) -> None:
        self.cwd = os.getcwd()
        self.path = list(sys.path)
        self.meta_path = list(sys.meta_path)
        self.builtins = dict(vars(builtins))
        self.modules = set(sys.modules)

    def restore(self) -> None:
        os.chdir(self.cwd)
        sys.path[:] = self.path
        sys.meta_path[:] = self.meta_path
        for key in set(vars(builtins)) - set(self.builtins):
            delattr(builtins, key)
        vars(builtins).update(self.builtins)
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__


def _quiet_prelude() -> None:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    with contextlib.suppress(ImportError):
        import pygame  # noqa: F401  (imported once here, not under a game's frames)
    replay_standins.install(_is_game_file)


def main(argv: list[str] | None = None) -> int:
    """Run the pairs of JOB from START, appending one JSON line per pair to RESULTS."""
    job_file, results_file, start = (argv if argv is not None else sys.argv[1:])[:3]
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    timeout = float(job.get("timeout", 10))
    _quiet_prelude()
    signal.signal(signal.SIGALRM, _on_alarm)
    isolation = _Isolation()
    devnull = open(os.devnull, "w")  # noqa: SIM115  (game output goes nowhere, all run long)
    with open(results_file, "a", encoding="utf-8") as out:
        for index in range(int(start), len(job["pairs"])):
            pair = job["pairs"][index]
            sys.stdout = sys.stderr = devnull
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                result = replay_pair(pair["old_source"], pair["new_source"],
                                     bool(job.get("package")))
            except PairTimeout:
                result = {"outcome": "skipped", "reason": f"timed out ({timeout:g} s)"}
            except BaseException as exc:  # the harness must go on: this pair is recorded
                result = {"outcome": "skipped", "reason": "harness error",
                          "error": _error(exc), "trace": traceback.format_exc()[-3000:]}
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                isolation.restore()
            result["index"] = index
            out.write(json.dumps(result) + "\n")
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
