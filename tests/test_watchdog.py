"""The hang watchdog: real game functions in real files, a real watchdog thread."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from sandbox.events import ErrorInfo
from sandbox.watchdog import GameExit, HookTimeout, Watchdog, error_info, recursion_info

REPO = Path(__file__).resolve().parent.parent

GAME = '''\
import sys


def update(dt):
    n = 0
    while True:
        n += 1


def swallow(dt):
    while True:
        try:
            while True:
                pass
        except Exception:
            pass


def fast(x):
    return x + 1


def recurse(n):
    return recurse(n + 1) + 1


def quit_game(dt):
    sys.exit()


def interrupt(dt):
    raise KeyboardInterrupt


def fail(dt):
    return 1 / 0
'''


@pytest.fixture
def game(tmp_path: Path) -> ModuleType:
    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent(GAME))
    spec = importlib.util.spec_from_file_location("wd_game_main", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def dog(tmp_path: Path) -> Iterator[Watchdog]:
    w = Watchdog(0.2, root=tmp_path)
    yield w
    w.close()


def test_interrupts_an_endless_loop_and_names_the_line(
    game: ModuleType, dog: Watchdog, tmp_path: Path
) -> None:
    started = time.perf_counter()
    with pytest.raises(HookTimeout) as caught:
        dog.call(game.update, 1 / 60)
    assert 0.19 < time.perf_counter() - started < 1.0
    info = ErrorInfo.from_exception(caught.value, tmp_path)
    assert info.path == "main.py"
    assert info.line == 6  # the loop's head, on every Python version
    assert info.frames[-1].function == "update"
    assert "update() ran longer than 0.2 s" in str(info)
    assert "endless loop" in error_info(caught.value, tmp_path).hint


def test_except_exception_cannot_swallow_the_interrupt(game: ModuleType, dog: Watchdog) -> None:
    with pytest.raises(HookTimeout):
        dog.call(game.swallow, 0.0)


def test_fast_calls_are_not_interrupted(game: ModuleType, dog: Watchdog) -> None:
    assert dog.call(game.fast, 1) == 2
    time.sleep(0.3)  # past the limit, with no call running: nothing may be delivered
    total = 0
    for i in range(10_000):
        total += dog.call(game.fast, i)
    assert total == sum(range(1, 10_001))


def test_no_stray_interrupt_after_many_calls_near_the_limit(tmp_path: Path) -> None:
    # Calls that end right around the deadline race the watchdog; none may leak out.
    w = Watchdog(0.01, root=tmp_path)
    try:
        outcomes = {"ok": 0, "timeout": 0}
        for _ in range(60):
            try:
                w.call(_busy, 0.0098)
                outcomes["ok"] += 1
            except HookTimeout:
                outcomes["timeout"] += 1
        # Anything pending would surface in this loop as a stray exception.
        deadline = time.perf_counter() + 0.1
        while time.perf_counter() < deadline:
            pass
    finally:
        w.close()
    assert sum(outcomes.values()) == 60


def _busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_overhead_per_call_is_small(game: ModuleType, dog: Watchdog) -> None:
    """Not a benchmark: guards against a thread or a wake-up per call (tens of µs)."""
    n = 20_000
    started = time.perf_counter()
    for i in range(n):
        dog.call(game.fast, i)
    per_call = (time.perf_counter() - started) / n
    assert per_call < 20e-6


def test_infinite_recursion_is_named(game: ModuleType, dog: Watchdog, tmp_path: Path) -> None:
    with pytest.raises(RecursionError) as caught:
        dog.call(game.recurse, 0)
    info = recursion_info(caught.value, tmp_path)
    assert str(info).startswith("RecursionError: infinite recursion in recurse() (main.py:24)")
    assert info.where == "main.py:24"
    assert len(info.frames) == 1
    assert error_info(caught.value, tmp_path) == info


def test_sys_exit_in_a_hook_is_reported(game: ModuleType, dog: Watchdog, tmp_path: Path) -> None:
    with pytest.raises(GameExit) as caught:
        dog.call(game.quit_game, 0.0)
    assert str(caught.value) == (
        "game code called sys.exit() in quit_game() at main.py:28; "
        "the session stays up — press Esc to quit"
    )
    info = error_info(caught.value, tmp_path)
    assert info.where == "main.py:28"
    assert str(info) == "GameExit: game code called sys.exit() at main.py:28"
    assert "Esc" in info.hint


def test_keyboard_interrupt_in_a_hook_is_reported(game: ModuleType, dog: Watchdog) -> None:
    with pytest.raises(GameExit, match=r"raised KeyboardInterrupt in interrupt\(\) at main.py:32"):
        dog.call(game.interrupt, 0.0)


def test_other_exceptions_pass_through(game: ModuleType, dog: Watchdog, tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError) as caught:
        dog.call(game.fail, 0.0)
    assert error_info(caught.value, tmp_path).where == "main.py:36"


def test_a_swallowed_then_finished_hook_still_works(game: ModuleType, dog: Watchdog) -> None:
    with pytest.raises(HookTimeout):
        dog.call(game.update, 0.0)
    assert dog.call(game.fast, 41) == 42  # the watchdog is re-armed for the next call


def test_never_holds_up_interpreter_exit() -> None:
    code = ("from sandbox.watchdog import Watchdog\nw = Watchdog(0.5)\n"
            "print(w.call(sum, [1, 2]))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, timeout=30,
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "3")


def test_a_hung_update_pauses_a_real_host(bounce_copy: Path) -> None:
    """End to end: the real host's hook seam (``Host.invoke``) under a Watchdog."""
    from sandbox.host import Host

    main_py = bounce_copy / "main.py"
    source = main_py.read_text()
    hang = "    pos_x += dx\n    while pos_x > 5:\n        pass\n"
    main_py.write_text(source.replace("    pos_x += dx\n", hang))
    hang_line = main_py.read_text().splitlines().index("    while pos_x > 5:") + 1

    class GuardedHost(Host):
        dog = Watchdog(0.2, root=bounce_copy)

        def invoke(self, fn: Callable[..., object], *args: object) -> object:
            return self.dog.call(fn, *args)

    try:
        with GuardedHost(bounce_copy, headless=True, watch=False) as host:
            host.step(10)
            assert host.paused and host.last_error is not None
            assert host.last_error.kind == "HookTimeout"
            assert host.last_error.path == "main.py"
            assert host.last_error.line == hang_line
            assert host.step(3) == 3  # the session is still up
    finally:
        GuardedHost.dog.close()


def test_a_hang_inside_a_c_call_is_interrupted_when_it_returns(tmp_path: Path) -> None:
    """An async exception is raised between bytecodes: time.sleep() is not cut short."""
    path = tmp_path / "sleepy.py"
    path.write_text("import time\n\n\ndef update(dt):\n    time.sleep(0.4)\n    return 1\n")
    spec = importlib.util.spec_from_file_location("wd_sleepy", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with Watchdog(0.1, root=tmp_path) as w:
        started = time.perf_counter()
        with pytest.raises(HookTimeout) as caught:
            w.call(module.update, 0.0)
        assert time.perf_counter() - started >= 0.39
    assert error_info(caught.value, tmp_path).where == "sleepy.py:5"


LOOPS = {
    "a bare while at the top level": ("X = 1\nwhile True:\n    pass\n", "while True:"),
    "a while in a function": ("def f():\n    n = 0\n    while n >= 0:\n        n += 1\n"
                              "        n -= 1\n\n\nf()\n", "    while n >= 0:"),
    "a for over an endless iterator": ("import itertools\nfor i in itertools.count():\n"
                                       "    if i < 0:\n        break\n",
                                       "for i in itertools.count():"),
    "the inner of two loops": ("while True:\n    try:\n        while True:\n            pass\n"
                               "    except Exception:\n        pass\n", "        while True:"),
}


@pytest.mark.parametrize("source, head", LOOPS.values(), ids=list(LOOPS))
def test_an_interrupted_loop_is_reported_at_its_head(source: str, head: str,
                                                     tmp_path: Path) -> None:
    # CPython numbers a loop's jump back by version (3.14: the body's last line, so `pass`;
    # every version: a for loop's body): the report names the loop's own line, with no caret.
    path = tmp_path / "main.py"
    path.write_text(source)
    with Watchdog(0.1, root=tmp_path) as w, pytest.raises(HookTimeout) as caught:
        w.call(exec, compile(source, str(path), "exec"), {})
    info = error_info(caught.value, tmp_path)
    assert (info.where, info.source_line) == (
        f"main.py:{source.splitlines().index(head) + 1}", head)
    assert info.column is None and info.frames[-1].line == info.line
