#!/usr/bin/env python
"""Replay real consecutive edits from git histories; compare each reload with a fresh import.

    scripts/replay_edits.py GITDIR=PATHSPEC[,PATHSPEC…] … [--max-pairs N] [--json FILE]
    scripts/replay_edits.py --real [--max-pairs N] [--json FILE]   # the four mirrored histories

For every ``.py`` file matching a pathspec (git's own matching: ``examples/*.py`` also
matches files in subfolders), its versions are taken from ``git log --follow`` (renames
followed; a file no longer at HEAD from its last commit), oldest first, equal consecutive
versions merged, the last ``--max-pairs`` + 1 kept. A pair of blobs seen once (under any
path) is replayed once. Each pair (v_k → v_{k+1}) is replayed by a worker process
(``replay_worker.py``, one per file, restarted after the pair that crashed it): v_k is
written into a fresh temp game folder and imported through the engine
(``Reloader(root, retry_delay=0.0).import_module``), v_{k+1} is written and ``reload()``-ed,
and the live module's namespace is compared (``replay_observe.py``) with a fresh import of
v_{k+1} — the same file, same module name, by Python's own import machinery.

Policy, the same on both sides of every comparison:

- The game module is named ``game`` (``__name__ != "__main__"``: ``if __name__ ==
  "__main__": main()`` does not run, as when a running game reloads). A file with a relative
  import is put in a package (``replaygame.game``).
- pygame is real (pygame-ce, the ``bench`` extra) with ``SDL_VIDEODRIVER=dummy`` and
  ``SDL_AUDIODRIVER=dummy``: no window ever opens. arcade, pyxel, pgzero, pgzrun and pyglet
  are always neutral stand-ins (they open windows and run loops at import time); so is any
  other module the game's code imports and nobody can find (a sibling module of the repo,
  numpy). pgzero's builtins (``Actor``, ``screen``, ``keyboard`` …) are stand-ins in
  ``builtins``. See ``replay_standins.py``.
- Nothing of the game is called by the comparison: functions are compared by their code
  (bytecode, constants, names, flags, every line number), classes by every attribute they
  own, enum members, instances of game classes by attributes, plain data deeply.
- Each pair has ``--timeout`` seconds (a game looping at import time is skipped, counted).

Outcomes: *agreed* (same names, same descriptions), *both refused* (the reload failed and a
fresh import fails too: agreement), *diverged* (by category: a name differs, the engine
refused what a fresh import accepts, the engine accepted what a fresh import refuses,
``reload()`` raised), *skipped* (by reason: v_k does not import, time-out, worker crash).
Every divergence is written to ``--json`` as a record: both versions' paths and commits,
the differing names with the engine's and the fresh value (and every skipped pair, with
why). ``--pair OLD NEW`` replays one edit between two files and prints its record.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKER = HERE / "replay_worker.py"
MIRRORS = Path("/work/.mirror")
REAL = {
    "lordmauve+pgzero": ["examples/*.py"],
    "pythonarcade+arcade": ["arcade/examples/*.py"],
    "kitao+pyxel": ["python/pyxel/examples/*.py", "python/pyxel/editor/*.py",
                    "pyxel/examples/*.py", "pyxel/editor/*.py"],
    "pygame-community+pygame-ce": ["examples/*.py"],
}
RELATIVE_IMPORT = re.compile(rb"^\s*from\s+\.", re.MULTILINE)

__all__ = ["Version", "collect", "main", "run", "summarize"]


@dataclass(frozen=True)
class Version:
    """One version of a file: the commit, the path it had there, its blob."""

    commit: str
    path: str
    blob: str


def _git(gitdir: str, *args: str) -> str:
    """git's output; what it printed before an error too (a mirror may lack old objects:
    ``git log`` then stops at the first one it cannot read, and the history ends there)."""
    return subprocess.run(["git", f"--git-dir={gitdir}", *args], capture_output=True,
                          text=True).stdout


def _paths(gitdir: str, specs: list[str]) -> list[str]:
    """Every ``.py`` path matching ``specs``: those at HEAD first, then ones deleted since."""
    at_head = _git(gitdir, "ls-tree", "-r", "--name-only", "HEAD", "--", *specs).split()
    ever = _git(gitdir, "log", "--format=", "--name-only", "--", *specs).split()
    paths = list(dict.fromkeys(at_head + ever))
    return [p for p in paths if p.endswith(".py") and not p.endswith("__init__.py")]


def _versions(gitdir: str, path: str, head: set[str]) -> list[Version]:
    """The file's versions, oldest first, renames followed, equal neighbours merged."""
    start = "HEAD"
    if path not in head:
        last = _git(gitdir, "log", "-1", "--format=%H", "--", path).strip()
        start = f"{last}^" if not _exists(gitdir, last, path) else last
    out = _git(gitdir, "log", "--follow", "--format=@%H", "--name-only", start, "--", path)
    found: list[Version] = []
    commit = ""
    for line in out.splitlines():
        if line.startswith("@"):
            commit = line[1:]
        elif line and commit:
            found.append(Version(commit, line, ""))
            commit = ""
    blobs = _blob_ids(gitdir, [f"{v.commit}:{v.path}" for v in found])
    versions = [Version(v.commit, v.path, b) for v, b in zip(found, blobs, strict=True) if b]
    versions.reverse()
    merged = [v for i, v in enumerate(versions) if i == 0 or versions[i - 1].blob != v.blob]
    return merged


def _exists(gitdir: str, commit: str, path: str) -> bool:
    return bool(_blob_ids(gitdir, [f"{commit}:{path}"])[0])


def _blob_ids(gitdir: str, revs: list[str]) -> list[str]:
    if not revs:
        return []
    proc = subprocess.run(["git", f"--git-dir={gitdir}", "cat-file", "--batch-check"],
                          input="\n".join(revs) + "\n", capture_output=True, text=True,
                          check=True)
    return [line.split()[0] if line.endswith(" blob") or " blob " in line else ""
            for line in proc.stdout.splitlines()]


def _read_blobs(gitdir: str, blobs: list[str]) -> dict[str, bytes]:
    proc = subprocess.run(["git", f"--git-dir={gitdir}", "cat-file", "--batch"],
                          input="\n".join(blobs).encode() + b"\n", capture_output=True,
                          check=True)
    data, pos, found = proc.stdout, 0, {}
    for blob in blobs:
        header_end = data.index(b"\n", pos)
        size = int(data[pos:header_end].split()[2])
        found[blob] = data[header_end + 1:header_end + 1 + size]
        pos = header_end + 1 + size + 1
    return found


def collect(gitdir: str, specs: list[str], max_pairs: int,
            seen: set[tuple[str, str]]) -> list[dict[str, object]]:
    """One job per file: its last ``max_pairs`` consecutive edit pairs not ``seen`` before."""
    head = set(_git(gitdir, "ls-tree", "-r", "--name-only", "HEAD").split())
    jobs = []
    for path in _paths(gitdir, specs):
        versions = _versions(gitdir, path, head)[-(max_pairs + 1):]
        pairs = [(a, b) for a, b in itertools.pairwise(versions) if (a.blob, b.blob) not in seen]
        if not pairs:
            continue
        seen.update((a.blob, b.blob) for a, b in pairs)
        sources = _read_blobs(gitdir, list(dict.fromkeys(v.blob for p in pairs for v in p)))
        package = any(RELATIVE_IMPORT.search(sources[v.blob]) for p in pairs for v in p)
        jobs.append({"repo": gitdir, "file": path, "package": package, "pairs": [
            {"old": vars(a), "new": vars(b),
             "old_source": sources[a.blob].decode("utf-8", "surrogateescape"),
             "new_source": sources[b.blob].decode("utf-8", "surrogateescape")}
            for a, b in pairs]})
    return jobs


def _run_job(job: dict[str, object], workdir: Path, timeout: float) -> list[dict[str, object]]:
    """Run a job's pairs in worker processes; a pair that kills its worker is recorded."""
    pairs: list[dict[str, object]] = job["pairs"]  # type: ignore[assignment]
    job_file, results = workdir / "job.json", workdir / "results.jsonl"
    job_file.write_text(json.dumps({**job, "timeout": timeout}), encoding="utf-8")
    results.write_text("", encoding="utf-8")
    done: list[dict[str, object]] = []
    while len(done) < len(pairs):
        start = len(done)
        try:
            proc = subprocess.run([sys.executable, str(WORKER), str(job_file), str(results),
                                   str(start)], stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=timeout * (len(pairs) - start)
                                  + 30, env=_worker_env(), cwd=workdir)
            crash = f"worker exited {proc.returncode}: {proc.stderr.decode()[-300:]}"
        except subprocess.TimeoutExpired:
            crash = "worker hung"
        lines = results.read_text(encoding="utf-8").splitlines()
        done = [json.loads(line) for line in lines]
        if len(done) < len(pairs):  # the pair at len(done) took the worker down
            done.append({"outcome": "skipped", "reason": "worker crashed or hung",
                         "error": crash, "index": len(done)})
            results.write_text("".join(json.dumps(d) + "\n" for d in done), encoding="utf-8")
    for result, pair in zip(done, pairs, strict=True):
        result.update(repo=job["repo"], old=pair["old"], new=pair["new"])
    return done


def _worker_env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               PYGAME_HIDE_SUPPORT_PROMPT="1", PYTHONDONTWRITEBYTECODE="1")
    return env


def run(targets: list[tuple[str, list[str]]], max_pairs: int, timeout: float = 10,
        progress: bool = False) -> list[dict[str, object]]:
    """Replay every pair of every target (git dir, pathspecs); every pair's result."""
    seen: set[tuple[str, str]] = set()
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="replay-edits-") as tmp:
        for gitdir, specs in targets:
            for job in collect(gitdir, specs, max_pairs, seen):
                results.extend(_run_job(job, Path(tmp), timeout))
                if progress:
                    counts = Counter(str(r["outcome"]) for r in results)
                    print(f"  {len(results)} pairs … {dict(counts)}  {job['file']}",
                          file=sys.stderr, flush=True)
    return results


def summarize(results: list[dict[str, object]]) -> dict[str, object]:
    """The numbers: tried, compared, agreed, both refused, diverged and skipped by kind."""
    outcomes = Counter(str(r["outcome"]) for r in results)
    diverged = Counter(str(r["category"]) for r in results if r["outcome"] == "diverged")
    skipped = Counter(str(r["reason"]) for r in results if r["outcome"] == "skipped")
    compared = len(results) - outcomes["skipped"]
    return {"tried": len(results), "compared": compared,
            "agreed": outcomes["agreed"] + outcomes["both refused"],
            "same namespace": outcomes["agreed"], "both refused": outcomes["both refused"],
            "bytecode variant": sum(1 for r in results if r.get("bytecode variant")),
            "nondeterministic": sum(1 for r in results if r.get("nondeterministic")),
            "documented": outcomes["documented"],
            "diverged": outcomes["diverged"], "diverged by category": dict(diverged),
            "skipped": outcomes["skipped"], "skipped by reason": dict(skipped),
            "by repository": _by_repository(results)}


def _by_repository(results: list[dict[str, object]]) -> dict[str, dict[str, int]]:
    """Pairs tried, compared and diverged per repository (its folder's name)."""
    found: dict[str, dict[str, int]] = {}
    for r in results:
        name = Path(str(r["repo"])).parent.name if str(r["repo"]).endswith(
            ("/repo", "/.git")) else str(r["repo"])
        counts = found.setdefault(name, {"tried": 0, "compared": 0, "diverged": 0})
        counts["tried"] += 1
        counts["compared"] += r["outcome"] != "skipped"
        counts["diverged"] += r["outcome"] == "diverged"
    return found


def _print_summary(summary: dict[str, object]) -> None:
    compared = int(summary["compared"])  # type: ignore[call-overload]
    share = f" ({100 * int(summary['diverged']) / compared:.1f} %)" if compared else ""  # type: ignore[call-overload]
    print(f"pairs tried: {summary['tried']}, compared: {compared}, "
          f"agreed: {summary['agreed']} (same namespace {summary['same namespace']}, "
          f"both refused {summary['both refused']}), documented (needs F5): "
          f"{summary['documented']}, diverged: {summary['diverged']}{share}, "
          f"skipped: {summary['skipped']}")
    print(f"  agreed with an equivalent bytecode variant only: {summary['bytecode variant']}; "
          f"pairs with names two fresh imports disagree on (left out): "
          f"{summary['nondeterministic']}")
    for name, n in summary["by repository"].items():  # type: ignore[attr-defined]
        print(f"  {name}: {n['tried']} tried, {n['compared']} compared, "
              f"{n['diverged']} diverged")
    for title, key in (("diverged", "diverged by category"), ("skipped", "skipped by reason")):
        for what, n in sorted(summary[key].items(), key=lambda kv: -kv[1]):  # type: ignore[attr-defined]
            print(f"  {title}: {n:5d}  {what}")


def _replay_files(old: Path, new: Path, timeout: float) -> int:
    """``--pair OLD NEW``: one edit, its result printed as JSON (1 when it diverged)."""
    texts = [p.read_bytes() for p in (old, new)]
    job = {"repo": "", "file": str(new), "package": any(RELATIVE_IMPORT.search(t) for t in texts),
           "pairs": [{"old": {"path": str(old)}, "new": {"path": str(new)},
                      "old_source": texts[0].decode("utf-8", "surrogateescape"),
                      "new_source": texts[1].decode("utf-8", "surrogateescape")}]}
    with tempfile.TemporaryDirectory(prefix="replay-edits-") as tmp:
        result = _run_job(job, Path(tmp), timeout)[0]
    print(json.dumps(result, indent=1))
    return 1 if result["outcome"] == "diverged" else 0


def _targets(args: argparse.Namespace) -> list[tuple[str, list[str]]]:
    targets = []
    for spec in args.targets:
        gitdir, sep, specs = spec.partition("=")
        if not sep or not specs:
            raise SystemExit(f"replay_edits: {spec!r} is not GITDIR=PATHSPEC[,PATHSPEC…]")
        targets.append((gitdir, specs.split(",")))
    if args.real:
        targets += [(str(MIRRORS / name / "repo"), specs) for name, specs in REAL.items()]
    if not targets:
        raise SystemExit("replay_edits: give GITDIR=PATHSPEC targets, or --real")
    return targets


def main(argv: list[str] | None = None) -> int:
    """Replay the targets' edits, print the summary, write divergences to ``--json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help="GITDIR=PATHSPEC[,PATHSPEC…]")
    parser.add_argument("--real", action="store_true", help="the four mirrored histories")
    parser.add_argument("--max-pairs", type=int, default=4,
                        help="per file (default 4: about 1,800 pairs with --real)")
    parser.add_argument("--timeout", type=float, default=10, help="seconds per pair")
    parser.add_argument("--json", type=Path, help="write the divergences (and summary) here")
    parser.add_argument("--progress", action="store_true", help="a line per file on stderr")
    parser.add_argument("--pair", nargs=2, type=Path, metavar=("OLD", "NEW"),
                        help="replay one edit between two files and print its result")
    args = parser.parse_args(argv)
    if args.pair is not None:
        return _replay_files(args.pair[0], args.pair[1], args.timeout)
    results = run(_targets(args), args.max_pairs, args.timeout, args.progress)
    summary = summarize(results)
    _print_summary(summary)
    if args.json is not None:
        diverged = [r for r in results if r["outcome"] in ("diverged", "documented")]
        skipped = [r for r in results if r["outcome"] == "skipped"]
        args.json.write_text(json.dumps({"summary": summary, "divergences": diverged,
                                         "skipped": skipped}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
