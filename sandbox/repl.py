"""A Python prompt into the running game: lines are read on a thread, run on the main thread.

``potato-sandbox GAME --repl``: ``>>> dx = 5`` runs in the game's ``main`` namespace, so the
next frames move by 5; ``>>> import physics; physics.SPEED`` shows a value. A line is read
(with readline's history and completion of the game's names, when the terminal has readline)
on a daemon thread that only queues it; the host runs the queue at the frame boundary
(:meth:`Repl.run_pending`), on the main thread and under the watchdog, like a hook. So game
code never runs on two threads at once.

A line that raises, hangs (the hang limit) or calls ``sys.exit()`` is reported as a
``ReplFailed`` event and the session goes on. What a line does is state, not code: a reload
keeps it (unchanged statements do not run again), a hot restart (F5) starts over.
"""

from __future__ import annotations

import codeop
import linecache
import queue
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from sandbox.events import ReplFailed
from sandbox.events.errors import error_info

__all__ = ["REPL_BANNER", "REPL_HINT", "Repl"]

REPL_BANNER = ("REPL: Python lines run in main's namespace at the next frame (Tab completes "
               "the game's names; Ctrl+D ends the prompt, the game goes on)")
REPL_HINT = "nothing else changed; the game keeps running — type the next line"
PROMPT, MORE = ">>> ", "... "


class Repl:
    """Read Python lines from ``stream`` on a thread; run them at the frame boundary.

    ``namespace()``: the dict lines run in (the game's live ``main``; after F5 the fresh one);
    ``run(fn)``: call ``fn`` under the watchdog (raises HookTimeout, GameExit);
    ``emit``: the event sink, told a ``ReplFailed`` when a line fails; ``root``: the game
    folder, for error locations. ``stream``: stdin unless given (a test's pipe). ``ran``:
    called after each line that ran (a line can define code: the timeline's ghosts, drawn
    by the code before it, are drawn again).
    """

    def __init__(self, namespace: Callable[[], dict[str, Any]],
                 run: Callable[[Callable[[], object]], object], emit: Callable[[object], None],
                 root: Path, stream: TextIO | None = None,
                 ran: Callable[[], None] = lambda: None) -> None:
        self.namespace = namespace
        self.run = run
        self.emit = emit
        self.root = root
        self.ran = ran
        self._stream = stream
        self._queue: queue.SimpleQueue[tuple[str, threading.Event]] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._count = 0  # lines run: each gets its own "<repl N>" file name
        self._matches: list[str] = []

    def start(self) -> None:
        """Start the reading thread (with readline's history and completion on a terminal)."""
        if self._stream is None:
            self._use_readline()
        self._thread = threading.Thread(target=self._read, name="sandbox-repl", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Read no more lines. A thread blocked reading a terminal stays until a line comes
        (a daemon: it never keeps the process alive)."""
        self._stop.set()

    # -- the reading thread ----------------------------------------------------------------------
    def _use_readline(self) -> None:
        try:
            import readline
        except ImportError:  # Windows without pyreadline: plain input(), no completion
            return
        readline.set_completer(self._complete)
        readline.parse_and_bind("tab: complete")

    def _complete(self, text: str, state: int) -> str | None:
        """readline's completer: the game's names (a copy: the main thread changes them)."""
        import rlcompleter

        if state == 0:
            completer = rlcompleter.Completer(dict(self.namespace()))
            self._matches = []
            while (match := completer.complete(text, len(self._matches))) is not None:
                self._matches.append(match)
        return self._matches[state] if state < len(self._matches) else None

    def _readline(self, prompt: str) -> str:
        """One line without its newline; EOFError at the end of input."""
        if self._stream is None:
            return input(prompt)
        line = self._stream.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    def _read(self) -> None:
        lines: list[str] = []
        while not self._stop.is_set():
            try:
                lines.append(self._readline(MORE if lines else PROMPT))
            except (EOFError, OSError, ValueError):
                return  # the terminal closed: the game goes on without a prompt
            source = "\n".join(lines)
            if _incomplete(source):
                continue
            lines = []
            if source.strip():
                self._submit(source)

    def _submit(self, source: str) -> None:
        """Queue ``source`` and wait until it ran, so its output comes before the next prompt."""
        done = threading.Event()
        self._queue.put((source, done))
        while not done.wait(0.1):
            if self._stop.is_set():
                return

    # -- the main thread -------------------------------------------------------------------------
    def run_pending(self) -> None:
        """Run every queued line, in order (the host calls this at the frame boundary)."""
        while True:
            try:
                source, done = self._queue.get_nowait()
            except queue.Empty:
                return
            try:
                self.execute(source)
            finally:
                done.set()

    def execute(self, source: str) -> bool:
        """Run ``source`` in the game's namespace now; False (and a ReplFailed) if it failed.

        Compiled in "single" mode, as Python's own prompt does: an expression's value is
        printed. The source goes into ``linecache`` so a traceback shows the line.
        """
        self._count += 1
        filename = f"<repl {self._count}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        try:
            code = compile(source, filename, "single")
            namespace = self.namespace()

            def repl() -> None:
                exec(code, namespace)

            self.run(repl)
        except (Exception, SystemExit) as exc:  # HookTimeout and GameExit are Exceptions
            info = replace(error_info(exc, self.root), hint=REPL_HINT)
            self.emit(ReplFailed(info))
            return False
        finally:
            sys.stdout.flush()
        self.ran()
        return True


def _incomplete(source: str) -> bool:
    """True while ``source`` needs more lines (an open block, bracket or string)."""
    try:
        return codeop.compile_command(source, "<repl>", "single") is None
    except (SyntaxError, ValueError, OverflowError):
        return False  # complete, and wrong: run it, so the error is reported like any other
