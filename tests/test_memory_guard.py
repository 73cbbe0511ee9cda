"""The watchdog's memory guard on a real host: a hook, a reload and a restart that eat memory.

Each allocation loop is bounded (at most 400 MB, should the guard fail to stop it at 50 MB)
and sleeps a millisecond per megabyte, so the guard's readings see it grow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bad_input import (
    assert_old_code_runs_on,
    assert_stays_paused,
    line_of,
    save_fix,
    state,
    warm,
)
from gamefiles import edit

from sandbox.events import GameError
from sandbox.host import Host

UPDATE_HEAD = '    """One fixed step: move, then bounce off the walls."""\n'
TOP = "dy = 1\n"
EAT = ("hog = []\n"
       "for _ in range(400):\n"
       "    hog.append(bytearray(10**6))  # eats memory\n"
       "    __import__('time').sleep(0.001)\n")
pytestmark = pytest.mark.usefixtures("returned_heap")  # see conftest.returned_heap
RAN_AWAY = r"ran away with memory: (\d+ MB|\d+\.\d GB) in \d+\.\d s; infinite recursion\?"


def indented(code: str) -> str:
    return "".join(f"    {line}\n" for line in code.splitlines())


@pytest.fixture
def host(bounce_copy: Path) -> Iterator[Host]:
    with Host(bounce_copy, headless=True, watch=False, hang_timeout=30.0,
              memory_limit=50 * 10**6) as h:
        yield h


def test_a_hook_that_eats_memory_pauses_the_game_and_a_fix_resumes(host: Host) -> None:
    main = host.root / "main.py"
    good = main.read_text()
    warm(host)
    edit(main, UPDATE_HEAD, UPDATE_HEAD + indented(EAT))
    assert host.reload().ok
    before = state(host)
    assert host.step(1) == 1
    info = host.last_error
    assert host.paused and host.running and info is not None
    assert info.kind == "MemoryRunaway"
    assert re.fullmatch(r"update\(\) " + RAN_AWAY, info.message), str(info)
    # The allocation or the sleep after it: where the loop was when the guard read its size.
    assert info.where in {f"main.py:{line_of(main, 'eats memory') + n}" for n in (0, 1)}
    assert "recursion" in info.hint
    errors = [e for e in host.events if isinstance(e, GameError)]
    assert len(errors) == 1 and errors[0].hook == "update"
    assert state(host) == before
    assert_stays_paused(host, before)
    save_fix(host, main, good)


@pytest.mark.parametrize("how", ["reload", "restart"])
def test_a_reload_or_restart_that_eats_memory_keeps_the_running_game(host: Host,
                                                                     how: str) -> None:
    main = host.root / "main.py"
    good = main.read_text()
    before = warm(host)
    edit(main, TOP, TOP + EAT)
    report = host.reload() if how == "reload" else host.restart()
    assert not report.ok and report.error_info is not None
    assert re.match(f"{how} failed: MemoryRunaway: {how} {RAN_AWAY}", str(report)), str(report)
    assert report.error_info.where in {
        f"main.py:{line_of(main, 'eats memory') + n}" for n in (0, 1)}, str(report)
    assert state(host) == before
    assert_old_code_runs_on(host, before)
    save_fix(host, main, good)


def test_the_command_line_sets_the_limit_and_the_session_survives(
    bounce_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sandbox.cli import main

    edit(bounce_copy / "main.py", UPDATE_HEAD, UPDATE_HEAD + indented(EAT))
    # All 5 frames run (the session survives); a --frames run that ends on an error exits 1.
    assert main([str(bounce_copy), "--headless", "--no-watch", "--frames", "5",
                 "--memory-limit", "0.05", "--screenshot", str(bounce_copy / "end.png")]) == 1
    assert (bounce_copy / "end.png").stat().st_size > 0
    out = capsys.readouterr().out
    assert re.search(r"update\(\) failed: MemoryRunaway: update\(\) " + RAN_AWAY, out), out
    assert main([str(bounce_copy), "--headless", "--memory-limit", "-1"]) == 2
    assert "--memory-limit" in capsys.readouterr().err
