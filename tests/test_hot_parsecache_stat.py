"""The parse cache trusts a source's stat only when the stat proves its content.

An entry records the mtime, ctime and size of the source it was made from, and when the
source was read. A start whose stat matches a settled entry does not read the source at all
(as a ``.pyc`` does); any other start reads it and compares its content. Which files a start
reads is seen through the interpreter's ``open`` audit event (``os.open`` raises it), so
these tests observe the engine's real reads of real files. Every result is compared with a
fresh import of what is on disk.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.hot import Reloader
from sandbox.hot.source import RACY_NS

MAIN = "import physics\n\n\ndef total():\n    return physics.SPEED * 10 + physics.gravity()\n"
PHYSICS = "SPEED = 2\n\n\ndef gravity():\n    return 1\n"

_opened: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], str):
        _opened.append(os.path.basename(args[0]))


sys.addaudithook(_audit)  # hooks cannot be removed: it records only inside ``reads()``


@contextlib.contextmanager
def reads() -> Iterator[list[str]]:
    """The names of the files opened inside the block."""
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A game folder whose files' stat is settled (mtime and ctime past the racy window)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    game = tmp_path / "game"
    game.mkdir()
    (game / "main.py").write_text(MAIN)
    (game / "physics.py").write_text(PHYSICS)
    old = time.time_ns() - 3600 * 10**9
    for f in game.glob("*.py"):
        os.utime(f, ns=(old, old))
    settle()
    return game


def settle() -> None:
    """Wait until the files' last ctime is older than the racy window (ctime is always now)."""
    time.sleep(RACY_NS * 1.5 / 1e9)


def fresh_total(root: Path) -> int:
    """What ``python`` gives for ``main.total()`` with the files as they are on disk."""
    saved = {m: sys.modules.pop(m) for m in ("main", "physics") if m in sys.modules}
    try:
        for name in ("physics", "main"):
            module = types.ModuleType(name)
            sys.modules[name] = module
            path = root / f"{name}.py"
            exec(compile(path.read_text(), str(path), "exec"), module.__dict__)
        return int(sys.modules["main"].total())
    finally:
        for name in ("main", "physics"):
            sys.modules.pop(name, None)
        sys.modules.update(saved)


def start(root: Path) -> tuple[int, list[str]]:
    """A new session's first import: ``main.total()`` and the files it opened."""
    with Reloader(root) as r, reads() as opened:
        return r.import_module("main").total(), list(opened)


def same_size_edit(path: Path, old: str, new: str, *, keep_mtime: bool) -> None:
    """Write ``path`` with ``old`` replaced by ``new`` (same length); put the mtime back."""
    assert len(old) == len(new)
    before = path.stat()
    path.write_text(path.read_text().replace(old, new))
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert after.st_size == before.st_size
    assert (after.st_mtime_ns == before.st_mtime_ns) is keep_mtime


def test_a_settled_source_is_not_read_on_the_next_start(root: Path) -> None:
    total, opened = start(root)  # parses, writes the entries
    assert "main.py" in opened
    assert total == fresh_total(root)
    total, opened = start(root)
    assert "main.py" not in opened and "physics.py" not in opened
    assert any(name.startswith("main.") and name.endswith(".potato") for name in opened)
    assert total == fresh_total(root)


def test_a_source_written_just_before_its_entry_is_read_by_content(root: Path) -> None:
    (root / "physics.py").write_text(PHYSICS)  # mtime now: the entry cannot trust the stat
    start(root)
    total, opened = start(root)
    assert "physics.py" in opened and "main.py" not in opened
    assert total == fresh_total(root)


def test_new_content_with_the_old_mtime_and_size_is_not_served_stale(root: Path) -> None:
    start(root)
    # What `cp -p`, an archive or an edit in the same mtime tick leaves: size and mtime as
    # they were, content not (the ctime moves; nothing can set it back).
    same_size_edit(root / "physics.py", "SPEED = 2", "SPEED = 7", keep_mtime=True)
    total, opened = start(root)
    assert "physics.py" in opened
    assert total == fresh_total(root) == 7 * 10 + 1


def test_a_touched_source_is_read_once_then_trusted_again(root: Path) -> None:
    start(root)
    os.utime(root / "physics.py")  # same content, new mtime (a checkout, `touch`)
    settle()
    total, opened = start(root)  # read by content, same text: the entry is written again
    assert "physics.py" in opened and total == fresh_total(root)
    total, opened = start(root)
    assert "physics.py" not in opened and total == fresh_total(root)


def test_an_edit_after_a_start_from_the_stat_is_reloaded(root: Path) -> None:
    start(root)
    with Reloader(root) as r:
        main = r.import_module("main")
        same_size_edit(root / "physics.py", "SPEED = 2", "SPEED = 5", keep_mtime=False)
        report = r.reload()
        assert report.ok and report.changed == ["physics"], report
        assert main.total() == fresh_total(root) == 51


def test_a_forced_reload_reads_an_edit_that_kept_the_mtime_of_the_last_read(
        root: Path) -> None:
    """F9 after two saves in one mtime tick: the second keeps the mtime the first read saw."""
    start(root)
    with Reloader(root) as r:
        main = r.import_module("main")
        same_size_edit(root / "physics.py", "SPEED = 2", "SPEED = 5", keep_mtime=False)
        assert r.reload().ok
        same_size_edit(root / "physics.py", "SPEED = 5", "SPEED = 6", keep_mtime=True)
        report = r.reload()  # what F9 calls
        assert report.ok and report.changed == ["physics"], report
        assert main.total() == fresh_total(root) == 61
