"""What the session reads from the terminal: single keys (r / R / q) and the ``--repl`` prompt.

Each reads on a thread of its own and hands over at the frame boundary, so game code only
ever runs on the main thread: the keys' actions run from ``Controls.handle_terminal`` (which
drains :attr:`TerminalInput.keys`), the prompt's lines from :meth:`TerminalInput.run_lines`,
under the watchdog. The two never read at once (``--repl`` takes the terminal's lines, so the
CLI asks for keys only without it), and the key reader lets go of the terminal while a
debugger's prompt (pdb) reads it.

It gets what each needs when it starts: the main thread's id, or the game's namespace, the
watchdog's call, the event sink, the game folder, the console and what to do after a line
ran; not the host.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sandbox.console_sink import ConsoleLike
from sandbox.devtools import TerminalKeys
from sandbox.process import debugger_in
from sandbox.repl import REPL_BANNER, Repl

__all__ = ["TerminalInput"]


class TerminalInput:
    """The terminal's keys and prompt, when asked for: started, run and stopped together."""

    def __init__(self) -> None:
        self.keys: TerminalKeys | None = None  # r / R / q, when stdin is a terminal
        self.repl: Repl | None = None  # --repl: a prompt into the game (sandbox.repl)

    def read_keys(self) -> bool:
        """Read r / R / q from the terminal; False when stdin is not one (nothing started)."""
        main = threading.get_ident()
        keys = TerminalKeys(hold=lambda: debugger_in(main) is not None)
        if keys.start():
            self.keys = keys
        return self.keys is not None

    def prompt(self, namespace: Callable[[], dict[str, Any]],
               run: Callable[[Callable[[], object]], object], emit: Callable[[object], None],
               root: Path, console: ConsoleLike | None, ran: Callable[[], None]) -> None:
        """Start the ``--repl`` prompt (``sandbox.repl.Repl``'s arguments); say how it works."""
        self.repl = Repl(namespace, run, emit, root, ran=ran)
        if console is not None:
            console.info(REPL_BANNER)
        self.repl.start()

    def run_lines(self) -> None:
        """Run the prompt's queued lines (the host calls this at the frame boundary)."""
        if self.repl is not None:
            self.repl.run_pending()

    def close(self) -> None:
        """Stop both; the terminal gets its settings back (idempotent)."""
        if self.repl is not None:
            self.repl.stop()
            self.repl = None
        if self.keys is not None:
            self.keys.stop()
            self.keys = None
