"""The game's run state: running or paused on a failed hook, and the error the panel shows.

One small object with one writer: every change of the error or of the error pause is one of
its named transitions, called by the host (a hook failed) and by ``sandbox.changes`` (a
reload, a restart, an asset). Who reacts to a pause or a resume (the screen freezes the last
good frame, the clock forgets the time spent paused) is given to it as two callables, so
neither caller needs to know them. F10's pause is ``sandbox.controls``', not this.
"""

from __future__ import annotations

from collections.abc import Callable

from sandbox.events import ErrorInfo

__all__ = ["Status"]


def _nothing() -> None:
    return None


class Status:
    """The error shown (``error``) and the hook the game is paused on (``failed_hook``).

    ``standing()`` is the error that stays true after a fix of something else: an asset still
    broken on disk, whose panel stays until that file is saved again.
    """

    def __init__(self, standing: Callable[[], ErrorInfo | None] = _nothing, *,
                 on_pause: Callable[[], None] = _nothing,
                 on_resume: Callable[[], None] = _nothing) -> None:
        self._standing = standing
        self._on_pause = on_pause
        self._on_resume = on_resume
        self._error: ErrorInfo | None = None
        self._failed_hook: str | None = None
        self._holding = False
        self._shown_before: ErrorInfo | None = None  # the error shown when holding began

    @property
    def error(self) -> ErrorInfo | None:
        """What the panel shows, or None."""
        return self._error

    @property
    def shown_error(self) -> ErrorInfo | None:
        """What the panel shows: while holding, not an error that came up since (see hold)."""
        return self._shown_before if self._holding else self._error

    @property
    def holding(self) -> bool:
        """True while new errors wait before being shown (a second save may fix them)."""
        return self._holding

    @property
    def fixed_while_held(self) -> bool:
        """True when the game runs and shows what it showed before holding began."""
        return self._holding and not self.paused and self._error is self._shown_before

    def hold(self) -> None:
        """New errors wait: the panel keeps showing what it shows now (``sandbox.changes``)."""
        if not self._holding:
            self._holding, self._shown_before = True, self._error

    def show(self) -> None:
        """Stop holding: the panel shows the current error."""
        self._holding, self._shown_before = False, None

    @property
    def failed_hook(self) -> str | None:
        """The hook that raised or hung, while the game is paused on it."""
        return self._failed_hook

    @property
    def paused(self) -> bool:
        """True while a hook's error pauses the game (no hook runs until a fix)."""
        return self._failed_hook is not None

    def hook_failed(self, hook: str, info: ErrorInfo) -> None:
        """A hook raised or hung: pause on it and show its error."""
        self._error, self._failed_hook = info, hook
        self._on_pause()

    def resume(self) -> str | None:
        """A fix arrived: run the hooks again; returns the hook that had failed (or None)."""
        hook, self._failed_hook = self._failed_hook, None
        self._error = self._standing()
        self._on_resume()
        return hook

    def reload_failed(self, info: ErrorInfo | None) -> None:
        """A reload or restart failed (rolled back): show why; the game keeps running."""
        self._error = info

    def disk_matches(self) -> None:
        """A reload found the code on disk as it runs: a reload's error is moot (an asset's is not).

        While a hook is paused its error stays: the code that failed is still the code.
        """
        if not self.paused:
            self._error = self._standing()

    def assets_refreshed(self, before: ErrorInfo | None, now: ErrorInfo | None) -> None:
        """Assets reloaded: show a new asset error, or drop the one that was shown and fixed."""
        if now is not None:
            self._error = now
        elif before is not None and self._error is before:
            self._error = None

    @property
    def paused_on_asset(self) -> bool:
        """Paused on a hook that failed for a missing or broken asset (any asset save retries)."""
        return self.paused and self._error is not None and self._error.kind == "AssetError"
