"""The hang watchdog: real game functions in real files, a real watchdog thread."""

from __future__ import annotations

import importlib.util
import io
import os
import pdb
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from sandbox.events import ErrorInfo
from sandbox.process import debugger_in
from sandbox.watchdog import (
    GameExit,
    HookTimeout,
    MemoryRunaway,
    Watchdog,
    error_info,
    recursion_info,
)

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


# -- the memory guard ----------------------------------------------------------------------------

RAN_AWAY = (r"update\(\) ran away with memory: (\d+ MB|\d+\.\d GB) in \d+\.\d s; "
            r"infinite recursion\?")
HOG = '''\
import time


def update(dt):
    hog = []
    for _ in range(400):  # at most 400 MB, should the guard not stop it at 50 MB
        hog.append(bytearray(10**6))
        time.sleep(0.001)
    return len(hog)


def fast(x):
    return x + 1
'''


@pytest.mark.usefixtures("returned_heap")  # a full run's free heap would hide the growth
def test_a_hook_that_eats_memory_is_interrupted_and_the_session_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "main.py"
    path.write_text(HOG)
    spec = importlib.util.spec_from_file_location("wd_hog_main", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with Watchdog(30.0, root=tmp_path, memory_limit=50 * 10**6, poll=0.01) as w:
        with pytest.raises(MemoryRunaway) as caught:
            w.call(module.update, 0.0)
        assert re.fullmatch(RAN_AWAY, str(caught.value)), str(caught.value)
        info = error_info(caught.value, tmp_path)
        assert info.kind == "MemoryRunaway" and info.path == "main.py"
        assert info.line in (7, 8)  # in the loop: the allocation or the sleep after it
        assert "recursion" in info.hint
        del caught, info  # the traceback keeps the hog alive
        assert w.call(module.fast, 1) == 2  # the next calls run as before
        with pytest.raises(MemoryRunaway):  # and the guard is armed again
            w.call(module.update, 0.0)


# CPython 3.13.0-3.13.7 does not apply the recursion limit to a call that fills in default
# arguments (gh-132744): the recursion eats memory (~1 GB a second) instead of raising.
RUNAWAY_RECURSION = (3, 13) <= sys.version_info[:3] < (3, 13, 8)

RECURSE = '''\
import resource
import sys
from pathlib import Path

# Whatever happens, this process cannot take more than 3 GB of address space.
resource.setrlimit(resource.RLIMIT_AS, (3 * 10**9, 3 * 10**9))
root = Path(sys.argv[1])
(root / "main.py").write_text(
    "def fall(depth=1):\\n    return fall() + 1\\n\\n\\ndef update(dt):\\n    return fall()\\n")
sys.path.insert(0, str(root))
import main
from sandbox.watchdog import MemoryRunaway, Watchdog, error_info

with Watchdog(60.0, root=root, memory_limit=100 * 10**6, poll=0.01) as w:
    try:
        w.call(main.update, 0.0)
    except MemoryRunaway as exc:
        info = error_info(exc, root)
        print("MemoryRunaway", info.where, [f.function for f in info.frames], sep="|")
        print(exc)
    except RecursionError as exc:
        print("RecursionError", error_info(exc, root).where, sep="|")
    print("then", w.call(sum, [40, 2]))
'''


def test_a_runaway_recursion_is_stopped_by_the_limit_or_the_guard(tmp_path: Path) -> None:
    """On a CPython with the runaway-recursion bug the memory guard stops it; elsewhere the
    recursion limit does. Either way the error names the recursive line and the session
    (here: the process, capped at 3 GB) goes on."""
    done = subprocess.run([sys.executable, "-c", RECURSE, str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    first, *rest = done.stdout.splitlines()
    if RUNAWAY_RECURSION:
        assert first.startswith("MemoryRunaway|main.py:2|['update', 'fall'"), first
        assert re.fullmatch(RAN_AWAY, rest[0]), rest
    else:
        assert first == "RecursionError|main.py:2"
    assert rest[-1] == "then 42"


# -- time the process did not run ---------------------------------------------------------------

PAUSED = '''\
import sys
import time

from sandbox.watchdog import HookTimeout, Watchdog


def work(seconds):
    """Busy for ``seconds`` of this thread's own CPU time: work that fits the limit."""
    print("started", flush=True)
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass
    return "done"


def hang():
    print("started", flush=True)
    while True:
        pass


with Watchdog(1.5) as w:
    for hook in (work, hang):
        started = time.perf_counter()
        try:
            outcome = w.call(hook, 0.3) if hook is work else w.call(hook)
        except HookTimeout:
            outcome = "HookTimeout"
        print(hook.__name__, outcome, f"{time.perf_counter() - started:.1f}", w.pauses,
              flush=True)
'''


def test_time_the_process_was_stopped_is_not_blamed_on_the_hook() -> None:
    """A VM pause, played by SIGSTOP/SIGCONT: 2.5 s stopped in a hook that needs 0.3 s of
    CPU must not be a hang (its wall time is ~3 s, over the 1.5 s limit); a real hang that is
    stopped the same way is still interrupted, 1.5 s of running time after it started."""
    child = subprocess.Popen([sys.executable, "-c", PAUSED], cwd=REPO, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None
    lines = []
    try:
        for _ in ("work", "hang"):
            assert child.stdout.readline() == "started\n"
            time.sleep(0.2)
            child.send_signal(signal.SIGSTOP)
            time.sleep(2.5)
            child.send_signal(signal.SIGCONT)
            lines.append(child.stdout.readline().split())
        assert child.wait(30) == 0, child.stderr.read() if child.stderr else ""
    finally:
        child.kill()
    (work, outcome, took, pauses), (hang, hung, hang_took, hang_pauses) = lines
    assert (work, outcome) == ("work", "done") and int(pauses) >= 1
    assert float(took) >= 2.5  # it did take longer than the limit, by the wall clock
    assert (hang, hung) == ("hang", "HookTimeout") and int(hang_pauses) > int(pauses)
    assert 3.9 <= float(hang_took) < 7  # the limit, plus the 2.5 s it was stopped


def test_a_c_call_that_holds_the_gil_is_not_mistaken_for_a_pause() -> None:
    """The watchdog's ticks are late while a C call holds the GIL, as after a pause; but the
    process burns CPU meanwhile, so that time counts and the hook is interrupted (when the C
    call returns, as always)."""
    pattern = re.compile(r"(a+)+b")  # backtracks 2**n times, in C, the GIL held throughout
    n = 18
    while True:  # the length that makes it last at least a second on this machine, now
        started = time.perf_counter()
        assert pattern.match("a" * n) is None
        took = time.perf_counter() - started
        if took >= 1.0:
            break
        n += 1

    def backtrack() -> bool:
        found = pattern.match("a" * n)
        time.sleep(0.1)  # the hook goes on after the C call: time for the watchdog to act
        return found is None

    with Watchdog(took / 4) as w, pytest.raises(HookTimeout):
        w.call(backtrack)


# -- a debugger is in charge ---------------------------------------------------------------------

def test_the_watchdog_stands_down_while_pdb_holds_a_hook(game: ModuleType) -> None:
    """breakpoint() in a hook: pdb's prompt waits (here 0.8 s for 'c' on its input) past the
    0.2 s limit; the hook resumes and returns, and the next hang is interrupted as usual."""
    read, write = os.pipe()
    shown = io.StringIO()
    with os.fdopen(read) as commands:
        debugger = pdb.Pdb(stdin=commands, stdout=shown)  # the prompt reads the pipe

        def update(dt: float) -> str:
            debugger.set_trace()  # what breakpoint() does
            return "resumed"

        answer = threading.Timer(0.8, os.write, (write, b"c\n"))
        answer.start()
        try:
            with Watchdog(0.2) as w:
                started = time.perf_counter()
                assert w.call(update, 0.0) == "resumed"
                assert time.perf_counter() - started >= 0.75 and w.stood_down == 1
                with pytest.raises(HookTimeout):
                    w.call(game.update, 0.0)
        finally:
            answer.join()
            os.close(write)
    assert "(Pdb)" in shown.getvalue()
    assert sys.gettrace() is None  # pdb let go on 'c'


def test_no_debugger_is_seen_where_there_is_none() -> None:
    assert debugger_in(threading.get_ident()) is None
