"""A name many modules import, edited: every dependent ends as a fresh import of the files.

The oracle is a fresh ``python`` process importing the same files; the reload's dependents
(found through ``sandbox.hot.importindex``, applied in dependency order from a heap) must
agree with it, whatever way they imported the name.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from test_hot_support import Game, game

__all__ = ["game"]

STYLES = [
    "from config import SPEED\nVALUE = SPEED + {i}\n",
    "import config as c\nVALUE = c.SPEED * {i}\n",
    "from config import *\nVALUE = SPEED - {i}\n",
    "from config import SPEED as S, OTHER\nVALUE = (S, OTHER, {i})\n",
    "from d{prev:03d} import VALUE as PREV\nVALUE = (PREV, {i})\n",  # a chain of dependents
    "from pkg.user import VALUE as PV\nVALUE = [PV, {i}]\n",
    "import config\nVALUE = config.SPEED + {i}\n",
    "from config import OTHER\nVALUE = OTHER + {i}\n",  # imports a name the edit keeps
]
COUNT = 48


def write_game(g: Game, speed: int, inner: int) -> None:
    g.write(f"SPEED = {speed}\nOTHER = 7\n", "config")
    g.write("", "pkg.__init__")
    g.write(f"SPEED = {inner}\n", "pkg.settings")
    g.write("from .settings import SPEED\nVALUE = SPEED * 10\n", "pkg.user")
    for i in range(COUNT):
        style = STYLES[i % len(STYLES)]
        g.write(style.format(i=i, prev=max(i - 4, 0)) if i >= 4 or "prev" not in style
                else f"VALUE = {i}\n", f"d{i:03d}")
    g.write("".join(f"import d{i:03d}\n" for i in range(COUNT)), "main")


def values_now() -> dict[str, Any]:
    return {f"d{i:03d}": json.loads(json.dumps(sys.modules[f"d{i:03d}"].VALUE))
            for i in range(COUNT)}


def fresh_values(root: Path) -> dict[str, Any]:
    """The same values from a fresh ``python`` importing the files as they are on disk."""
    code = ("import json, main, sys\n"
            f"print(json.dumps({{f'd{{i:03d}}': sys.modules[f'd{{i:03d}}'].VALUE "
            f"for i in range({COUNT})}}))")
    out = subprocess.run([sys.executable, "-B", "-c", code], cwd=root, capture_output=True,
                         text=True, check=True)
    return dict(json.loads(out.stdout))


def test_an_edit_reaches_every_dependent_as_a_fresh_import_would(game: Game) -> None:
    write_game(game, 1, 2)
    game.r.import_module("main")
    assert values_now() == fresh_values(game.root)
    for speed, inner in ((5, 2), (5, 9), (-3, 4)):
        write_game(game, speed, inner)
        report = game.r.reload()
        assert report.ok, report
        assert values_now() == fresh_values(game.root)
    report = game.r.reload()
    assert report.ok and report.changed == []


def test_a_dependent_importing_a_kept_name_does_not_run_again(game: Game) -> None:
    write_game(game, 1, 2)
    game.r.import_module("main")
    kept = sys.modules["d007"]  # ``from config import OTHER``: OTHER is not edited
    kept.VALUE = "played with"
    write_game(game, 2, 2)
    report = game.r.reload()
    assert report.ok, report
    assert kept.VALUE == "played with"
    assert sys.modules["d000"].VALUE == 2
