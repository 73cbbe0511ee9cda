"""Applying changes to the running game at the frame boundary: code reloads, restarts, assets.

The host calls :meth:`Changes.apply_pending` once a frame, after its events and before the
game's ``update``, and F9/F5 call :meth:`Changes.reload_now` and :meth:`Changes.restart`. So
game code changes only on the main thread, between two frames, never inside a hook.

This module does not know the host: it gets the engine, the watcher and the assets, the run
state (``sandbox.status.Status``), an event sink, a hook caller, and two callables for what
the host does after new code (apply ``TITLE``/``SIZE``, check hook names) and after a
restart. It holds the rules for how each kind of change moves the run state:

- a reload that changed code, or an explicit one (F9) while a hook is paused on an error,
  resumes the game; a failed reload is rolled back by the engine, so the old code keeps
  running and only its error is shown;
- a hot restart imports every game module fresh, forgets the cached assets and runs ``load()``
  again;
- an asset that fails to reload shows the panel without pausing; when a hook was paused on an
  asset error, any asset change retries it (and ``load()`` again when ``load()`` failed);
- the host's ``code_changed`` runs after every reload that changed code, and its
  ``restarted`` after a restart (before ``load()``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.events import Notice, Restarted
from sandbox.events.errors import failed_reload_info
from sandbox.hot import Reloader, ReloadReport
from sandbox.status import Status

if TYPE_CHECKING:
    from sandbox.live_assets import LiveAssets
    from sandbox.watcher import Watcher

__all__ = ["Changes", "HostHooks"]

Emit = Callable[[object], None]


@dataclass(frozen=True)
class HostHooks:
    """What the host does around a change; every field is a plain callable.

    ``call_hook(name, *args)`` runs a game hook (False when it failed and paused the game);
    ``run_engine(what, run, *args, restart=...)`` runs an engine call under the watchdog;
    ``around_reload(reload)`` lets the looper carry edits into its snapshot;
    ``code_changed(entry_changed)`` follows a reload that changed code;
    ``restarted()`` follows a successful hot restart, before ``load()`` runs again.
    """

    call_hook: Callable[..., bool]
    run_engine: Callable[..., ReloadReport]
    around_reload: Callable[[Callable[[], ReloadReport]], ReloadReport]
    code_changed: Callable[[bool], None]
    restarted: Callable[[], None]


class Changes:
    """Applies what changed on disk (or what F9/F5 asked for) to the running game."""

    def __init__(self, reloader: Reloader, status: Status, emit: Emit, hooks: HostHooks, *,
                 watcher: Watcher | None = None, assets: LiveAssets | None = None) -> None:
        self.reloader = reloader
        self.status = status
        self.emit = emit
        self.hooks = hooks
        self.watcher = watcher
        self.assets = assets
        self._watch_error_told = False

    def apply_pending(self) -> None:
        """Apply what queued up since the last frame: saves the watcher saw, and reload requests.

        Asset files go to the asset library, sources to the engine; ``perform_code_reload()``
        from game code asks for a reload of whatever changed.
        """
        watcher, assets = self.watcher, self.assets
        if watcher is not None and watcher.error and not self._watch_error_told:
            self._watch_error_told = True
            self.emit(Notice(f"{watcher.error} — saves are not seen; F9 still reloads"))
        if assets is not None:  # e.g. "sound is off", raised inside a game hook
            for notice in assets.drain_notices():
                self.emit(notice)
        paths: set[Path] = watcher.drain() if watcher is not None else set()
        if assets is not None and paths:
            changed = {p for p in paths if assets.is_asset(p)}
            paths -= changed
            if changed:
                self.refresh_assets(changed)
        if paths:
            self.reload(paths, explicit=False)
        if self.reloader.reload_requested:
            self.reload(None, explicit=False)

    def reload_now(self) -> None:
        """F9 (and ``r``): reload the code, then any asset whose file changed (--no-watch)."""
        self.reload()
        if self.assets is not None:
            self.refresh_assets(None)

    def reload(self, paths: set[Path] | None = None, explicit: bool = True) -> ReloadReport:
        """Reload what changed on disk (F9); an explicit reload also retries a paused hook."""
        reloader, status = self.reloader, self.status
        # Only applying runs game code; reading and compiling (a 10 MB file) is not limited.
        plan = reloader.prepare(paths)
        report = self.hooks.around_reload(
            lambda: self.hooks.run_engine("reload", reloader.apply, plan))
        reloader.reload_requested = False
        if not report.ok:
            status.reload_failed(failed_reload_info(report.error, report.error_info,
                                                    reloader.root))
            self.emit(report)
            return report
        if report.changed or explicit:
            self.emit(report)
        if report.changed or (explicit and status.paused):
            status.resume()
        else:
            status.disk_matches()
        if report.changed:
            self.hooks.code_changed(reloader.entry in report.changed)
        return report

    def restart(self) -> ReloadReport:
        """Hot restart (F5): every game module imported fresh, then ``load()`` again."""
        report = self.hooks.run_engine("restart", self.reloader.restart, restart=True)
        if not report.ok:
            self.status.reload_failed(report.error_info)
            self.emit(report)
            return report
        self.emit(Restarted(len(report.changed), report.seconds))
        if self.assets is not None:
            self.assets.clear()  # before resuming: a forgotten asset's error is moot too
        self.status.resume()
        self.hooks.restarted()
        self.hooks.call_hook("load")
        return report

    def refresh_assets(self, changed: set[Path] | None) -> None:
        """Reload changed assets; a failure shows the panel without pausing the game."""
        assets, status = self.assets, self.status
        assert assets is not None
        had = assets.error
        for ev in assets.refresh(changed):
            self.emit(ev)
        status.assets_refreshed(had, assets.error)
        # A hook failed on a missing or broken asset: try again. When that hook was load(),
        # run it again, since update and draw rely on what it loads.
        if status.paused_on_asset and status.resume() == "load":
            self.hooks.call_hook("load")
