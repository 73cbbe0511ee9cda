"""find_game, check_hooks and read_settings: the game contract's messages."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from sandbox.game import GameNotFound, check_hooks, find_game, read_settings


def load(path: Path, source: str, name: str = "gamemod") -> ModuleType:
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_finds_a_game_folder_and_its_main(bounce_copy: Path) -> None:
    spec = find_game(bounce_copy)
    assert spec.root == bounce_copy.resolve()
    assert spec.entry == bounce_copy.resolve() / "main.py"
    assert spec.name == "bounce"
    assert find_game(bounce_copy / "main.py").root == spec.root


def test_missing_folder_suggests_close_sibling(bounce_copy: Path) -> None:
    with pytest.raises(GameNotFound) as err:
        find_game(bounce_copy.parent / "bounc")
    assert "No game folder at" in str(err.value)
    assert "Did you mean" in str(err.value) and "bounce" in str(err.value)
    assert err.value.exit_code == 2


def test_missing_folder_without_close_names(tmp_path: Path) -> None:
    with pytest.raises(GameNotFound) as err:
        find_game(tmp_path / "zzzz")
    assert "Did you mean" not in str(err.value)


def test_folder_without_main_says_what_to_create(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(GameNotFound, match=r"has no main\.py\. Create .*main\.py"):
        find_game(tmp_path / "empty")


def test_a_file_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(GameNotFound, match="is a file, not a game folder"):
        find_game(tmp_path / "notes.txt")


def test_misspelt_hooks_are_reported_with_file_and_line(tmp_path: Path) -> None:
    module = load(tmp_path / "main.py", "import os\n\ndef load():\n    pass\n\n"
                  "def drow(renderer):\n    pass\n\ndef updat(dt):\n    pass\n\n"
                  "def helper():\n    pass\n")
    assert check_hooks(module) == [
        "main.py:6: 'drow' is not a hook; did you mean draw?",
        "main.py:9: 'updat' is not a hook; did you mean update?",
    ]


def test_imported_functions_and_non_callable_hooks(tmp_path: Path) -> None:
    (tmp_path / "other.py").write_text("def drow():\n    pass\n")
    module = load(tmp_path / "main.py",
                  f"import sys\nsys.path.insert(0, {str(tmp_path)!r})\n"
                  "from other import drow\ndraw = 3\n")
    assert check_hooks(module) == ["main.py: hook draw is a int, not a function; "
                                   "define it with def draw(...)"]


def test_settings_defaults_and_values(tmp_path: Path) -> None:
    module = load(tmp_path / "main.py", "TITLE = 'hi'\nSIZE = (320, 200)\nBACKGROUND = (1, 2, 3)\n")
    s = read_settings(module)
    assert (s.title, s.size, s.background, s.problems) == ("hi", (320, 200), (1, 2, 3), ())
    empty = read_settings(load(tmp_path / "e.py", "", "e"), "mygame")
    assert (empty.title, empty.size, empty.background) == ("mygame", (640, 480), (0, 0, 0))


def test_bad_settings_fall_back_with_messages(tmp_path: Path) -> None:
    module = load(tmp_path / "main.py",
                  "TITLE = 3\nSIZE = (640,)\nBACKGROUND = (0, 0, 300)\n")
    s = read_settings(module, "g")
    assert s.title == "g" and s.size == (640, 480) and s.background == (0, 0, 0)
    assert s.problems[0].startswith("main.py:1: TITLE must be a string")
    assert s.problems[1].startswith("main.py:2: SIZE must be (width, height)")
    assert s.problems[2].startswith("main.py:3: BACKGROUND must be (r, g, b)")
