"""scripts/replay_edits.py: real git histories in tmp_path, replayed through the engine.

Each test builds a real git repository whose commits are versions of a game file, runs the
script's ``main`` on it (real worker processes, real reloads, real fresh imports) and
asserts on the summary it prints and the records it writes. (``test_replay_edits.py`` is
about ``--replay`` recordings, another thing.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))

import replay_edits  # noqa: E402
from replay_observe import compare, describe_namespace  # noqa: E402


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _history(tmp_path: Path, versions: list[str], name: str = "game.py") -> str:
    """A git repository with one commit per version of ``name``; its git dir."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    for i, text in enumerate(versions):
        (repo / name).write_text(text, encoding="utf-8")
        _git(repo, "add", name)
        _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", f"v{i}")
    return str(repo / ".git")


def _run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[str, dict]:
    out_file = Path(args[-1])
    assert replay_edits.main(args) == 0
    return capsys.readouterr().out, json.loads(out_file.read_text(encoding="utf-8"))


V1 = "SPEED = 1\n\n\ndef move(x):\n    return x * SPEED\n"
V2 = "SPEED = 2\nVEL = SPEED * 3\n\n\ndef move(x):\n    return x * VEL\n"
BROKEN = "SPEED = (\n"


def test_a_handled_edit_agrees_and_an_invalid_file_is_refused_by_both(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gitdir = _history(tmp_path, [V1, V2, BROKEN])
    out, data = _run(capsys, [f"{gitdir}=*.py", "--json", str(tmp_path / "out.json")])
    summary = data["summary"]
    assert (summary["tried"], summary["compared"], summary["agreed"]) == (2, 2, 2)
    assert (summary["same namespace"], summary["both refused"]) == (1, 1)
    assert (summary["diverged"], summary["skipped"], summary["documented"]) == (0, 0, 0)
    assert data["divergences"] == []
    assert "pairs tried: 2, compared: 2, agreed: 2 (same namespace 1, both refused 1)" in out


def test_a_value_made_by_calling_edited_code_is_documented_not_diverged(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = "class Game:\n    def __init__(self):\n        self.lives = 3\n\n\ngame = Game()\n"
    gitdir = _history(tmp_path, [old, old.replace("3", "5")])
    _, data = _run(capsys, [f"{gitdir}=game.py", "--json", str(tmp_path / "out.json")])
    assert data["summary"]["documented"] == 1 and data["summary"]["diverged"] == 0
    (record,) = data["divergences"]
    assert record["documented"] == ["game"]
    assert record["names"][0]["where"] == "[2][lives]", record
    assert (record["names"][0]["engine"], record["names"][0]["fresh"]) == ("3", "5")
    assert record["old"]["path"] == "game.py" and len(record["new"]["commit"]) == 40


def test_pairs_that_cannot_be_compared_are_skipped_and_counted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # old fails to import / new loops at import, then old does (0.5 s time-outs) / new kills
    # the process.
    versions = [BROKEN, V1, "while True:\n    pass\n", V2, "import os\nos._exit(3)\n"]
    gitdir = _history(tmp_path, versions)
    out, data = _run(capsys, [f"{gitdir}=game.py", "--timeout", "0.5", "--json",
                              str(tmp_path / "out.json")])
    summary = data["summary"]
    assert summary["tried"] == 4 and summary["skipped"] == 4
    assert summary["skipped by reason"] == {"old version does not import": 1,
                                            "timed out (0.5 s)": 2,
                                            "worker crashed or hung": 1}
    assert summary["compared"] == 0 and data["divergences"] == []
    assert "skipped:     2  timed out (0.5 s)" in out


def test_a_bad_target_is_a_clear_message() -> None:
    with pytest.raises(SystemExit, match="is not GITDIR=PATHSPEC"):
        replay_edits.main(["no-equals-sign"])


def _module(source: str) -> dict[str, object]:
    """A module ``m``'s namespace after running ``source`` (compiled as one unit)."""
    namespace: dict[str, object] = {"__name__": "m"}
    exec(compile(source, "m.py", "exec"), namespace)
    return namespace


def test_the_comparison_sees_moved_functions_leftover_names_and_longer_lists() -> None:
    before = _module("def f():\n    return 1\n_A__priv = 2\nL = [1, [2]]\n")
    after = _module("\ndef f():\n    return 1\nL = [1]\n")
    found = compare(describe_namespace(before, "m"), describe_namespace(after, "m"))
    assert [(d.name, d.category) for d in found] == [
        ("L", "value differs (list)"), ("_A__priv", "name left over after reload"),
        ("f", "function co_firstlineno differs")]
    assert (found[0].where, found[0].engine, found[0].fresh) == ("[1:]", [("list", [2])], [])


def test_method_loads_compiled_without_the_modules_imports_are_the_same_code() -> None:
    # Python 3.11 spells ``random.randint()`` differently when ``import random`` is in the
    # same compile; the engine compiles a def on its own. Same behaviour: not a divergence.
    whole = _module("import random\ndef f():\n    return random.randint(1, 2)\n")
    alone = _module("\ndef f():\n    return random.randint(1, 2)\n")
    alone["random"] = whole["random"]
    assert compare(describe_namespace(alone, "m"), describe_namespace(whole, "m")) == []
    raw = compare(describe_namespace(alone, "m", raw=True), describe_namespace(whole, "m",
                                                                                raw=True))
    if sys.version_info[:2] == (3, 11):  # the only version whose compiler looks at the import
        assert [d.name for d in raw] == ["f"]


def test_pair_replays_two_files_and_prints_the_record(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.py", tmp_path / "new.py"
    old.write_text(V1, encoding="utf-8")
    new.write_text(V2, encoding="utf-8")
    assert replay_edits.main(["--pair", str(old), str(new)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["outcome"] == "agreed"
    assert record["engine"].startswith("reloaded game.py")
    assert record["new"]["path"] == str(new)
