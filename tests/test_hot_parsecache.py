"""The parse cache (``sandbox.hot.parsecache``): a hit behaves as a fresh import does.

Real files and real imports: a game is imported once (which writes the entries next to its
sources, in ``__pycache__``), then again by a new Reloader, and the second import must give
what a fresh parse and a fresh ``exec`` give — for the module, for its statements, and for
the reload of an edit made afterwards. Entries that are stale, damaged or foreign are
ignored and written again.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import textwrap
import traceback
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.hot import Reloader, parsecache
from sandbox.hot.source import parse

GAME = {
    "main": '''
        """A game module with one of everything the engine records."""
        from __future__ import annotations

        import physics
        from physics import *
        from physics import SPEED as S, gravity

        def register(f):
            HOOKS.append(f)
            return f

        HOOKS = []

        @register
        def on_hit(n: int) -> int:
            return n * S

        class Ball(physics.Body):
            """A ball."""
            size = 3
            def speed(self) -> float:
                return self.size * physics.SPEED
            class Trail:
                length = 4

        ITEMS = [
        1, 2,
        ]
        x = 1; y = 2
        TOTAL = sum(ITEMS) + gravity() + x + y
    ''',
    "physics": '''
        SPEED = 2
        __all__ = ["SPEED", "Body"]

        class Body:
            mass = 1

        def gravity():
            return 10
    ''',
}


def write_game(root: Path, **changes: str) -> None:
    for name, text in {**GAME, **changes}.items():
        (root / f"{name}.py").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A game folder; the cache may be written (the test environment turns it off)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    game = tmp_path / "game"
    game.mkdir()
    write_game(game)
    yield game


def entry(root: Path, name: str) -> Path:
    path = parsecache.cache_path(str(root / f"{name}.py"))
    assert path is not None
    return Path(path)


def header(root: Path, name: str) -> int:
    """How long an entry's header is: key, stat and hashes, checksum (the read time in it
    changes when the entry is written again)."""
    key = parsecache._key(str(root.resolve() / f"{name}.py"))
    assert key is not None
    return len(key) + parsecache._STAT + 4


def session(root: Path, edit: dict[str, str] | None = None) -> dict[str, Any]:
    """Import the game in a new Reloader, optionally edit and reload; what it ran and saw."""
    with Reloader(root) as r:
        main = r.import_module("main")
        out: dict[str, Any] = {
            "values": (main.TOTAL, main.on_hit(2), main.Ball().speed(), [main.on_hit] == main.HOOKS,
                       main.Ball.Trail.length, main.on_hit.__annotations__),
            "statements": {n: [(st.text, st.start, st.end, st.record()) for st in
                               r.tracked(n).parsed.statements]  # type: ignore[union-attr]
                           for n in ("main", "physics")},
            "flags": r.tracked("main").parsed.flags,  # type: ignore[union-attr]
        }
        if edit is not None:
            write_game(root, **edit)
            report = r.reload()
            out["report"] = re.sub(r"\([\d.]+ ms\)", "", str(report))  # not the time it took
            out["after"] = (main.TOTAL, main.on_hit(2), main.Ball().speed(), len(main.HOOKS))
    return out


def fresh_statements(root: Path, name: str) -> list[tuple[str, int, int, tuple[Any, ...]]]:
    path = root / f"{name}.py"
    parsed = parse(path.read_text(encoding="utf-8"), str(path))
    return [(st.text, st.start, st.end, st.record()) for st in parsed.statements]


EDIT = {"physics": GAME["physics"].replace("SPEED = 2", "SPEED = 5"),
        "main": GAME["main"].replace("size = 3", "size = 4")}


def test_a_hit_behaves_as_a_fresh_import(root: Path) -> None:
    first = session(root)  # writes the entries
    stamps = {n: entry(root, n).stat().st_mtime_ns for n in ("main", "physics")}
    hit = session(root, EDIT)  # reads them, then reloads an edit
    assert {n: entry(root, n).stat().st_mtime_ns for n in stamps} == stamps  # read, not written
    assert hit["values"] == first["values"]
    # The oracles: the same session with no cache at all, and a fresh import of the edit.
    sys.dont_write_bytecode = True
    edited = session(root)
    for name in ("main", "physics"):
        entry(root, name).unlink()
    write_game(root)
    fresh = session(root, EDIT)
    assert not entry(root, "main").exists()
    assert hit == fresh
    assert hit["after"][:3] == edited["values"][:3]


def test_statements_from_an_entry_equal_a_fresh_parse(root: Path) -> None:
    session(root)
    with Reloader(root) as r:
        r.import_module("main")
        for name in ("main", "physics"):
            t = r.tracked(name)
            assert t is not None
            got = [(st.text, st.start, st.end, st.record(), st.kind, st.name, st.docstring)
                   for st in t.parsed.statements]
            fresh = parse(t.parsed.text, t.filename)
            assert got == [(st.text, st.start, st.end, st.record(), st.kind, st.name,
                            st.docstring) for st in fresh.statements]
            assert t.parsed.flags == fresh.flags and t.parsed.imports == fresh.imports


def test_an_edit_made_between_sessions_is_not_served_from_the_cache(root: Path) -> None:
    session(root)
    before = entry(root, "physics").read_bytes()
    write_game(root, physics=GAME["physics"].replace("SPEED = 2", "SPEED = 7"))
    got = session(root)
    assert got["values"][1] == 2 * 7
    assert got["statements"]["physics"] == fresh_statements(root, "physics")
    assert entry(root, "physics").read_bytes() != before  # written again for the new text


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty"])
def test_a_damaged_entry_is_ignored_and_written_again(root: Path, damage: str) -> None:
    good = session(root)
    path = entry(root, "main")
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":  # one byte of the code object changed: the checksum says so
        at = len(data) - 40
        path.write_bytes(data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :])
    elif damage == "garbage":
        path.write_bytes(os.urandom(len(data)))
    else:
        path.write_bytes(b"")
    assert session(root) == good
    # Written again, as it was but for the time of the read it records.
    again = path.read_bytes()
    assert len(again) == len(data) and again[header(root, "main"):] == data[header(root, "main"):]


def test_an_entry_from_another_interpreter_or_engine_is_ignored(
    root: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Another interpreter (another version string) writes the entries...
    parsecache._engine_key.cache_clear()
    with monkeypatch.context() as m:
        m.setattr(sys, "version", sys.version + " (another build)")
        good = session(root)
        foreign = entry(root, "main").read_bytes()
    parsecache._engine_key.cache_clear()
    # ...this one ignores them, gives a fresh import's result and writes its own.
    again = session(root)
    assert again == good
    assert entry(root, "main").read_bytes() != foreign
    assert again["statements"]["main"] == fresh_statements(root, "main")


def test_a_moved_game_folder_does_not_reuse_entries_naming_the_old_files(root: Path) -> None:
    session(root)
    moved = root.parent / "moved"
    shutil.copytree(root, moved)  # __pycache__ and all
    failing = GAME["main"] + "\n        def fail():\n            raise ValueError('here')\n"
    write_game(moved, main=failing)
    write_game(root, main=failing)
    session(root)  # the old folder's entries now hold the same text as the moved folder's
    shutil.copy(entry(root, "main"), entry(moved, "main"))
    with Reloader(moved) as r:
        main = r.import_module("main")
        with pytest.raises(ValueError) as caught:
            main.fail()
    frames = traceback.extract_tb(caught.value.__traceback__)
    assert frames[-1].filename == str((moved / "main.py").resolve())
    assert frames[-1].line == "raise ValueError('here')"


def test_an_unwritable_cache_folder_is_harmless(root: Path) -> None:
    (root / "__pycache__").write_text("a file where the folder would go")
    got = session(root)
    assert got["values"][0] == sum([1, 2]) + 10 + 1 + 2
    assert (root / "__pycache__").read_text() == "a file where the folder would go"


def test_nothing_is_written_when_bytecode_writing_is_off(root: Path) -> None:
    sys.dont_write_bytecode = True
    session(root)
    assert not (root / "__pycache__").exists()


CACHE_EXAMPLES = max(50, int(os.environ.get("HOT_EXAMPLES", "0")) // 10)
# A random game: every {a}…{f} is a number drawn per example; an edit draws new ones.
RANDOM_GAME = {
    "consts": "SPEED = {a}\nGRAV = SPEED + {b}\n__all__ = ['SPEED', 'GRAV']\n",
    "ents": (
        "import enum\nfrom dataclasses import dataclass\nfrom consts import *\n"
        "import consts as c\n\n\nclass State(enum.Enum):\n    IDLE = {c}\n    RUN = {c} + 1\n\n\n"
        "@dataclass(frozen=True)\nclass Pos:\n    x: int = {d}\n    y: int = GRAV\n\n\n"
        "class Base:\n    HP = SPEED * {e}\n    def hp(self):\n        return self.HP + c.GRAV\n"
        "    class Inner:\n        K = {f}\n"),
    "main": (
        '"""The entry."""\nfrom __future__ import annotations\n\nimport ents\n'
        "from ents import Base, Pos, State\n\nHOOKS = []\n\n\ndef on(f):\n"
        "    HOOKS.append(f)\n    return f\n\n\n@on\ndef tick(n: int) -> int:\n"
        "    return n * {a} + Base().hp()\n\n\nclass Boss(Base):\n    HP = {b} * 3\n\n\n"
        "def summary():\n    return (tick(1), Boss().hp(), Pos(), State.RUN.value, "
        "Base.Inner.K, len(HOOKS), ents.GRAV)\n"),
}
NAMES = ("consts", "ents", "main")


def random_sources(numbers: dict[str, int]) -> dict[str, str]:
    return {m: text.format(**numbers) for m, text in RANDOM_GAME.items()}


def fresh_summary(root: Path, sources: dict[str, str]) -> object:
    """What a fresh import of ``sources`` gives (module objects of their own)."""
    saved = {m: sys.modules.pop(m) for m in NAMES if m in sys.modules}
    try:
        for name in NAMES:
            module = types.ModuleType(name)
            module.__file__ = str(root / f"{name}.py")
            sys.modules[name] = module
            exec(compile(sources[name], module.__file__, "exec", dont_inherit=True),
                 module.__dict__)
        return repr(sys.modules["main"].summary())
    finally:
        for name in NAMES:
            sys.modules.pop(name, None)
        sys.modules.update(saved)


@settings(max_examples=CACHE_EXAMPLES, deadline=None, derandomize=CACHE_EXAMPLES <= 50,
          suppress_health_check=list(HealthCheck))
@given(st.data())
def test_random_games_from_the_cache_equal_a_fresh_import(data: st.DataObject) -> None:
    """A random game imported from the cache, then edited, gives what python would."""
    digits = st.fixed_dictionaries({k: st.integers(0, 9) for k in "abcdef"})
    sources = random_sources(data.draw(digits))
    edited = random_sources(data.draw(digits))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in NAMES:
            (root / f"{name}.py").write_text(sources[name], encoding="utf-8")
        expected = fresh_summary(root, sources)
        old = sys.dont_write_bytecode
        sys.dont_write_bytecode = False
        try:
            for hit in (False, True):  # the first import writes the entries, the second reads
                with Reloader(root) as r:
                    assert repr(r.import_module("main").summary()) == expected
                    if hit:
                        assert all(entry(root, n).exists() for n in NAMES)
                        for name in NAMES:
                            (root / f"{name}.py").write_text(edited[name], encoding="utf-8")
                        report = r.reload()
                        assert report.ok, report
                        got = repr(sys.modules["main"].summary())
                        assert got == fresh_summary(root, edited)
        finally:
            sys.dont_write_bytecode = old
            for name in NAMES:
                sys.modules.pop(name, None)
