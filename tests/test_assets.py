"""The asset library: lookup, suggestions, caching, reload on change, broken files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sandbox import assets
from sandbox.assets import SANDBOX_ASSETS, AssetError, AssetLibrary, Loader


class Box:
    """Stands for a texture: an object the game keeps, updated in place on reload."""

    def __init__(self, text: str) -> None:
        self.text = text


def load_box(path: Path) -> Box:
    text = path.read_text(encoding="utf-8")
    if text.startswith("BROKEN"):
        raise ValueError("bad header")
    return Box(text)


def swap_box(old: Box, new: Box) -> Box:
    old.text = new.text
    return old


def touch_later(path: Path, text: str) -> None:
    """Rewrite ``path`` with a later mtime (coarse file-system clocks may not tick otherwise)."""
    stat = path.stat()
    path.write_text(text)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))


@pytest.fixture
def library(tmp_path: Path) -> AssetLibrary:
    (tmp_path / "ball.txt").write_text("red")
    return AssetLibrary(tmp_path, {"image": Loader(load_box, swap_box, (".txt",))})


def test_cached_and_reloaded_in_place(library: AssetLibrary, tmp_path: Path) -> None:
    ball = library.get("image", "ball.txt")
    assert library.get("image", "ball.txt") is ball
    touch_later(tmp_path / "ball.txt", "yellow")
    events = library.refresh([tmp_path / "ball.txt"])
    assert [str(e) for e in events] == ["reloaded asset ball.txt"]
    assert ball.text == "yellow"  # the object the game kept shows the new version
    assert library.refresh() == []  # nothing changed since
    assert [str(e) for e in library.refresh([tmp_path / "ball.txt"])] == [
        "reloaded asset ball.txt"  # the watcher said so: reloaded even with the same stamp
    ]


def test_broken_file_keeps_the_old_version(library: AssetLibrary, tmp_path: Path) -> None:
    ball = library.get("image", "ball.txt")
    touch_later(tmp_path / "ball.txt", "BROKEN")
    (event,) = library.refresh()
    assert str(event) == "asset ball.txt failed to load: bad header — keeping the old version"
    assert ball.text == "red"
    touch_later(tmp_path / "ball.txt", "green")  # fixed: the next refresh applies it
    library.refresh()
    assert ball.text == "green"


def test_deleted_file_keeps_the_old_version(library: AssetLibrary, tmp_path: Path) -> None:
    ball = library.get("image", "ball.txt")
    (tmp_path / "ball.txt").unlink()
    (event,) = library.refresh()
    assert "the file is gone" in str(event)
    assert ball.text == "red"


def test_missing_asset_says_where_it_looked_and_suggests(library: AssetLibrary) -> None:
    with pytest.raises(AssetError) as caught:
        library.get("image", "bal.txt")
    message = str(caught.value)
    assert "'bal.txt' not found" in message
    assert str(library.game_root) in message and str(SANDBOX_ASSETS) in message
    assert "did you mean 'ball.txt'?" in message


def test_broken_file_on_first_load_names_it(library: AssetLibrary, tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text("BROKEN")
    with pytest.raises(AssetError, match=r"could not load image bad\.txt: bad header"):
        library.get("image", "bad.txt")


def test_falls_back_to_the_sandbox_assets(tmp_path: Path) -> None:
    lib = AssetLibrary(tmp_path, {"font": Loader(lambda path, size: (path.name, size))})
    assert lib.get("font", "fonts/DejaVuSansMono.ttf", 16) == ("DejaVuSansMono.ttf", 16)


def test_module_functions_need_a_running_game(library: AssetLibrary) -> None:
    assets.activate(None)
    with pytest.raises(AssetError, match="no game is running"):
        assets.image("ball.txt")
    assets.activate(library)
    try:
        assert assets.image("ball.txt").text == "red"
        with pytest.raises(AssetError, match="no sound loader"):
            assets.sound("ball.txt")
    finally:
        assets.activate(None)


def test_reload_events_style_as_success_or_failure() -> None:
    from sandbox.assets import AssetReloaded
    from sandbox.console import style_of

    assert style_of(AssetReloaded("ball.png")) == "green"
    assert style_of(AssetReloaded("ball.png", "bad header")) == "bold red"


def test_the_sandbox_assets_ship_in_the_package() -> None:
    # They once lived at the repository's top level: an editable install found them, a
    # regular `pip install` did not, and the first frame failed opening the overlay's font.
    import fnmatch
    import re

    import sandbox

    package = Path(sandbox.__file__).resolve().parent
    assert SANDBOX_ASSETS.is_relative_to(package)
    pyproject = (package.parent / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r"^sandbox = \[(.*)\]$", pyproject, re.MULTILINE)
    assert found, "pyproject.toml lists no package-data for sandbox"
    globs = re.findall(r'"([^"]+)"', found.group(1))
    files = [p.relative_to(package).as_posix() for p in SANDBOX_ASSETS.rglob("*") if p.is_file()]
    assert "data/fonts/DejaVuSansMono.ttf" in files
    assert [f for f in files if not any(fnmatch.fnmatch(f, g) for g in globs)] == []
