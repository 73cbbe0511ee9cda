"""The one key table (``sandbox.keys``): every list of keys is made from it and agrees with it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from sandbox.cli import main
from sandbox.console import Console
from sandbox.keys import HOST_KEYS, KEYS, TERMINAL_KEYS, Action, banner_rows, readme_table
from sandbox.overlay import help_lines

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_key_table_is_the_key_table() -> None:
    """README's "## Keys" table is exactly what ``readme_table()`` prints (paste it there)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Keys\n", 1)[1].split("\n## ", 1)[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    assert table == readme_table()


def test_readme_table_names_every_key_and_terminal_key() -> None:
    table = readme_table()
    for key in KEYS:
        assert f"| {key.name} |" in table
    assert "r / R / q" in table


def test_every_action_has_one_key_and_names_are_unique() -> None:
    assert sorted(k.action.value for k in KEYS) == sorted(a.value for a in Action)
    assert len(HOST_KEYS) == len(KEYS)
    assert TERMINAL_KEYS == {"r": "F9", "R": "F5", "q": "Escape"}


def test_help_lists_every_key_then_the_terminal() -> None:
    lines = [text for text, _ in help_lines()]
    assert [line.split()[0] for line in lines[:-1]] == [k.name for k in KEYS]
    assert lines[-1] == "terminal: r reload, R hot restart, q quit"


def test_banner_has_every_key_and_the_terminal_row_only_with_a_terminal() -> None:
    out = io.StringIO()
    Console(file=out, color=False).banner("bounce", "/g/bounce", banner_rows(terminal=True))
    text = out.getvalue()
    for key in KEYS:
        assert re.search(rf"(?<!\S){re.escape(key.name)}\s+{re.escape(key.does)}", text), key
    assert "r / R / q" in text and "in this terminal: reload, hot restart, quit" in text
    assert all(key != "r / R / q" for key, _ in banner_rows(terminal=False))


def test_cli_help_lists_new_and_every_key(capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` used to miss F6/F7: it is made from the table now, ``new`` included."""
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "potato-sandbox new PATH" in out
    for key in KEYS:
        assert re.search(rf"^\s+{re.escape(key.name)}\s+{re.escape(key.does)}$", out, re.M), key
    assert "r reload, R hot restart, q quit" in out


def test_timeline_keys_are_one_per_action_and_reach_the_game_outside_the_timeline() -> None:
    """Left, Right, Home, End, S and G act only while F8's timeline is open: no host key."""
    from sandbox.keys import TIMELINE_KEYS, Scrub, timeline_action

    assert sorted(k.action.value for k in TIMELINE_KEYS) == sorted(a.value for a in Scrub)
    assert not {k.name for k in TIMELINE_KEYS} & HOST_KEYS
    assert timeline_action("G") is Scrub.GHOSTS and timeline_action("g") is None
    assert "| G (in the timeline) | ghosts: " in readme_table()
