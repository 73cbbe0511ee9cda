"""Issue 15 item 10: a reload's one line says what changed in words a person uses.

"Player: field size added" rather than "1 definition added, 1 definition removed";
"re-ran SPEED, VEL" rather than "2 statements re-run"; "re-ran Enemy.COLOUR" for a class
attribute. The line stays short: at most three names, then "+N more".
"""

from __future__ import annotations

import re

from test_hot_support import Game, game

__all__ = ["game"]

PLAYER = """
    from dataclasses import dataclass
    @dataclass
    class Player:
        x: int = 0
{extra}
    PLAYER = Player()
"""


def line(report: object) -> str:
    """The report's line without its timing (which depends on the machine)."""
    return re.sub(r" \(\d+\.\d ms\)", "", str(report))


def test_an_added_dataclass_field_is_named_as_a_field(game: Game) -> None:
    main = game.load(PLAYER.format(extra=""))
    report = game.edit(PLAYER.format(extra="        size: int = 3"))
    assert report.ok, report
    assert line(report) == "reloaded main.py: Player: field size added"
    assert report.added == [] and report.fields == ["Player: field size added"]
    assert main.PLAYER.size == 3  # and the instance made before got its default


def test_fields_added_without_a_default_and_removed(game: Game) -> None:
    game.load(PLAYER.format(extra="        size: int = 3"))
    report = game.edit("""
        from dataclasses import dataclass
        @dataclass
        class Player:
            hp: int
            name: str
        PLAYER = None
    """)
    assert report.ok, report
    assert line(report) == ("reloaded main.py: re-ran PLAYER; Player: fields hp, name added; "
                            "Player: fields x, size removed")


def test_re_run_statements_are_named(game: Game) -> None:
    main = game.load("""
        SPEED = 2
        VEL = SPEED * 2
        def f():
            return VEL
    """)
    report = game.edit("""
        SPEED = 3
        VEL = SPEED * 2
        def f():
            return VEL
    """)
    assert report.ok, report
    assert line(report) == "reloaded main.py: re-ran SPEED, VEL"
    assert main.f() == 6


def test_a_class_attribute_is_named_with_its_class(game: Game) -> None:
    game.load("""
        class Enemy:
            COLOUR = (1, 2, 3)
            def hit(self):
                return 1
    """)
    report = game.edit("""
        class Enemy:
            COLOUR = (1, 2, 4)
            def hit(self):
                return 2
    """)
    assert report.ok, report
    assert line(report) == "reloaded main.py: 1 function patched; re-ran Enemy.COLOUR"


def test_a_long_list_is_capped_and_a_nameless_statement_is_located(game: Game) -> None:
    game.load("""
        EVENTS = []
        A = 1
        B = A + 1
        C = B + 1
        D = C + 1
        EVENTS.append(D)
    """)
    report = game.edit("""
        EVENTS = []
        A = 2
        B = A + 1
        C = B + 1
        D = C + 1
        EVENTS.append(D)
    """)
    assert report.ok, report
    assert report.reran == ["A", "B", "C", "D", "main.py:7"]
    assert line(report) == "reloaded main.py: re-ran A, B, C, +2 more"


def test_added_and_removed_definitions_are_named(game: Game) -> None:
    game.load("""
        def old():
            return 1
        class Enemy:
            pass
    """)
    report = game.edit("""
        def new():
            return 1
        class Enemy:
            def hit(self):
                return 2
    """)
    assert report.ok, report
    assert line(report) == "reloaded main.py: added new, Enemy.hit; removed old"
