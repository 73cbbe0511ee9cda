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

from sandbox.debugger import debugger_holds
from sandbox.events import ErrorInfo
from sandbox.events.errors import GameExit, HookTimeout, error_info, recursion_info
from sandbox.events.errors import exit_message as _exit_message
from sandbox.events.errors import reload_error_info as _reword
from sandbox.hot import ReloadReport

__all__ = [
    "GameExit",
    "HookTimeout",
    "Watchdog",
    "error_info",
    "install_sigint_handler",
    "recursion_info",
    "reload_error_info",
]

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


def install_sigint_handler() -> None:
    """Count real Ctrl+C presses so ``Watchdog.call`` lets them end the session."""

    def handler(signum: int, frame: FrameType | None) -> None:
        global _sigint_count
        _sigint_count += 1
        signal.default_int_handler(signum, frame)

    signal.signal(signal.SIGINT, handler)


class Watchdog:
    """Run callables on the calling thread with a time limit of ``timeout`` seconds."""

    def __init__(self, timeout: float = 2.0, root: str | Path | None = None) -> None:
        self.timeout = timeout
        self.root = Path(root) if root is not None else None
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._seq = 0  # id of the current call; 0 = none yet
        self._active = False
        self._start = 0.0
        self._tid = 0
        self._fired = 0  # seq of the last call interrupted
        self._exempt = 0  # seq of a call a debugger stopped in: never interrupted
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
        fired_at = 0.0
        while not self._closed:
            with self._lock:
                now = time.perf_counter()
                if self._active:
                    # A hook that swallowed the interrupt is hit again a full period later.
                    again = self._fired == self._seq
                    due = (fired_at if again else self._start) + self.timeout
                    if now >= due:
                        if not self._stands_down():
                            self._fired = self._seq
                            fired_at = now
                            _set_async_exc(self._tid, _Interrupt)
                        due = now + self.timeout
                    wait = due - now
                else:
                    # No call that starts from now on can overrun sooner than this.
                    wait = self.timeout
            self._wake.wait(wait)

    def _stands_down(self) -> bool:
        """True when the running call is held by a debugger (a breakpoint, pdb's prompt).

        Once seen, the call is exempt until it returns: after ``c`` at pdb's prompt the
        trace is gone but the time spent at the prompt is no hang. Called under the lock.
        """
        if self._exempt != self._seq and debugger_holds(self._tid):
            self._exempt = self._seq
        return self._exempt == self._seq

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
                                     self.root)
            if info is not None:
                report.error_info = info
        return report


def reload_error_info(exc: BaseException | None, info: ErrorInfo | None, what: str,
                      timeout: float, root: str | Path | None = None) -> ErrorInfo | None:
    """Reword a failed reload's error (``sandbox.events.errors.reload_error_info``)."""
    return _reword(exc, info, what, timeout, root, interrupted=isinstance(exc, _Interrupt))
