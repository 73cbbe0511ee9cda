"""Issue 11, item 1 across classes: a value derived from another class's attribute follows it.

``class Boss(Base): HP = Base.HP + 1`` and ``LIMIT = Base.HP * 2`` are derived constants just
like ``VEL = SPEED * 2``: when an edit changes ``Base.HP``, a fresh start gives the new sums.
``Base`` is patched in place (its name keeps the same object), so "the name was rebound" is not
enough to find them: the class's changed attributes count as rebound dotted names
(``Base.HP``), in its own module and, through the imports, in every module that reads them.

The oracle is a fresh ``python`` run on the new sources, in its own process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_hot_support import Game, game

__all__ = ["game"]

_BASE = "class Base:\n    HP = 5\n    SPEED = 2\n\n    def hit(self):\n        return 1\n"


def fresh_values(root: Path, expressions: dict[str, str]) -> dict[str, object]:
    """What a fresh ``python`` with ``root`` on its path gives for each ``module.expression``."""
    lines = ["import importlib, json", "out = {}"]
    for key, expr in expressions.items():
        module, _, rest = expr.partition(":")
        lines.append(f"out[{key!r}] = eval({rest!r}, vars(importlib.import_module({module!r})))")
    lines.append("print(json.dumps(out))")
    done = subprocess.run([sys.executable, "-B", "-c", "\n".join(lines)], cwd=root,
                          capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def running_values(game: Game, expressions: dict[str, str]) -> dict[str, object]:
    """The same expressions evaluated in the running modules."""
    out = {}
    for key, expr in expressions.items():
        module, _, rest = expr.partition(":")
        out[key] = eval(rest, vars(sys.modules[module]))
    return out


def test_a_subclass_and_a_constant_derived_from_a_class_attribute_in_the_same_module(
        game: Game) -> None:
    main = game.load(_BASE + "\nclass Boss(Base):\n    HP = Base.HP + 1\n\nLIMIT = Base.HP * 2\n")
    boss_class = main.Boss
    assert (main.Boss.HP, main.LIMIT) == (6, 10)
    report = game.edit(_BASE.replace("HP = 5", "HP = 10")
                       + "\nclass Boss(Base):\n    HP = Base.HP + 1\n\nLIMIT = Base.HP * 2\n")
    assert report.ok, report
    want = fresh_values(game.root, {"boss": "main:Boss.HP", "limit": "main:LIMIT"})
    assert running_values(game, {"boss": "main:Boss.HP", "limit": "main:LIMIT"}) == want
    assert want == {"boss": 11, "limit": 20}
    assert main.Boss is boss_class  # patched, not rebuilt: instances and references stay live
    assert "main.Boss.HP" in report.rerun and ("main", "LIMIT") in report.bound_names


def test_derived_values_in_another_module_follow_through_from_import(game: Game) -> None:
    game.write(_BASE, "ents")
    main = game.load("""\
        from ents import Base as B

        class Boss(B):
            HP = B.HP + 1

        LIMIT = B.HP * 2
        HITS = B.hit
    """)
    hits = main.HITS
    game.write(_BASE.replace("HP = 5", "HP = 10").replace("return 1", "return 2"), "ents")
    report = game.r.reload()
    assert report.ok, report
    exprs = {"boss": "main:Boss.HP", "limit": "main:LIMIT", "hit": "main:HITS(None)"}
    want = fresh_values(game.root, exprs)
    assert running_values(game, exprs) == want == {"boss": 11, "limit": 20, "hit": 2}
    assert main.HITS is hits  # a method body edit patches in place: nothing re-runs for it


def test_derived_values_follow_through_import_module_and_a_chain(game: Game) -> None:
    game.write(_BASE, "ents")
    game.write("from ents import Base\n\nclass Boss(Base):\n    HP = Base.HP + 1\n", "bosses")
    game.load("""\
        import ents
        import bosses

        LIMIT = ents.Base.HP * 2
        BOSS_LIMIT = bosses.Boss.HP * 3
    """)
    game.write(_BASE.replace("HP = 5", "HP = 7"), "ents")
    report = game.r.reload()
    assert report.ok, report
    exprs = {"limit": "main:LIMIT", "boss": "main:BOSS_LIMIT", "hp": "bosses:Boss.HP"}
    want = fresh_values(game.root, exprs)
    assert running_values(game, exprs) == want == {"limit": 14, "boss": 24, "hp": 8}


def test_an_instance_made_from_the_class_is_not_remade_and_play_values_are_kept(
        game: Game) -> None:
    main = game.load(_BASE + "\nPLAYER = Base()\nLIMIT = Base.HP * 2\nCAP = Base.HP + 1\n")
    player = main.PLAYER
    player.x = 42  # play moved the player
    main.CAP = 99  # and changed CAP
    report = game.edit(_BASE.replace("HP = 5", "HP = 10")
                       + "\nPLAYER = Base()\nLIMIT = Base.HP * 2\nCAP = Base.HP + 1\n")
    assert report.ok, report
    assert main.PLAYER is player and player.x == 42  # Base() reads no changed attribute
    assert main.LIMIT == 20
    assert main.CAP == 99  # kept: changed while playing
    assert "kept CAP" in str(report)


def test_an_unchanged_attribute_does_not_rerun_what_reads_it(game: Game) -> None:
    main = game.load(_BASE + "\nFAST = Base.SPEED * 2\n")
    main.FAST = 7  # play's value; not re-run because SPEED did not change
    report = game.edit(_BASE.replace("HP = 5", "HP = 10") + "\nFAST = Base.SPEED * 2\n")
    assert report.ok, report
    assert main.FAST == 7
    assert "FAST" not in str(report)


def test_a_chained_read_of_an_unchanged_member_keeps_the_play_value(game: Game) -> None:
    """Oracle seed: ``perm = consts.Perm.W`` was taken as reading a missing ``Perm.W``."""
    flags = "import enum\n\nclass Perm(enum.Flag):\n    R = 1\n    W = 2\n\nOTHER = 1\n"
    consts = game.load(flags, "consts")
    main = game.load("import consts\n\nperm = consts.Perm.W\n")
    main.perm = played = consts.Perm.R | consts.Perm.W  # play
    game.write(flags.replace("R = 1", "R = 4"), "consts")  # Perm's members changed
    report = game.r.reload()
    assert report.ok, report
    assert main.perm is played  # kept: changed while playing
    assert "kept perm" in str(report)
