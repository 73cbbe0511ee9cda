"""Watch a game folder (and the shared assets beside it) in a thread; queue the changed files.

This is the only module that imports ``watchfiles``. The thread does nothing but queue paths:
the host drains the queue at a frame boundary and hands the paths to the engine, so no game
code and no reload ever runs off the main thread.

Latency tuning (watchfiles 1.x). ``watchfiles.watch`` loops in Rust: it sleeps ``step`` ms,
then checks the stop event and the change buffer; once changes are buffered it yields when a
further ``step`` passes with no new change, or when ``debounce`` ms have passed since the first
one. So the write→queued latency is about one to two ``step``s, and a burst of saves is
coalesced into one set per ``debounce`` window at most. The default ``step=50`` and
``debounce=1600`` are tuned for restarting servers; a game wants a frame or less, so we use
``step=1`` ms and ``debounce=25`` ms: measured write→queued latency 2.2 ms median, 2.8 ms p95
(50 writes, Linux inotify). A 1 ms step costs one GIL round-trip a millisecond: about 3 % of
one core while idle, and about 2 % on a busy pure-Python main thread. ``rust_timeout`` with
``yield_on_timeout`` makes the Rust loop hand control back every ``_CHECK_MS`` even when
nothing changed, so we can notice a vanished folder. ``stop_event`` is polled every
``step``, so ``stop()`` returns within a few milliseconds. Polling (``force_polling``) stays at
watchfiles' default: inotify on Linux, polling only on WSL or when
``WATCHFILES_FORCE_POLLING`` is set.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType

import watchfiles

__all__ = ["Watcher", "is_editor_temp"]

_STEP_MS = 1
_DEBOUNCE_MS = 25
_CHECK_MS = 500  # how often an idle watcher checks that its folder still exists
_JOIN_SECONDS = 1.0

# Files editors write next to the real one while saving: vim's swap files and its "4913"
# write-permission probe, emacs' ".#name" lock links and "#name#" autosaves, "name~" backups,
# JetBrains' safe-write temporaries. Most fail the suffix test anyway; ".#main.py" does not.
_TEMP_PREFIXES = (".#", "#", ".~")
_TEMP_SUFFIXES = ("~", "#", ".swp", ".swx", ".swo", ".tmp", "___jb_tmp___", "___jb_old___")
_TEMP_NAMES = frozenset({"4913"})
_IGNORED_DIRS = frozenset({"__pycache__", ".git", ".hg", ".mypy_cache", ".pytest_cache"})


def is_editor_temp(name: str) -> bool:
    """True for a file name that an editor writes while saving, never a real source file."""
    return (
        name in _TEMP_NAMES
        or name.startswith(_TEMP_PREFIXES)
        or name.endswith(_TEMP_SUFFIXES)
    )


class _StopFlag:
    """The stop event handed to watchfiles, which also reports that watching has begun.

    watchfiles creates its Rust watcher (registering the inotify watches) and only then
    starts polling ``stop_event.is_set()`` once per ``step``, so the first poll means "ready".
    """

    def __init__(self, stop: threading.Event, ready: threading.Event) -> None:
        self._stop = stop
        self._ready = ready

    def is_set(self) -> bool:
        if not self._ready.is_set():
            self._ready.set()
        return self._stop.is_set()


class Watcher:
    """A daemon thread that queues changed files under ``root`` (created, modified, deleted).

    ``drain()`` returns and clears the queued paths (a burst of saves to one file is one path);
    ``wait(timeout)`` blocks until something is queued. When the folder vanishes or watching
    fails, ``error`` says why and the thread ends; nothing is raised into the host.
    """

    def __init__(self, root: str | Path, suffixes: Iterable[str] = (".py",),
                 also: Mapping[Path, Iterable[str]] | None = None) -> None:
        self.root = Path(root).resolve()
        self.suffixes = tuple(suffixes)
        # Other folders watched by the same thread, each with its own suffixes (the shared
        # assets/ beside games/: asset files only, so a script kept there is no game code).
        self.also = {Path(folder).resolve(): tuple(sfx) for folder, sfx in (also or {}).items()}
        self.error: str | None = None
        self._pending: set[Path] = set()
        self._lock = threading.Lock()
        self._changed = threading.Event()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Watcher:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """True while the watching thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start watching; returns once the OS watch is in place, so no early save is missed."""
        if self.running:
            return
        self._stop.clear()
        self._ready.clear()
        self.error = None
        self._thread = threading.Thread(target=self._run, name="sandbox-watcher", daemon=True)
        self._thread.start()
        # The OS watch is registered inside the generator's first step; we wait for that
        # (bounded) so that a file written right after start() is seen. See _StopFlag.
        self._ready.wait(_JOIN_SECONDS)
        # A daemon thread never blocks exit, but stopping it first avoids a thread waking
        # into a finalizing interpreter.
        atexit.register(self.stop)

    def stop(self) -> None:
        """Stop watching; returns within a few milliseconds (one ``step``)."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(_JOIN_SECONDS)
        atexit.unregister(self.stop)

    def drain(self) -> set[Path]:
        """Return every path queued since the last drain, and clear the queue."""
        with self._lock:
            paths, self._pending = self._pending, set()
            self._changed.clear()
        return paths

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a change is queued (or ``timeout`` seconds pass); True if one is."""
        return self._changed.wait(timeout)

    def wanted(self, path: Path) -> bool:
        """True when a change to ``path`` matters: a source file, not an editor's temp file."""
        root, suffixes = self._folder_of(path)
        if path.suffix not in suffixes or is_editor_temp(path.name):
            return False
        inside = path.parts[len(root.parts):]  # the folders above the watched one don't count
        return not any(part in _IGNORED_DIRS for part in inside)

    def _folder_of(self, path: Path) -> tuple[Path, tuple[str, ...]]:
        """The watched folder ``path`` lies in, and the suffixes that count there."""
        for folder, suffixes in self.also.items():
            if path.is_relative_to(folder) and not path.is_relative_to(self.root):
                return folder, suffixes
        return self.root, self.suffixes

    def _run(self) -> None:
        try:
            if not self.root.is_dir():
                raise FileNotFoundError(f"{self.root} is not a folder")
            # A shared folder that vanished later is no error: the game's own folder matters.
            others = [folder for folder in self.also if folder.is_dir()]
            changes = watchfiles.watch(
                self.root, *others,
                watch_filter=None,  # our own filter below: cheaper than DefaultFilter's regexes
                step=_STEP_MS,
                debounce=_DEBOUNCE_MS,
                rust_timeout=_CHECK_MS,
                yield_on_timeout=True,
                stop_event=_StopFlag(self._stop, self._ready),
                raise_interrupt=False,
            )
            for batch in changes:
                if not self.root.is_dir():
                    # Record the error before queueing: a waiter woken by this batch must
                    # already see it (the host tells the user once, at the next frame).
                    self._fail(FileNotFoundError(f"the watched folder {self.root} was removed"))
                    self._queue(batch)
                    return
                self._queue(batch)
        except Exception as exc:  # the thread must report, never die silently
            self._fail(exc)
        finally:
            self._ready.set()

    def _fail(self, exc: Exception) -> None:
        self.error = f"watching {self.root} stopped: {type(exc).__name__}: {exc}"
        self._changed.set()  # wake a waiter so it can look at ``error``

    def _queue(self, batch: set[tuple[watchfiles.Change, str]]) -> None:
        paths = [Path(raw) for _, raw in batch]
        for change, raw in batch:
            if change == watchfiles.Change.added and os.path.isdir(raw):
                # A new folder gets its OS watch only after it appears, so files written into
                # it right away (mkdir + save, a git checkout) produce no event: scan it.
                paths.extend(Path(raw).rglob("*"))
        wanted = {p for p in paths if self.wanted(p)}
        if wanted:
            with self._lock:
                self._pending |= wanted
                self._changed.set()
