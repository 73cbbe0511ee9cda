"""The host loop: events → pending reload → ``update(dt)`` ticks → ``draw`` → overlay → present.

The host owns the window and the renderer (created once, never reloaded) and the engine's
``Reloader``, and composes the parts of a session, none of which knows the host: each gets
what it needs (the display, the reloader, the clock, the event sink ``EventLog.emit``, the
hook caller :meth:`Host.call_hook`); docs/architecture.md maps them. ``sandbox.changes``
applies reloads, restarts and assets only on the main thread, at the frame boundary.

When a hook raises, the game pauses at that frame: no hook runs again until a reload, and the
last good frame is re-presented under the error panel; a half-drawn frame is never shown
(``sandbox.screen`` explains how).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sandbox.changes import Changes, HostHooks
from sandbox.clock import FixedClock, StepPerFrame
from sandbox.console_sink import ConsoleLike, ConsoleSink
from sandbox.controls import Controls
from sandbox.devtools import DevTools
from sandbox.eventlog import EventLog
from sandbox.events import ErrorInfo, Notice, Restarted, ScreenshotSaved
from sandbox.events.errors import startup_error
from sandbox.events.tweaks import Tweaked
from sandbox.game import GameFailed, GameSettings, find_game, read_settings
from sandbox.game_calls import GameCalls
from sandbox.game_output import GameOutput, OutputStrip
from sandbox.ghosts import Ghosts
from sandbox.history import DEFAULT_SECONDS, History
from sandbox.hot import Reloader, ReloadReport
from sandbox.input_router import InputRouter
from sandbox.key_actions import key_actions
from sandbox.keys import banner_rows
from sandbox.live_assets import LiveAssets
from sandbox.looping import Looper, Mode
from sandbox.overlay import Overlay
from sandbox.play_gate import PlayGate
from sandbox.reload_followup import ReloadFollowUp
from sandbox.screen import Screen
from sandbox.sdl import Display
from sandbox.stale import StaleObjects
from sandbox.status import Status
from sandbox.terminal_input import TerminalInput
from sandbox.timeline import Timeline
from sandbox.tweak_edit import TweakEditor
from sandbox.tweak_list import Tweakable
from sandbox.tweak_panel import TweakPanel
from sandbox.watchdog import DEFAULT_MEMORY_LIMIT, Watchdog

if TYPE_CHECKING:
    from sandbox.watcher import Watcher  # imported at run time only when watching

__all__ = ["ConsoleLike", "GameFailed", "Host"]  # ConsoleLike: from sandbox.console_sink


class Host:
    """Runs one game: see docs/design.md (the host) and docs/architecture.md (host.py)."""

    def __init__(self, game_dir: str | Path, *, headless: bool = False, watch: bool = True,
                 fps: int = 60, hang_timeout: float = 2.0,
                 memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
                 console: ConsoleLike | None = None, terminal_keys: bool = False,
                 history: float = DEFAULT_SECONDS, repl: bool = False) -> None:
        self.spec = find_game(game_dir)
        self.root = self.spec.root
        self.headless, self.fps, self.hang_timeout = headless, fps, hang_timeout
        self.console = console
        self.devtools = DevTools(1.0 / fps)
        self.events = EventLog([self._remember_reload,
                                ConsoleSink(console, lambda ev: self.tweaking.quiet(ev))])
        self.status = Status(self.standing_error, on_pause=self._paused_on_error,
                             on_resume=self._resumed)
        step = 1.0 / fps
        self.clock = FixedClock(step, StepPerFrame(step) if headless else time.perf_counter)
        self.reloader = Reloader(self.root)
        self.looping = Looper(lambda: self.reloader.modules, emit=self.events.emit,
                              replay=lambda data: self.input.replay(data), game=self.spec.name,
                              step=step, window_id=self._window_id,
                              records=self.reloader.tracked)  # F6/F7 (sandbox.looping)
        # Objects a reload cannot reach (a changed dataclass default): told after reloads.
        self.stale = StaleObjects(lambda: self.reloader.modules, emit=self.events.emit)
        # input: keyboard/mouse/gamepads state and the plain hooks (sandbox.input_router)
        self.input = InputRouter(self.call_hook, lambda name: getattr(self.game, name, None),
                                 lambda event: self.play.admit(event), self._window_id,
                                 lambda text: self.events.emit(Notice(text)))
        # F8: the last seconds of play, to scrub and re-run (sandbox.history, sandbox.timeline)
        self.history = History(lambda: self.reloader.modules, replay=self.input.replay,
                               update=lambda: self.call_hook("update", step), step=step,
                               seconds=history,
                               active=lambda: self.looping.mode is Mode.IDLE)
        self.timeline = Timeline(self.history, emit=self.events.emit, resumed=self.clock.reset,
                                 game=self.spec.name, save_to=lambda: self.looping.record_to)
        # Events and updates go to the open timeline, else through the looper and the history.
        self.play = PlayGate(self.input, self.timeline, self.looping, self.history,
                             self.status, self.call_hook, step)
        # Extra HUD lines (e.g. the loop's "LOOP 2.4 s"): each source returns a line or None.
        self.hud_sources: list[Callable[[], str | None]] = [self.looping.hud_line,
                                                            self.timeline.hud_line]
        # F4: a tweak is written to the file and reloaded at once, as a save is (sandbox.changes).
        # Its writes are coalesced in time: headless, the time of frames run (deterministic).
        self.tweaking = TweakEditor(lambda: self.reloader.modules, self.root,
                                    lambda path: self.changes.reload({path}, explicit=False),
                                    self.events.emit, now=(lambda: self.frames * step)
                                    if headless else time.perf_counter)
        self.tweak_panel = TweakPanel(self.tweaking)
        self.events.sinks.append(self.tweak_panel.changed)  # its rows follow reloads, tweaks
        self.terminal = TerminalInput()  # r / R / q and --repl (sandbox.terminal_input)
        self.assets: LiveAssets | None = None
        self.running, self.frames = True, 0
        self.screenshot_overlays = False  # F12 and --screenshot: the game's frame only
        # Game code runs only under the watchdog: hooks, and a reload's own statements.
        self.watchdog = Watchdog(hang_timeout, root=self.root, memory_limit=memory_limit)
        # The game's print output, kept for the output strip (` in the window).
        self.output = GameOutput(root=self.root)
        self.output.install()
        self.calls = GameCalls(lambda: self.game, self.watchdog, self.output, self.status,
                               self.events.emit, self.root,
                               seam=lambda fn, *args: self.invoke(fn, *args))
        self.display: Display | None = None
        self.watcher: Watcher | None = None
        try:
            try:
                self.game: ModuleType = self.calls.invoke(self.reloader.import_module, "main")
            except Exception as exc:  # HookTimeout and GameExit are Exceptions too
                raise GameFailed(startup_error(exc, self.root, hang_timeout)) from exc
            self.settings: GameSettings = read_settings(self.game, self.spec.name)
            self.stale.remember()
            self._open(watch, terminal_keys, repl)
            for problem in self.settings.problems:
                self.events.emit(Notice(problem))
            self.followup.check_hooks(self.game)
            self.call_hook("load")
        except BaseException:
            # The constructor raises, so no `with` will ever close what it opened: the
            # window, the watcher's thread, the terminal's settings, the game's modules.
            self.close()
            raise

    def _open(self, watch: bool, terminal_keys: bool, repl: bool) -> None:
        """Open the window, the watcher and the terminal, and compose the parts that use them."""
        self.display = Display(self.settings.window_title, self.settings.size,
                               headless=self.headless)
        self.overlay = Overlay()
        # F4's column ends above the error panel or strip at the bottom: neither hides the other.
        self.tweak_panel.below = lambda surface: self.overlay.bottom_height(
            surface, self.status.shown_error)
        self.followup = ReloadFollowUp(
            self.display, self.overlay, self.events.emit, game_name=self.spec.name,
            resized=lambda: self.screen.forget(), stale=self.stale, looping=self.looping,
            timeline=self.timeline, history=self.history)
        # The loop's badge is drawn with the overlay, so it is no part of the game's frame.
        self.output_strip = OutputStrip(self.output, lambda: self.paused)
        # G in the timeline: faint frames around the tick shown, drawn offscreen with the
        # game's draw; redrawn when a reload, tweak or asset save goes by (sandbox.ghosts).
        self.ghosts = Ghosts(self.history, self.display.ghost_frames, self._draw_game)
        self.timeline.ghosts = self.ghosts
        self.events.sinks.append(self.ghosts.observe)
        # The ghosts' composite covers the whole frame: first, under every other badge.
        self.screen = Screen(self.display, self.overlay, self.status,
                             [self.ghosts, self.output_strip, self.looping, self.tweak_panel,
                              self.timeline])
        self.assets = LiveAssets(self.root, self.display, self.headless)
        if watch:
            from sandbox.watcher import Watcher  # watchfiles only when watching

            # The shared assets/ beside games/ reloads on save like the game's own.
            shared = self.assets.library.shared
            self.watcher = Watcher(self.root, (".py", *self.assets.suffixes),
                                   {shared: self.assets.suffixes} if shared else None)
            self.watcher.start()
        keys = terminal_keys and self.terminal.read_keys()  # only when stdin is a terminal
        hooks = HostHooks(call_hook=self.call_hook, run_engine=self.calls.run_engine,
                          around_reload=self.followup.around_reload,
                          code_changed=self._code_changed, restarted=self._restarted)
        self.changes = Changes(self.reloader, self.status, self.events, hooks,
                               watcher=self.watcher, assets=self.assets)
        actions = key_actions(reload=self.changes.reload_now, restart=self.restart,
                              stop=self.stop, looping=self.looping,
                              tweak_panel=self.tweak_panel, timeline=self.timeline,
                              overlay=self.overlay, output_strip=self.output_strip)
        looping = self.looping
        self.controls = Controls(actions, emit=self.events.emit, to_game=self.play.to_game,
                                 screenshot=self.screenshot, game=self.spec.name,
                                 intercept=self.tweak_panel.handle,
                                 loop_badge_shown=lambda: looping.visible)
        self.screen.badges.append(self.controls)  # "PAUSED" while F10 holds the game
        if self.console is not None:
            # Headless there is no window to press keys in: only the terminal's keys, if any.
            self.console.banner(self.spec.name, self.root,
                                banner_rows(keys, window=not self.headless))
        if repl:  # its lines run at the frame boundary, in the live main, under the watchdog
            self.terminal.prompt(lambda: vars(self.game), self.watchdog.call, self.events.emit,
                                 self.root, self.console, ran=self.ghosts.changed)

    # -- context manager -----------------------------------------------------------------------
    def __enter__(self) -> Host:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop watching, close the window and forget the game's modules (idempotent)."""
        self.looping.close()  # a recording still running is saved first (--record)
        self.input.close()  # input: SDL's gamepads
        self.terminal.close()  # the prompt stops; the terminal gets its settings back
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
        self.output.uninstall()

    # -- state -----------------------------------------------------------------------------------
    @property
    def paused(self) -> bool:
        """True when paused by F10 or by an error in a hook."""
        return self.controls.user_paused or self.status.paused

    @property
    def last_error(self) -> ErrorInfo | None:
        """The error the panel shows (``self.status`` holds it), or None."""
        return self.status.error

    def _remember_reload(self, ev: object) -> None:
        if isinstance(ev, (ReloadReport, Restarted)):
            self.devtools.reloaded(ev)

    def _window_id(self) -> int:
        """The window replayed events are addressed to (0 without a display)."""
        return self.display.window_id if self.display is not None else 0

    def call_hook(self, hook: str, *args: object) -> bool:
        """Run one hook if the game defines it; on an exception pause and report once."""
        return self.calls.call_hook(hook, *args)

    def invoke(self, fn: Callable[..., object], *args: object) -> object:
        """The single place hooks are called, under the watchdog's time limit.

        A hang raises ``HookTimeout`` and ``sys.exit()``/``KeyboardInterrupt`` in game code
        raise ``GameExit`` (both ``Exception``): the caller pauses the game on them. A seam:
        a subclass or a bench may replace it (``GameCalls.call_hook`` calls it).
        """
        return self.calls.invoke(fn, *args)

    def standing_error(self) -> ErrorInfo | None:
        """The error still true after a fix of something else: an asset broken on disk.

        A reload that fixes the code clears the code's error, not the panel of an image
        that is still corrupt; that one goes when its own file is saved again.
        """
        return self.assets.error if self.assets is not None else None

    def _paused_on_error(self) -> None:
        self.screen.freeze()

    def _resumed(self) -> None:
        """A fix arrived: draw live frames, and forget the time spent paused."""
        self.screen.thaw()
        self.clock.reset()

    # -- changes (sandbox.changes) ---------------------------------------------------------------
    def reload(self, paths: set[Path] | None = None, explicit: bool = True) -> ReloadReport:
        """Reload what changed on disk (F9); an explicit reload also retries a paused hook."""
        return self.changes.reload(paths, explicit)

    def restart(self) -> ReloadReport:
        """Hot restart (F5): every game module imported fresh, then ``load()`` again."""
        return self.changes.restart()

    def _code_changed(self, entry_changed: bool) -> None:
        """After a reload that changed code: settings and hook names (sandbox.reload_followup)."""
        self.settings = self.followup.code_changed(self.game, self.settings, entry_changed)

    def _restarted(self) -> None:
        """After a hot restart: the fresh entry module, then what follows new code."""
        self.game = self.reloader.modules.get(self.reloader.entry, self.game)
        self.settings = self.followup.restarted(self.game, self.settings)

    # -- tweaks (F4: sandbox.tweak_edit, sandbox.tweak_panel) -------------------------------------
    def tweaks(self) -> list[Tweakable]:
        """Every tweakable value: module, name, line, live value, range (the F4 panel's list)."""
        return self.tweaking.tweakables()

    def tweak(self, name: str, value: object) -> Tweaked | None:
        """Do what a drag does: ``host.tweak("physics.SPEED", 4.5)`` edits the file and reloads.

        Raises ``TweakError`` for an unknown name ("did you mean …?") or a bad value.
        """
        return self.tweaking.tweak(name, value)

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
        if not self.status.paused:
            self.input.sync()  # input: no key stuck after F7, F5 or an error pause
        self.controls.handle_terminal(self.terminal.keys)
        self.tweaking.frame()  # a drag's coalesced write, when due
        self.changes.apply_pending()
        self.terminal.run_lines()
        self.play.advance(self.controls.ticks(self.clock.tick()))  # F10 pauses, F11 steps
        if not self.status.paused and not self._draw_game():
            # The failure froze the last good frame; it overwrites the half-drawn one, on
            # the window even if draw() left a texture target or a clip behind.
            display.reset_target()
        self.changes.frame_done()  # "resumed: main.py fixed" once the hooks ran again
        self.screen.finish(self.settings.background, self._hud())
        self.frames += 1
        self.devtools.times.add(start, time.perf_counter() - start)
        return True

    def _draw_game(self) -> bool:
        """The game's frame: its ``draw`` hook, or the background when it has none."""
        assert self.display is not None
        return self.calls.draw(self.display, self.settings.background)

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

    def screenshot(self, path: str | Path, overlays: bool | None = None) -> Path:
        """Save the last frame as a PNG: the game's, or with ``overlays`` what the window showed.

        ``overlays`` None: ``self.screenshot_overlays`` (``--screenshot-overlays``).
        """
        assert self.display is not None
        with_overlays = self.screenshot_overlays if overlays is None else overlays
        frame = None if with_overlays else self.screen.game_frame()
        out = self.display.save_png(path, frame)
        self.events.emit(ScreenshotSaved(str(out)))
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

