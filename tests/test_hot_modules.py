"""Dependents follow their dependencies; new modules become reloadable; cycles are fine."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from test_hot_support import Game, game

from sandbox.hot import Reloader

__all__ = ["game"]


def test_from_import_is_rebound_and_readers_rerun(game: Game) -> None:
    game.write("""
        SPEED = 1
        def helper():
            return "h1"
    """, "physics")
    main = game.load("""
        from physics import SPEED, helper
        VEL = SPEED * 2
        COUNT = 0
        def speed():
            return SPEED
    """)
    main.COUNT = 4
    helper = main.helper
    report = game.edit("""
        SPEED = 10
        def helper():
            return "h2"
    """, "physics")
    assert report.ok, report
    assert report.changed == ["physics"]
    assert (main.SPEED, main.VEL, main.speed(), main.COUNT) == (10, 20, 10, 4)
    assert main.helper is helper and helper() == "h2"


def test_the_report_names_what_the_statements_it_ran_bound(game: Game) -> None:
    game.write("""
        SPEED = 1
        hits = 0
        def bounce():
            return SPEED
    """, "physics")
    main = game.load("""
        from physics import SPEED
        VEL = SPEED * 2
        if VEL > 100:
            LIMIT = VEL
        COUNT = 0
        def speed():
            return SPEED
    """)
    main.COUNT = 4
    report = game.edit("""
        SPEED = 10
        hits = 0
        def bounce():
            return SPEED + 1
        NEW = 1
    """, "physics")
    assert report.ok, report
    # Dependencies first, then statement order. Not listed: the patched bounce (it keeps its
    # object), what did not run (hits, COUNT) and LIMIT, which the re-run ``if`` did not bind.
    assert report.bound_names == [("physics", "SPEED"), ("physics", "NEW"),
                                  ("main", "SPEED"), ("main", "VEL")]
    assert report.rerun == ["physics.py:2", "physics.py:6", "main.py:2", "main.py:3",
                            "main.py:4"]
    # Named for people, each once, at most three ("+1 more": the ``if`` at main.py:4).
    assert report.reran == ["SPEED", "NEW", "SPEED", "VEL", "main.py:4"]
    assert str(report).startswith(
        "reloaded physics.py: 1 function patched; re-ran SPEED, NEW, VEL, +1 more (")
    assert (main.SPEED, main.VEL, main.COUNT) == (10, 20, 4)
    assert not hasattr(main, "LIMIT")


def test_dependencies_apply_before_dependents(game: Game) -> None:
    game.write("""
        ORDER = []
        BASE = 1
        ORDER.append("physics")
    """, "physics")
    main = game.load("""
        import physics
        from physics import BASE
        TOTAL = BASE + 1
        physics.ORDER.append("main")
    """)
    game.write("""
        ORDER = []
        BASE = 5
        ORDER.append("physics")
    """, "physics")
    report = game.edit("""
        import physics
        from physics import BASE
        TOTAL = BASE + 100
        physics.ORDER.append("main")
    """)
    assert report.ok, report
    assert report.changed == ["physics", "main"]
    assert str(report).startswith("reloaded physics.py, main.py:")
    assert main.TOTAL == 105
    assert main.physics.ORDER == ["physics", "main"]


def test_removed_name_imported_elsewhere_fails_and_rolls_back(game: Game) -> None:
    game.write("""
        A = 1
        B = 2
    """, "physics")
    main = game.load("""
        from physics import A, B
    """)
    report = game.edit("""
        A = 1
    """, "physics")
    assert not report.ok
    assert isinstance(report.error, ImportError)
    assert report.error_info is not None and report.error_info.where == "main.py:2"
    assert sys.modules["physics"].B == 2 and main.B == 2


def test_circular_imports_reload(game: Game) -> None:
    game.write("""
        import b
        X = 1
        def get():
            return b.Y
    """, "a")
    game.write("""
        import a
        Y = 2
        def get():
            return a.X
    """, "b")
    a = game.r.import_module("a")
    b = sys.modules["b"]
    game.write("""
        import b
        X = 10
        def get():
            return b.Y * 100
    """, "a")
    game.write("""
        import a
        Y = 20
        def get():
            return a.X * 1000
    """, "b")
    report = game.r.reload()
    assert report.ok, report
    assert sorted(report.changed) == ["a", "b"]
    assert a.get() == 2000 and b.get() == 10000


def test_circular_from_imports_do_not_loop(game: Game) -> None:
    game.write("""
        X = 1
        from b import Y
    """, "a")
    game.write("""
        from a import X
        Y = X + 1
    """, "b")
    a = game.r.import_module("a")
    b = sys.modules["b"]
    assert (a.X, a.Y, b.Y) == (1, 2, 2)
    game.write("""
        X = 5
        from b import Y
    """, "a")
    report = game.r.reload()
    assert report.ok, report
    assert (a.X, b.X, b.Y, a.Y) == (5, 5, 6, 6)


def test_new_module_imported_by_new_code_becomes_reloadable(game: Game) -> None:
    main = game.load("""
        def f():
            return 1
    """)
    game.write("""
        VALUE = 1
    """, "extra")
    report = game.edit("""
        import extra
        def f():
            return extra.VALUE
    """)
    assert report.ok, report
    assert "extra" in game.r.modules
    assert report.added == ["extra (new module)"]
    assert main.f() == 1
    report = game.edit("""
        VALUE = 2
    """, "extra")
    assert report.ok and report.changed == ["extra"]
    assert main.f() == 2


def test_new_module_is_removed_when_the_reload_fails(game: Game) -> None:
    main = game.load("""
        X = 1
    """)
    game.write("""
        VALUE = 1
    """, "extra")
    report = game.edit("""
        import extra
        X = 2
        raise RuntimeError("later statement fails")
    """)
    assert not report.ok
    assert "extra" not in sys.modules and "extra" not in game.r.modules
    assert main.X == 1 and not hasattr(main, "extra")


def test_packages_and_relative_imports(game: Game) -> None:
    game.write("", "pkg.__init__")
    game.write("""
        RATE = 1
    """, "pkg.util")
    game.write("""
        from .util import RATE
        def rate():
            return RATE
    """, "pkg.core")
    main = game.load("""
        from pkg.core import rate
    """)
    assert main.rate() == 1
    report = game.edit("""
        RATE = 7
    """, "pkg.util")
    assert report.ok, report
    assert main.rate() == 7
    assert {"pkg", "pkg.util", "pkg.core", "main"} <= set(game.r.modules)


def test_stdlib_names_are_never_shadowed(game: Game) -> None:
    game.write("X = 1\n", "json")
    main = game.load("""
        import json
        OK = hasattr(json, "dumps")
    """)
    assert main.OK


def test_module_attribute_readers_rerun(game: Game) -> None:
    game.write("""
        SPEED = 1
    """, "physics")
    main = game.load("""
        import physics
        import physics as ph
        VEL = physics.SPEED * 2
        ALSO = ph.SPEED + 1
        KEEP = []
        KEEP.append(1)
    """)
    report = game.edit("""
        SPEED = 4
    """, "physics")
    assert report.ok, report
    assert (main.VEL, main.ALSO, main.KEEP) == (8, 5, [1])


def test_rebound_base_class_cascades_to_subclasses_in_dependents(game: Game) -> None:
    game.write("""
        class Entity:
            def kind(self):
                return "entity"
    """, "physics")
    main = game.load("""
        from physics import Entity
        class Player(Entity):
            def name(self):
                return "player"
    """)
    player, old_player = main.Player(), main.Player
    report = game.edit("""
        class Mixin:
            pass
        class Entity(Mixin):
            def kind(self):
                return "new entity"
    """, "physics")
    assert report.ok, report
    assert main.Entity is sys.modules["physics"].Entity
    assert main.Player is not old_player and main.Player.__bases__ == (main.Entity,)
    assert type(player) is main.Player and player.kind() == "new entity"
    assert [r.split(":")[0] for r in report.rebound] == ["physics.Entity", "main.Player"]
    # Rebound rather than patched, so listed (Mixin is new; main's import ran again).
    assert report.bound_names == [("physics", "Mixin"), ("physics", "Entity"),
                                  ("main", "Entity"), ("main", "Player")]


def test_bounce_speed_handler_runs_on_a_physics_edit(bounce_copy: Path) -> None:
    with Reloader(bounce_copy) as r:
        main = r.import_module("main")
        physics = sys.modules["physics"]
        main.dx, main.dy = 1, -1
        main.pos_x = 123
        source = (bounce_copy / "physics.py").read_text()
        edited = re.sub(r"^SPEED = \d+", "SPEED = 3", source, flags=re.M)
        assert edited != source
        (bounce_copy / "physics.py").write_text(edited)
        report = r.reload()
        assert report.ok, report
        assert report.changed == ["physics"]
        assert physics.SPEED == 3
        assert (main.dx, main.dy, main.pos_x) == (3, -3, 123)


def test_a_star_import_brings_an_edit_to_the_dependent_and_what_reads_it(game: Game) -> None:
    game.write("SPEED = 2\n", "physics")
    main = game.load("""
        from physics import *
        VEL = SPEED * 2
    """)
    assert (main.SPEED, main.VEL) == (2, 4)
    report = game.edit("SPEED = 40\n", "physics")
    assert report.ok, report
    # ``*`` binds whatever physics exports: SPEED changed, so VEL, which reads it, re-ran.
    assert (main.SPEED, main.VEL) == (40, 80)
    assert report.bound_names == [("physics", "SPEED"), ("main", "SPEED"), ("main", "VEL")]
