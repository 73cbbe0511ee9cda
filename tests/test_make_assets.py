"""scripts/make_assets.py makes the committed example assets byte for byte; SDL reads them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import wave
from pathlib import Path

from sandbox import Host
from sandbox.sdl import read_png

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "make_assets.py"


def test_the_committed_assets_are_what_the_script_makes(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert [p.as_posix() for p in made] == [
        "assets/fonts/pixel.ttf", "assets/sounds/blip.wav", "assets/sounds/boom.wav",
        "assets/sprites/spark.png",
        "games/asteroids/rock.png", "games/asteroids/ship.png", "games/asteroids/shoot.wav"]
    assert len(result.stdout.splitlines()) == len(made)  # one line per file written
    for rel in made:
        assert (tmp_path / rel).read_bytes() == (REPO / rel).read_bytes(), rel


def test_sdl_reads_the_sprites_and_the_sounds_are_short_mono_wavs() -> None:
    width, height, rgba = read_png(REPO / "games" / "asteroids" / "ship.png")
    assert (width, height) == (16, 16)
    assert rgba[:4] == bytes(4)  # a clear corner
    centre = (8 * 16 + 9) * 4
    assert rgba[centre:centre + 4] == bytes((90, 170, 255, 255))  # the cockpit
    width, height, rgba = read_png(REPO / "assets" / "sprites" / "spark.png")
    assert (width, height) == (8, 8) and rgba[(3 * 8 + 3) * 4 + 3] == 255
    for path in (REPO / "assets" / "sounds").glob("*.wav"):
        with wave.open(str(path)) as sound:
            assert (sound.getnchannels(), sound.getsampwidth()) == (1, 2)
            assert 0 < sound.getnframes() / sound.getframerate() < 0.5


def test_the_shared_pixel_font_draws_sharp_glyphs(tmp_path: Path) -> None:
    """At size 16 each font pixel is a 2x2 block: "I" is ".###." over "..#..", lowercase too."""
    game = tmp_path / "games" / "font"
    game.mkdir(parents=True)
    shutil.copytree(REPO / "assets", tmp_path / "assets")
    (game / "main.py").write_text(
        "SIZE = (64, 32)\n\n"
        "def draw(renderer):\n"
        "    renderer.clear((0, 0, 0))\n"
        "    renderer.text('I', (0, 0), size=16, font='fonts/pixel.ttf')\n"
        "    renderer.text('i', (20, 0), size=16, font='fonts/pixel.ttf')\n")
    with Host(game, headless=True, watch=False) as host:
        host.step(1)
        assert host.last_error is None
        for left in (0, 20):
            lit = [[host.pixel(left + x, y)[:3] == (255, 255, 255) for x in range(10)]
                   for y in range(4)]
            assert lit[0] == lit[1] == [False] * 2 + [True] * 6 + [False] * 2, (left, lit)
            assert lit[2] == lit[3] == [False] * 4 + [True] * 2 + [False] * 4, (left, lit)
