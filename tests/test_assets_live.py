"""Assets in a running headless host: real SDL loaders, the watcher, the panel, restart.

PNGs are written with ``sandbox.sdl.write_png``; the host's watcher sees the save and the next
frame draws the new pixels, through the very texture object the game kept in a global.
"""

from __future__ import annotations

import io
import os
import struct
import wave
from pathlib import Path

import pytest

from sandbox import Host, assets
from sandbox.assets import AssetReloaded
from sandbox.console import Console
from sandbox.sdl import GameFont, Sound, write_png

RED = (255, 0, 0, 255)
GREEN = (0, 255, 0, 255)
GREY = (40, 40, 40, 255)

GAME = '''\
from sandbox import assets

BACKGROUND = (40, 40, 40)
SIZE = (200, 150)
TEX = None
ticks = 0


def load():
    global TEX
    TEX = assets.image("ball.png")


def update(dt):
    global ticks
    ticks += 1


def draw(renderer):
    renderer.clear(BACKGROUND)
    renderer.copy(TEX, dstrect=(10, 10, 20, 20))
'''


def png(path: Path, rgba: tuple[int, int, int, int], size: tuple[int, int] = (4, 4)) -> None:
    """Write a one-colour PNG atomically (as editors that save via a temp file do)."""
    tmp = path.with_name(path.name + ".tmp")
    write_png(tmp, size, bytes(rgba) * (size[0] * size[1]))
    os.replace(tmp, path)


def wav(path: Path, frames: int = 200) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(22050)
        out.writeframes(struct.pack(f"<{frames}h", *(((i * 300) % 6000) for i in range(frames))))


@pytest.fixture
def game(tmp_path: Path) -> Path:
    folder = tmp_path / "game"
    folder.mkdir()
    (folder / "main.py").write_text(GAME)
    png(folder / "ball.png", RED)
    return folder


def test_an_edited_png_shows_in_the_next_frame(game: Path) -> None:
    with Host(game, headless=True) as host:
        host.step(2)
        texture = host.game.TEX
        assert host.pixel(15, 15) == RED and host.pixel(100, 100) == GREY
        png(game / "ball.png", GREEN)
        assert host.wait_for_change(5)
        host.step(1)
        assert host.pixel(15, 15) == GREEN
        assert host.game.TEX is texture  # the global the game kept was updated in place
        assert any(str(e) == "reloaded asset ball.png" for e in host.events)
        assert host.last_error is None


def test_a_bigger_image_keeps_its_new_size(game: Path) -> None:
    with Host(game, headless=True) as host:
        host.step(1)
        png(game / "ball.png", GREEN, (8, 2))
        assert host.wait_for_change(5)
        host.step(1)
        assert host.game.TEX.size == (8, 2)


def test_a_corrupt_png_keeps_the_old_pixels_and_raises_the_panel(game: Path) -> None:
    out = io.StringIO()
    with Host(game, headless=True, console=Console(file=out, color=False)) as host:
        host.step(2)
        (game / "ball.png").write_bytes(b"\x89PNG but not really")
        assert host.wait_for_change(5)
        host.step(1)
        ticks = host.game.ticks
        host.step(2)
        assert host.pixel(15, 15) == RED                      # old texture still drawn
        assert host.game.ticks == ticks + 2 and not host.paused  # the game keeps running
        assert host.last_error is not None and host.last_error.kind == "AssetError"
        assert host.last_error.where == "ball.png"
        assert host.pixel(100, 145) != GREY                   # the panel at the bottom
        assert "asset ball.png failed to load" in out.getvalue()
        png(game / "ball.png", GREEN)                         # fixed: panel gone
        assert host.wait_for_change(5)
        host.step(1)
        assert host.last_error is None
        assert host.pixel(15, 15) == GREEN and host.pixel(100, 145) == GREY


def test_a_code_reload_keeps_the_panel_of_an_asset_still_broken(game: Path) -> None:
    # A successful reload clears the error it was about (code); the asset on disk is still
    # corrupt, so its panel must stay until the file is fixed.
    with Host(game, headless=True) as host:
        host.step(2)
        (game / "ball.png").write_bytes(b"\x89PNG but not really")
        assert host.wait_for_change(5)
        host.step(1)
        assert host.last_error is not None and host.last_error.kind == "AssetError"
        (game / "main.py").write_text(GAME.replace("ticks += 1", "ticks += 2"))
        assert host.wait_for_change(5)
        host.step(1)
        assert getattr(host.events[-1], "changed", None) == ["main"]  # the code reloaded
        assert host.last_error is not None and host.last_error.where == "ball.png"
        assert host.pixel(100, 145) != GREY  # the panel is still drawn
        host.restart()  # F5 forgets every asset: load() reads the file again and fails
        assert host.last_error is not None and host.last_error.kind == "AssetError"
        png(game / "ball.png", GREEN)
        assert host.wait_for_change(5)
        host.step(1)
        assert host.last_error is None and host.pixel(15, 15) == GREEN


def test_a_missing_asset_says_where_it_looked_and_a_new_file_resumes(game: Path) -> None:
    main_py = game / "main.py"
    main_py.write_text(GAME.replace('"ball.png"', '"bal.png"'))
    with Host(game, headless=True) as host:
        assert host.paused and host.last_error is not None
        message = host.last_error.message
        assert "'bal.png' not found" in message
        assert str(game) in message and "did you mean 'ball.png'" in message
        png(game / "bal.png", GREEN)  # the file appears: load() is tried again
        assert host.wait_for_change(5)
        host.step(1)
        assert not host.paused and host.last_error is None
        assert host.pixel(15, 15) == GREEN


def test_hot_restart_clears_the_cache(game: Path) -> None:
    with Host(game, headless=True, watch=False) as host:
        host.step(1)
        first = host.game.TEX
        assert assets.image("ball.png") is first  # cached
        host.press("F5")
        host.step(1)
        assert host.game.TEX is not first and assets.image("ball.png") is host.game.TEX


def test_sounds_play_and_reload_in_place(game: Path) -> None:
    wav(game / "hit.wav")
    with Host(game, headless=True) as host:
        host.step(1)
        sound = assets.sound("hit.wav")
        assert isinstance(sound, Sound)
        sound.play()
        wav(game / "hit.wav", frames=400)
        assert host.wait_for_change(5)
        host.step(1)
        assert assets.sound("hit.wav") is sound
        assert any(isinstance(e, AssetReloaded) and e.path == "hit.wav" and not e.error
                   for e in host.events)
        sound.play()


def test_a_broken_sound_is_reported_with_its_name(game: Path) -> None:
    (game / "bad.wav").write_bytes(b"RIFF nonsense")
    with Host(game, headless=True, watch=False) as host, \
            pytest.raises(assets.AssetError, match=r"could not load sound bad\.wav"):
        host.step(1)
        assets.sound("bad.wav")


def test_fonts_render_textures(game: Path) -> None:
    with Host(game, headless=True, watch=False) as host:
        host.step(1)
        font = assets.font(size=20)  # the sandbox's own monospaced font
        assert isinstance(font, GameFont) and assets.font(size=20) is font
        texture = font.render("Score 10", (255, 255, 0))
        w, h = texture.size
        assert w == font.size("Score 10")[0] and h > 10


def test_assets_end_with_the_session(game: Path) -> None:
    with Host(game, headless=True, watch=False) as host:
        host.step(1)
    with pytest.raises(assets.AssetError, match="no game is running"):
        assets.image("ball.png")


def test_f9_reloads_an_edited_asset_when_not_watching(game: Path) -> None:
    with Host(game, headless=True, watch=False) as host:
        host.step(1)
        png(game / "ball.png", GREEN)
        stat = (game / "ball.png").stat()  # a later mtime: coarse clocks may not have ticked
        os.utime(game / "ball.png", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
        host.step(1)
        assert host.pixel(15, 15) == RED  # nobody is watching
        host.press("F9")
        host.step(1)
        assert host.pixel(15, 15) == GREEN


NO_AUDIO_SCRIPT = '''
import sys
from pathlib import Path
from sandbox.live_assets import LiveAssets
from sandbox.sdl import Display
root = Path(sys.argv[1])
with Display("t", (64, 48), headless=True) as display:
    live = LiveAssets(root, display, headless=False)  # honours SDL_AUDIODRIVER from the env
    first = live.get("sound", "hit.wav")
    second = live.get("sound", "hit.wav")
    first.play()
    live.get("sound", "other.wav").play()
    print("available", live.audio.available)
    print("notices", [str(n) for n in live.notices])
    try:
        live.get("sound", "bad.wav")
    except Exception as exc:
        print("bad", exc)
    live.close()
'''


def test_without_an_audio_device_sounds_load_silently_with_one_notice(game: Path) -> None:
    """A fresh process whose SDL_AUDIODRIVER names no real driver: no device can open."""
    import subprocess
    import sys

    wav(game / "hit.wav")
    wav(game / "other.wav")
    (game / "bad.wav").write_bytes(b"RIFF nonsense")
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "no-such-driver",
           "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", NO_AUDIO_SCRIPT, str(game)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "available False"
    assert lines[1].count("sound is off") == 1 and "play() does nothing" in lines[1]
    assert lines[2].startswith("bad could not load sound bad.wav")  # still validated



def test_the_host_shows_asset_notices_once(game: Path) -> None:
    """Notices LiveAssets raises inside a hook (no audio device …) reach the events, once.

    A headless host always opens SDL's dummy audio driver, so the no-device notice itself is
    proven in a subprocess above; this proves the host hands LiveAssets' notices on.
    """
    from sandbox.events import Notice

    with Host(game, headless=True, watch=False) as host:
        assert host.assets is not None
        text = "sound is off: test — sounds load, but play() does nothing"
        host.assets.notices.append(Notice(text))
        host.step(3)
        assert [str(e) for e in host.events if "sound is off" in str(e)] == [text]
        assert host.assets.notices == []
