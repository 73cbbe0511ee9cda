"""What is wrong but does not stop the game shows in the window too (issue 15, item 7).

A misspelt hook is in the window's notice strip (not only the terminal) for as long as it is
misspelt; a deleted module is reported when it is deleted, and its return is told.
"""

from __future__ import annotations

import time
from pathlib import Path

from gamefiles import BLUE, edit

from sandbox.host import Host
from sandbox.hot import ReloadReport
from sandbox.overlay import notice_strip

DROW = "\n\ndef drow(renderer):\n    pass\n"


def test_a_misspelt_hook_shows_in_the_notice_strip_until_fixed(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with main.open("a") as f:
        f.write(DROW)
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(1)
        assert host.overlay.notices == (str(host.events[0]),)
        assert "'drow' is not a hook; did you mean draw?" in host.overlay.notices[0]
        width, height = host.display.size if host.display else (0, 0)
        # The strip darkens the bottom left; the bottom right of the game stays as drawn.
        assert host.pixel(2, height - 3) != BLUE
        assert host.pixel(width - 3, height - 3) == BLUE
        edit(main, "def drow(renderer):", "def helper(renderer):")
        assert host.reload().ok
        host.step(1)
        assert host.overlay.notices == ()
        assert host.pixel(2, height - 3) == BLUE


def test_the_strip_is_only_as_wide_as_its_text(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        assert host.display is not None
        host.step(1)
        host.display.clear((0, 0, 255))
        notice_strip(host.display, ["short"])
        host.display.present()
        width, height = host.display.size
        assert host.pixel(2, height - 3) != BLUE
        assert host.pixel(width // 2, height - 3) == BLUE


def test_a_deleted_module_is_reported_when_deleted_and_its_return_told(
        bounce_copy: Path, tmp_path: Path) -> None:
    physics = bounce_copy / "physics.py"
    kept = tmp_path / "physics.py.bak"
    with Host(bounce_copy, headless=True, watch=True) as host:
        host.step(2)
        physics.rename(kept)
        assert host.wait_for_change(5)
        time.sleep(0.05)
        host.step(1)
        told = [str(e) for e in host.events if isinstance(e, ReloadReport)]
        assert told and "physics.py is missing" in told[-1]
        host.step(5)
        assert len([e for e in host.events if "physics.py is missing" in str(e)]) == 1
        kept.rename(physics)
        assert host.wait_for_change(5)
        time.sleep(0.05)
        host.step(1)
        assert str(host.events[-1]) == "resumed: physics.py fixed"
