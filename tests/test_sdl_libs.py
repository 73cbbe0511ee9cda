"""Start-up: pysdl2 is told where pysdl2-dll's libraries are, SDL_mixer waits for a sound."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sandbox.sdl.libs import bundled_dir, skipping_search

REPO = Path(__file__).resolve().parent.parent

# Runs in a fresh interpreter: records every find_library call that reaches the real one.
PROBE = """
import ctypes.util, json, sys
asked = []
real = ctypes.util.find_library
def recording(name):
    asked.append(name)
    return real(name)
ctypes.util.find_library = recording
from sandbox.sdl import Display
import sdl2.dll
with Display("t", (32, 32), headless=True) as d:
    d.clear((1, 2, 3)); d.present()
    pixel = d.pixel(0, 0)
print(json.dumps({"asked": asked, "libfile": sdl2.dll.dll.libfile, "pixel": pixel,
                  "mixer": "sdl2.sdlmixer" in sys.modules}))
"""


def run_probe() -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "PYSDL2_DLL_PATH"}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=60, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_sdl_loads_from_pysdl2_dll_without_a_system_search() -> None:
    folder = bundled_dir()
    assert folder is not None, "pysdl2-dll is a dependency: its folder must exist"
    result = run_probe()
    assert result["asked"] == [], "pysdl2 searched the system for SDL (ldconfig/gcc subprocesses)"
    assert str(result["libfile"]).startswith(folder)
    assert result["pixel"] == [1, 2, 3, 255]


def test_sdl_mixer_is_not_loaded_until_a_sound_is() -> None:
    assert run_probe()["mixer"] is False


def test_skipping_search_answers_only_for_libraries_the_folder_holds(tmp_path: Path) -> None:
    for name in ("libSDL2-2.0.so", "libSDL2_ttf-2.0.so.0", "SDL2_image.dll", "README.txt"):
        (tmp_path / name).write_bytes(b"")
    asked: list[str] = []

    def real(name: str) -> str | None:
        asked.append(name)
        return f"/usr/lib/lib{name}.so"

    find = skipping_search(str(tmp_path), real)
    for spelling in ("SDL2", "SDL2-2.0", "SDL2-2.0.0d", "SDL2d", "SDL2_ttf", "SDL2_ttfd",
                     "SDL2_image-2.0"):
        assert find(spelling) is None, spelling
    assert asked == []
    assert find("SDL2_mixer") == "/usr/lib/libSDL2_mixer.so"
    assert find("SDL2_mixerd") == "/usr/lib/libSDL2_mixerd.so"
    assert asked == ["SDL2_mixer", "SDL2_mixerd"]
