"""Functions are patched in place: every reference handed out runs the new code."""

from __future__ import annotations

import traceback

import pytest
from test_hot_support import Game, game

__all__ = ["game"]


def test_references_taken_before_run_new_code(game: Game) -> None:
    main = game.load("""
        def update(dt):
            return dt * 1
        CALLBACKS = [update]
        class Player:
            def step(self):
                return update(1)
    """)
    game.write("""
        from main import update
        def call():
            return update(2)
    """, "other")
    other = game.r.import_module("other")
    t = main.update
    bound = main.Player().step
    report = game.edit("""
        def update(dt):
            return dt * 100
        CALLBACKS = [update]
        class Player:
            def step(self):
                return update(1)
    """)
    assert report.ok, report
    assert t is main.update
    assert t(1) == 100
    assert main.CALLBACKS[0](2) == 200
    assert bound() == 100
    assert other.call() == 200
    assert report.patched == ["main.update"]
    assert str(report).startswith("reloaded main.py: 1 function patched (")


def test_defaults_kwdefaults_doc_annotations_and_attributes(game: Game) -> None:
    main = game.load('''
        def f(a, b=1, *, c=2) -> int:
            """Old doc."""
            return a + b + c
    ''')
    f = main.f
    f.calls = 3  # set at runtime: kept
    assert game.edit('''
        def f(a: int, b=10, *, c=20) -> str:
            """New doc."""
            return str(a + b + c)
        f.tag = "new"
    ''').ok
    assert f(1) == "31"
    assert f.__doc__ == "New doc."
    assert f.__defaults__ == (10,)
    assert f.__kwdefaults__ == {"c": 20}
    assert f.__annotations__ == {"a": int, "return": str}
    assert (f.calls, f.tag) == (3, "new")


def test_unchanged_function_keeps_its_mutable_default(game: Game) -> None:
    main = game.load("""
        def remember(x, seen=[]):
            seen.append(x)
            return len(seen)
        def other():
            return 1
    """)
    main.remember("a")
    assert game.edit("""
        def remember(x, seen=[]):
            seen.append(x)
            return len(seen)
        def other():
            return 2
    """).ok
    assert main.remember("b") == 2


def test_functools_wraps_decorator_is_patched_through_wrapped(game: Game) -> None:
    main = game.load("""
        import functools
        CALLS = []
        def logged(func):
            @functools.wraps(func)
            def wrapper(*args):
                CALLS.append(func.__name__)
                return func(*args)
            return wrapper
        @logged
        def speed(x):
            return x + 1
    """)
    wrapper = main.speed
    inner = wrapper.__wrapped__
    report = game.edit("""
        import functools
        CALLS = []
        def logged(func):
            @functools.wraps(func)
            def wrapper(*args):
                CALLS.append(func.__name__)
                return func(*args)
            return wrapper
        @logged
        def speed(x):
            return x + 1000
    """)
    assert report.ok, report
    assert main.speed is wrapper and wrapper.__wrapped__ is inner
    assert wrapper(1) == 1001 and inner(1) == 1001
    assert main.CALLS == ["speed"]


def test_lru_cache_is_patched_and_cleared(game: Game) -> None:
    main = game.load("""
        import functools
        @functools.lru_cache(maxsize=None)
        def table(n):
            return n * 2
    """)
    cached = main.table
    assert cached(3) == 6
    assert game.edit("""
        import functools
        @functools.lru_cache(maxsize=None)
        def table(n):
            return n * 3
    """).ok
    assert main.table is cached and cached(3) == 9


def test_changed_free_variables_rebind_and_say_so(game: Game) -> None:
    main = game.load("""
        def make(k):
            def inner():
                return k
            return inner
        def deco(func):
            def wrapper():
                return func()
            return wrapper
        @deco
        def f():
            return 1
    """)
    old = main.f
    report = game.edit("""
        def make(k):
            def inner():
                return k
            return inner
        LIMIT = 5
        def deco(func):
            def wrapper():
                return min(func(), LIMIT)
            return wrapper
        def deco2(func):
            extra = 10
            def wrapper():
                return func() + extra
            return wrapper
        @deco2
        def f():
            return 1
    """)
    assert report.ok, report
    assert main.f() == 11
    assert main.f is not old
    assert report.rebound == ["main.f: free variables changed"]
    assert "1 name rebound (main.f: free variables changed)" in str(report)


def test_rebinding_to_another_function_is_not_a_patch(game: Game) -> None:
    main = game.load("""
        def a():
            return "a"
        def b():
            return "b"
        pick = a
    """)
    a = main.a
    assert game.edit("""
        def a():
            return "a"
        def b():
            return "b"
        pick = b
    """).ok
    assert main.pick is main.b
    assert a() == "a"


def _line_of(func: object) -> int:
    try:
        func()  # type: ignore[operator]
    except ZeroDivisionError as exc:
        return traceback.extract_tb(exc.__traceback__)[-1].lineno or 0
    raise AssertionError("no error")


def test_moved_unchanged_function_gets_right_line_numbers(game: Game) -> None:
    main = game.load("""
        def boom():
            x = 1
            return x / 0
        class K:
            def boom(self):
                return 1 / 0
    """)
    f = main.boom
    method = main.K().boom
    assert _line_of(f) == 4  # the dedented source starts with an empty line
    report = game.edit("""
        # three new lines
        import math


        def boom():
            x = 1
            return x / 0
        class K:
            def boom(self):
                return 1 / 0
    """)
    assert report.ok, report
    assert report.patched == []
    assert _line_of(f) == 8
    assert _line_of(method) == 11
    with pytest.raises(ZeroDivisionError) as info:
        f()
    assert info.traceback[-1].statement.lines[0].strip() == "return x / 0"


def test_moved_method_inside_changed_class_gets_right_lines(game: Game) -> None:
    main = game.load("""
        class K:
            def boom(self):
                return 1 / 0
    """)
    obj = main.K()
    assert game.edit("""
        class K:
            SPEED = 2

            def boom(self):
                return 1 / 0
    """).ok
    assert _line_of(obj.boom) == 6


def test_traceback_of_patched_function_shows_running_source(game: Game) -> None:
    main = game.load("""
        def f():
            return 1
    """)
    assert game.edit("""
        def f():
            a = 1
            return a / 0
    """).ok
    with pytest.raises(ZeroDivisionError) as info:
        main.f()
    entry = info.traceback[-1]
    assert entry.lineno + 1 == 4
    assert str(entry.statement).strip() == "return a / 0"
    # A failed edit on disk does not change what tracebacks show for the running code.
    assert not game.edit("""
        def f(:
    """).ok
    lines = traceback.format_exception(info.value)
    assert any("return a / 0" in line for line in lines)


def test_patched_function_is_a_plain_function(game: Game) -> None:
    main = game.load("""
        def f(x):
            return x
    """)
    f = main.f
    assert game.edit("""
        def f(x):
            return x + 1
    """).ok
    assert type(f).__name__ == "function" and f.__code__.co_filename.endswith("main.py")
