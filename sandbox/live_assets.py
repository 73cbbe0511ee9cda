"""Assets in a running session: the SDL loaders behind ``sandbox.assets``, and reloads on save.

The host makes one :class:`LiveAssets` per session. It builds the game's ``AssetLibrary`` with
loaders from ``sandbox.sdl`` (textures for the session's renderer, SDL_mixer sounds, TTF fonts)
and activates it, so ``assets.image("ball.png")`` works in any hook. The host hands it the
watcher's changed paths each frame; :meth:`LiveAssets.refresh` reloads the cached assets among
them and says what to show:

- every reload is an ``AssetReloaded`` event (one terminal line);
- a file that fails keeps the old version (the game keeps running) and puts an ``AssetError``
  on the error panel, naming the file; the next good load of that file clears it.

Assets must be loaded from hooks (``load()``, ``draw()`` …), not at import time: the window and
its renderer are created after ``main.py`` is first imported, because ``TITLE`` and ``SIZE``
come from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sandbox import assets
from sandbox.assets import AssetLibrary, AssetReloaded, Loader
from sandbox.events import ErrorInfo, Notice
from sandbox.events.errors import asset_error
from sandbox.sdl import (
    FONT_SUFFIXES,
    IMAGE_SUFFIXES,
    SOUND_SUFFIXES,
    Audio,
    Display,
    GameFont,
    Sound,
    load_texture,
    swap_font,
    swap_sound,
    swap_texture,
)

__all__ = ["ASSET_SUFFIXES", "LiveAssets"]

ASSET_SUFFIXES = (*IMAGE_SUFFIXES, *SOUND_SUFFIXES, *FONT_SUFFIXES)


class LiveAssets:
    """The session's asset library, its SDL loaders and the audio device."""

    def __init__(self, root: Path, display: Display, headless: bool) -> None:
        renderer = display.renderer
        self._headless = headless
        self._audio: Audio | None = None  # opened with the first sound: most games have none
        self.notices: list[Notice] = []  # drained by the host at the frame boundary
        self._told_silent = False
        self.library = AssetLibrary(root, {
            "image": Loader(lambda path: load_texture(renderer, path), swap_texture,
                            IMAGE_SUFFIXES),
            "sound": Loader(self._load_sound, swap_sound, SOUND_SUFFIXES),
            "font": Loader(lambda path, size=16: GameFont(renderer, path, size), swap_font,
                           FONT_SUFFIXES),
        })
        self.error: ErrorInfo | None = None  # the asset failure shown on the panel, if any
        assets.activate(self.library)
        renderer.use_assets(lambda name: self.library.get("image", name),
                            lambda name, size: self.library.get("font", name, size))

    @property
    def suffixes(self) -> tuple[str, ...]:
        """File suffixes the watcher reports for assets (either case: ``BALL.PNG`` too)."""
        lower = self.library.watched_suffixes()
        return (*lower, *(s.upper() for s in lower))

    @property
    def audio(self) -> Audio:
        """The session's mixer, opened on first use."""
        if self._audio is None:
            self._audio = Audio(self._headless)
        return self._audio

    def _load_sound(self, path: Path) -> Sound:
        sound = self.audio.load(path)
        if self.audio.error and not self._told_silent:
            self._told_silent = True
            self.notices.append(Notice(f"sound is off: {self.audio.error} — sounds load, "
                                       "but play() does nothing"))
        return sound

    def drain_notices(self) -> list[Notice]:
        """Notices raised while loading (no audio device …), each given out once."""
        notices, self.notices = self.notices, []
        return notices

    def is_asset(self, path: Path) -> bool:
        """True for a file the watcher reported that is an asset, not code."""
        return path.suffix.lower() in ASSET_SUFFIXES

    def refresh(self, changed: Iterable[Path] | None) -> list[AssetReloaded]:
        """Reload the cached assets among ``changed`` (None: any whose file changed)."""
        events = self.library.refresh(changed)
        for ev in events:
            if ev.error:
                self.error = asset_error(ev.path, f"{ev.path} failed to load: {ev.error}")
            elif self.error is not None and self.error.path == ev.path:
                self.error = None
        return events

    def clear(self) -> None:
        """Forget every cached asset (hot restart); the game's fresh modules load them again."""
        self.library.clear()
        self.error = None

    def close(self) -> None:
        """Deactivate the library and free sounds and the mixer (before the renderer goes)."""
        assets.activate(None)
        self.library.clear()
        if self._audio is not None:
            self._audio.close()

    def get(self, kind: str, name: str, *args: Any) -> Any:
        """Load directly (tests, tools): the same as ``assets.image(name)`` for ``image``."""
        return self.library.get(kind, name, *args)
