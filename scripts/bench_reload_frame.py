"""The frame of a save with the timeline open (issue 18's follow-up): does time travel hitch?

Two hosts of ``games/breakout``, each with 10 s of play: one with the timeline (F8) open and
scrubbed back to the oldest tick, one playing. Each sample edits ``SPEED`` in ball.py
(alternating) and times the frame that applies it: ``reload()`` and the frame after it,
where the timeline's re-run of the history starts. The hosts run one after the other in the
same run (two hosts of one game cannot both reload at once: the second's reload sees no
change while the first is open), and the ratio is of their medians. Then the timeline's host
runs frames until its re-run of the history is done: their count and the slowest of them
(a re-run spread over frames must keep every frame within its budget; wall time, and this
thread's CPU time, which the shared machine's other processes do not inflate).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench_history import _copy

__all__ = ["reload_frame_cost"]

PLAYED = 600  # frames of play before the save: the history's default 10 s at 60 Hz


def _rerunning(host: Any) -> bool:
    return bool(getattr(host.timeline, "rerunning", False))


def _save_frames(host: Any, folder: Path, samples: int,
                 out: dict[str, list[float]] | None) -> list[float]:
    """Seconds of each save's frame; with ``out``, the frames of each re-run after it too."""
    times = []
    text = (folder / "ball.py").read_text()
    for i in range(samples):
        speed = "250.0" if i % 2 == 0 else "240.0"
        (folder / "ball.py").write_text(text.replace("SPEED = 240.0", f"SPEED = {speed}"))
        start = time.perf_counter()
        report = host.reload()
        host.step(1)
        times.append(time.perf_counter() - start)
        assert report.changed, report  # a real reload, not "nothing changed"
        if out is None:
            continue
        slowest, cpu, frames = 0.0, 0.0, 0
        while _rerunning(host):
            start, start_cpu = time.perf_counter(), time.thread_time()
            host.step(1)
            cpu = max(cpu, time.thread_time() - start_cpu)
            slowest, frames = max(slowest, time.perf_counter() - start), frames + 1
        out["after_max"].append(slowest)
        out["after_cpu_max"].append(cpu)
        out["after_frames"].append(frames)
        out["ticks"].append(host.history.tick - host.timeline.cursor)
    return times


def reload_frame_cost(samples: int) -> dict[str, list[float]]:
    """Seconds of the frame that applies a save, timeline open (scrubbed back) and shut."""
    from sandbox import Host

    out: dict[str, list[float]] = {"after_max": [], "after_cpu_max": [], "after_frames": [],
                                   "ticks": [],
                                   "prepare_max": []}
    folder = _copy("breakout")
    with Host(folder, headless=True, watch=False) as host:
        host.step(PLAYED)
        host.press("F8")
        host.step(1)
        host.timeline.move_to(host.history.start)
        slowest = 0.0
        while True:  # the old run's fingerprints, taken while the user edits
            start = time.perf_counter()
            host.step(1)
            slowest = max(slowest, time.perf_counter() - start)
            if not getattr(host.timeline, "preparing", False):
                break
        out["prepare_max"].append(slowest)
        out["open"] = _save_frames(host, folder, samples, out)
    folder = _copy("breakout")
    with Host(folder, headless=True, watch=False) as host:
        host.step(PLAYED)
        out["shut"] = _save_frames(host, folder, samples, None)
    return out
