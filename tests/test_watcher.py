"""The watcher: real files under tmp_path, a real watchfiles thread, no mocks."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.watcher import Watcher, is_editor_temp

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def game(tmp_path: Path) -> Path:
    folder = tmp_path / "game"
    folder.mkdir()
    (folder / "main.py").write_text("x = 0\n")
    return folder


@pytest.fixture
def watcher(game: Path) -> Iterator[Watcher]:
    with Watcher(game) as w:
        yield w


def settle(w: Watcher, seconds: float = 0.1) -> set[Path]:
    """Collect everything queued over ``seconds`` (lets a burst finish)."""
    deadline = time.monotonic() + seconds
    seen: set[Path] = set()
    while (left := deadline - time.monotonic()) > 0:
        if w.wait(left):
            seen |= w.drain()
    return seen


def test_sees_a_write(game: Path, watcher: Watcher) -> None:
    (game / "main.py").write_text("x = 1\n")
    assert watcher.wait(2.0)
    assert settle(watcher) == {game / "main.py"}
    assert watcher.error is None
    assert watcher.drain() == set()


def test_sees_create_in_a_subfolder_and_delete(game: Path, watcher: Watcher) -> None:
    sub = game / "pkg"
    sub.mkdir()
    (sub / "physics.py").write_text("g = 9.8\n")
    assert watcher.wait(2.0)
    assert sub / "physics.py" in settle(watcher)
    (game / "main.py").unlink()
    assert watcher.wait(2.0)
    assert settle(watcher) == {game / "main.py"}


def test_a_burst_of_writes_is_coalesced(game: Path, watcher: Watcher) -> None:
    target = game / "main.py"
    for i in range(100):
        target.write_text(f"x = {i}\n")
    assert watcher.wait(2.0)
    assert settle(watcher, 0.2) == {target}
    assert not watcher.wait(0.05)


def test_ignores_other_files_and_editor_temporaries(game: Path, watcher: Watcher) -> None:
    for name in ("notes.txt", "main.py~", ".main.py.swp", "4913", ".#main.py", "#main.py#"):
        (game / name).write_text("junk\n")
    cache = game / "__pycache__"
    cache.mkdir()
    (cache / "main.py").write_text("junk\n")
    assert not watcher.wait(0.2)
    (game / "real.py").write_text("y = 1\n")
    assert watcher.wait(2.0)
    assert settle(watcher) == {game / "real.py"}


def test_is_editor_temp() -> None:
    assert is_editor_temp("4913")
    assert is_editor_temp(".#main.py")
    assert is_editor_temp("main.py~")
    assert not is_editor_temp("main.py")


def test_stop_is_prompt_and_idempotent(game: Path) -> None:
    w = Watcher(game)
    w.start()
    assert w.running
    started = time.perf_counter()
    w.stop()
    assert time.perf_counter() - started < 0.1
    assert not w.running
    w.stop()


def test_vanished_folder_is_reported(game: Path) -> None:
    with Watcher(game) as w:
        shutil.rmtree(game)
        deadline = time.monotonic() + 3.0
        while w.error is None and time.monotonic() < deadline:
            w.wait(0.1)
            w.drain()
        assert w.error is not None and "removed" in w.error
        assert not w.running or w.error


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    with Watcher(tmp_path / "nope") as w:
        assert w.wait(1.0)
        assert w.error is not None and "not a folder" in w.error


def test_latency_is_low(game: Path, watcher: Watcher) -> None:
    """Not a benchmark: only guards against a regression to watchfiles' 50 ms default step."""
    samples = []
    for i in range(10):
        started = time.perf_counter()
        (game / "main.py").write_text(f"x = {i}\n")
        assert watcher.wait(2.0)
        samples.append(time.perf_counter() - started)
        settle(watcher, 0.03)
    samples.sort()
    assert samples[len(samples) // 2] < 0.04


def test_atomic_save_by_rename_is_seen_as_the_real_file(game: Path, watcher: Watcher) -> None:
    """Editors that write a temporary and rename it over the file (VS Code, vim, emacs)."""
    tmp = game / ".main.py.tmp"
    tmp.write_text("x = 5\n")
    tmp.replace(game / "main.py")
    assert watcher.wait(2.0)
    assert settle(watcher) == {game / "main.py"}
    # vim's default: move the original to a backup, then write a new file.
    (game / "main.py").rename(game / "main.py~")
    (game / "main.py").write_text("x = 6\n")
    assert watcher.wait(2.0)
    assert settle(watcher) == {game / "main.py"}


def test_never_holds_up_interpreter_exit(game: Path) -> None:
    """A watcher left running when the program ends must not delay the exit."""
    code = f"from sandbox.watcher import Watcher\nw = Watcher({str(game)!r})\nw.start()\n"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, timeout=30,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert time.perf_counter() - started < 10
