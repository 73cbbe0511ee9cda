"""Applying changes to the running game at the frame boundary: code reloads, restarts, assets.

The host calls :meth:`Changes.apply_pending` once a frame, after its events and before the
game's ``update``, and F9/F5 call :meth:`Changes.reload_now` and :meth:`Changes.restart`. So
game code changes only on the main thread, between two frames, never inside a hook.

The host keeps the state (the live ``game`` module, ``settings``, ``last_error``, the error
pause); this module holds the rules for how each kind of change moves it:

- a reload that changed code, or an explicit one (F9) while a hook is paused on an error,
  resumes the game; a failed reload is rolled back by the engine, so the old code keeps
  running and only its error is shown;
- a hot restart imports every game module fresh, forgets the cached assets and runs ``load()``
  again;
- an asset that fails to reload shows the panel without pausing; when a hook was paused on an
  asset error, any asset change retries it (and ``load()`` again when ``load()`` failed);
- a changed ``TITLE`` or ``SIZE`` is applied to the window after every reload that changed
  code, and after a restart.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.events import GameError, Notice, Restarted
from sandbox.events.errors import failed_reload_info
from sandbox.game import read_settings
from sandbox.hot import ReloadReport

if TYPE_CHECKING:
    from sandbox.host import Host

__all__ = ["Changes"]


class Changes:
    """Applies what changed on disk (or what F9/F5 asked for) to the host's running game."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self._watch_error_told = False

    def apply_pending(self) -> None:
        """Apply what queued up since the last frame: saves the watcher saw, and reload requests.

        Asset files go to the asset library, sources to the engine; ``perform_code_reload()``
        from game code asks for a reload of whatever changed.
        """
        host = self.host
        watcher = host.watcher
        if watcher is not None and watcher.error and not self._watch_error_told:
            self._watch_error_told = True
            host._emit(Notice(f"{watcher.error} — saves are not seen; F9 still reloads"))
        assets = host.assets
        if assets is not None:  # e.g. "sound is off", raised inside a game hook
            for notice in assets.drain_notices():
                host._emit(notice)
        paths: set[Path] = watcher.drain() if watcher is not None else set()
        if assets is not None and paths:
            changed = {p for p in paths if assets.is_asset(p)}
            paths -= changed
            if changed:
                self.refresh_assets(changed)
        if paths:
            self.reload(paths, explicit=False)
        if host.reloader.reload_requested:
            self.reload(None, explicit=False)

    def reload_now(self) -> None:
        """F9 (and ``r``): reload the code, then any asset whose file changed (--no-watch)."""
        self.reload()
        if self.host.assets is not None:
            self.refresh_assets(None)

    def reload(self, paths: set[Path] | None = None, explicit: bool = True) -> ReloadReport:
        """Reload what changed on disk (F9); an explicit reload also retries a paused hook."""
        host = self.host
        reloader = host.reloader
        # Only applying runs game code; reading and compiling (a 10 MB file) is not limited.
        plan = reloader.prepare(paths)
        report = host.looping.around_reload(
            lambda: host.watchdog.run_engine("reload", reloader.apply, plan))
        reloader.reload_requested = False
        if not report.ok:
            host.last_error = failed_reload_info(report.error, report.error_info, host.root)
            host._emit(report)
            return report
        if report.changed or explicit:
            host._emit(report)
        if report.changed or (explicit and host._error_paused):
            host._resume()
        elif not host._error_paused:
            # Disk matches the running code again: a reload error is moot (an asset's is not).
            host.last_error = host.standing_error()
        if report.changed:
            self._apply_settings()
            if reloader.entry in report.changed:
                host._check_hooks()
        return report

    def restart(self) -> ReloadReport:
        """Hot restart (F5): every game module imported fresh, then ``load()`` again."""
        host = self.host
        report = host.watchdog.run_engine("restart", host.reloader.restart, restart=True)
        if not report.ok:
            host.last_error = report.error_info
            host._emit(report)
            return report
        host.game = host.reloader.modules.get(host.reloader.entry, host.game)
        host._emit(Restarted(len(report.changed), report.seconds))
        if host.assets is not None:
            host.assets.clear()  # before resuming: a forgotten asset's error is moot too
        host._resume()
        self._apply_settings()
        host._check_hooks()
        host._call("load")
        return report

    def refresh_assets(self, changed: set[Path] | None) -> None:
        """Reload changed assets; a failure shows the panel without pausing the game."""
        host = self.host
        assets = host.assets
        assert assets is not None
        had = assets.error
        for ev in assets.refresh(changed):
            host._emit(ev)
        if assets.error is not None:
            host.last_error = assets.error
        elif had is not None and host.last_error is had:
            host.last_error = None
        if host._error_paused and host.last_error is not None \
                and host.last_error.kind == "AssetError":
            # A hook failed on a missing or broken asset: try again. When that hook was
            # load(), run it again, since update and draw rely on what it loads.
            failed = next((e for e in reversed(host.events) if isinstance(e, GameError)), None)
            host._resume()
            if failed is not None and failed.hook == "load":
                host._call("load")

    def _apply_settings(self) -> None:
        """Apply a changed ``TITLE`` or ``SIZE`` to the window; tell new setting problems."""
        host = self.host
        new = read_settings(host.game, host.spec.name)
        assert host.display is not None
        if new.title != host.settings.title:
            host.display.set_title(new.title)
        if new.size != host.settings.size:
            host.display.set_size(new.size)
            host.screen.forget()
        for problem in set(new.problems) - set(host.settings.problems):
            host._emit(Notice(problem))
        host.settings = new
