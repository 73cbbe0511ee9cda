"""Hot-reloadable assets: ``assets.image("ball.png")``, ``assets.sound(...)``, ``assets.font(...)``.

Games call these from any hook (every frame is fine: results are cached). When an asset file
changes on disk the host calls :meth:`AssetLibrary.refresh` at the next frame boundary, and the
next call returns the new version; where the loader can, the existing object is updated in
place, so a texture kept in a module global shows the new pixels too. A file that fails to
load keeps the old version and reports the error.

Lookup order (:func:`search_path`): the game's folder, its ``assets/``, the shared ``assets/``
of the games beside it, then the sandbox's own ``sandbox/data/`` (its font, shipped in the
wheel). The shared folder is found by one rule, :func:`shared_assets_folder`: a game at
``<repo>/games/<game>`` shares ``<repo>/assets`` — the folder must be named ``games`` and the
``assets/`` beside it must exist, so a game anywhere else (``~/mygame``) never reads or
watches an unrelated ``~/assets``; it gets the copy of the repository's ``assets/`` that a
wheel installs (``sandbox/data/shared``), or none in a checkout. A missing asset says every
place it looked and suggests close names.

This module holds no SDL code: the host registers one loader per kind (``sandbox.sdl`` makes
textures, sounds and fonts).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.events import Event

__all__ = [
    "SANDBOX_ASSETS",
    "AssetError",
    "AssetLibrary",
    "AssetReloaded",
    "Loader",
    "font",
    "image",
    "search_path",
    "shared_assets_folder",
    "sound",
]

SANDBOX_ASSETS = Path(__file__).resolve().parent / "data"  # shipped in the wheel
GAMES_FOLDER = "games"  # a game inside a folder of this name shares the assets/ beside it
# The repository's assets/, as a wheel installs it (pyproject.toml); absent in a checkout.
INSTALLED_SHARED = SANDBOX_ASSETS / "shared"


def shared_assets_folder(game_root: Path, installed: Path = INSTALLED_SHARED) -> Path | None:
    """The ``assets/`` shared by the games beside ``game_root``, or None when there is none.

    ``<repo>/games/<game>`` -> ``<repo>/assets``, if that folder exists. Only a parent named
    ``games`` counts: a game elsewhere must not pick up (or watch) whatever ``assets/`` happens
    to sit one level up. A game elsewhere (an example run from a wheel, or one copied out with
    ``new --from``) gets the copy a wheel installs as ``sandbox/data/shared``, if there is one.
    """
    parent = Path(game_root).resolve().parent
    beside = parent.parent / "assets"
    if parent.name == GAMES_FOLDER and beside.is_dir():
        return beside
    return installed if installed.is_dir() else None


def search_path(game_root: Path) -> tuple[Path, ...]:
    """Where assets are looked up, in order: the game, its assets/, shared, the sandbox's."""
    root = Path(game_root).resolve()
    shared = shared_assets_folder(root)
    return (root, root / "assets", *([shared] if shared else []), SANDBOX_ASSETS)


@dataclass(frozen=True)
class Loader:
    """How to load one kind of asset: ``load(path, *args)``, and ``swap(old, new)``.

    ``swap`` moves the new version into the old object and returns the object to keep (the
    old one, updated in place, or simply the new one when in-place update is impossible).
    """

    load: Callable[..., Any]
    swap: Callable[[Any, Any], Any] = lambda old, new: new
    suffixes: tuple[str, ...] = ()


class AssetError(Exception):
    """An asset could not be found or loaded; the message says where and what to do."""


@dataclass(frozen=True)
class AssetReloaded(Event):
    """An asset file changed on disk and the new version is live (or failed and was kept)."""

    path: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        """False when the file failed to load (the console shows the line in red)."""
        return self.error is None

    def __str__(self) -> str:
        if self.error:
            return f"asset {self.path} failed to load: {self.error} — keeping the old version"
        return f"reloaded asset {self.path}"


@dataclass
class _Entry:
    kind: str
    path: Path
    args: tuple[Any, ...]
    value: Any
    stamp: tuple[int, int]


def _stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return (info.st_mtime_ns, info.st_size)


@dataclass
class AssetLibrary:
    """The assets of one game: lookup, cache, and reload on change."""

    game_root: Path
    loaders: dict[str, Loader] = field(default_factory=dict)
    search: tuple[Path, ...] = ()
    _cache: dict[tuple[str, str, tuple[Any, ...]], _Entry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.game_root = Path(self.game_root).resolve()
        if not self.search:
            self.search = search_path(self.game_root)

    @property
    def shared(self) -> Path | None:
        """The shared assets folder in the search path (the host watches it too), or None."""
        shared = shared_assets_folder(self.game_root)
        return shared if shared in self.search else None

    def find(self, name: str) -> Path:
        """The file for ``name``; AssetError says where it looked and suggests close names."""
        for folder in self.search:
            candidate = folder / name
            if candidate.is_file():
                return candidate.resolve()
        known: list[str] = []
        for folder in self.search:
            if folder.is_dir():
                known.extend(
                    p.relative_to(folder).as_posix()
                    for p in folder.rglob("*")
                    if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py"
                )
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
        looked = ", ".join(str(folder) for folder in self.search)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise AssetError(f"asset {name!r} not found (looked in {looked}){hint}"
                         f"{self._misplaced(name)} — "
                         "save the file in one of these folders and it loads at once")

    def _misplaced(self, name: str) -> str:
        """A note when ``name`` sits in the assets/ one level up, which is not searched.

        The shared folder is the one beside ``games/``; a file put in ``games/assets/``, or
        next to a game kept elsewhere, looks shared but is not.
        """
        stray = self.game_root.parent / "assets"
        if stray in self.search or not (stray / name).is_file():
            return ""
        return (f"; {stray / name} is not searched: the shared assets/ is the one beside a "
                f"{GAMES_FOLDER}/ folder (<repo>/{GAMES_FOLDER}/<game> shares <repo>/assets)")

    def get(self, kind: str, name: str, *args: Any) -> Any:
        """The cached asset ``name`` of ``kind``, loading it on first use."""
        key = (kind, name, args)
        entry = self._cache.get(key)
        if entry is not None:
            return entry.value
        loader = self.loaders.get(kind)
        if loader is None:
            raise AssetError(f"no {kind} loader: assets work inside a running sandbox game")
        path = self.find(name)
        try:
            value = loader.load(path, *args)
        except Exception as exc:  # a broken file: say which, and what the loader said
            raise AssetError(f"could not load {kind} {path.name}: {exc}") from exc
        self._cache[key] = _Entry(kind, path, args, value, _stamp(path))
        return value

    def watched_suffixes(self) -> tuple[str, ...]:
        """File suffixes the watcher should report for assets."""
        return tuple(sorted({s for loader in self.loaders.values() for s in loader.suffixes}))

    def refresh(self, changed: Iterable[Path] | None = None) -> list[AssetReloaded]:
        """Reload cached assets whose files changed; a broken file keeps the old version."""
        wanted = None if changed is None else {Path(p).resolve() for p in changed}
        events: list[AssetReloaded] = []
        for entry in self._cache.values():
            if wanted is not None and entry.path not in wanted:
                continue
            try:
                stamp = _stamp(entry.path)
            except OSError:
                events.append(AssetReloaded(entry.path.name, "the file is gone"))
                continue
            # A path the watcher reported is reloaded even if its stamp looks the same:
            # mtimes are coarse (milliseconds apart can share one) and sizes often match.
            if stamp == entry.stamp and wanted is None:
                continue
            entry.stamp = stamp
            loader = self.loaders[entry.kind]
            try:
                new = loader.load(entry.path, *entry.args)
            except Exception as exc:  # keep the old version; the host shows the panel
                events.append(AssetReloaded(entry.path.name, str(exc) or type(exc).__name__))
                continue
            entry.value = loader.swap(entry.value, new)
            events.append(AssetReloaded(entry.path.name))
        return events

    def clear(self) -> None:
        """Forget every cached asset (hot restart)."""
        self._cache.clear()


_active: list[AssetLibrary] = []


def activate(library: AssetLibrary | None) -> None:
    """Make ``library`` the one the module-level functions use (None: no game running)."""
    _active.clear()
    if library is not None:
        _active.append(library)


def _library() -> AssetLibrary:
    if not _active:
        raise AssetError("no game is running: assets are available inside potato-sandbox")
    return _active[0]


def image(name: str) -> Any:
    """A texture for the game's renderer, from ``name`` (PNG, BMP, JPG …)."""
    return _library().get("image", name)


def sound(name: str) -> Any:
    """A playable sound from ``name`` (WAV, OGG …); call ``.play()`` on it."""
    return _library().get("sound", name)


def font(name: str = "fonts/DejaVuSansMono.ttf", size: int = 16) -> Any:
    """A font from ``name`` at ``size`` points (the sandbox's monospaced font by default)."""
    return _library().get("font", name, size)
