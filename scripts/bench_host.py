"""Host benchmarks on games/bounce: save → screen latency, frames during reloads, host overhead.

``Host(headless=True)`` never sleeps, so these benchmarks pace the frames themselves: a loop
that sleeps until the next 1/60 s boundary around ``host.step(1)``, the way ``Host.run()``
paces a windowed game without vsync.

Clocks: the writer is a separate process. ``time.perf_counter`` is ``CLOCK_MONOTONIC`` on
Linux, one system-wide clock, so a timestamp taken in the writer and one taken in the host
process are directly comparable (checked at start-up: the writer's clock reading must arrive
no earlier than it was taken).
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing as mp
import random
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench_misc import rss, rss_growth

__all__ = ["frames", "host_memory", "host_overhead", "latency"]

REPO = Path(__file__).resolve().parent.parent
BOUNCE = REPO / "games" / "bounce"
FRAME = 1 / 60
_COLOUR = re.compile(r"\(255, 128, 128\)\)")  # the rectangle's colour in bounce's draw()


@contextlib.contextmanager
def _game_copy(source: Path = BOUNCE) -> Iterator[Path]:
    """A private copy of a game that the benchmark may edit."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-host-"))
    dest = tmp / source.name
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__"))
    try:
        yield dest
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _coloured(template: str, blue: int) -> str:
    """bounce's main.py with the rectangle drawn in (255, 128, blue)."""
    new, n = _COLOUR.subn(f"(255, 128, {blue}))", template)
    if n != 1:
        raise RuntimeError("bounce's draw() no longer fills with (255, 128, 128)")
    return new


class _Pacer:
    """Sleep until the next frame boundary at ``fps``; a late frame moves the schedule on."""

    def __init__(self, fps: float = 60) -> None:
        self.period = 1 / fps
        self.next = time.perf_counter()

    def wait(self) -> None:
        self.next += self.period
        delay = self.next - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        else:
            self.next = time.perf_counter()


def _rect_pixel(host: Any) -> tuple[int, int, int]:
    """(r, g, b) at the centre of bounce's rectangle in the last presented frame."""
    w, h = host.settings.size
    x = min(max(int(host.game.pos_x), 0), w - 1)
    y = min(max(int(host.game.pos_y), 0), h - 1)
    r, g, b, _ = host.pixel(x, y)
    return r, g, b


def _stamp_watcher(host: Any) -> list[float]:
    """Record when the host's watcher thread queues a change (a harness-side wrapper).

    Wraps the watcher's ``_queue`` on the instance; if the host's watcher has no such method
    the breakdown is simply left empty.
    """
    stamps: list[float] = []
    watcher = getattr(host, "watcher", None)
    inner = getattr(watcher, "_queue", None)
    if inner is None:
        return stamps

    def stamped(batch: Any) -> None:
        stamps.append(time.perf_counter())
        inner(batch)

    watcher._queue = stamped  # type: ignore[union-attr]
    return stamps


def _writer(conn: Connection, path: str, template: str, seed: int) -> None:
    """The editor: on each "go", wait a random time, save a new colour, report when it wrote.

    The random wait puts the save at a random phase of the host's frame, so the latency
    includes the wait for the next frame boundary as a user's save does.
    """
    rng = random.Random(seed)
    conn.send(("clock", time.perf_counter()))
    while True:
        msg = conn.recv()
        if msg is None:
            return
        blue = int(msg)
        source = _coloured(template, blue)
        time.sleep(rng.uniform(0.03, 0.12))
        t_write = time.perf_counter()
        with open(path, "w", encoding="utf-8") as f:  # truncate and write, as editors do
            f.write(source)
        conn.send(("wrote", blue, t_write))


def latency(saves: int, timeout: float = 1.0) -> dict[str, Any]:
    """Time from each save (in a writer process) to the first frame showing its colour."""
    from sandbox import Host
    from sandbox.hot import ReloadReport

    latencies: list[float] = []
    watcher: list[float] = []
    late: list[int] = []
    to_frame: list[float] = []  # watcher queued → start of the frame that applies it
    in_frame: list[float] = []  # start of that frame → presented (reload, update, draw, present)
    starts: list[float] = []
    reload_seconds: list[float] = []
    missed = 0
    ctx = mp.get_context("spawn")
    with _game_copy() as game:
        main = game / "main.py"
        template = main.read_text(encoding="utf-8")
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_writer, args=(child, str(main), template, 1234), daemon=True)
        with Host(game, headless=True, watch=True, fps=60) as host:
            host.step(2)
            queued = _stamp_watcher(host)
            proc.start()
            if not parent.poll(30):
                raise RuntimeError("the writer process did not start")
            _, t_child = parent.recv()
            clock_skew = time.perf_counter() - t_child  # ≥ 0 on one shared clock
            pacer = _Pacer()
            seen: dict[int, float] = {}
            done = 0
            pending: tuple[int, float] | None = None
            blue = 0
            deadline = 0.0
            parent.send(blue)
            first_event = host.events.total  # events are a bounded window
            give_up = time.perf_counter() + saves * (timeout + 0.5) + 5
            while done < saves:
                if not proc.is_alive() or time.perf_counter() > give_up:
                    raise RuntimeError(f"the writer process stopped after {done} saves")
                pacer.wait()
                t_start = time.perf_counter()
                host.step(1)
                t_frame = time.perf_counter()
                starts.append(t_start)
                r, g, b = _rect_pixel(host)
                if (r, g) == (255, 128) and b not in seen:
                    seen[b] = t_frame
                while parent.poll():
                    _, wrote, t_write = parent.recv()
                    pending = (wrote, t_write)
                    deadline = t_write + timeout
                if pending is None:
                    continue
                wrote, t_write = pending
                if wrote in seen or t_frame > deadline:
                    if wrote in seen:
                        latencies.append(seen[wrote] - t_write)
                        noticed = [t for t in queued if t >= t_write]
                        if noticed:
                            watcher.append(noticed[0] - t_write)
                            # frames that started after the change was queued, before it showed
                            after = [t for t in starts if noticed[0] < t < seen[wrote]]
                            late.append(len(after))
                            if after:
                                to_frame.append(after[0] - noticed[0])
                                in_frame.append(seen[wrote] - after[-1])
                    else:
                        missed += 1
                    done += 1
                    pending = None
                    blue = (blue + 7) % 120 + 1  # a new colour every save, never 128
                    seen.pop(blue, None)  # colours repeat after a while: forget the old sighting
                    if done < saves:
                        parent.send(blue)
            parent.send(None)
            proc.join(timeout=2)
            reload_seconds = [
                ev.seconds
                for ev in host.events.since(first_event)
                if isinstance(ev, ReloadReport) and ev.ok and ev.changed
            ]
    return {
        "saves": saves,
        "latencies": latencies,
        "missed": missed,
        "watcher": watcher,
        "frames_after_queued": late,
        "queued_to_frame": to_frame,
        "frame_to_screen": in_frame,
        "reload_seconds": reload_seconds,
        "clock_skew": clock_skew,
        "clock": f"perf_counter (CLOCK_MONOTONIC, shared by both processes; "
        f"writer→host check {clock_skew * 1e3:.2f} ms ≥ 0)",
    }


def frames(reloads: int, frames_between: int = 8) -> dict[str, Any]:
    """Frame times of bounce paced at 60 fps while ``reloads`` saved edits are applied.

    Edits alternate between the rectangle's colour (main.py) and SPEED (physics.py), and are
    written between frames, so the watcher and the next frame boundary apply them as in use.
    """
    from sandbox import Host
    from sandbox.hot import ReloadReport

    frame_seconds: list[float] = []
    reload_frames: list[float] = []
    reload_seconds: list[float] = []
    applied = 0
    with _game_copy() as game:
        main, physics = game / "main.py", game / "physics.py"
        main_src = main.read_text(encoding="utf-8")
        physics_src = physics.read_text(encoding="utf-8")
        # bounce prints a line when physics reloads: the game's output is not the table's.
        with (
            Host(game, headless=True, watch=True, fps=60) as host,
            contextlib.redirect_stdout(io.StringIO()),
        ):
            host.step(2)
            pacer = _Pacer()
            written = 0
            frame = 0
            settle = frames_between * 3
            while written < reloads or settle > 0:
                if written >= reloads:
                    settle -= 1
                pacer.wait()
                before = host.events.total
                t0 = time.perf_counter()
                host.step(1)
                dt = time.perf_counter() - t0
                frame_seconds.append(dt)
                new = [
                    ev
                    for ev in host.events.since(before)
                    if isinstance(ev, ReloadReport) and ev.ok and ev.changed
                ]
                if new:
                    applied += len(new)
                    reload_seconds.extend(ev.seconds for ev in new)
                    reload_frames.append(dt)
                frame += 1
                if written < reloads and frame % frames_between == 0:
                    written += 1
                    if written % 2:
                        main.write_text(_coloured(main_src, written % 120 + 1), encoding="utf-8")
                    else:
                        speed = 2 + written % 3
                        physics.write_text(
                            physics_src.replace("SPEED = 2", f"SPEED = {speed}"), encoding="utf-8"
                        )
    return {
        "reloads": reloads,
        "reloads_applied": applied,
        "frame_seconds": frame_seconds,
        "reload_frame_seconds": reload_frames,
        "reload_seconds": reload_seconds,
    }


def _run_frames(host: Any, n: int) -> tuple[list[float], list[float], int]:
    """Run ``n`` unpaced frames, timing each frame and the hooks called inside it."""
    hook_time = 0.0
    calls = 0
    inner: Callable[..., object] = host.invoke

    def timed(fn: Callable[..., object], *args: object) -> object:
        nonlocal hook_time, calls
        t0 = time.perf_counter()
        try:
            return inner(fn, *args)
        finally:
            hook_time += time.perf_counter() - t0
            calls += 1

    host.invoke = timed
    frame_t: list[float] = []
    hooks_t: list[float] = []
    for _ in range(n):
        hook_time = 0.0
        t0 = time.perf_counter()
        host.step(1)
        frame_t.append(time.perf_counter() - t0)
        hooks_t.append(hook_time)
    host.invoke = inner
    return frame_t, hooks_t, calls


def host_overhead(frames: int) -> dict[str, Any]:
    """Per-frame host time outside the hooks in bounce, and the frame time of an empty game.

    Hooks are timed by wrapping ``Host.invoke`` (the one place the host calls game code) on
    the instance; the watcher runs, as in the CLI. Frames are not paced: only work is timed.
    """
    from sandbox import Host

    with _game_copy() as game, Host(game, headless=True, watch=True, fps=60) as host:
        host.step(10)
        frame_t, hooks_t, calls = _run_frames(host, frames)
        # The same host with the frame read-back (kept for pixel()/screenshots) switched off.
        no_rb: list[float] = []
        if host.display is not None and hasattr(host.display, "readback"):
            host.display.readback = False
            f_t, h_t, _ = _run_frames(host, frames)
            no_rb = [f - h for f, h in zip(f_t, h_t, strict=True)]
            host.display.readback = True
    with _game_copy() as game:
        (game / "physics.py").unlink()
        (game / "main.py").write_text('"""An empty game: no hooks."""\n', encoding="utf-8")
        with Host(game, headless=True, watch=True, fps=60) as host:
            host.step(10)
            empty_t, _, _ = _run_frames(host, frames)
    return {
        "frames": frames,
        "frame": frame_t,
        "hooks": hooks_t,
        "outside": [f - h for f, h in zip(frame_t, hooks_t, strict=True)],
        "empty_frame": empty_t,
        "outside_no_readback": no_rb,
        "hook_calls": calls,
    }


def host_memory(reloads: int = 3000, baseline: int = 500) -> dict[str, Any]:
    """RSS growth of a host from reload ``baseline`` to ``reloads`` through ``Host.reload``.

    Saves alternate a valid edit (the rectangle's colour) and a broken one (a half-typed
    ``def broken(:``), each reloaded explicitly (F9) and followed by one frame, so the host
    keeps its events, errors, panel rows and frozen frames as in use. Also counts the events
    it keeps (a bounded window) and the objects the garbage collector tracks.
    """
    import gc

    from sandbox import Host

    rss_at: dict[int, int] = {}
    objects: dict[int, int] = {}
    kept = 0
    with _game_copy() as game, contextlib.redirect_stdout(io.StringIO()):
        main = game / "main.py"
        template = main.read_text(encoding="utf-8")
        broken = template + "\ndef broken(:\n"
        with Host(game, headless=True, watch=False, fps=60) as host:
            host.step(2)
            for i in range(1, reloads + 1):
                main.write_text(_coloured(template, i % 120 + 1) if i % 2 else broken,
                                encoding="utf-8")
                host.reload()
                host.step(1)
                if i in (baseline, reloads):
                    gc.collect()
                    rss_at[i] = rss() or 0
                    objects[i] = len(gc.get_objects())
            kept = len(host.events)
    return {
        **rss_growth(rss_at, baseline, reloads),
        "objects_baseline": objects[baseline],
        "objects_end": objects[reloads],
        "events_kept": kept,
    }


if __name__ == "__main__":  # python scripts/bench_host.py memory [RELOADS]
    import sys

    if sys.argv[1:2] == ["memory"]:
        n = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
        res = host_memory(n, min(500, n // 6))
        print(f"host memory: {res['reloads']} reloads through Host.reload (valid/broken "
              f"alternating): RSS {res['rss_baseline'] / 2**20:.1f} MB at reload "
              f"{res['baseline']} → {res['rss_end'] / 2**20:.1f} MB at {res['reloads']}: "
              f"growth {res['growth_mb']:.2f} MB (target ≤ 2 MB); gc objects "
              f"{res['objects_baseline']} → {res['objects_end']}; events kept "
              f"{res['events_kept']}")
