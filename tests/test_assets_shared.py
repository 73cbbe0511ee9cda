"""The shared assets/ beside games/: the rule that finds it, lookup order, messages, live reload.

Real folders in tmp_path laid out as a repository (``repo/games/<game>``, ``repo/assets``), real
PNGs through SDL in a headless host, and the real watcher thread.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from sandbox import Host
from sandbox.assets import (
    SANDBOX_ASSETS,
    AssetError,
    AssetLibrary,
    Loader,
    search_path,
    shared_assets_folder,
)
from sandbox.sdl import write_png
from sandbox.watcher import Watcher

RED = (255, 0, 0, 255)
GREEN = (0, 255, 0, 255)
BLUE = (0, 0, 255, 255)

GAME = '''\
from sandbox import assets

SIZE = (120, 90)
ticks = 0


def update(dt):
    global ticks
    ticks += 1


def draw(renderer):
    renderer.clear((0, 0, 0))
    renderer.image("sprites/spark.png", (10, 10), scale=5)
'''


def png(path: Path, rgba: tuple[int, int, int, int]) -> None:
    """A 4x4 one-colour PNG, written atomically as editors do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    write_png(tmp, (4, 4), bytes(rgba) * 16)
    os.replace(tmp, tmp.with_name(path.name))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """``repo/games/game/main.py`` and ``repo/assets/sprites/spark.png`` (red)."""
    game = tmp_path / "repo" / "games" / "game"
    game.mkdir(parents=True)
    (game / "main.py").write_text(GAME)
    png(tmp_path / "repo" / "assets" / "sprites" / "spark.png", RED)
    return tmp_path / "repo"


def names(path: Path) -> str:
    return path.read_text()


def test_a_game_in_games_shares_the_assets_beside_it(repo: Path) -> None:
    game = repo / "games" / "game"
    assert shared_assets_folder(game) == (repo / "assets").resolve()
    assert search_path(game) == (game.resolve(), game.resolve() / "assets",
                                 (repo / "assets").resolve(), SANDBOX_ASSETS)


def test_no_shared_folder_outside_games_or_without_assets(tmp_path: Path) -> None:
    not_installed = tmp_path / "site" / "sandbox" / "data" / "shared"  # as in a checkout
    # An assets/ one level up from a game not kept in games/ is not the game's business.
    (tmp_path / "mygame").mkdir()
    (tmp_path / "assets").mkdir()
    assert shared_assets_folder(tmp_path / "mygame", not_installed) is None
    # games/ with nothing beside it: no shared folder either.
    (tmp_path / "other" / "games" / "g").mkdir(parents=True)
    assert shared_assets_folder(tmp_path / "other" / "games" / "g", not_installed) is None


def test_a_game_outside_games_gets_the_copy_a_wheel_installs(tmp_path: Path) -> None:
    """An example run from a wheel (sandbox/examples/<game>), or copied out by ``new --from``."""
    installed = tmp_path / "site" / "sandbox" / "data" / "shared"
    installed.mkdir(parents=True)
    (tmp_path / "site" / "sandbox" / "examples" / "asteroids").mkdir(parents=True)
    (tmp_path / "mygame").mkdir()
    for game in (tmp_path / "site" / "sandbox" / "examples" / "asteroids", tmp_path / "mygame"):
        assert shared_assets_folder(game, installed) == installed
    # In a checkout the assets/ beside games/ wins over an installed copy.
    (tmp_path / "repo" / "games" / "g").mkdir(parents=True)
    (tmp_path / "repo" / "assets").mkdir()
    assert shared_assets_folder(tmp_path / "repo" / "games" / "g", installed) == (
        tmp_path / "repo" / "assets").resolve()


def test_lookup_order_game_then_its_assets_then_shared_then_sandbox(repo: Path) -> None:
    game = repo / "games" / "game"
    shared = repo / "assets"
    lib = AssetLibrary(game, {"text": Loader(names)})
    for folder in (shared, game / "assets", game):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "a.txt").write_text(folder.name)
    (shared / "b.txt").write_text("shared")
    (game / "assets" / "b.txt").write_text("game assets")
    (shared / "c.txt").write_text("shared")
    assert lib.get("text", "a.txt") == "game"
    assert lib.get("text", "b.txt") == "game assets"
    assert lib.get("text", "c.txt") == "shared"
    assert lib.find("fonts/DejaVuSansMono.ttf") == SANDBOX_ASSETS / "fonts" / "DejaVuSansMono.ttf"
    assert lib.shared == shared.resolve()


def test_a_missing_asset_names_every_folder_it_looked_in(repo: Path) -> None:
    game = repo / "games" / "game"
    lib = AssetLibrary(game, {"image": Loader(names)})
    with pytest.raises(AssetError) as caught:
        lib.get("image", "sprites/sprak.png")
    message = str(caught.value)
    looked = message.split("(looked in ")[1].split(")")[0].split(", ")
    assert looked == [str(game.resolve()), str(game.resolve() / "assets"),
                      str((repo / "assets").resolve()), str(SANDBOX_ASSETS)]
    assert "did you mean 'sprites/spark.png'?" in message  # found among the shared files
    assert message.endswith("save the file in one of these folders and it loads at once")


def test_the_watcher_reports_shared_assets_but_not_code_kept_there(repo: Path) -> None:
    game = repo / "games" / "game"
    shared = (repo / "assets").resolve()
    with Watcher(game, (".py", ".png"), {shared: (".png",)}) as watcher:
        (shared / "make.py").write_text("x = 1\n")  # a script beside the assets: not game code
        png(shared / "sprites" / "spark.png", GREEN)
        seen: set[Path] = set()
        deadline = time.monotonic() + 5
        while shared / "sprites" / "spark.png" not in seen and time.monotonic() < deadline:
            if watcher.wait(0.5):
                seen |= watcher.drain()
        assert seen == {shared / "sprites" / "spark.png"}


def test_a_saved_shared_sprite_shows_in_the_next_frame(repo: Path) -> None:
    with Host(repo / "games" / "game", headless=True) as host:
        host.step(2)
        assert host.last_error is None and host.pixel(15, 15) == RED
        ticks = host.game.ticks
        png(repo / "assets" / "sprites" / "spark.png", GREEN)
        assert host.wait_for_change(5)
        host.step(1)
        assert host.pixel(15, 15) == GREEN
        assert host.game.ticks == ticks + 1  # the game went on: no restart
        assert "reloaded asset spark.png" in [str(e) for e in host.events]


def test_a_missing_shared_asset_pauses_until_it_is_saved_there(repo: Path) -> None:
    (repo / "assets" / "sprites" / "spark.png").unlink()
    with Host(repo / "games" / "game", headless=True) as host:
        host.step(1)
        assert host.paused and host.last_error is not None
        assert str((repo / "assets").resolve()) in host.last_error.message
        png(repo / "assets" / "sprites" / "spark.png", BLUE)
        assert host.wait_for_change(5)
        host.step(2)
        assert not host.paused and host.last_error is None
        assert host.pixel(15, 15) == BLUE


def test_a_shared_folder_gone_before_watching_starts_leaves_the_game_watched(repo: Path
                                                                            ) -> None:
    game = repo / "games" / "game"
    gone = repo / "elsewhere"  # never created: nothing to watch there, and no error
    with Watcher(game, (".py", ".png"), {gone: (".png",)}) as watcher:
        (game / "main.py").write_text(GAME + "\n# saved\n")
        deadline = time.monotonic() + 5
        seen: set[Path] = set()
        while not seen and time.monotonic() < deadline:
            if watcher.wait(0.5):
                seen |= watcher.drain()
        assert seen == {(game / "main.py").resolve()} and watcher.error is None
        assert watcher.running


def test_removing_the_shared_folder_while_watching_keeps_the_game_watched(repo: Path) -> None:
    game = repo / "games" / "game"
    shared = (repo / "assets").resolve()
    with Watcher(game, (".py", ".png"), {shared: (".png",)}) as watcher:
        shutil.rmtree(shared)
        (game / "main.py").write_text(GAME + "\n# saved\n")
        deadline = time.monotonic() + 5
        seen: set[Path] = set()
        while (game / "main.py").resolve() not in seen and time.monotonic() < deadline:
            if watcher.wait(0.5):
                seen |= watcher.drain()
        assert (game / "main.py").resolve() in seen
        assert watcher.error is None and watcher.running


@pytest.mark.parametrize("layout", ["games/game", "elsewhere/game"])
def test_a_file_in_the_assets_folder_one_level_up_is_named_as_not_searched(
        tmp_path: Path, layout: str) -> None:
    """games/assets/ (or ../assets beside a game kept elsewhere) looks shared but is not."""
    game = tmp_path / layout
    game.mkdir(parents=True)
    stray = game.parent / "assets" / "ball.png"
    stray.parent.mkdir()
    stray.write_text("pixels")
    lib = AssetLibrary(game, {"image": Loader(names)})
    with pytest.raises(AssetError) as caught:
        lib.get("image", "ball.png")
    message = str(caught.value)
    assert f"{stray.resolve()} is not searched: the shared assets/ is the one beside a " \
           "games/ folder (<repo>/games/<game> shares <repo>/assets)" in message
    assert message.endswith("save the file in one of these folders and it loads at once")


def test_no_misplaced_note_when_the_file_is_nowhere_near(repo: Path) -> None:
    lib = AssetLibrary(repo / "games" / "game", {"image": Loader(names)})
    with pytest.raises(AssetError) as caught:
        lib.get("image", "nothing.png")
    assert "is not searched" not in str(caught.value)
