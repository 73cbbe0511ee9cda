"""``potato-sandbox new``: a runnable skeleton, never overwriting anything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sandbox import Host
from sandbox.keys import HOST_KEYS
from sandbox.scaffold import ScaffoldError, create_game
from sandbox.sdl import push_event


def test_new_game_has_every_hook_and_a_handler(tmp_path: Path) -> None:
    made = create_game(tmp_path / "mygame")
    source = (tmp_path / "mygame" / "main.py").read_text()
    for hook in ("def load(", "def update(dt)", "def draw(renderer)", "def on_event(event)",
                 "def on_key_down(key)", "def on_mouse_down(pos, button)"):
        assert hook in source
    assert "sdl2" not in source.replace("sdl2.ext.Renderer", "")  # input without SDL
    assert "@hot.after_reload" in source
    assert 'TITLE = "mygame"' in source
    assert (tmp_path / "mygame" / "README.md").read_text().startswith("# mygame")
    assert "potato-sandbox" in str(made) and "mygame" in str(made)
    compile(source, "main.py", "exec")  # the skeleton is valid Python


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    game = tmp_path / "g"
    game.mkdir()
    (game / "main.py").write_text("precious = 1\n")
    with pytest.raises(ScaffoldError, match="not overwriting"):
        create_game(game)
    assert (game / "main.py").read_text() == "precious = 1\n"
    assert not (game / "README.md").exists()


def test_new_refuses_a_file_path(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(ScaffoldError, match="is a file"):
        create_game(target)


def test_new_title_with_quotes_stays_valid_python(tmp_path: Path) -> None:
    create_game(tmp_path / 'we"ird')
    compile((tmp_path / 'we"ird' / "main.py").read_text(), "main.py", "exec")


def test_a_new_game_runs_and_keeps_its_state_across_an_edit(tmp_path: Path) -> None:
    from sandbox import Host

    game = tmp_path / "fresh"
    create_game(game)
    with Host(game, headless=True, watch=False) as host:
        host.step(60)
        assert host.last_error is None and host.game.x == pytest.approx(440.0)
        main = game / "main.py"
        main.write_text(main.read_text().replace("(255, 200, 80)", "(80, 200, 255)"))
        assert host.reload().ok
        assert host.game.x == pytest.approx(440.0)
        host.step(1)
        assert host.pixel(int(host.game.x), 240) == (80, 200, 255, 255)


def test_a_new_game_answers_keys_held_keys_and_clicks(tmp_path: Path) -> None:
    from sandbox import Host
    from sandbox.sdl import push_event

    game = tmp_path / "inputs"
    create_game(game)
    with Host(game, headless=True, watch=False) as host:
        assert host.display is not None
        window = host.display.window_id
        host.step(1)
        push_event({"type": "mousedown", "button": 1, "clicks": 1, "x": 100, "y": 50}, window)
        host.step(1)
        assert (host.game.x, host.game.y) == (pytest.approx(102.0), 50)  # then one step on
        push_event({"type": "keydown", "key": "Down"}, window)
        host.step(30)
        assert host.game.y == pytest.approx(110.0)  # held: 120 px/s for half a second
        push_event({"type": "keyup", "key": "Down"}, window)
        push_event({"type": "keydown", "key": "Space"}, window)
        host.step(1)
        assert host.game.x == pytest.approx(-18.0) and host.game.y == pytest.approx(110.0)
        assert host.pixel(100, 50) == (255, 255, 255, 255)  # the pointer's dot


# -- the example games: `potato-sandbox bounce`, `potato-sandbox new mygame --from breakout` ---

REPO = Path(__file__).resolve().parent.parent


def test_the_examples_are_the_repositorys_games() -> None:
    from sandbox.example_games import example_names, find_example

    assert example_names() == ["asteroids", "bounce", "breakout"]
    assert find_example("bounce") == REPO / "games" / "bounce"
    assert find_example("nope") is None


def test_new_from_an_example_copies_it_whole(tmp_path: Path) -> None:
    from sandbox.scaffold import copy_example

    made = copy_example("breakout", tmp_path / "mine")
    source = REPO / "games" / "breakout"
    want = {p.relative_to(source) for p in source.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}
    got = {p.relative_to(tmp_path / "mine") for p in (tmp_path / "mine").rglob("*")}
    assert got == want and len(made.files) == len(want)
    assert (tmp_path / "mine" / "main.py").read_text() == (source / "main.py").read_text()
    assert "run it with: potato-sandbox" in str(made)


def test_new_from_an_unknown_example_names_the_examples(tmp_path: Path) -> None:
    from sandbox.scaffold import copy_example

    with pytest.raises(ScaffoldError, match=r"no example game called 'brekout'; the examples "
                                            r"are: asteroids, bounce, breakout"):
        copy_example("brekout", tmp_path / "g")
    assert not (tmp_path / "g").exists()


def test_new_from_an_example_never_overwrites(tmp_path: Path) -> None:
    from sandbox.scaffold import copy_example

    game = tmp_path / "g"
    game.mkdir()
    (game / "physics.py").write_text("precious = 1\n")
    with pytest.raises(ScaffoldError, match=r"not overwriting .*physics\.py"):
        copy_example("bounce", game)
    assert (game / "physics.py").read_text() == "precious = 1\n"
    assert not (game / "main.py").exists()


def test_the_command_line_runs_an_example_by_name_and_copies_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sandbox.cli import main

    monkeypatch.chdir(tmp_path)  # far from the checkout's games/
    assert main(["bounce", "--headless", "--frames", "2", "--screenshot", "b.png"]) == 0
    assert (tmp_path / "b.png").stat().st_size > 0
    assert main(["new", "mine", "--from", "bounce"]) == 0
    assert "created mine" in capsys.readouterr().out
    (tmp_path / "mine" / "main.py").write_text(
        (tmp_path / "mine" / "main.py").read_text().replace("(255, 128, 128)", "(0, 255, 0)"))
    # A folder in the current directory wins over an example of the same name.
    (tmp_path / "mine").rename(tmp_path / "bounce")
    assert main(["bounce", "--headless", "--frames", "2", "--screenshot", "c.png"]) == 0
    assert (tmp_path / "c.png").read_bytes() != (tmp_path / "b.png").read_bytes()
    assert main(["new", "other", "--from", "nope"]) == 2
    assert "the examples are: asteroids, bounce, breakout" in capsys.readouterr().err
    assert main(["bounse", "--headless"]) == 2
    assert "or the name of an example game: asteroids, bounce, breakout" in capsys.readouterr().err


def expand(keys: str) -> set[str]:
    """``F1-F3, F5 and Escape`` as the set of key names it stands for."""
    names: set[str] = set()
    for part in re.split(r", | and ", keys):
        first, _, last = part.partition("-")
        if last:
            names |= {f"F{n}" for n in range(int(first[1:]), int(last[1:]) + 1)}
        else:
            names.add(part)
    return names


def test_the_skeleton_draws_with_the_helpers_and_names_the_keys_it_does_not_get(
        tmp_path: Path) -> None:
    """A newcomer's first game: the README's drawing helpers, and the keys it is really sent.

    It used to say "F-keys and Esc are the sandbox's", but F4 and F8 reach the game.
    """
    create_game(tmp_path / "first")
    source = (tmp_path / "first" / "main.py").read_text()
    said = re.search(r"\(not (.*): the sandbox's\)", source)
    assert said is not None
    assert expand(said.group(1)) == HOST_KEYS  # stays true as keys are added to the table
    assert "renderer.fill_rect(" in source and "renderer.text(" in source
    game = tmp_path / "first"
    edited = source.replace('    if key == "space":',
                            '    keys.append(key)\n    if key == "space":')
    (game / "main.py").write_text(edited + "\n\nkeys = []\n")
    with Host(game, headless=True, watch=False) as host:
        host.step(1)
        assert host.last_error is None
        x, y = int(host.game.x), int(host.game.y)
        assert host.pixel(x, y)[:3] == (255, 200, 80)  # fill_rect's square
        assert host.pixel(600, 400)[:3] == (20, 20, 30)  # BACKGROUND
        assert any(host.pixel(px, py)[:3] != (20, 20, 30)
                   for px in range(10, 100) for py in range(10, 26))  # the text
        pushed = ("f4", "f1", "f8", "f1", "a")
        for key in pushed:
            for kind in ("keydown", "keyup"):
                push_event({"type": kind, "key": key, "scancode": 0, "mod": 0, "repeat": 0},
                           host.display.window_id)
        host.step(2)
        # F1 (help) is the sandbox's; so are F4 (tweak panel) and F8 (timeline) once they exist.
        assert host.game.keys == [k for k in pushed if k.upper() not in HOST_KEYS]
        assert "a" in host.game.keys
