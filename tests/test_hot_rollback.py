"""All or nothing: every failure kind leaves the old code running, exactly as it was."""

from __future__ import annotations

import os
import sys
import textwrap
import threading
import time

import pytest
from test_hot_support import Game, game

from sandbox.events import ErrorInfo

__all__ = ["game"]

BASE = textwrap.dedent("""
    from dataclasses import dataclass
    from sandbox import hot
    import log
    COUNT = 0
    LIMIT = 3
    def f(x=1):
        return x + LIMIT
    class Ball:
        SIZE = 1
        def size(self):
            return self.SIZE
    @dataclass
    class Pos:
        x: int = 0
    @hot.after_reload
    def _after():
        log.LOG.append("after")
""")


def _line(source: str, needle: str) -> str:
    """``main.py:N`` for the first line of ``source`` containing ``needle``."""
    lines = source.splitlines()
    return f"main.py:{next(i for i, x in enumerate(lines) if needle in x) + 1}"


def _load(game: Game) -> object:
    game.write("LOG = []\n", "log")
    main = game.load(BASE)
    main.COUNT = 5  # type: ignore[attr-defined]
    return main


def _assert_old(game: Game, main: object, f: object, ball: object, pos: object) -> None:
    assert sys.modules["main"] is main
    assert main.COUNT == 5 and main.LIMIT == 3  # type: ignore[attr-defined]
    assert main.f is f and f() == 4  # type: ignore[attr-defined,operator]
    assert f.__defaults__ == (1,)  # type: ignore[attr-defined]
    assert ball.size() == 1 and main.Ball.SIZE == 1  # type: ignore[attr-defined]
    assert not hasattr(main.Ball, "extra")  # type: ignore[attr-defined]
    assert pos == main.Pos(0) and not hasattr(pos, "y")  # type: ignore[attr-defined]
    assert not hasattr(main, "NEW")
    assert len(game.r.handlers) == 1


@pytest.mark.parametrize("kind", ["syntax", "statement", "after handler", "late statement"])
def test_failure_restores_everything(game: Game, kind: str) -> None:
    main = _load(game)
    f, ball, pos = main.f, main.Ball(), main.Pos()  # type: ignore[attr-defined]
    edit = BASE.replace("return x + LIMIT", "return x * 100")
    edit = edit.replace("x: int = 0", "x: int = 0\n    y: int = 1")
    edit = edit.replace("SIZE = 1", "SIZE = 2\n    def extra(self):\n        return 1")
    edit = edit.replace("def f(x=1)", "def f(x=2)").replace("LIMIT = 3", "LIMIT = 4\nNEW = 1")
    errors = {
        "syntax": (edit + "def g(:\n    pass\n", SyntaxError, "def g(:"),
        "statement": (edit + "BOOM = 1 / 0\n", ZeroDivisionError, "BOOM"),
        "after handler": (edit.replace('log.LOG.append("after")', "raise KeyError('boom')"),
                          KeyError, "raise KeyError"),
        "late statement": (edit + "Ball.SIZE = None\nraise RuntimeError('x')\n", RuntimeError,
                           "raise RuntimeError"),
    }
    source, error, needle = errors[kind]
    where = _line(source, needle)
    report = game.edit(source)
    assert not report.ok, report
    assert isinstance(report.error, error)
    assert isinstance(report.error_info, ErrorInfo)
    assert report.error_info.where == where
    assert str(report).startswith(f"reload failed: {error.__name__}")
    assert str(report).endswith(f"at {where} — fix and save to retry (F9)")
    # Rolled back: no name keeps what the statements that did run bound (LIMIT = 4, NEW = 1).
    assert report.bound_names == []
    _assert_old(game, main, f, ball, pos)
    # Fixing the file applies the edit as a whole.
    report = game.edit(edit)
    assert report.ok, report
    assert report.bound_names == [("main", "LIMIT"), ("main", "NEW")]
    assert f() == 200 and ball.size() == 2 and pos.y == 1  # type: ignore[attr-defined]


def test_before_handler_failure_changes_nothing(game: Game) -> None:
    main = _load(game)
    game.write("""
        from sandbox import hot
        @hot.before_reload
        def _boom():
            raise ValueError("saving failed")
    """, "saver")
    game.r.import_module("saver")
    report = game.edit(BASE.replace("LIMIT = 3", "LIMIT = 4"))
    assert not report.ok and isinstance(report.error, ValueError)
    assert report.error_info is not None and report.error_info.where == "saver.py:5"
    assert main.LIMIT == 3  # type: ignore[attr-defined]


def test_rebound_class_instance_migration_is_undone(game: Game) -> None:
    main = game.load("""
        class A:
            pass
        class B:
            pass
        class C(A):
            pass
    """)
    c, old_c = main.C(), main.C
    report = game.edit("""
        class A:
            pass
        class B:
            pass
        class C(B):
            pass
        raise RuntimeError("after the move")
    """)
    assert not report.ok
    assert type(c) is old_c and main.C is old_c


def test_empty_file_never_wipes_a_module(game: Game) -> None:
    main = game.load("""
        X = 1
    """)
    (game.root / "main.py").write_text("")
    report = game.r.reload()
    assert not report.ok
    assert str(report) == ("reload failed: main.py is empty — the running code is kept; "
                           "save it again with content")
    assert report.error_info is not None and report.error_info.path == "main.py"
    assert main.X == 1


def test_empty_then_written_file_is_read_again_by_the_next_reload(game: Game) -> None:
    """The editor's truncate is an error at once (nothing waits); its write is a change again."""
    main = game.load("""
        X = 1
    """)
    path = game.root / "main.py"
    path.write_text("")
    first = game.r.reload()
    assert not first.ok and "main.py is empty" in str(first) and main.X == 1
    path.write_text("X = 2\n")
    report = game.r.reload()
    assert report.ok and report.changed == ["main"], report
    assert main.X == 2


def test_non_utf8_file_is_reported(game: Game) -> None:
    main = game.load("""
        X = 1
    """)
    (game.root / "main.py").write_bytes(b"X = 2\nY = '\xff'\n")
    report = game.r.reload()
    assert not report.ok
    assert str(report).startswith("reload failed: main.py is not valid UTF-8")
    assert report.error_info is not None and report.error_info.where == "main.py:2"
    assert main.X == 1


def test_deleted_file_keeps_running_code(game: Game) -> None:
    main = game.load("""
        X = 1
    """)
    (game.root / "main.py").unlink()
    report = game.r.reload()
    assert report.ok and main.X == 1
    assert str(report) == "nothing changed; main.py is missing — its running code is kept"
    game.write("X = 2\n")
    assert game.r.reload().changed == ["main"] and main.X == 2


def test_restart_imports_fresh_and_restores_on_failure(game: Game) -> None:
    game.write("STATE = []\n", "physics")
    main = game.load("""
        import physics
        physics.STATE.append(1)
        COUNT = 0
    """)
    main.COUNT = 9
    report = game.r.restart()
    assert report.ok, report
    fresh = sys.modules["main"]
    assert fresh is not main and fresh.COUNT == 0 and fresh.physics.STATE == [1]
    assert str(report).startswith("restarted: 2 modules imported fresh (")
    fresh.COUNT = 3
    game.write("COUNT = 1 / 0\n")
    report = game.r.restart()
    assert not report.ok and isinstance(report.error, ZeroDivisionError)
    assert str(report).startswith(
        "restart failed: ZeroDivisionError: division by zero at main.py:1")
    assert sys.modules["main"] is fresh and fresh.COUNT == 3
    assert set(game.r.modules) == {"main", "physics"}


def test_half_written_file_is_retried(game: Game) -> None:
    """A save read half-written fails at once, records nothing, and the full file lands.

    The failed read must not be remembered as what runs: the full file is still a change,
    and the running code never saw the half.
    """
    main = game.load("""
        def f():
            return 1
    """)
    path = game.root / "main.py"
    full = "def f():\n    return 2\n"
    path.write_text("def f(:\n")
    half = game.r.reload()
    assert not half.ok and isinstance(half.error, SyntaxError)
    assert half.error_info is not None and half.error_info.where == "main.py:1"
    tracked = game.r.tracked("main")
    assert main.f() == 1 and tracked is not None and "return 1" in tracked.parsed.text
    path.write_text(full)
    report = game.r.reload()
    assert report.ok and report.changed == ["main"], report
    assert main.f() == 2
    assert game.r.reload().changed == []  # and now it is what runs


def test_prepare_runs_off_the_main_thread_and_mutates_nothing(game: Game) -> None:
    main = game.load("""
        X = 1
        def f():
            return X
    """)
    game.write("""
        X = 2
        def f():
            return X * 10
    """)
    plans = []
    worker = threading.Thread(target=lambda: plans.append(game.r.prepare()))
    worker.start()
    worker.join()
    assert main.X == 1 and main.f() == 1
    assert [mp.tracked.name for mp in plans[0].modules] == ["main"]
    report = game.r.apply(plans[0])
    assert report.ok, report
    assert main.f() == 20
    assert game.r.reload().changed == []


def test_broken_file_saved_long_ago_fails_without_waiting(game: Game) -> None:
    main = game.load("""
        X = 1
    """)
    path = game.root / "main.py"
    path.write_text("X = (\n")
    old = time.time() - 60
    os.utime(path, (old, old))
    report = game.r.reload()
    assert not report.ok and isinstance(report.error, SyntaxError)
    assert report.seconds < 2.0  # no retry wait: nobody is writing that file
    assert main.X == 1
