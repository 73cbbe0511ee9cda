"""Lines that C libraries print to stderr while SDL probes a device, kept out of the terminal.

With no sound card, opening audio makes ALSA's library print eight ``ALSA lib confmisc.c:…``
lines straight to file descriptor 2 (not through Python, so ``sys.stderr`` cannot catch them)
before SDL reports the one reason that matters, which the sandbox shows as "sound is off: …".
``without_lines`` points descriptor 2 at a temporary file for the probe, then writes back every
line but the dropped ones: nothing else printed meanwhile (a warning, another thread's
output) is lost, only delayed until the probe ends.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress

__all__ = ["PROBE_NOISE", "without_lines"]

PROBE_NOISE = (b"ALSA lib ",)  # what SDL's audio probing makes libasound print


@contextmanager
def without_lines(prefixes: tuple[bytes, ...] = PROBE_NOISE, fd: int = 2) -> Iterator[None]:
    """Run the body with ``fd`` captured, then write back its lines but those of ``prefixes``."""
    # No sys.stderr (pythonw) or a closed one: the descriptor is what matters.
    with suppress(AttributeError, OSError, ValueError):
        sys.stderr.flush()  # Python's own buffered text goes out first, in order
    try:
        saved = os.dup(fd)
    except OSError:  # no such descriptor (pythonw): nothing to filter
        saved = -1
    if saved < 0:
        yield
        return
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)
            capture.seek(0)
            kept = [line for line in capture.read().splitlines(keepends=True)
                    if not line.startswith(prefixes)]
            if kept:
                os.write(fd, b"".join(kept))
