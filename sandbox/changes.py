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
  ``restarted`` after a restart (before ``load()``);
- files saved together are applied together: a watcher save that failed is reloaded again
  with the next save, and the errors that follow a save wait ``GRACE`` before they are shown
  (dropped unseen if a later save fixes them);
- an error that goes away says so ("resumed: main.py fixed", once a frame ran without the
  hook failing again); a failed F5 is retried after the next clean reload; a module deleted
  while watching is told at once, and its return like a fix.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.eventlog import EventLog
from sandbox.events import ErrorInfo, Notice, Restarted, Resumed
from sandbox.events.errors import failed_reload_info
from sandbox.hot import Reloader, ReloadReport
from sandbox.status import Status

if TYPE_CHECKING:
    from sandbox.live_assets import LiveAssets
    from sandbox.watcher import Watcher

__all__ = ["GRACE", "Changes", "HostHooks"]

# How long an error that follows a save waits before it is shown, in case another file of the
# same "save all" fixes it. Saves are applied at once (save -> screen is not delayed); only
# the error's panel and terminal lines wait. Editors write the files of a "save all" a few ms
# to a few tens of ms apart (issue 15: 20 ms); 150 ms leaves room and is below what a person
# notices as late for an error.
GRACE = 0.15


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

    def __init__(self, reloader: Reloader, status: Status, log: EventLog, hooks: HostHooks, *,
                 watcher: Watcher | None = None, assets: LiveAssets | None = None,
                 now: Callable[[], float] = time.perf_counter, grace: float = GRACE) -> None:
        self.reloader = reloader
        self.status = status
        self.log = log
        self.emit = log.emit
        self.now = now
        self.grace = grace
        self._grace_until = 0.0
        self._retry: set[Path] = set()  # a failed save's files: reloaded with the next save
        self.hooks = hooks
        self.watcher = watcher
        self.assets = assets
        self._watch_error_told = False
        self._fixed: list[str] = []  # what made an error go away, told once the frame ran
        self._restart_failed = False  # F5 failed: retried after the next good reload
        self._missing: set[Path] = set()  # deleted game modules whose code is kept, told

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
            self._reload_saved(paths)
        if self.reloader.reload_requested:
            self.reload(None, explicit=False)

    def _reload_saved(self, paths: set[Path]) -> None:
        """Reload what the watcher saw, with what a failed save left unapplied; hold errors.

        Files saved together are applied together: a save that failed (main.py imports what
        entities.py, saved a moment later, defines) is reloaded again with the next save, and
        the errors that follow a save wait ``grace`` seconds before they are shown.
        """
        paths |= self._retry
        self.status.hold()
        self.log.hold_errors()
        self._grace_until = self.now() + self.grace
        report = self.reload(paths, explicit=False)
        self._retry = set() if report.ok else paths

    def reload_now(self) -> None:
        """F9 (and ``r``): reload the code, then any asset whose file changed (--no-watch)."""
        self.reload()
        if self.assets is not None:
            self.refresh_assets(None)

    def reload(self, paths: set[Path] | None = None, explicit: bool = True) -> ReloadReport:
        """Reload what changed on disk (F9); an explicit reload also retries a paused hook."""
        reloader, status = self.reloader, self.status
        before = status.error
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
        if report.changed or explicit or self._newly_missing(paths, report):
            self.emit(report)  # a module deleted just now is told now, not at the next F9
        if report.changed or (explicit and status.paused):
            if status.resume() == "load":  # update and draw rely on what load() makes
                self.hooks.call_hook("load")
        else:
            status.disk_matches()
        if report.changed:
            self.hooks.code_changed(reloader.entry in report.changed)
        self._note_fixed(before, report.files if report.changed else [])
        self._note_restored()
        if self._restart_failed:
            # F5 failed on an error; this save reloaded cleanly: do what was asked.
            self.restart()
        return report

    def restart(self) -> ReloadReport:
        """Hot restart (F5): every game module imported fresh, then ``load()`` again."""
        before = self.status.error
        report = self.hooks.run_engine("restart", self.reloader.restart, restart=True)
        self._restart_failed = not report.ok
        if not report.ok:
            self.status.reload_failed(report.error_info)
            self.emit(report)
            self.emit(Notice("the hot restart did not happen: fix the error and save — the "
                             "restart is retried after the next good reload (or press F5)"))
            return report
        self.emit(Restarted(len(report.changed), report.seconds))
        if self.assets is not None:
            self.assets.clear()  # before resuming: a forgotten asset's error is moot too
        self.status.resume()
        self.hooks.restarted()
        self._note_fixed(before, [])
        self.hooks.call_hook("load")
        return report

    def refresh_assets(self, changed: set[Path] | None) -> None:
        """Reload changed assets; a failure shows the panel without pausing the game."""
        assets, status = self.assets, self.status
        assert assets is not None
        had, before = assets.error, status.error
        for ev in assets.refresh(changed):
            self.emit(ev)
        status.assets_refreshed(had, assets.error)
        # A hook failed on a missing or broken asset: try again. When that hook was load(),
        # run it again, since update and draw rely on what it loads.
        if status.paused_on_asset and status.resume() == "load":
            self.hooks.call_hook("load")
        root = self.reloader.root
        self._note_fixed(before, sorted(_shown(p, root) for p in changed or ()))

    def _note_fixed(self, before: ErrorInfo | None, files: list[str]) -> None:
        """Remember that the error shown ``before`` went away (told by :meth:`frame_done`).

        The error that stays true (an asset still broken on disk) is not a fix.
        """
        error = self.status.error
        if before is None or error is before:
            return
        if self.status.holding and before is not self.status.shown_error:
            return  # an error held back, never shown: its fix needs no line either
        if error is not None and (error.kind != "AssetError" or before.kind == "AssetError"):
            return  # another error took its place (an asset still broken is not the code's)
        self._fixed.extend(files or [before.path or "the error"])

    def _newly_missing(self, paths: set[Path] | None, report: ReloadReport) -> bool:
        """True when ``paths`` hold a module deleted since the last reload (the report says so)."""
        gone = {p for p in paths or () if not p.exists()
                and any(_shown(p, self.reloader.root) in note for note in report.notes)}
        new = gone - self._missing
        self._missing |= gone
        return bool(new)

    def _note_restored(self) -> None:
        """A deleted module's file is back: its note is moot, say so like a fix."""
        back = {p for p in self._missing if p.exists()}
        if back:
            self._missing -= back
            self._fixed.extend(sorted(_shown(p, self.reloader.root) for p in back))

    def frame_done(self) -> None:
        """The frame ran: show held errors when due; tell a fix whose hooks ran again."""
        if self.status.holding:
            self._end_hold()
        if not self._fixed:
            return
        fixed, self._fixed = self._fixed, []
        if not self.status.paused:
            self.emit(Resumed(", ".join(dict.fromkeys(fixed))))


    def _end_hold(self) -> None:
        """Held errors that a later save fixed are never shown; others once ``grace`` passed."""
        if self.log.held and self.status.fixed_while_held:
            self.log.drop_held()
            self._fixed.clear()  # the error was never shown: nothing to say
            self.status.show()
        elif self.now() >= self._grace_until:
            self.log.release()
            self.status.show()


def _shown(path: Path, root: Path) -> str:
    """``path`` as the user sees it: relative to the game folder when it lies under it."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return path.name
