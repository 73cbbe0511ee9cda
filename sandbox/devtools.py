"""Developer tools' data, kept out of the loop: frame times, HUD lines, screenshots, terminal keys.

Nothing here imports SDL. The host feeds :class:`DevTools` once a frame and asks it for the
HUD's lines; the overlay draws them (and the frame-time graph) with ``Display``'s primitives.

- :class:`FrameTimes` is a ring buffer of the last 120 frames: the work time of each frame
  (what the graph shows) and the interval between frame starts (what fps is computed from, so
  sleeping to the frame rate counts as it should).
- :func:`screenshot_path` names a screenshot ``<game>-<YYYYmmdd-HHMMSS>[-N].png`` in
  ``screenshots/`` and *reserves* the name by creating the file exclusively, so two screenshots
  in the same second never overwrite each other, even from two sessions.
- :class:`TerminalKeys` reads single keys from the terminal (``r`` reload, ``R`` hot restart,
  ``q`` quit, Flutter's habit) in a thread that only queues them; the host drains the queue at
  the frame boundary, as it drains the watcher's.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["GRAPH_FRAMES", "DevTools", "FrameTimes", "TerminalKeys",
           "screenshot_path"]

GRAPH_FRAMES = 120  # frames kept; the HUD graph (sandbox.overlay) draws one bar for each


class FrameTimes:
    """The last ``size`` frames: work seconds (the graph) and start-to-start seconds (fps)."""

    def __init__(self, size: int = GRAPH_FRAMES) -> None:
        self.work: deque[float] = deque(maxlen=size)
        self.intervals: deque[float] = deque(maxlen=size)
        self._last_start: float | None = None

    def add(self, start: float, seconds: float) -> None:
        """Record a frame that began at ``start`` (perf_counter) and took ``seconds``."""
        if self._last_start is not None:
            self.intervals.append(max(0.0, start - self._last_start))
        self._last_start = start
        self.work.append(seconds)

    def fill(self, work: Iterable[float], interval: float) -> None:
        """Replace the history (tests pin it for a deterministic HUD picture)."""
        self.work.clear()
        self.work.extend(work)
        self.intervals.clear()
        self.intervals.extend([interval] * len(self.work))

    @property
    def fps(self) -> float:
        """Frames per second over the recorded intervals (0 before two frames)."""
        total = sum(self.intervals)
        return len(self.intervals) / total if total > 0 else 0.0

    @property
    def average(self) -> float:
        """Mean work seconds per frame."""
        return sum(self.work) / len(self.work) if self.work else 0.0

    @property
    def worst(self) -> float:
        """The longest frame in the history, in seconds."""
        return max(self.work, default=0.0)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


class DevTools:
    """What the HUD shows: frame times, the fixed-step rate, the last reload and its modules."""

    def __init__(self, step: float) -> None:
        self.step = step
        self.times = FrameTimes()
        self.last_reload: Any = None  # the engine's ReloadReport (duck-typed: hot/ may change)

    def reloaded(self, report: Any) -> None:
        """Remember a reload or restart report for the HUD."""
        self.last_reload = report

    def hud_lines(self, frame: int, paused: bool, extra: Sequence[str] = ()) -> list[str]:
        """The HUD's text lines; the overlay draws the frame-time graph under the first."""
        t = self.times
        lines = [f"{t.fps:.0f} fps  frame {_ms(t.average)} (max {_ms(t.worst)})  "
                 f"fixed step {1 / self.step:.0f} Hz"]
        report = self.last_reload
        if report is None:
            lines.append("reload: none yet")
        else:
            text = str(report)
            took = _ms(float(getattr(report, "seconds", 0.0)))
            lines.append(f"reload: {text}" if took in text else f"reload ({took}): {text}")
            changed = ", ".join(getattr(report, "changed", ()) or ()) or "none"
            lines.append(f"has_module_changed: {changed}")
        lines.extend(extra)
        lines.append(f"frame {frame}" + ("  paused" if paused else ""))
        return lines


def screenshot_path(game: str, folder: str | Path = "screenshots",
                    now: float | None = None) -> Path:
    """A new, reserved ``folder/<game>-<YYYYmmdd-HHMMSS>[-N].png`` (folder created if missing).

    The file is created empty with ``O_EXCL`` so the name is ours: a second screenshot in the
    same second gets ``-2``, then ``-3``; nothing is ever overwritten.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    n = 1
    while True:
        candidate = out / (f"{game}-{stamp}.png" if n == 1 else f"{game}-{stamp}-{n}.png")
        try:
            fd = os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            n += 1
            continue
        os.close(fd)
        return candidate.resolve()


def _in_background(fd: int) -> bool:
    """True when ``fd`` is our controlling terminal and another process group has it.

    A shell's background job (``potato-sandbox game &``) that changes its terminal's mode is
    stopped by SIGTTOU. A terminal that is not our controlling one (a pty handed to us as
    stdin) raises ENOTTY here and has no such rule.
    """
    try:
        return os.tcgetpgrp(fd) != os.getpgrp()
    except OSError:
        return False


class TerminalKeys:
    """Queue single key presses from a terminal in a thread (cbreak mode, restored on stop).

    Only works when ``stream`` is a TTY (``start()`` returns False otherwise). cbreak mode
    (not raw) keeps Ctrl+C working and output newlines intact. The thread waits in ``select``
    with a short timeout so ``stop()`` returns promptly and can restore the terminal.

    ``hold()`` True (a debugger stopped the game: pdb's prompt reads this terminal) makes the
    reader give the terminal its own settings back and read nothing until it is False again.
    """

    def __init__(self, stream: Any = None, hold: Callable[[], bool] | None = None) -> None:
        self._stream = stream if stream is not None else sys.stdin
        self._hold = hold
        self._held = False
        self._keys: deque[str] = deque()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._saved: Any = None
        self._fd = -1

    def start(self) -> bool:
        """Start reading keys; False (and nothing done) when the stream is not a terminal."""
        try:
            if not self._stream.isatty():
                return False
            import termios
            import tty

            self._fd = self._stream.fileno()
            if _in_background(self._fd):
                return False  # changing the terminal would stop us with SIGTTOU
            self._saved = termios.tcgetattr(self._fd)
            tty.setcbreak(self._fd)
        except (ImportError, OSError, ValueError, AttributeError):  # no termios (Windows)
            return False
        self._thread = threading.Thread(target=self._run, name="sandbox-keys", daemon=True)
        self._thread.start()
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self._holding():
                    self._stop.wait(0.05)
                    continue
                ready, _, _ = select.select([self._fd], [], [], 0.05)
                # Asked again just before reading: pdb may have started while we waited.
                if not ready or self._holding():
                    continue
                data = os.read(self._fd, 64)
            except (OSError, ValueError):
                return
            if not data:  # the terminal went away
                return
            self._keys.extend(data.decode("utf-8", "replace"))

    def _holding(self) -> bool:
        """Whether to stay off the terminal now; switches its mode when that changes."""
        held = self._hold is not None and self._hold()
        if held != self._held:
            import termios
            import tty

            try:
                if held:  # the debugger's prompt wants line editing and echo
                    termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
                else:
                    tty.setcbreak(self._fd)
            except termios.error as exc:  # not an OSError: _run ends on OSError
                raise OSError(str(exc)) from exc
            self._held = held
        return held

    def drain(self) -> list[str]:
        """Every key queued since the last drain (deque pops are thread-safe)."""
        keys: list[str] = []
        while self._keys:
            keys.append(self._keys.popleft())
        return keys

    def stop(self) -> None:
        """Stop the thread and give the terminal its settings back (idempotent)."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(1.0)
        if self._saved is not None:
            import termios

            with contextlib.suppress(OSError, termios.error):
                termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
            self._saved = None
