"""Statement-level reload: what runs again, what keeps its value, what goes away."""

from __future__ import annotations

import os
import sys

from test_hot_support import Game, game

__all__ = ["game"]


def test_unchanged_statements_keep_runtime_state(game: Game) -> None:
    main = game.load("""
        counter = 0
        ENTITIES = []
        ENTITIES.append("x")
        dx = 1
    """)
    main.counter = 41
    report = game.edit("""
        counter = 0
        ENTITIES = []
        ENTITIES.append("x")
        dx = 3
    """)
    assert report.ok, report
    assert main.counter == 41
    assert main.ENTITIES == ["x"]
    assert main.dx == 3
    assert report.changed == ["main"]
    assert report.rerun == ["main.py:5"]
    assert str(report).startswith("reloaded main.py: re-ran dx (")


def test_new_statement_runs_in_the_live_namespace(game: Game) -> None:
    main = game.load("""
        items = [1]
    """)
    main.items.append(2)
    report = game.edit("""
        items = [1]
        items.append(3)
        total = sum(items)
    """)
    assert report.ok, report
    assert main.items == [1, 2, 3]
    assert main.total == 6


def test_later_readers_of_a_rebound_name_run_again(game: Game) -> None:
    main = game.load("""
        SPEED = 1
        VEL = SPEED * 2
        UNRELATED = []
        UNRELATED.append(0)
        DOUBLE_VEL = VEL * 2
    """)
    report = game.edit("""
        SPEED = 3
        VEL = SPEED * 2
        UNRELATED = []
        UNRELATED.append(0)
        DOUBLE_VEL = VEL * 2
    """)
    assert report.ok, report
    assert (main.SPEED, main.VEL, main.DOUBLE_VEL) == (3, 6, 12)
    assert main.UNRELATED == [0]
    assert report.rerun == ["main.py:2", "main.py:3", "main.py:6"]


def test_bound_names_hold_each_name_once_and_what_plain_statements_bound(game: Game) -> None:
    main = game.load("""
        SPEED = 1
        SPEED = SPEED + 1
        old = 0
        best = None
    """)
    report = game.edit("""
        SPEED = 3
        SPEED = SPEED + 1
        old = 0
        del old
        best = (None)
    """)
    assert report.ok, report
    assert (main.SPEED, hasattr(main, "old")) == (4, False)
    assert report.rerun == ["main.py:2", "main.py:3", "main.py:5", "main.py:6"]
    # SPEED, bound by two statements, once; not ``old`` (unbound); ``best`` although bound
    # to the very object it had (None): an edit to the value play already set still counts.
    assert report.bound_names == [("main", "SPEED"), ("main", "best")]


def test_statement_reading_a_rebound_name_in_a_def_default_patches_it(game: Game) -> None:
    main = game.load("""
        STEP = 1
        def move(x, step=STEP):
            return x + step
    """)
    move = main.move
    assert game.edit("""
        STEP = 5
        def move(x, step=STEP):
            return x + step
    """).ok
    assert move(1) == 6
    assert main.move is move


def test_removed_definitions_and_names_are_deleted(game: Game) -> None:
    main = game.load("""
        def keep():
            return 1
        def gone():
            return 2
        class Old:
            pass
        LIMIT = 10
        SHARED = 1
        SHARED = 2
    """)
    main.runtime_only = "kept"
    report = game.edit("""
        def keep():
            return 1
        SHARED = 2
    """)
    assert report.ok, report
    for name in ("gone", "Old", "LIMIT"):
        assert not hasattr(main, name), name
    assert main.SHARED == 2
    assert main.runtime_only == "kept"
    assert sorted(report.removed) == ["main.LIMIT", "main.Old", "main.gone"]
    assert "removed LIMIT, Old, gone" in str(report)


def test_nothing_changed_does_nothing(game: Game) -> None:
    main = game.load("""
        x = 1
    """)
    main.x = 7
    report = game.r.reload()
    assert report.ok and report.changed == []
    assert str(report) == "nothing changed"
    game.edit("""
        x = 1
    """)  # same text rewritten: a new mtime, same content
    assert str(game.r.reload()) == "nothing changed"
    assert main.x == 7


def test_same_size_same_mtime_edit_is_seen(game: Game) -> None:
    path = game.write("""
        COLOR = 128
    """)
    main = game.r.import_module("main")
    stat = os.stat(path)
    path.write_text("\nCOLOR = 255\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_mtime_ns, after.st_size) == (stat.st_mtime_ns, stat.st_size)
    assert game.r.has_any_module_changed()
    report = game.r.reload()
    assert report.ok and report.changed == ["main"]
    assert main.COLOR == 255
    assert not game.r.has_any_module_changed()


def test_paths_hint_and_untracked_files(game: Game) -> None:
    main = game.load("""
        A = 1
    """)
    other = game.write("B = 1\n", "other")  # never imported: not tracked
    assert game.r.reload([other]).changed == []
    game.write("A = 2\n")
    assert game.r.reload([other]).changed == []  # a hint that names only other files
    assert main.A == 1
    assert game.r.reload([game.root / "main.py"]).changed == ["main"]
    assert main.A == 2
    assert "other" not in game.r.modules and "other" not in sys.modules


def test_moving_statements_runs_nothing(game: Game) -> None:
    main = game.load("""
        log = []
        log.append("a")
        def f():
            return 1
    """)
    report = game.edit("""
        def f():
            return 1


        log = []
        log.append("a")
    """)
    assert report.ok, report
    assert main.log == ["a"]
    assert report.rerun == [] and report.patched == []


def test_comment_only_edit_runs_nothing(game: Game) -> None:
    main = game.load("""
        n = []
        n.append(1)
    """)
    report = game.edit("""
        # a comment
        n = []
        n.append(1)  # and another
        # trailing
    """)
    assert report.ok
    assert main.n == [1]
    assert report.rerun == []


def test_compound_statements_and_semicolons(game: Game) -> None:
    main = game.load("""
        import os
        if os.sep:
            MODE = "a"
        else:
            MODE = "b"
        a = 1; b = a + 1
    """)
    report = game.edit("""
        import os
        if os.sep:
            MODE = "A"
        else:
            MODE = "b"
        a = 1; b = a + 2
    """)
    assert report.ok, report
    assert (main.MODE, main.a, main.b) == ("A", 1, 3)


def test_multiline_string_at_column_zero(game: Game) -> None:
    main = game.load('''
        TEXT = """
        def not_code():
        pass
        """
        def f():
            return TEXT
    ''')
    report = game.edit('''
        TEXT = """
        def not_code():
        changed
        """
        def f():
            return TEXT.strip()
    ''')
    assert report.ok, report
    assert main.f() == "def not_code():\nchanged"
    assert not hasattr(main, "not_code")


def test_module_docstring_and_future_annotations(game: Game) -> None:
    main = game.load('''
        """Old doc."""
        from __future__ import annotations
        def f(x: Thing) -> Other:
            return 1
    ''')
    assert game.edit('''
        """New doc."""
        from __future__ import annotations
        def f(x: Thing) -> Other:
            return 2
    ''').ok
    assert main.__doc__ == "New doc."
    assert main.f(0) == 2 and main.f.__annotations__ == {"x": "Thing", "return": "Other"}


def test_generators_async_and_lambdas(game: Game) -> None:
    import asyncio

    main = game.load("""
        def gen():
            yield 1
        async def co():
            return 1
        key = lambda: 1
    """)
    gen, co = main.gen, main.co
    assert game.edit("""
        def gen():
            yield 2
            yield 3
        async def co():
            return 2
        key = lambda: 2
    """).ok
    assert list(gen()) == [2, 3]
    assert asyncio.run(co()) == 2
    assert main.key() == 2
