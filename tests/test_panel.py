"""The error panel: its rows (sandbox.panel) and golden images of real errors on a real host.

The golden PNGs are in tests/expected/; ``POTATO_UPDATE_GOLDEN=1`` regenerates them (look at
them before committing). A failing comparison writes ``<name>.diff.png`` next to them.
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from golden import assert_matches_golden

from sandbox.events import ErrorInfo, FrameInfo
from sandbox.host import Host
from sandbox.panel import LINE_ROWS, error_rows, source_rows

DRAW_FILL = "    renderer.fill((pos_x - 25, pos_y - 25, 50, 50), (255, 128, 128))\n"
MOVE = "    pos_x += dx\n"
TOP = "dy = 1\n"
# Tracebacks carry column positions from Python 3.11 on: on 3.10 a runtime error has no caret
# (Python's own traceback has none there either), and its golden panels are their own files.
POSITIONS = sys.version_info >= (3, 11)
GOLDEN_SUFFIX = "" if POSITIONS else "-py310"


def caret(row: str) -> list[str]:
    """The caret row of a runtime error where the interpreter reports positions."""
    return [row] if POSITIONS else []


def texts(info: ErrorInfo, columns: int = 80, rows: int = 20) -> list[str]:
    return [text for text, _ in error_rows(info, columns, rows)]


def runtime_error(tmp_path: Path, source: str, call: str = "update(0)") -> ErrorInfo:
    """Run ``call`` in a real file written from ``source``; return the ErrorInfo of its error."""
    path = tmp_path / "main.py"
    path.write_text(source)
    linecache.checkcache(str(path))
    namespace: dict[str, object] = {}
    exec(compile(source, str(path), "exec"), namespace)
    with pytest.raises(Exception) as caught:
        exec(call, namespace)
    return ErrorInfo.from_exception(caught.value, tmp_path)


# -- rows ------------------------------------------------------------------------------------

def test_a_syntax_error_shows_the_line_and_a_caret_under_the_offending_columns() -> None:
    with pytest.raises(SyntaxError) as caught:
        compile("x = 1\nspeed = max(1, 2 3)\n", "main.py", "exec")
    rows = texts(ErrorInfo.from_exception(caught.value))
    assert rows == [
        "SyntaxError: invalid syntax. Perhaps you forgot a comma?",
        "at main.py:2",
        "    speed = max(1, 2 3)",
        "                   ^^^",
        "fix and save to retry (F9)",
    ]


def test_a_runtime_error_points_at_the_expression_and_lists_the_callers(tmp_path: Path) -> None:
    source = ("def helper(d):\n    return {'a': d}['speed'] * 2\n\n\n"
              "def update(dt):\n    x = helper(dt)\n")
    rows = texts(runtime_error(tmp_path, source))
    assert rows == [
        "KeyError: 'speed'",
        "at main.py:2 in helper",
        "    return {'a': d}['speed'] * 2",
        *caret("           ^^^^^^^^^^^^^^^^^"),
        "  called from main.py:6 in update: x = helper(dt)",
        "fix and save to retry (F9)",
    ]


def test_the_caret_counts_characters_not_bytes(tmp_path: Path) -> None:
    source = "def update(dt):\n    name = 'żółw'; x = name + 1\n"
    rows = texts(runtime_error(tmp_path, source))
    line = rows[2]
    assert line == "    name = 'żółw'; x = name + 1"
    assert rows[3:] == [*caret("    " + " " * line[4:].index("name +") + "^" * len("name + 1")),
                        "fix and save to retry (F9)"]


def test_infinite_recursion_shows_the_recursive_call_once_with_its_caret(
    tmp_path: Path,
) -> None:
    from sandbox.watchdog import error_info

    source = "def fall(n):\n    return fall(n + 1)\n\n\ndef update(dt):\n    fall(0)\n"
    path = tmp_path / "main.py"
    path.write_text(source)
    linecache.checkcache(str(path))
    namespace: dict[str, object] = {}
    exec(compile(source, str(path), "exec"), namespace)
    with pytest.raises(RecursionError) as caught:
        exec("update(0)", namespace)
    assert texts(error_info(caught.value, tmp_path)) == [
        "RecursionError: infinite recursion in fall() (main.py:2)",
        "at main.py:2 in fall",
        "    return fall(n + 1)",
        *caret("           ^^^^^^^^^^^"),
        "  called from main.py:6 in update: fall(0)",
        "the function calls itself without end: add a stopping case, then save (F9)",
    ]


def test_no_column_means_no_caret() -> None:
    info = ErrorInfo("ValueError", "bad", "main.py", 3, source_line="    x = f()")
    assert texts(info) == ["ValueError: bad", "at main.py:3", "    x = f()",
                           "fix and save to retry (F9)"]


def test_a_long_source_line_is_a_window_around_the_caret() -> None:
    code = "total = " + " + ".join(f"value_{i}" for i in range(40)) + " + oops"
    column = code.index("oops") + 1
    info = ErrorInfo("NameError", "name 'oops' is not defined", "main.py", 9,
                     column=column, end_column=column + 4, source_line=code)
    line, caret = source_rows(info, 40)
    assert len(line[0]) == 40 and line[0].startswith("    …") and line[0].endswith("oops")
    assert line[0][len(caret[0]) - 4:len(caret[0])] == "oops" and caret[0].endswith("^^^^")


def test_a_huge_message_is_cut_to_a_few_rows_with_an_ellipsis() -> None:
    info = ErrorInfo("ValueError", "x" * 5_000_000, "main.py", 3)
    rows = texts(info, columns=50)
    assert len(rows) == LINE_ROWS + 2
    assert all(len(r) <= 50 for r in rows) and rows[LINE_ROWS - 1].endswith("…")
    assert rows[-2:] == ["at main.py:3", "fix and save to retry (F9)"]


def test_when_rows_run_short_the_place_the_line_and_the_hint_stay() -> None:
    frames = tuple(FrameInfo("main.py", n, f"f{n}", f"f{n + 1}()") for n in range(1, 6))
    info = ErrorInfo("ValueError", "word " * 60, "main.py", 5, column=5, end_column=8,
                     source_line="    f6()", frames=frames)
    full = texts(info, columns=60, rows=30)
    assert sum("called from" in r for r in full) == 4
    cut = full[0][:59] + "…"  # the message lost rows: its last shown row says so
    short = texts(info, columns=60, rows=5)
    assert short == [cut, "at main.py:5 in f5", "    f6()", "    ^^^",
                     "fix and save to retry (F9)"]
    assert texts(info, columns=60, rows=1) == [cut]
    assert texts(info, columns=60, rows=2) == [cut, "fix and save to retry (F9)"]


# -- golden images on a real host ------------------------------------------------------------

@pytest.fixture
def host(bounce_copy: Path) -> Iterator[Host]:
    with Host(bounce_copy, headless=True, watch=False) as h:
        h.step(30)
        yield h


def break_and_show(host: Host, old: str, new: str) -> None:
    main = host.root / "main.py"
    main.write_text(main.read_text().replace(old, new, 1))
    host.reload()
    host.step(2)
    assert host.last_error is not None


def test_golden_syntax_error(host: Host) -> None:
    break_and_show(host, TOP, TOP + "speed = max(1, 2 3)\n")
    assert not host.paused  # a failed reload: the old code runs under the panel
    assert_matches_golden(host, "panel_syntax_error")


def test_golden_runtime_error_in_update(host: Host) -> None:
    helper = "def helper(d):\n    return {'a': d}['speed'] * 2\n\n\ndef draw"
    main = host.root / "main.py"
    main.write_text(main.read_text().replace("def draw", helper, 1))
    break_and_show(host, MOVE, MOVE + "    pos_x += helper(dx)\n")
    assert host.paused
    assert_matches_golden(host, "panel_runtime_error" + GOLDEN_SUFFIX)


LONG = ("raise ValueError('the level file levels/level-3.json has an unexpected layout: ' "
        "+ 'expected a list of rows, each a string of tiles, but found a dict; ' * 20)")


def test_golden_very_long_message(host: Host) -> None:
    break_and_show(host, MOVE, MOVE + f"    {LONG}\n")
    assert_matches_golden(host, "panel_long_message" + GOLDEN_SUFFIX)


def test_golden_long_message_in_a_small_window(host: Host) -> None:
    main = host.root / "main.py"
    main.write_text(main.read_text().replace("SIZE = (640, 480)", "SIZE = (320, 200)", 1))
    assert host.reload().ok and host.display is not None and host.display.size == (320, 200)
    host.step(2)
    break_and_show(host, MOVE, MOVE + f"    {LONG}\n")
    assert_matches_golden(host, "panel_small_window" + GOLDEN_SUFFIX)


def test_the_panel_goes_away_on_the_next_successful_reload(host: Host) -> None:
    main = host.root / "main.py"
    good = main.read_text()
    break_and_show(host, TOP, TOP + "speed = max(1, 2 3)\n")
    main.write_text(good.replace(DRAW_FILL, DRAW_FILL.replace("(255, 128, 128)", "(0, 255, 0)")))
    assert host.reload().ok
    host.step(1)
    assert host.last_error is None
    assert host.pixel(5, 470)[:3] == (0, 0, 255)  # the background where the panel was


# -- the terminal shows the same line and caret ----------------------------------------------

def test_the_terminal_traceback_is_the_games_frames_with_the_caret(tmp_path: Path) -> None:
    import io

    from sandbox.console import Console

    source = ("def helper(d):\n    return {'a': d}['speed'] * 2\n\n\n"
              "def update(dt):\n    x = helper(dt)\n")
    out = io.StringIO()
    Console(file=out, color=False).error(runtime_error(tmp_path, source))
    assert out.getvalue().splitlines() == [
        "Traceback (game code only, most recent call last):",
        "  main.py:6 in update",
        "    x = helper(dt)",
        "  main.py:2 in helper",
        "    return {'a': d}['speed'] * 2",
        *caret("           ^^^^^^^^^^^^^^^^^"),
        "KeyError: 'speed' at main.py:2",
        "  → fix and save to retry (F9)",
    ]


def test_the_terminal_shows_a_syntax_error_with_its_caret(tmp_path: Path) -> None:
    import io

    from sandbox.console import Console

    with pytest.raises(SyntaxError) as caught:
        compile("x = 1\nspeed = max(1, 2 3)\n", str(tmp_path / "main.py"), "exec")
    out = io.StringIO()
    Console(file=out, color=False).error(ErrorInfo.from_exception(caught.value, tmp_path))
    assert out.getvalue().splitlines() == [
        "  main.py:2",
        "    speed = max(1, 2 3)",
        "                   ^^^",
        "SyntaxError: invalid syntax. Perhaps you forgot a comma? at main.py:2",
        "  → fix and save to retry (F9)",
    ]


def test_misspelt_names_get_a_did_you_mean(tmp_path: Path) -> None:
    """AttributeError/NameError messages carry Python's own kind of suggestion."""
    game = tmp_path / "g"
    game.mkdir()
    (game / "m.py").write_text(
        "class R:\n    def fill(self): pass\n\n"
        "def attr():\n    R().fil()\n\n"
        "speed = 1\n\ndef name():\n    return sped\n"
    )
    namespace: dict[str, object] = {}
    exec(compile((game / "m.py").read_text(), str(game / "m.py"), "exec"), namespace)
    for fn, expected in (("attr", "Did you mean: 'fill'?"), ("name", "Did you mean: 'speed'?")):
        try:
            call = namespace[fn]
            assert callable(call)
            call()
        except (AttributeError, NameError) as exc:
            info = ErrorInfo.from_exception(exc, game)
            assert info.message.endswith(expected), info.message
            assert info.where == ("m.py:5" if fn == "attr" else "m.py:10")
        else:
            raise AssertionError("no error raised")
