"""The real CLI on a pseudo-terminal: a test types into it and reads what it prints.

``Session(args)`` starts ``python -m sandbox ARGS`` with the pty as its stdin, stdout and
stderr (SDL's dummy video driver), ``expect(text)`` reads until ``text`` has been printed,
``type(line)`` types a line. Every wait is bounded: a session that hangs fails the test, never
the suite. ``close()`` kills the process if it is still running.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["REPO", "Session"]

REPO = Path(__file__).resolve().parent.parent
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


class Session:
    """``python -m sandbox *args`` on a fresh pty; everything it printed so far in ``seen``."""

    def __init__(self, args: Sequence[str], env: dict[str, str] | None = None) -> None:
        self.controller, terminal = os.openpty()
        base = {k: v for k, v in os.environ.items() if k != "PYTHONBREAKPOINT"}
        full = {**base, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
                "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1", "TERM": "dumb",
                "COLUMNS": "200", **(env or {})}
        self.proc = subprocess.Popen([sys.executable, "-m", "sandbox", *args], cwd=REPO,
                                     env=full, stdin=terminal, stdout=terminal,
                                     stderr=terminal, start_new_session=True)
        os.close(terminal)
        self.seen = ""
        self._mark = 0

    def _read(self, timeout: float) -> bool:
        """Read what is there within ``timeout``; False once the output has ended."""
        ready, _, _ = select.select([self.controller], [], [], max(0.0, timeout))
        if not ready:
            return True
        try:
            chunk = os.read(self.controller, 65536)
        except OSError:  # EIO: every writer has closed the pty (the process ended)
            return False
        self.seen += _ANSI.sub("", chunk.decode("utf-8", "replace"))
        return bool(chunk)

    def expect(self, text: str, timeout: float = 20.0) -> str:
        """Read until ``text`` is printed after the last expect; return what came until it."""
        deadline = time.monotonic() + timeout
        while (found := self.seen.find(text, self._mark)) < 0:
            left = deadline - time.monotonic()
            if left <= 0 or (not self._read(min(left, 0.2)) and self.proc.poll() is not None):
                raise AssertionError(f"{text!r} not printed; the output so far:\n{self.seen}")
        start, self._mark = self._mark, found + len(text)
        return self.seen[start:self._mark]

    def drain(self, seconds: float) -> str:
        """Read for ``seconds`` whatever comes (the session keeps running meanwhile)."""
        deadline = time.monotonic() + seconds
        start = len(self.seen)
        while (left := deadline - time.monotonic()) > 0 and self._read(min(left, 0.1)):
            pass
        return self.seen[start:]

    def type(self, line: str) -> None:
        """Type ``line`` and Enter."""
        os.write(self.controller, line.encode() + b"\n")

    def wait(self, timeout: float = 30.0) -> int:
        """The exit code, reading the output meanwhile (a full pty would block the process)."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"the session did not end; the output:\n{self.seen}")
            self._read(0.1)
        self.drain(0.2)
        return self.proc.returncode

    def close(self) -> None:
        """Kill the process if it still runs, and close the pty."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        os.close(self.controller)
