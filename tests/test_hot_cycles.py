"""Issue 11 item 8: a reload is refused where a fresh start would fail on an import cycle.

Every test checks its claim against a fresh ``python`` importing the same files (a new
interpreter, ``fresh_python``): refused exactly where that fails, accepted where it works.
After a refusal the running game keeps its old code, and the next valid save reloads.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

from bad_input import assert_old_code_runs_on, save_fix, warm
from test_hot_support import Game, game

from sandbox.host import Host
from sandbox.hot import Reloader, ReloadReport

__all__ = ["game"]


def fresh_python(g: Game, entry: str = "main") -> str | None:
    """What a fresh start gives: None when ``import entry`` works, else the error's last line."""
    code = f"import sys; sys.path.insert(0, {str(g.root)!r}); import {entry}"
    done = subprocess.run([sys.executable, "-B", "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=g.root)
    if done.returncode == 0:
        return None
    return done.stderr.strip().splitlines()[-1]


def fails_like_a_cycle(error: str | None) -> bool:
    """True for the error a fresh start gives on a circular import, in every Python's words.

    3.10–3.13 say "(most likely due to a circular import)"; 3.14 may instead suggest renaming
    a module that shadows a library ("consider renaming '…/main.py'"), for the same failure.
    """
    return error is not None and ("circular import" in error
                                  or "cannot import name" in error
                                  or "partially initialized" in error)


def physics_game(g: Game, main: str = "from physics import step\nSCALE = 2\n") -> ModuleType:
    """main.py importing physics.py (whose step() returns 1) at its top."""
    g.write("def step():\n    return 1\n", "physics")
    return g.load(main)


def reloads_like_python(g: Game, physics: str) -> ReloadReport:
    """Write physics.py; a fresh start of it works, and so does the reload."""
    g.write(physics, "physics")
    assert fresh_python(g) is None
    report = g.r.reload()
    assert report.ok, report
    return report


def test_a_from_import_closing_a_cycle_is_refused_then_the_fix_reloads(game: Game) -> None:
    game.write("def step():\n    return 1\n", "physics")
    main = game.load("""
        from physics import step
        SCALE = 2
    """)
    physics = sys.modules["physics"]
    game.edit("""
        from main import SCALE
        def step():
            return SCALE * 10
    """, "physics")
    # The oracle: a fresh start of these files fails.
    assert fails_like_a_cycle(fresh_python(game))
    report = game.r.reload()
    assert not report.ok
    assert str(report).startswith(
        "reload failed: a fresh start would fail here: physics.py:2 imports SCALE from main, "
        "which has not bound it yet (a circular import: main is still at main.py:2 importing "
        "physics)")
    assert "move the import into the function that uses SCALE" in str(report)
    info = report.error_info
    assert info is not None and (info.path, info.line) == ("physics.py", 2)
    assert main.step() == 1 and not hasattr(physics, "SCALE")  # the old code runs on
    # The fix the message suggests: the import inside the function.
    game.edit("""
        def step():
            from main import SCALE
            return SCALE * 10
    """, "physics")
    assert fresh_python(game) is None
    report = game.r.reload()
    assert report.ok, report
    assert main.step() == 20


def test_a_cycle_python_allows_reloads(game: Game) -> None:
    main = physics_game(game)
    reloads_like_python(game, """
        import main
        def step():
            return main.SCALE * 10
    """)
    assert main.step() == 20


def test_a_name_bound_above_the_import_that_leads_back_is_fine(game: Game) -> None:
    main = physics_game(game, "SCALE = 2\nfrom physics import step\n")
    reloads_like_python(game, """
        from main import SCALE
        def step():
            return SCALE * 10
    """)
    assert main.step() == 20
    # Moving the import above SCALE makes the same cycle fail: refused.
    game.write("""
        from physics import step
        SCALE = 2
    """)
    assert fails_like_a_cycle(fresh_python(game))
    report = game.r.reload()
    assert not report.ok
    assert "physics.py:2 imports SCALE from main" in str(report)


def test_a_top_level_read_of_a_partly_run_module_is_refused(game: Game) -> None:
    game.write("def step():\n    return 1\n", "physics")
    main = game.load("""
        from physics import step
        SCALE = 2
    """)
    game.write("""
        import main
        DOUBLE = main.SCALE * 2
        def step():
            return DOUBLE
    """, "physics")
    assert "has no attribute 'SCALE'" in (fresh_python(game) or "")
    report = game.r.reload()
    assert not report.ok
    assert ("physics.py:3 reads main.SCALE, which main has not bound yet (a circular import: "
            "main is still at main.py:2 importing physics)") in str(report)
    assert "read main.SCALE inside the function that uses it" in str(report)
    assert main.step() == 1


def test_a_star_import_of_a_partly_run_module_then_a_read_is_refused(game: Game) -> None:
    game.write("SPEED = 3\n", "consts")
    game.write("""
        from consts import *
        B = SPEED * 2
    """, "ents")
    main = game.load("""
        import consts
        import ents
    """)
    consts = sys.modules["consts"]
    game.write("""
        import ents
        SPEED = 3
    """, "consts")
    assert "name 'SPEED' is not defined" in (fresh_python(game) or "")
    report = game.r.reload()
    assert not report.ok
    assert ("ents.py:3 reads SPEED, which `from consts import *` (ents.py:2) did not give: "
            "consts had not bound it yet (a circular import: consts is still at consts.py:2 "
            "importing ents)") in str(report)
    assert not hasattr(consts, "ents") and main.ents.B == 6


def test_a_longer_cycle_names_every_step(game: Game) -> None:
    game.write("def f():\n    return 1\n", "b")
    game.write("from b import f\n", "a")
    main = game.load("""
        from a import f
        SCALE = 2
    """)
    game.write("""
        from main import SCALE
        def f():
            return SCALE
    """, "b")
    assert fails_like_a_cycle(fresh_python(game))
    report = game.r.reload()
    assert not report.ok
    assert ("b.py:2 imports SCALE from main, which has not bound it yet (a circular import: "
            "main is still at main.py:2 importing a, a.py:1 importing b)") in str(report)
    assert main.f() == 1


def test_a_new_module_closing_a_cycle_is_refused(game: Game) -> None:
    main = game.load("SCALE = 2\n")
    game.write("""
        from main import SCALE
        HALF = SCALE / 2
    """, "helper")
    game.write("""
        from helper import HALF
        SCALE = 2
    """)
    assert fails_like_a_cycle(fresh_python(game))
    report = game.r.reload()
    assert not report.ok
    assert "helper.py:2 imports SCALE from main" in str(report)
    assert "helper" not in sys.modules and not hasattr(main, "HALF")


def test_guarded_and_type_checking_cycles_reload(game: Game) -> None:
    game.write("def step():\n    return 1\n", "physics")
    main = game.load("""
        from physics import step
        SCALE = 2
    """)
    game.write("""
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from main import SCALE
        try:
            from main import SCALE as S
        except ImportError:
            S = 5
        def step() -> "SCALE":
            return S
    """, "physics")
    assert fresh_python(game) is None  # the ImportError is caught: Python is fine
    report = game.r.reload()
    assert report.ok, report
    # The reload ran ``from main import SCALE as S`` in the running game, where main has
    # SCALE: a fresh start gives 5 here, as the guard catches the failure (no refusal).
    assert main.step() == 2


def test_an_edit_elsewhere_in_a_game_with_an_allowed_cycle_still_reloads(game: Game) -> None:
    game.write("""
        import main
        def step():
            return main.SCALE
    """, "physics")
    main = game.load("""
        from physics import step
        SCALE = 2
        LIVES = 3
    """)
    game.write("""
        from physics import step
        LIVES = 4
        SCALE = 2
    """)
    assert fresh_python(game) is None
    report = game.r.reload()
    assert report.ok, report
    assert (main.LIVES, main.step()) == (4, 2)


def test_a_star_import_that_a_cycle_would_cut_short_is_refused(game: Game) -> None:
    # Found by the oracle, seed b'AAFBAEEBAAAAAABBAEEFQQFBA0EA': consts.py imports ents
    # between its names; ents's ``from consts import *`` then runs with consts partly run
    # and a fresh start gives ents only SPEED. Python allows it, but the running ents has
    # GRAV: the reload cannot make the game equal to a fresh start, so it is refused.
    game.write("SPEED = 1\nGRAV = 2\n", "consts")
    game.write("""
        from consts import *
        class Ent:
            A = SPEED
    """, "ents")
    main = game.load("""
        import consts
        import ents
    """)
    game.write("""
        SPEED = 1
        from ents import Ent
        GRAV = 2
    """, "consts")
    probe = "import sys; sys.path.insert(0, '.'); import main; print(hasattr(main.ents, 'GRAV'))"
    done = subprocess.run([sys.executable, "-B", "-c", probe], capture_output=True, text=True,
                          timeout=60, cwd=game.root)
    assert done.stdout.strip() == "False"  # Python: fine, but ents lacks GRAV
    report = game.r.reload()
    assert not report.ok
    assert ("a fresh start would differ here: ents.py:2 gets none of GRAV from `from consts "
            "import *`: consts has not bound them yet (a circular import: consts is still at "
            "consts.py:3 importing ents)") in str(report)
    assert main.ents.GRAV == 2 and not hasattr(main.consts, "Ent")


def test_a_game_that_started_with_such_a_cycle_is_not_blocked_by_it(game: Game) -> None:
    # The game started this way (Python allows it), so the running game is what a fresh
    # start gives: later edits (here a move, which makes the check look) still reload.
    game.write("SPEED = 1\nfrom ents import Ent\nGRAV = 2\nLIVES = 3\n", "consts")
    game.write("""
        from consts import *
        class Ent:
            A = SPEED
    """, "ents")
    main = game.load("""
        import consts
        import ents
    """)
    assert not hasattr(main.ents, "GRAV")
    game.write("SPEED = 1\nfrom ents import Ent\nLIVES = 4\nGRAV = 2\n", "consts")
    assert fresh_python(game) is None
    report = game.r.reload()
    assert report.ok, report
    assert main.consts.LIVES == 4


def test_a_main_guard_does_not_stop_the_check(game: Game) -> None:
    # ``if __name__ == "__main__":`` never runs in an imported module: its game imports do
    # not make the order unknown, so the cycle below is still refused.
    physics_game(game)
    game.write("""
        from main import SCALE
        def step():
            return SCALE
        if __name__ == "__main__":
            import main
    """, "physics")
    assert fails_like_a_cycle(fresh_python(game))
    report = game.r.reload()
    assert not report.ok and "physics.py:2 imports SCALE from main" in str(report)


def test_the_window_shows_a_refused_cycle_and_the_game_runs_on(bounce_copy: Path) -> None:
    # In a real (dummy-driver) window: bounce's main.py starts with ``import physics``;
    # physics.py asks main for BACKGROUND, which main binds later.
    with Host(bounce_copy, headless=True, watch=False, hang_timeout=1.0) as host:
        before = warm(host)
        physics = host.root / "physics.py"
        good = physics.read_text()
        physics.write_text("from main import BACKGROUND\n" + good)
        report = host.reload()
        assert str(report).startswith(
            "reload failed: a fresh start would fail here: physics.py:1 imports BACKGROUND "
            "from main, which has not bound it yet (a circular import: main is still at "
            "main.py:7 importing physics)"), str(report)
        assert host.last_error is not None and host.last_error.where == "physics.py:1"
        assert_old_code_runs_on(host, before)  # nothing changed; the rectangle moves on
        save_fix(host, physics, good)  # the next valid save reloads


def test_a_star_import_of_a_partly_run_module_missing_a_name_bound_above_it_differs(
        tmp_path: Path) -> None:
    # Found by the oracle (20,000 examples on 3.12): ents binds its own helper above
    # ``from consts import *``; consts now imports ents before it defines helper, so in a
    # fresh start ents keeps its own helper, where the running game has consts's.
    root = tmp_path / "game"
    root.mkdir()
    (root / "consts.py").write_text("SPEED = 1\ndef helper(x):\n    return 1\n")
    (root / "ents.py").write_text("import consts\ndef helper(x):\n    return 0\n"
                                  "from consts import *\nclass Ent:\n    pass\n")
    (root / "main.py").write_text("import consts\nimport ents\n")
    r = Reloader(root, retry_delay=0.0)
    try:
        main = r.import_module("main")
        assert main.ents.helper(1) == 1
        (root / "consts.py").write_text("SPEED = 1\nfrom ents import Ent\ndef helper(x):\n"
                                        "    return 1\n")
        report = r.reload()
        assert not report.ok
        assert "a fresh start would differ here" in str(report)
        assert "helper" in str(report)
        assert main.ents.helper(1) == 1  # the running game is left as it was
    finally:
        r.close()
        for m in ("main", "consts", "ents"):
            sys.modules.pop(m, None)
