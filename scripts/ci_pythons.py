"""Run the test suite on every supported Python, 3.10 to 3.14; what `.ci/run` calls.

    python3 scripts/ci_pythons.py                      # every version (as root for 3.14)
    python3 scripts/ci_pythons.py --versions 3.12,3.13 # some of them

3.10-3.13 are the pyenv builds this machine carries (``$(pyenv root)/versions/3.X.*``); 3.14
is Debian testing's ``python3``, run inside a forky chroot made with debootstrap and cached at
``--chroot`` (rebuilt when missing or unhealthy). Each version gets a fresh venv with the
project and its test extra; ruff and mypy run once (on ``--lint-on``), pytest on every
version. A version that cannot be set up counts as a failure, loudly: none is skipped.

The last line is ``total: N passed, N failed, N skipped`` over every version (a version that
could not be set up, or whose pytest ended without a summary, adds one failure); the exit code
is non-zero on any failure. Each pytest runs with its address space capped
(``--memory-cap``), so a runaway like CPython 3.13's unbounded recursion cannot take the
machine down.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ci_chroot import Chroot, ChrootError  # a sibling script, not a package

REPO = Path(__file__).resolve().parent.parent
VERSIONS = ("3.10", "3.11", "3.12", "3.13", "3.14")
CHROOT_VERSION = "3.14"
DEFAULT_CHROOT = Path("/var/cache/potato-sandbox/forky")
SDL_ENV = {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
PYTEST = ["-m", "pytest", "-q", "-p", "no:cacheprovider"]
VERSION_QUERY = "import platform; print(platform.python_version())"
COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")


Say = Callable[[str], None]  # where a version's lines go (printed whole when it ends)


class SetupFailed(Exception):
    """A version's interpreter or environment could not be made ready."""


@dataclass
class Outcome:
    """What one version's run came to."""

    version: str
    interpreter: str = "?"
    summary: str = "not run"
    passed: int = 0
    failed: int = 0
    skipped: int = 0


def parse_summary(output: str) -> tuple[str, dict[str, int]] | None:
    """pytest's closing line (``== 3 passed, 1 failed in 2.0s ==``) and its counts, or None."""
    for line in reversed(output.splitlines()):
        text = line.strip().strip("=").strip()
        if re.search(r"\bin [\d.]+s\b", text) and COUNT.search(text):
            counts: dict[str, int] = {}
            for number, kind in COUNT.findall(text):
                key = "errors" if kind.startswith("error") else kind
                counts[key] = counts.get(key, 0) + int(number)
            return text, counts
        if text.startswith("no tests ran"):
            return text, {}
    return None


def pyenv_python(version: str, root: Path) -> Path:
    """The newest pyenv build of ``version`` (``3.13`` -> ``.../3.13.0/bin/python3.13``)."""
    found = sorted(
        root.glob(f"versions/{version}.*/bin/python{version}"),
        key=lambda p: [int(part) if part.isdigit() else -1
                       for part in p.parent.parent.name.split(".")],
    )
    if not found:
        raise SetupFailed(f"no pyenv build of Python {version} under {root}/versions "
                          f"(install it: pyenv install {version})")
    return found[-1]


def pyenv_root() -> Path:
    """Where pyenv keeps its builds: ``pyenv root`` if pyenv is on PATH, else its default."""
    if os.environ.get("PYENV_ROOT"):
        return Path(os.environ["PYENV_ROOT"])
    if shutil.which("pyenv"):
        out = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout.strip():
            return Path(out.stdout.strip())
    return Path.home() / ".pyenv"


def run_logged(cmd: list[str], log: Path, *, env: dict[str, str] | None = None,
               cwd: Path = REPO, what: str) -> None:
    """Run a set-up step with its output in ``log``; on failure show the log's tail and raise."""
    with log.open("a") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        with spawn(cmd, stdout=out, env=env, cwd=cwd) as proc:
            code = proc.wait()
    if code != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        raise SetupFailed(f"{what} failed (exit {code}); the end of {log}:\n{tail}")


_running: set[subprocess.Popen[str]] = set()
_stopping = threading.Event()


@contextlib.contextmanager
def spawn(cmd: list[str], stdout: Any, env: dict[str, str] | None, cwd: Path,
          preexec_fn: Callable[[], None] | None = None) -> Iterator[subprocess.Popen[str]]:
    """Start ``cmd`` in its own process group, known to ``stop_everything``."""
    if _stopping.is_set():
        raise SetupFailed("stopped (SIGTERM or Ctrl+C)")
    with subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                          env=env, cwd=cwd, text=True, errors="replace",
                          start_new_session=True, preexec_fn=preexec_fn) as proc:
        _running.add(proc)
        try:
            yield proc
        finally:
            _running.discard(proc)


def stop_everything(signum: int, frame: FrameType | None) -> None:
    """SIGTERM/SIGINT: kill every child's process group. The versions then end on their own,
    each chroot session unmounting on its way out, and main exits non-zero."""
    _stopping.set()
    for proc in list(_running):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def cap_memory(limit: int) -> None:
    """Cap this (child) process's address space: a runaway allocation fails, not the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_pytest(cmd: list[str], log: Path, cap: int, env: dict[str, str] | None,
               cwd: Path, timeout: float) -> str:
    """Run pytest with its output kept in ``log``; return the output.

    Past ``timeout`` seconds its whole process group is killed (a hung suite fails, loudly).
    """
    lines: list[str] = []
    with log.open("w") as out, spawn(cmd, stdout=subprocess.PIPE, env=env, cwd=cwd,
                                     preexec_fn=lambda: cap_memory(cap)) as proc:
        timer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))
        timer.start()
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                out.write(line)
                lines.append(line)
        finally:
            timer.cancel()
        if proc.wait() < 0:
            lines.append(f"pytest was killed by signal {-proc.returncode} "
                         f"(the {timeout:g} s limit, or memory)\n")
    return "".join(lines)


def settle(outcome: Outcome, output: str) -> None:
    """Fill ``outcome`` from pytest's output; no summary line at all counts as one failure."""
    parsed = parse_summary(output)
    if parsed is None:
        outcome.summary = "pytest ended without a summary line (crashed or killed)"
        outcome.failed = 1
        return
    outcome.summary, counts = parsed
    outcome.passed = counts.get("passed", 0)
    outcome.failed = counts.get("failed", 0) + counts.get("errors", 0)
    outcome.skipped = counts.get("skipped", 0)
    if outcome.passed == 0 and outcome.failed == 0:
        outcome.failed = 1  # "no tests ran" is a broken run, not a green one


def host_version(version: str, args: argparse.Namespace, logs: Path, say: Say) -> Outcome:
    """Set up and test one pyenv version in a fresh venv under ``.ci-venvs/``."""
    outcome = Outcome(version)
    python = pyenv_python(version, args.pyenv_root)
    venv = REPO / ".ci-venvs" / version
    shutil.rmtree(venv, ignore_errors=True)
    log = logs / f"setup-{version}.log"
    run_logged([str(python), "-m", "venv", str(venv)], log, what=f"python{version} -m venv")
    vpy = str(venv / "bin" / "python")
    run_logged([vpy, "-m", "pip", "install", "-q", "-e", ".[test]"], log,
               what=f"pip install -e '.[test]' on {version}")
    outcome.interpreter = interpreter_version([vpy, "-c", VERSION_QUERY])
    say(f"== Python {outcome.interpreter} ({python})")
    lint_failures = lint(venv, say) if version == args.lint_on else []
    env = {**os.environ, **SDL_ENV}
    output = run_pytest([vpy, *PYTEST], logs / f"pytest-{version}.log", args.memory_cap,
                        env, REPO, args.timeout)
    say(output)
    settle(outcome, output)
    if lint_failures:
        outcome.failed += len(lint_failures)
        outcome.summary += f"; FAILED: {', '.join(lint_failures)} (see above)"
    return outcome


def lint(venv: Path, say: Say) -> list[str]:
    """Run ruff and mypy --strict (once, on one version); the names of those that found faults."""
    failed = []
    for cmd in (["ruff", "check", "."], ["mypy", "--strict", "sandbox"]):
        done = subprocess.run([str(venv / "bin" / cmd[0]), *cmd[1:]], cwd=REPO, text=True,
                              stdin=subprocess.DEVNULL, capture_output=True, check=False)
        say(f"== {' '.join(cmd)}\n{done.stdout.rstrip()}{done.stderr.rstrip()}")
        if done.returncode != 0:
            failed.append(cmd[0])
    return failed


def interpreter_version(cmd: list[str]) -> str:
    """The exact version (``3.13.0``) that ``cmd``, a run of ``VERSION_QUERY``, prints."""
    out = subprocess.run(cmd, capture_output=True, text=True, check=False,
                         stdin=subprocess.DEVNULL)
    if out.returncode != 0 or not out.stdout.strip():
        raise SetupFailed(f"{' '.join(cmd)} does not run: {out.stderr.strip()}")
    return out.stdout.strip()


def chroot_version(version: str, args: argparse.Namespace, logs: Path, say: Say) -> Outcome:
    """Set up and test Debian testing's Python inside the cached forky chroot."""
    outcome = Outcome(version)
    chroot = Chroot(args.chroot, log=logs / "chroot.log", say=say)
    try:
        chroot.ensure(expect_python=version)
    except ChrootError as exc:
        raise SetupFailed(str(exc)) from exc
    with chroot.session(REPO) as box:
        log = logs / f"setup-{version}.log"
        run_logged(box.command("python3 -m venv /work/venv"), log, what="venv in the chroot")
        run_logged(box.command("/work/venv/bin/pip install -q -e '/work/src[test]'"), log,
                   what=f"pip install -e '.[test]' in the chroot ({version})")
        outcome.interpreter = interpreter_version(
            box.command(f"/work/venv/bin/python -c '{VERSION_QUERY}'"))
        say(f"== Python {outcome.interpreter} (Debian forky chroot {args.chroot})")
        pytest = " ".join(["/work/venv/bin/python", *PYTEST])
        output = run_pytest(box.command(f"cd /work/src && exec {pytest}"),
                            logs / f"pytest-{version}.log", args.memory_cap, None, REPO,
                            args.timeout)
    say(output)
    settle(outcome, output)
    return outcome


def main(argv: list[str] | None = None) -> int:
    """Run every requested version; print one line per version and the total last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", default=",".join(VERSIONS),
                        help="comma-separated minor versions (default: all)")
    parser.add_argument("--chroot", type=Path, default=DEFAULT_CHROOT,
                        help="where the forky chroot is cached (default: %(default)s)")
    parser.add_argument("--pyenv-root", type=Path, default=None)
    parser.add_argument("--lint-on", default="3.11", help="the version that runs ruff and mypy")
    parser.add_argument("--memory-cap", type=int, default=6 << 30,
                        help="address-space cap for each pytest, bytes (default 6 GiB)")
    parser.add_argument("--jobs", type=int, default=2,
                        help="versions run at once (default 2: this machine's cores)")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds one version's pytest may take (default %(default)s)")
    args = parser.parse_args(argv)
    args.pyenv_root = args.pyenv_root or pyenv_root()
    versions = [v.strip() for v in args.versions.split(",") if v.strip()]
    logs = REPO / ".ci-venvs" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    done: dict[str, Outcome] = {}
    # The chroot first: its set-up is the longest. Each version's output is printed whole
    # when it ends, so versions run at once do not interleave.
    order = sorted(versions, key=lambda v: v != CHROOT_VERSION)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop_everything)
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        running = [pool.submit(run_version, v, args, logs) for v in order]
        for future in as_completed(running):
            outcome, text = future.result()
            print(text, flush=True)
            done[outcome.version] = outcome
    outcomes = [done[v] for v in versions]
    print(f"\n== every Python ({time.monotonic() - started:.0f} s)")
    for o in outcomes:
        print(f"Python {o.interpreter:<8} ({o.version}): {o.summary}")
    passed = sum(o.passed for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    skipped = sum(o.skipped for o in outcomes)
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped", flush=True)
    return 1 if failed or _stopping.is_set() else 0


def run_version(version: str, args: argparse.Namespace, logs: Path) -> tuple[Outcome, str]:
    """One version, start to end, and what it printed; a set-up failure fails it loudly."""
    lines = [f"\n======== Python {version}"]
    say: Say = lines.append
    try:
        if version == CHROOT_VERSION:
            outcome = chroot_version(version, args, logs, say)
        else:
            outcome = host_version(version, args, logs, say)
    except (SetupFailed, ChrootError) as exc:
        say(f"FAILED: Python {version} could not be set up or checked: {exc}")
        outcome = Outcome(version, summary=f"FAILED to set up: {str(exc).splitlines()[0]}",
                          failed=1)
    return outcome, "\n".join(line.rstrip("\n") for line in lines)


if __name__ == "__main__":
    sys.exit(main())
