"""Run game hooks with a time limit, and turn what game code must not do into clear errors.

The host calls hooks on the main thread about 120 times a second, so a call must stay cheap:
``Watchdog.call`` only writes a start time and a sequence number under an uncontended lock
(no thread per call, no wake-up). One long-lived daemon thread sleeps until the earliest moment
the running call could overrun, checks whether the same call is still running, and if so raises
an exception *in the main thread* with ``PyThreadState_SetAsyncExc``.

Why an asynchronous exception: ``signal.setitimer``/SIGALRM would also interrupt the main
thread between bytecodes, but it is Unix-only and SDL installs its own signal handling; an
async exception works everywhere CPython runs. Like a signal, it is raised only between
bytecodes: a pure-Python endless loop is interrupted at once, but a hang inside one C call
(``time.sleep(60)``, a blocking read) is interrupted only when that call returns. The
exception is raised in the innermost frame that was running, so its traceback names the file
and line where the hook was stuck.

The same thread guards memory: while a call runs it reads the process's resident size every
``poll`` seconds (no work per call), and a call under which the process grew by more than
``memory_limit`` bytes is interrupted the same way and reported as ``MemoryRunaway`` ("ran
away with memory: 1.0 GB in 0.8 s; infinite recursion?"). An endless allocation or a runaway
recursion would otherwise end in the kernel's OOM killer, taking the session (or, on CPython
3.13.0-3.13.7, where a call filling in default arguments skips the recursion limit, the
machine) with it.

Time the process did not run is not the game's: after a VM pause or Ctrl+Z a draw() that
was running would otherwise be blamed for minutes. The thread ticks at least every ``poll``
seconds; a tick that comes late reveals such a pause, and the running call's clock skips
the part of it in which the process used no CPU (``_forgive_pause``).

A call stopped at a breakpoint is not a hang: when a call is due while a debugger is active in
its thread (``debugger_in``), the watchdog stands down for that call.

The exception raised in the hook is a private ``BaseException`` subclass, so a game's
``except Exception`` cannot swallow it; ``call`` turns it into ``HookTimeout`` (an ``Exception``
carrying the stuck traceback). Game code that calls ``sys.exit()`` or raises
``KeyboardInterrupt`` gets a ``GameExit`` instead of ending the session; a real Ctrl+C (seen
by the handler of ``install_sigint_handler``) still propagates.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TypeVar

from sandbox.events import ErrorInfo
from sandbox.events.errors import (
    GameExit,
    HookTimeout,
    MemoryRunaway,
    error_info,
    recursion_info,
)
from sandbox.events.errors import exit_message as _exit_message
from sandbox.events.errors import reload_error_info as _reword
from sandbox.hot import ReloadReport
from sandbox.process import debugger_in, memory_text, resident_bytes

__all__ = [
    "DEFAULT_MEMORY_LIMIT",
    "GameExit",
    "HookTimeout",
    "MemoryRunaway",
    "Watchdog",
    "error_info",
    "install_sigint_handler",
    "recursion_info",
    "reload_error_info",
]

DEFAULT_MEMORY_LIMIT = 10**9  # bytes a call may grow the process by: 1 GB
PAUSE = 0.5  # seconds a watchdog tick may be late before the process counts as paused

T = TypeVar("T")

_sigint_count = 0


def _set_async_exc(tid: int, exc: type[BaseException] | None) -> None:
    """Raise ``exc`` in thread ``tid`` at its next bytecode boundary; None clears a pending one.

    The C API takes NULL (not Py_None) to clear, hence the two argument forms.
    """
    arg = ctypes.py_object(exc) if exc is not None else None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), arg)


class _Interrupt(BaseException):
    """Raised inside the stuck hook; a BaseException so ``except Exception`` lets it through."""


class _MemoryInterrupt(_Interrupt):
    """Raised inside a hook under which the process grew past the memory limit."""




def install_sigint_handler() -> None:
    """Count real Ctrl+C presses so ``Watchdog.call`` lets them end the session."""

    def handler(signum: int, frame: FrameType | None) -> None:
        global _sigint_count
        _sigint_count += 1
        signal.default_int_handler(signum, frame)

    signal.signal(signal.SIGINT, handler)


class Watchdog:
    """Run callables on the calling thread with a time limit of ``timeout`` seconds.

    ``memory_limit``: bytes the process may grow by during one call (None: no limit);
    ``poll``: seconds between the watchdog's ticks, which read the memory of a running call
    and notice when the process was paused (see ``_forgive_pause``); 20 a second cost about
    0.3 % of a core while the game idles.
    """

    def __init__(self, timeout: float = 2.0, root: str | Path | None = None,
                 memory_limit: int | None = DEFAULT_MEMORY_LIMIT, poll: float = 0.05) -> None:
        self.timeout = timeout
        self.root = Path(root) if root is not None else None
        self.memory_limit = memory_limit
        self.poll = poll
        self._runaway = ""  # "ran away with memory: …" of the last call interrupted for it
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._seq = 0  # id of the current call; 0 = none yet
        self._active = False
        self._start = 0.0
        self._tid = 0
        self._fired = 0  # seq of the last call interrupted
        self._fired_at = 0.0
        self._watched, self._base = 0, 0  # the call whose memory is watched, the size before
        self.pauses = 0  # times the process was found not running (paused), for the tests
        self._stood_down = 0  # seq of the last call left alone for a debugger
        self.stood_down = 0  # how many calls were
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="sandbox-watchdog", daemon=True)
        self._thread.start()

    def call(self, fn: Callable[..., T], *args: object) -> T:
        """Return ``fn(*args)``; raise HookTimeout if it overruns, GameExit if it exits."""
        if self._active and self._tid == threading.get_ident():
            return fn(*args)  # nested: the outer call's deadline already covers this one
        with self._lock:
            self._seq += 1
            seq = self._seq
            self._tid = threading.get_ident()
            self._start = time.perf_counter()
            self._active = True
        try:
            try:
                return fn(*args)
            finally:
                self._disarm(seq)
        except _Interrupt as exc:
            # The interrupt may have landed inside the first _disarm: finish disarming.
            self._disarm(seq)
            name = getattr(fn, "__name__", "hook")
            if isinstance(exc, _MemoryInterrupt):
                raise MemoryRunaway(f"{name}() {self._runaway}").with_traceback(
                    exc.__traceback__) from None
            raise HookTimeout(
                f"{name}() ran longer than {self.timeout:g} s and was interrupted"
            ).with_traceback(exc.__traceback__) from None
        except (SystemExit, KeyboardInterrupt) as exc:
            if isinstance(exc, KeyboardInterrupt) and _sigint_count:
                raise  # the user pressed Ctrl+C: that one does end the session
            raise GameExit(_exit_message(exc, fn, self.root)).with_traceback(
                exc.__traceback__
            ) from None

    def __enter__(self) -> Watchdog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the watchdog thread (a call in progress is no longer limited)."""
        self._closed = True
        self._wake.set()
        self._thread.join(1.0)

    def _disarm(self, seq: int) -> None:
        with self._lock:
            self._active = False
            fired = self._fired == seq
        if fired:
            # Fired but maybe not raised yet (the hook returned just in time): clear it, so it
            # can never surface after call() returns. No new one can be set once inactive.
            _set_async_exc(self._tid, None)

    def _run(self) -> None:
        before = resident_bytes() if self.memory_limit else 0
        slept_at, asked, cpu_at = time.perf_counter(), 0.0, time.process_time()
        while not self._closed:
            size = resident_bytes() if self.memory_limit else 0
            with self._lock:
                now = time.perf_counter()
                self._forgive_pause(now - slept_at, asked, time.process_time() - cpu_at, now)
                wait = self.timeout  # no call that starts from now on can overrun sooner
                if self._active:
                    self._check_memory(now, before, size)
                    wait = self._check_time(now)
                # Ticks no longer apart than ``poll``: a late one reveals a pause to forgive.
                asked = min(wait, self.poll)
            before = size
            slept_at, cpu_at = time.perf_counter(), time.process_time()
            self._wake.wait(asked)

    def _forgive_pause(self, slept: float, asked: float, cpu: float, now: float) -> None:
        """Do not count time the process did not run against the running call.

        A tick that comes ``PAUSE`` seconds late means the process was not running, or was
        held up: the machine (a VM) was paused, the process stopped (Ctrl+Z) or starved of
        CPU, or a C call held the GIL. Of that sleep, the time the process spent without
        using CPU is not the game's, and the call's clock skips it; a C call holding the GIL
        burns CPU, so its time still counts. A hook that sleeps or blocks (releasing the GIL)
        is still caught: the ticks keep coming on time.
        """
        if slept - asked < PAUSE:
            return
        idle = slept - cpu
        if idle <= 0:
            return
        self._start = min(now, self._start + idle)
        self._fired_at = min(now, self._fired_at + idle)
        self.pauses += 1

    def _check_memory(self, now: float, before: int, size: int) -> None:
        """Interrupt the running call if the process grew by more than the memory limit."""
        if not self.memory_limit or self._fired == self._seq:
            return
        if self._watched != self._seq:  # first seen: measure from the last reading
            self._watched, self._base = self._seq, min(before, size)
        elif size - self._base > self.memory_limit:
            self._fire(_MemoryInterrupt, now)
            self._runaway = (f"ran away with memory: {memory_text(size - self._base)} in "
                             f"{now - self._start:.1f} s; infinite recursion?")

    def _check_time(self, now: float) -> float:
        """Interrupt the running call if it is overdue; return the seconds until it would be."""
        if self._stood_down == self._seq:
            return self.timeout
        # A hook that swallowed the interrupt is hit again a full period later.
        again = self._fired == self._seq
        due = (self._fired_at if again else self._start) + self.timeout
        if now >= due:
            if not again and debugger_in(self._tid):
                # Stopped at a breakpoint (pdb's prompt) or stepping: the developer is in
                # charge of this call, not an endless loop. The next call is watched again.
                self._stood_down = self._seq
                self.stood_down += 1
                return self.timeout
            self._fire(_Interrupt, now)
            due = now + self.timeout
        return due - now

    def _fire(self, exc: type[_Interrupt], now: float) -> None:
        """Interrupt the running call (the caller holds the lock)."""
        self._fired, self._fired_at = self._seq, now
        _set_async_exc(self._tid, exc)

    def run_engine(self, what: str, run: Callable[..., ReloadReport], *args: object,
                   restart: bool = False) -> ReloadReport:
        """Run the engine's ``run(*args)`` (a reload or restart: it executes game code) here.

        The engine rolls back and reports whatever the game's statements raise, but re-raises
        SystemExit/KeyboardInterrupt after its rollback; ``call`` turns those into GameExit,
        reported as a failed reload. A hang comes back as the engine's caught interrupt and
        is reworded by ``reload_error_info``.
        """
        try:
            report = self.call(run, *args)
        except GameExit as exc:
            exited = replace(error_info(exc, self.root),
                             hint="the old code keeps running; fix and save to retry (F9), or "
                                  "press Esc to quit")
            return ReloadReport(ok=False, error=exc, error_info=exited, restart=restart)
        if not report.ok:
            info = reload_error_info(report.error, report.error_info, what, self.timeout,
                                     self.root, self._runaway)
            if info is not None:
                report.error_info = info
        return report


def reload_error_info(exc: BaseException | None, info: ErrorInfo | None, what: str,
                      timeout: float, root: str | Path | None = None,
                      runaway: str = "ran away with memory") -> ErrorInfo | None:
    """Reword a failed reload's error (``sandbox.events.errors.reload_error_info``)."""
    return _reword(exc, info, what, timeout, root, interrupted=isinstance(exc, _Interrupt),
                   runaway=runaway if isinstance(exc, _MemoryInterrupt) else None)
