"""Reload handlers as in Nim: before (old code), changes, after (new code); no doubles."""

from __future__ import annotations

import sys
from pathlib import Path

from test_hot_support import Game, game

from sandbox import hot
from sandbox.hot import Reloader

__all__ = ["game"]

LOG = """
    LOG = []
"""


def _setup(game: Game) -> None:
    game.write(LOG, "log")
    game.write("""
        from sandbox import hot
        import log
        X = 1
        @hot.before_reload
        def _b():
            log.LOG.append(("before physics", X, hot.has_module_changed("physics")))
        @hot.after_reload
        def _a():
            log.LOG.append(("after physics", X, hot.has_module_changed("physics")))
    """, "physics")
    game.load("""
        from sandbox import hot
        import log, physics
        @hot.before_reload
        def _b():
            log.LOG.append(("before main", hot.has_module_changed(sys.modules[__name__])))
        @hot.after_reload
        def _a():
            log.LOG.append(("after main", hot.has_module_changed("main")))
        import sys
    """)


def test_order_and_has_module_changed(game: Game) -> None:
    _setup(game)
    log = sys.modules["log"]
    assert game.r.reload().changed == []
    assert log.LOG == []  # nothing changed: no handler runs
    report = game.edit("""
        from sandbox import hot
        import log
        X = 2
        @hot.before_reload
        def _b():
            log.LOG.append(("before physics", X, hot.has_module_changed("physics")))
        @hot.after_reload
        def _a():
            log.LOG.append(("AFTER physics", X, hot.has_module_changed("physics")))
    """, "physics")
    assert report.ok, report
    assert log.LOG == [
        ("before physics", 1, True),
        ("before main", False),
        ("AFTER physics", 2, True),
        ("after main", False),
    ]
    assert not hot.has_module_changed("physics")  # only inside the reload


def test_rerunning_a_handler_def_replaces_it(game: Game) -> None:
    game.write(LOG, "log")
    main = game.load("""
        from sandbox import hot
        import log
        @hot.after_reload
        def _a():
            log.LOG.append(1)
    """)
    log = sys.modules["log"]
    for n in (2, 3):
        assert game.edit(f"""
            from sandbox import hot
            import log
            @hot.after_reload
            def _a():
                log.LOG.append({n})
        """).ok
    assert log.LOG == [2, 3]
    assert len(game.r.handlers) == 1
    # Dropping the decorator unregisters it; removing the def does too.
    assert game.edit("""
        from sandbox import hot
        import log
        def _a():
            log.LOG.append(4)
    """).ok
    assert game.edit("""
        from sandbox import hot
        import log
    """).ok
    assert log.LOG == [2, 3] and len(game.r.handlers) == 0
    assert not hasattr(main, "_a")


def test_handlers_top_to_bottom_within_a_module(game: Game) -> None:
    game.write(LOG, "log")
    game.load("""
        from sandbox import hot
        import log
        @hot.after_reload
        def second():
            log.LOG.append("b")
        @hot.after_reload
        def first():
            log.LOG.append("a")
    """)
    assert game.edit("""
        from sandbox import hot
        import log
        @hot.after_reload
        def first():
            log.LOG.append("a")
        @hot.after_reload
        def second():
            log.LOG.append("b")
    """).ok
    assert sys.modules["log"].LOG == ["a", "b"]


def test_perform_code_reload_and_has_any_module_changed(game: Game) -> None:
    main = game.load("""
        from sandbox import hot
        def ask():
            hot.perform_code_reload()
            return hot.has_any_module_changed()
    """)
    assert game.r.reload_requested is False
    assert main.ask() is False
    assert game.r.reload_requested is True
    game.write("""
        from sandbox import hot
        def ask():
            return "new"
    """)
    game.r.reload_requested = False
    assert hot.has_any_module_changed() is True
    game.r.reload()
    assert main.ask() == "new" and not hot.has_any_module_changed()


def test_api_is_a_no_op_without_an_active_reloader(game: Game) -> None:
    game.close()

    def handler() -> None:
        pass

    assert hot.before_reload(handler) is handler
    assert hot.after_reload(handler) is handler
    assert hot.has_module_changed("main") is False
    assert hot.has_any_module_changed() is False
    hot.perform_code_reload()


def test_two_reloaders_keep_their_own_handlers(game: Game, tmp_path: Path) -> None:
    game.write(LOG, "log")
    game.load("""
        from sandbox import hot
        import log
        @hot.after_reload
        def _a():
            log.LOG.append("first game")
    """)
    other_root = tmp_path / "other"
    other_root.mkdir()
    other = Reloader(other_root)
    try:
        assert len(game.r.handlers) == 1 and len(other.handlers) == 0
        assert game.edit("""
            from sandbox import hot
            import log
            @hot.after_reload
            def _a():
                log.LOG.append("first game, edited")
        """).ok
        assert len(game.r.handlers) == 1 and len(other.handlers) == 0
        assert sys.modules["log"].LOG == ["first game, edited"]
    finally:
        other.close()


LAMBDAS = """
    from sandbox import hot
    log = []
    {first}
    hot.after_reload(lambda: log.append("a"))
    hot.after_reload(lambda: log.append({b}))
    X = {x}
"""


def test_lambda_handlers_each_run_once_through_edits_moves_and_removal(game: Game) -> None:
    # A lambda has no name of its own: two in one module once shared one registration.
    main = game.load(LAMBDAS.format(first="", b='"b"', x=1))
    assert game.edit(LAMBDAS.format(first="", b='"b"', x=2)).ok
    assert main.log == ["a", "b"]
    main.log.clear()
    assert game.edit(LAMBDAS.format(first="", b='"B"', x=3)).ok  # one edited in place
    assert main.log == ["a", "B"]
    main.log.clear()
    moved = "Y = 0\n    Z = 0"  # two lines above: both statements move down
    assert game.edit(LAMBDAS.format(first=moved, b='"B"', x=4)).ok
    assert main.log == ["a", "B"]
    main.log.clear()
    assert game.edit(LAMBDAS.format(first=moved, b='"C"', x=5)).ok  # edited after moving
    assert main.log == ["a", "C"]
    main.log.clear()
    gone = LAMBDAS.format(first=moved, b='"C"', x=6).replace(
        '    hot.after_reload(lambda: log.append("a"))\n', "")
    assert game.edit(gone).ok  # removed: it runs no more
    assert main.log == ["C"]
    assert len(game.r.handlers) == 1


def test_a_failed_reload_keeps_the_lambda_handlers_it_replaced(game: Game) -> None:
    main = game.load(LAMBDAS.format(first="", b='"b"', x=1))
    failing = LAMBDAS.format(first="Y = 0", b='"B"', x="1 / 0")  # moves, edits, then fails
    assert not game.edit(failing).ok
    assert main.log == [] and len(game.r.handlers) == 2
    assert game.edit(LAMBDAS.format(first="", b='"b"', x=2)).ok
    assert main.log == ["a", "b"]
