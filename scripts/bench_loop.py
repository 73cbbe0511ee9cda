"""What a reload during a loop (F6) costs the looper: bounce's SPEED edit, N times, headless.

Usage: ``SDL_VIDEODRIVER=dummy python scripts/bench_loop.py [N]`` (N reloads, default 200).

A copy of games/bounce is recorded for 60 ticks and looped; then physics.py's ``SPEED`` is
edited and reloaded N times, one frame between reloads. Printed, as median and 90th
percentile in microseconds per reload:

- ``names``: ``snapshot.rerun_names``, which re-read and re-parsed the files to learn what
  the re-run statements bound (gone since the report carries ``bound_names``: the row says
  so, and the looper's cost is all in ``carry_edits``);
- ``carry_edits``: taking those values into the snapshot;
- ``looper``: all of ``Looper.around_reload`` except the reload itself;
- ``reload``: the engine applying the reload, for scale (the host reads and parses the
  file before, outside the looper).

The looper's functions are timed by wrapping them here, so the script measures any version.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Before sandbox is imported: SDL reads the driver when it starts.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import sandbox.looping as looping
from sandbox.host import Host

REPO = Path(__file__).resolve().parent.parent
Samples = dict[str, list[float]]


def _timed(samples: list[float], fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn``, appending the seconds of every call to ``samples``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            samples.append(time.perf_counter() - t0)

    return wrapper


def _instrument(samples: Samples) -> None:
    """Wrap the looper's functions (whichever this version has) to time them."""
    for name, key in (("rerun_names", "names"), ("carry_edits", "carry_edits")):
        fn = getattr(looping, name, None)
        if fn is not None:
            setattr(looping, name, _timed(samples[key], fn))
    around = looping.Looper.around_reload

    def around_reload(self: looping.Looper, reload: Callable[[], Any]) -> Any:
        inner: list[float] = []
        t0 = time.perf_counter()
        report = around(self, _timed(inner, reload))
        total = time.perf_counter() - t0
        samples["looper"].append(total - sum(inner))
        samples["reload"].extend(inner)
        return report

    looping.Looper.around_reload = around_reload  # type: ignore[method-assign]


def run(n: int) -> Samples:
    """Loop bounce and reload ``n`` SPEED edits; the seconds of each part, per reload."""
    samples: Samples = {"names": [], "carry_edits": [], "looper": [], "reload": []}
    root = Path(tempfile.mkdtemp(prefix="bench_loop_")) / "bounce"
    shutil.copytree(REPO / "games" / "bounce", root,
                    ignore=shutil.ignore_patterns("__pycache__"))
    physics = root / "physics.py"
    text = physics.read_text()
    try:
        with Host(root, headless=True, watch=False) as host:
            host.step(10)
            host.press("F6")
            host.step(60)
            host.press("F6")
            host.step(1)
            assert host.looping.mode is looping.Mode.LOOPING
            _instrument(samples)
            quiet = contextlib.redirect_stdout(io.StringIO())  # bounce prints every reload
            with quiet:
                for i in range(n):
                    physics.write_text(text.replace("SPEED = 2", f"SPEED = {3 + i % 2}"))
                    report = host.reload({physics})
                    assert report.ok and report.changed == ["physics"], report
                    host.step(1)
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
    return samples


def main() -> None:
    """Print the table."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    samples = run(n)
    print(f"{n} reloads of bounce's SPEED edit while looping (µs per reload)")
    for key, values in samples.items():
        if not values:
            print(f"  {key:12} (not in this version)")
            continue
        values.sort()
        p90 = values[int(0.9 * (len(values) - 1))]
        print(f"  {key:12} median {statistics.median(values) * 1e6:8.1f}   p90 {p90 * 1e6:8.1f}")


if __name__ == "__main__":
    main()
