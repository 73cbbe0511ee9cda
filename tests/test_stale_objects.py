"""Saying when hot reload cannot reach existing objects (issue 15.4), with real reloads.

A new attribute set in ``__init__`` and used elsewhere fails on objects made before the edit;
a changed dataclass default leaves existing objects as they were. Both say: "existing Enemy
objects were made before this change: press F5 to restart".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gamefiles import edit

from sandbox.events import GameError, Notice
from sandbox.events.errors import DEFAULT_HINT, error_info
from sandbox.host import Host
from sandbox.panel import error_rows

HINT = "existing Enemy objects were made before this change: press F5 to restart"

MAIN = '''import enemies

TITLE = "stale"
SIZE = (160, 120)


def update(dt):
    enemies.step_all()


def draw(renderer):
    renderer.clear((0, 0, 0))
    for enemy in enemies.crowd:
        renderer.fill((enemy.x % 150, 50, 10, 10), (255, 255, 255))
'''

PLAIN = '''class Enemy:
    def __init__(self):
        self.x = 0

    def step(self):
        self.x += 1


crowd = [Enemy(), Enemy()]


def step_all():
    for enemy in crowd:
        enemy.step()
'''

DATA = '''from dataclasses import dataclass


@dataclass
class Enemy:
    speed: int = 2
    x: int = 0

    def step(self):
        self.x += self.speed


@dataclass
class Boss:
    hp: int = 100

    def step(self):
        pass


crowd = [Enemy(), Enemy(speed=5)]
bosses = {"last": Boss()}


def step_all():
    for enemy in crowd:
        enemy.step()
'''


def make_game(tmp_path: Path, enemies: str) -> Path:
    game = tmp_path / "stale"
    game.mkdir()
    (game / "main.py").write_text(MAIN)
    (game / "enemies.py").write_text(enemies)
    return game


def notices(host: Host, mark: int = 0) -> list[str]:
    return [str(ev) for ev in host.events.since(mark) if isinstance(ev, Notice)]


def panel_text(host: Host) -> str:
    assert host.last_error is not None
    return "\n".join(text for text, _ in error_rows(host.last_error, 80, 12))


def test_a_new_init_attribute_used_by_old_objects_says_press_f5(tmp_path: Path) -> None:
    game = make_game(tmp_path, PLAIN)
    enemies = game / "enemies.py"
    with Host(game, headless=True, watch=False) as host:
        host.step(3)
        mark = host.events.total
        edit(enemies, "        self.x = 0\n", "        self.x = 0\n        self.age = 0\n")
        edit(enemies, "        self.x += 1\n", "        self.x += 1\n        self.age += 1\n")
        assert host.reload().ok
        # Said with the reload, before anything trips over it ...
        assert [n for n in notices(host, mark) if "F5" in n] == [
            f"{HINT} (Enemy.__init__ now sets age)"]
        host.step(1)  # ... and again in the panel when something does
        assert host.paused and host.last_error is not None
        assert host.last_error.kind == "AttributeError"
        assert "'Enemy' object has no attribute 'age'" in host.last_error.message
        assert host.last_error.hint == HINT
        assert HINT in panel_text(host)  # the panel keeps the hint whatever else is cut
        failed = [str(ev) for ev in host.events if isinstance(ev, GameError)]
        assert failed and failed[-1].endswith(HINT)
        host.restart()  # F5: the objects are made again, by the new __init__
        host.step(2)
        assert not host.paused and host.last_error is None
        assert [e.age for e in host.reloader.modules["enemies"].crowd] == [2, 2]


def test_an_attribute_init_never_sets_keeps_the_usual_hint(tmp_path: Path) -> None:
    game = make_game(tmp_path, PLAIN)
    with Host(game, headless=True, watch=False) as host:
        mark = host.events.total
        edit(game / "enemies.py", "        self.x += 1\n", "        self.x += self.speed\n")
        assert host.reload().ok
        host.step(1)
        assert host.last_error is not None and host.last_error.hint == DEFAULT_HINT
        assert not [n for n in notices(host, mark) if "F5" in n]


def test_objects_made_after_the_init_edit_are_not_told_about(tmp_path: Path) -> None:
    game = make_game(tmp_path, PLAIN)
    with Host(game, headless=True, watch=False) as host:
        mark = host.events.total
        enemies = game / "enemies.py"
        edit(enemies, "        self.x = 0\n", "        self.x = 0\n        self.age = 0\n")
        edit(enemies, "crowd = [Enemy(), Enemy()]", "crowd = [Enemy()]")
        assert host.reload().ok
        assert not [n for n in notices(host, mark) if "F5" in n]
        assert host.reloader.modules["enemies"].crowd[0].age == 0


def test_an_object_failing_inside_the_new_init_is_not_an_old_one() -> None:
    class Enemy:
        def __init__(self) -> None:
            self.step()
            self.age = 0

        def step(self) -> None:
            self.age += 1

    with pytest.raises(AttributeError) as caught:
        Enemy()
    assert error_info(caught.value).hint == DEFAULT_HINT


def test_a_crowd_made_again_carries_the_new_default(tmp_path: Path) -> None:
    game = make_game(tmp_path, DATA)
    with Host(game, headless=True, watch=False) as host:
        edit(game / "enemies.py", "speed: int = 2", "speed: int = 4")
        edit(game / "enemies.py", "crowd = [Enemy(), Enemy(speed=5)]",
             "crowd = [Enemy(), Enemy(speed=7)]")
        assert host.reload().ok
        assert [e.speed for e in host.reloader.modules["enemies"].crowd] == [4, 7]


def test_a_changed_dataclass_default_tells_once_after_the_reload_line(tmp_path: Path) -> None:
    game = make_game(tmp_path, DATA)
    enemies = game / "enemies.py"
    with Host(game, headless=True, watch=False) as host:
        host.step(2)
        mark = host.events.total
        edit(enemies, "speed: int = 2", "speed: int = 4")
        edit(enemies, "hp: int = 100", "hp: int = 50")
        assert host.reload().ok
        lines = [str(ev) for ev in host.events.since(mark)]
        told = [n for n in notices(host, mark) if "F5" in n]
        assert told == ["existing Enemy, Boss objects were made before this change: press F5 "
                        "to restart (Enemy.speed keeps its old default 2; Boss.hp keeps its "
                        "old default 100)"]
        assert lines.index(told[0]) > 0 and lines[0].startswith("reloaded enemies.py")
        crowd = host.reloader.modules["enemies"].crowd
        assert [e.speed for e in crowd] == [2, 5]  # what the notice is about
        mark = host.events.total
        host.restart()  # F5: made again with the new default, and nothing more to tell
        host.step(1)
        assert [e.speed for e in host.reloader.modules["enemies"].crowd] == [4, 5]
        assert not [n for n in notices(host, mark) if "F5" in n]


@pytest.mark.parametrize("edits", [
    # a method: the reload reaches every object
    [("        self.x += self.speed", "        self.x += 2 * self.speed")],
    # a new default, and the objects made again by the same edit
    [("speed: int = 2", "speed: int = 4"),
     ("crowd = [Enemy(), Enemy(speed=5)]", "crowd = [Enemy(), Enemy(speed=7)]")],
    # play moved every x off the old default: the new one would not reach them either
    [("x: int = 0", "x: int = 3")],
])
def test_nothing_is_told_when_every_object_follows_the_edit(
    tmp_path: Path, edits: list[tuple[str, str]]
) -> None:
    game = make_game(tmp_path, DATA)
    with Host(game, headless=True, watch=False) as host:
        host.step(2)
        mark = host.events.total
        for old, new in edits:
            edit(game / "enemies.py", old, new)
        assert host.reload().ok
        assert not [n for n in notices(host, mark) if "F5" in n]


class Touchy:
    """A value whose comparison raises (like an array's): counted as changed, never raised."""

    def __eq__(self, other: object) -> bool:
        raise ValueError("ambiguous")

    __hash__ = object.__hash__


class Opaque:
    """An object whose ``__dict__`` raises when looked at."""

    @property  # type: ignore[misc]
    def __dict__(self) -> dict[str, object]:  # type: ignore[override]
        raise RuntimeError("no peeking")


def test_odd_values_and_objects_never_break_the_check() -> None:
    import dataclasses
    import types

    from sandbox.stale import changed_defaults, class_facts, stale_notice

    module = types.ModuleType("odd")

    @dataclasses.dataclass
    class Enemy:
        speed: object = 2

    Enemy.__module__ = "odd"
    module.Enemy = Enemy  # type: ignore[attr-defined]
    module.things = [Opaque(), Enemy(), Enemy(Touchy())]  # type: ignore[attr-defined]
    modules = {"odd": module}
    before, _ = class_facts(modules)
    assert before == {("odd", "Enemy"): {"speed": 2}}
    after = {("odd", "Enemy"): {"speed": Touchy()}}
    changed = changed_defaults(before, after)  # 2 == Touchy() raises: a change
    assert changed == {("odd", "Enemy"): {"speed": 2}}
    notice = stale_notice(changed, {}, modules)
    assert notice is not None
    assert str(notice) == (f"{HINT} (Enemy.speed keeps its old default 2)")


def test_an_attribute_set_by_a_method_init_calls_counts_too(tmp_path: Path) -> None:
    game = make_game(tmp_path, PLAIN.replace(
        "        self.x = 0\n", "        self.x = 0\n        self.reset()\n\n"
        "    def reset(self):\n        self.y = 0\n"))
    enemies = game / "enemies.py"
    with Host(game, headless=True, watch=False) as host:
        host.step(2)
        mark = host.events.total
        edit(enemies, "        self.y = 0\n", "        self.y = 0\n        self.age = 0\n")
        edit(enemies, "        self.x += 1\n", "        self.x += 1\n        self.age += 1\n")
        assert host.reload().ok
        assert [n for n in notices(host, mark) if "F5" in n] == [
            f"{HINT} (Enemy.__init__ now sets age)"]
        host.step(1)
        assert host.last_error is not None and host.last_error.hint == HINT
