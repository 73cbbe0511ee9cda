"""The host loop: events → pending reload → ``update(dt)`` ticks → ``draw`` → overlay → present.

The host owns the window and the renderer (created once, never reloaded) and the engine's
``Reloader``. Reloads happen only on the main thread, at the frame boundary, where the host
hands what changed to ``sandbox.changes``.

When a hook raises, the game pauses at that frame: no hook runs again until a reload, and the
last good frame is re-presented under the error panel; a half-drawn frame is never shown
(``sandbox.screen`` explains how).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from sandbox.changes import Changes
from sandbox.clock import FixedClock, StepPerFrame
from sandbox.controls import Controls
from sandbox.devtools import DevTools, TerminalKeys
from sandbox.events import ErrorInfo, GameError, Notice, Restarted, ScreenshotSaved, drop_traceback
from sandbox.game import GameFailed, GameSettings, check_hooks, find_game, read_settings
from sandbox.hot import Reloader, ReloadReport
from sandbox.live_assets import LiveAssets
from sandbox.looping import Looper
from sandbox.overlay import KEYS, Overlay
from sandbox.screen import Screen
from sandbox.sdl import Display
from sandbox.watchdog import DEFAULT_MEMORY_LIMIT, HookTimeout, Watchdog, error_info

if TYPE_CHECKING:
    from sandbox.watcher import Watcher  # imported at run time only when watching

__all__ = ["ConsoleLike", "GameFailed", "Host"]


class ConsoleLike(Protocol):
    """What the host needs from ``sandbox.console.Console``."""

    def banner(self, game_name: str, folder: Path, keys: Any) -> None: ...
    def event(self, ev: object) -> None: ...
    def error(self, info: ErrorInfo) -> None: ...
    def info(self, text: str) -> None: ...


class Host:
    """Runs one game: see DESIGN.md §3 (the host) and docs/architecture.md (host.py)."""

    def __init__(self, game_dir: str | Path, *, headless: bool = False, watch: bool = True,
                 fps: int = 60, hang_timeout: float = 2.0,
                 memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
                 console: ConsoleLike | None = None, terminal_keys: bool = False) -> None:
        self.spec = find_game(game_dir)
        self.root = self.spec.root
        self.headless, self.fps, self.hang_timeout = headless, fps, hang_timeout
        self.console = console
        self.events: list[object] = []
        self.looping = Looper(self)  # F6/F7: record and loop play (sandbox.looping)
        self.changes = Changes(self)  # reloads, restarts, assets (sandbox.changes)
        self.controls = Controls(self)  # what each host key does, and F10's pause
        self.devtools = DevTools(1.0 / fps)
        # Extra HUD lines (e.g. the loop's "LOOP 2.4 s"): each source returns a line or None.
        self.hud_sources: list[Callable[[], str | None]] = [self.looping.hud_line]
        self.keys: TerminalKeys | None = None
        self.assets: LiveAssets | None = None
        self.last_error: ErrorInfo | None = None
        self.running, self.frames = True, 0
        self._error_paused = False
        step = 1.0 / fps
        self.clock = FixedClock(step, StepPerFrame(step) if headless else time.perf_counter)
        self.reloader = Reloader(self.root)
        # Game code runs only under the watchdog: hooks, and a reload's own statements.
        self.watchdog = Watchdog(hang_timeout, root=self.root, memory_limit=memory_limit)
        self.display: Display | None = None
        self.watcher: Watcher | None = None
        try:
            try:
                self.game: ModuleType = self.watchdog.call(self.reloader.import_module, "main")
            except Exception as exc:  # HookTimeout and GameExit are Exceptions too
                info = error_info(exc, self.root)
                if isinstance(exc, HookTimeout):  # a slow start is possible: say how to allow it
                    info = replace(info, message=f"importing main.py ran longer than "
                                   f"{hang_timeout:g} s and was interrupted (a slow start? "
                                   "allow more with --hang-timeout)")
                raise GameFailed(info) from exc
            self.settings: GameSettings = read_settings(self.game, self.spec.name)
            self.display = Display(self.settings.title, self.settings.size, headless=headless)
            self.overlay = Overlay()
            self.screen = Screen(self.display, self.overlay)
            self.assets = LiveAssets(self.root, self.display, headless)
            if watch:
                from sandbox.watcher import Watcher  # watchfiles only when watching

                self.watcher = Watcher(self.root, (".py", *self.assets.suffixes))
                self.watcher.start()
            if terminal_keys:  # r / R / q from the terminal, only when stdin is one
                self.keys = TerminalKeys()
                if not self.keys.start():
                    self.keys = None
            if console is not None:
                keys = KEYS if self.keys is None else (
                    *KEYS, ("r / R / q", "in this terminal: reload, hot restart, quit"))
                console.banner(self.spec.name, self.root, keys)
            for problem in self.settings.problems:
                self._emit(Notice(problem))
            self._check_hooks()
            self._call("load")
        except BaseException:
            # The constructor raises, so no `with` will ever close what it opened: the
            # window, the watcher's thread, the terminal's settings, the game's modules.
            self.close()
            raise

    # -- context manager -----------------------------------------------------------------------
    def __enter__(self) -> Host:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop watching, close the window and forget the game's modules (idempotent)."""
        self.looping.close()  # a recording still running is saved first (--record)
        if self.keys is not None:
            self.keys.stop()  # gives the terminal its settings back
            self.keys = None
        if self.assets is not None:
            self.assets.close()  # sounds and textures go before the mixer and the renderer
            self.assets = None
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        if self.display is not None:
            self.display.close()
            self.display = None
        self.reloader.close()
        self.watchdog.close()

    # -- state -----------------------------------------------------------------------------------
    @property
    def paused(self) -> bool:
        """True when paused by F10 or by an error in a hook."""
        return self.controls.user_paused or self._error_paused

    def _emit(self, ev: object) -> None:
        self.events.append(ev)
        info = ev.error if isinstance(ev, GameError) else getattr(ev, "error_info", None)
        if isinstance(info, ErrorInfo):  # kept in events: keep the message, not the frames
            drop_traceback(info.exception)
            error = getattr(ev, "error", None)  # a ReloadReport's exception
            if isinstance(error, BaseException):
                drop_traceback(error)
        if isinstance(ev, (ReloadReport, Restarted)):
            self.devtools.reloaded(ev)
        if self.console is None:
            return
        self.console.event(ev)
        if isinstance(info, ErrorInfo):
            self.console.error(info)

    def _check_hooks(self) -> None:
        for warning in check_hooks(self.game):
            self._emit(Notice(warning))

    def _call(self, hook: str, *args: object) -> bool:
        """Run one hook if the game defines it; on an exception pause and report once."""
        fn = getattr(self.game, hook, None)
        if fn is None or not callable(fn):
            return True
        try:
            self.invoke(fn, *args)
        except (Exception, SystemExit) as exc:
            self._fail(hook, error_info(exc, self.root))
            return False
        return True

    def invoke(self, fn: Callable[..., object], *args: object) -> object:
        """The single place hooks are called, under the watchdog's time limit.

        A hang raises ``HookTimeout`` and ``sys.exit()``/``KeyboardInterrupt`` in game code
        raise ``GameExit`` (both ``Exception``): the caller pauses the game on them.
        """
        return self.watchdog.call(fn, *args)

    def standing_error(self) -> ErrorInfo | None:
        """The error still true after a fix of something else: an asset broken on disk.

        A reload that fixes the code clears the code's error, not the panel of an image
        that is still corrupt; that one goes when its own file is saved again.
        """
        return self.assets.error if self.assets is not None else None

    def _fail(self, hook: str, info: ErrorInfo) -> None:
        self.last_error = info
        self._error_paused = True
        self.screen.freeze()
        self._emit(GameError(hook, info))

    def _resume(self) -> None:
        """A fix arrived (``sandbox.changes``): run the hooks again and draw live frames."""
        self.last_error = self.standing_error()
        self._error_paused = False
        self.screen.thaw()
        self.clock.reset()

    # -- changes (sandbox.changes) ---------------------------------------------------------------
    def reload(self, paths: set[Path] | None = None, explicit: bool = True) -> ReloadReport:
        """Reload what changed on disk (F9); an explicit reload also retries a paused hook."""
        return self.changes.reload(paths, explicit)

    def restart(self) -> ReloadReport:
        """Hot restart (F5): every game module imported fresh, then ``load()`` again."""
        return self.changes.restart()

    # -- the frame -------------------------------------------------------------------------------
    def stop(self) -> None:
        """End ``run()`` after this frame (Escape, window close)."""
        self.running = False

    def frame(self) -> bool:
        """Run one frame; False once the host should stop (Escape, window closed)."""
        display = self.display
        if display is None or not self.running:
            return False
        start = time.perf_counter()
        self.controls.handle_events(display)
        if not self.running:
            return False
        self.controls.handle_terminal()
        self.changes.apply_pending()
        ticks = self.controls.ticks(self.clock.tick())  # F10 pauses, F11 steps
        for _ in range(0 if self._error_paused else ticks):
            if not self.looping.before_update() or not self._call("update", self.clock.step):
                break
        if not self._error_paused:
            if getattr(self.game, "draw", None) is None:
                display.clear(self.settings.background)
            elif not self._call("draw", display.renderer):
                # _fail() froze the last good frame; it overwrites the half-drawn one, on the
                # window even if draw() left a texture target or a clip behind.
                display.reset_target()
        self.looping.draw(display)
        self.screen.finish(self.last_error, self._error_paused, self.settings.background,
                           self._hud())
        self.frames += 1
        self.devtools.times.add(start, time.perf_counter() - start)
        return True

    def _hud(self) -> list[str]:
        """The HUD's lines (F3) and its graph's data, or nothing when the HUD is off."""
        if not self.overlay.show_hud:
            return []
        self.overlay.graph, self.overlay.budget = self.devtools.times.work, self.clock.step
        extra = [line for source in self.hud_sources if (line := source())]
        return self.devtools.hud_lines(self.frames, self.paused, extra)

    # -- driving it ------------------------------------------------------------------------------
    def step(self, n: int = 1) -> int:
        """Run ``n`` frames without sleeping; returns how many ran (fewer after Escape)."""
        for done in range(n):
            if not self.frame():
                return done
        return n

    def press(self, key: str) -> None:
        """Push a real SDL key event ("F9"); it is handled at the next frame."""
        assert self.display is not None
        self.display.push_key(key)

    def wait_for_change(self, timeout: float = 5.0) -> bool:
        """Block until the watcher has queued a change (False without a watcher)."""
        return self.watcher is not None and bool(self.watcher.wait(timeout))

    def pixel(self, x: int, y: int) -> tuple[int, int, int, int]:
        """(r, g, b, a) at (x, y) of the last presented frame."""
        assert self.display is not None
        return self.display.pixel(x, y)

    def screenshot(self, path: str | Path) -> Path:
        """Save the last presented frame as a PNG."""
        assert self.display is not None
        out = self.display.save_png(path)
        self._emit(ScreenshotSaved(str(out)))
        return out

    def run(self, max_frames: int | None = None) -> int:
        """The real loop until quit (or ``max_frames``); sleeps to ``fps`` unless headless."""
        budget = 1.0 / self.fps
        while max_frames is None or self.frames < max_frames:
            start = time.perf_counter()
            if not self.frame():
                break
            vsync = self.display is not None and self.display.vsync
            if not self.headless and not vsync:
                time.sleep(max(0.0, budget - (time.perf_counter() - start)))
        return self.frames

