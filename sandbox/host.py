"""The host loop: events → pending reload → ``update(dt)`` ticks → ``draw`` → overlay → present.

The host owns the window and the renderer (created once, never reloaded) and the engine's
``Reloader``. Reloads happen only here, on the main thread, at the frame boundary.

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
from typing import Any, Protocol

from sandbox.clock import FixedClock, StepPerFrame
from sandbox.devtools import TERMINAL_KEYS, DevTools, TerminalKeys, screenshot_path
from sandbox.events import ErrorInfo, GameError, Notice, Restarted, ScreenshotSaved, drop_traceback
from sandbox.game import GameFailed, GameSettings, check_hooks, find_game, read_settings
from sandbox.hot import Reloader, ReloadReport
from sandbox.live_assets import LiveAssets
from sandbox.looping import Looper
from sandbox.overlay import KEYS, Overlay
from sandbox.screen import Screen
from sandbox.sdl import Display, SDLError
from sandbox.watchdog import HookTimeout, Watchdog, error_info

__all__ = ["ConsoleLike", "GameFailed", "Host"]

HOST_KEYS = frozenset(key for key, _ in KEYS)


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
                 console: ConsoleLike | None = None, terminal_keys: bool = False) -> None:
        self.spec = find_game(game_dir)
        self.root = self.spec.root
        self.headless, self.fps, self.hang_timeout = headless, fps, hang_timeout
        self.console = console
        self.events: list[object] = []
        self.looping = Looper(self)  # F6/F7: record and loop play (sandbox.looping)
        self.devtools = DevTools(1.0 / fps)
        # Extra HUD lines (e.g. the loop's "LOOP 2.4 s"): each source returns a line or None.
        self.hud_sources: list[Callable[[], str | None]] = [self.looping.hud_line]
        self.keys: TerminalKeys | None = None
        self.assets: LiveAssets | None = None
        self.last_error: ErrorInfo | None = None
        self.running, self.frames = True, 0
        self._user_paused = self._error_paused = self._step_once = self._watch_error_told = False
        step = 1.0 / fps
        self.clock = FixedClock(step, StepPerFrame(step) if headless else time.perf_counter)
        self.reloader = Reloader(self.root)
        # Game code runs only under the watchdog: hooks, and a reload's own statements.
        self.watchdog = Watchdog(hang_timeout, root=self.root)
        self.display: Display | None = None
        self.watcher: Any = None
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
        except BaseException:
            self.close()
            raise
        if console is not None:
            keys = KEYS if self.keys is None else (
                *KEYS, ("r / R / q", "in this terminal: reload, hot restart, quit"))
            console.banner(self.spec.name, self.root, keys)
        for problem in self.settings.problems:
            self._emit(Notice(problem))
        self._check_hooks()
        self._call("load")

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
        return self._user_paused or self._error_paused

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

    def _fail(self, hook: str, info: ErrorInfo) -> None:
        self.last_error = info
        self._error_paused = True
        self.screen.freeze()
        self._emit(GameError(hook, info))

    # -- reloads ---------------------------------------------------------------------------------
    def reload(self, paths: set[Path] | None = None, explicit: bool = True) -> ReloadReport:
        """Reload what changed on disk (F9); an explicit reload also retries a paused hook."""
        # Only applying runs game code; reading and compiling (a 10 MB file) is not limited.
        plan = self.reloader.prepare(paths)
        report = self.looping.around_reload(
            lambda: self.watchdog.run_engine("reload", self.reloader.apply, plan))
        self.reloader.reload_requested = False
        if not report.ok:
            self.last_error = report.error_info or ErrorInfo.from_exception(
                report.error or RuntimeError("reload failed"), self.root)
            self._emit(report)
            return report
        if report.changed or explicit:
            self._emit(report)
        if report.changed or (explicit and self._error_paused):
            self._resume()
        elif not self._error_paused:
            self.last_error = None  # disk matches the running code again: a reload error is moot
        if report.changed:
            self._apply_settings()
            if self.reloader.entry in report.changed:
                self._check_hooks()
        return report

    def restart(self) -> ReloadReport:
        """Hot restart (F5): every game module imported fresh, then ``load()`` again."""
        report = self.watchdog.run_engine("restart", self.reloader.restart, restart=True)
        if not report.ok:
            self.last_error = report.error_info
            self._emit(report)
            return report
        self.game = self.reloader.modules.get(self.reloader.entry, self.game)
        self._emit(Restarted(len(report.changed), report.seconds))
        self._resume()
        self._apply_settings()
        self._check_hooks()
        if self.assets is not None:
            self.assets.clear()
        self._call("load")
        return report

    def _resume(self) -> None:
        self.last_error = None
        self._error_paused = False
        self.screen.thaw()
        self.clock.reset()

    def _apply_settings(self) -> None:
        new = read_settings(self.game, self.spec.name)
        assert self.display is not None
        if new.title != self.settings.title:
            self.display.set_title(new.title)
        if new.size != self.settings.size:
            self.display.set_size(new.size)
            self.screen.forget()
        for problem in set(new.problems) - set(self.settings.problems):
            self._emit(Notice(problem))
        self.settings = new

    def _apply_pending(self) -> None:
        watcher = self.watcher
        if watcher is not None and watcher.error and not self._watch_error_told:
            self._watch_error_told = True
            self._emit(Notice(f"{watcher.error} — saves are not seen; F9 still reloads"))
        for key in self.keys.drain() if self.keys is not None else ():
            action = self._key_actions().get(TERMINAL_KEYS.get(key, ""))
            if action is not None:
                action()
        if self.assets is not None:  # e.g. "sound is off", raised inside a game hook
            for notice in self.assets.drain_notices():
                self._emit(notice)
        paths: set[Path] = watcher.drain() if watcher is not None else set()
        if self.assets is not None and paths:
            changed = {p for p in paths if self.assets.is_asset(p)}
            paths -= changed
            if changed:
                self._refresh_assets(changed)
        if paths:
            self.reload(paths, explicit=False)
        if self.reloader.reload_requested:
            self.reload(None, explicit=False)

    def _reload_key(self) -> None:
        """F9 (and ``r``): reload the code, then any asset whose file changed (--no-watch)."""
        self.reload()
        if self.assets is not None:
            self._refresh_assets(None)

    def _refresh_assets(self, changed: set[Path] | None) -> None:
        """Reload changed assets; a failure shows the panel without pausing the game."""
        assert self.assets is not None
        had = self.assets.error
        for ev in self.assets.refresh(changed):
            self._emit(ev)
        if self.assets.error is not None:
            self.last_error = self.assets.error
        elif had is not None and self.last_error is had:
            self.last_error = None
        if self._error_paused and self.last_error is not None \
                and self.last_error.kind == "AssetError":
            # A hook failed on a missing or broken asset: try again. When that hook was
            # load(), run it again, since update and draw rely on what it loads.
            failed = next((e for e in reversed(self.events) if isinstance(e, GameError)), None)
            self._resume()
            if failed is not None and failed.hook == "load":
                self._call("load")

    # -- the frame -------------------------------------------------------------------------------
    def _handle_events(self, display: Display) -> None:
        for event in display.poll():
            if display.is_quit(event):
                self.running = False
                continue
            key = display.key_of(event)
            action = self._key_actions().get(key) if key else None
            if action is not None:
                action()
            elif display.key_of(event, released=True) in HOST_KEYS:
                continue  # the release of a key the host kept is not the game's either
            elif not self._error_paused and self.looping.pass_event(event):
                self._call("on_event", event)

    def _key_actions(self) -> dict[str, Callable[[], object]]:
        overlay = self.overlay
        return {"F9": self._reload_key, "F5": self.restart, "F10": self._toggle_pause,
                "F6": self.looping.toggle, "F7": self.looping.stop,
                "F11": lambda: setattr(self, "_step_once", self._user_paused),
                "F12": self._screenshot_key,
                "Escape": self.stop,
                "F3": lambda: setattr(overlay, "show_hud", not overlay.show_hud),
                "F1": lambda: setattr(overlay, "show_help", not overlay.show_help)}

    def stop(self) -> None:
        """End ``run()`` after this frame (Escape, window close)."""
        self.running = False

    def _toggle_pause(self) -> None:
        self._user_paused = not self._user_paused
        self._emit(Notice("paused (F10 resumes, F11 steps)" if self._user_paused else "resumed"))

    def frame(self) -> bool:
        """Run one frame; False once the host should stop (Escape, window closed)."""
        display = self.display
        if display is None or not self.running:
            return False
        start = time.perf_counter()
        self._handle_events(display)
        if not self.running:
            return False
        self._apply_pending()
        ticks = self.clock.tick()
        if self._user_paused:
            ticks = 1 if self._step_once else 0
            self._step_once = False
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

    def _screenshot_key(self) -> None:
        """F12: a new file in screenshots/; a failure is one line, never the session's end."""
        path: Path | None = None
        try:
            path = screenshot_path(self.spec.name)
            self.screenshot(path)
        except (OSError, SDLError) as exc:  # no frame yet, a read-only folder, a full disk
            if path is not None:
                path.unlink(missing_ok=True)  # the reserved name, still empty
            self._emit(Notice(f"screenshot failed: {exc}"))

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

