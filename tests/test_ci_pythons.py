"""The every-Python CI script: its summary parsing, its loud failures, its safe unmounting."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from ci_chroot import apt_mirror, mounts_under, remove_tree  # noqa: E402
from ci_pythons import parse_summary, pyenv_python  # noqa: E402


def test_the_closing_line_of_real_pytest_runs_is_read(tmp_path: Path) -> None:
    (tmp_path / "test_mixed.py").write_text(
        "import pytest\n\ndef test_ok():\n    pass\n\ndef test_bad():\n    assert False\n\n"
        "@pytest.mark.skip\ndef test_skipped():\n    pass\n\n"
        "@pytest.fixture\ndef broken():\n    raise RuntimeError\n\n"
        "def test_error(broken):\n    pass\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)
    parsed = parse_summary(done.stdout)
    assert parsed is not None
    line, counts = parsed
    assert line.startswith("1 failed, 1 passed, 1 skipped, 1 error in ")
    assert counts == {"failed": 1, "passed": 1, "skipped": 1, "errors": 1}


def test_no_summary_line_is_no_summary() -> None:
    assert parse_summary("....Fatal Python error: Segmentation fault\n") is None
    assert parse_summary("== no tests ran in 0.01s ==") == ("no tests ran in 0.01s", {})


def test_a_missing_interpreter_fails_ci_loudly(tmp_path: Path) -> None:
    with pytest.raises(Exception, match=r"no pyenv build of Python 3.99 .*pyenv install 3.99"):
        pyenv_python("3.99", tmp_path)
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "ci_pythons.py"),
                           "--versions", "3.99", "--pyenv-root", str(tmp_path)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 1
    assert "FAILED: Python 3.99 could not be set up" in done.stdout
    assert done.stdout.splitlines()[-1] == "total: 0 passed, 1 failed, 0 skipped"


def test_the_newest_pyenv_build_of_a_version_is_picked(tmp_path: Path) -> None:
    for build in ("3.12.1", "3.12.10", "3.12.9", "3.13.0"):
        python = tmp_path / "versions" / build / "bin" / "python3.12"
        python.parent.mkdir(parents=True)
        python.touch()
    assert pyenv_python("3.12", tmp_path).parent.parent.name == "3.12.10"


def test_the_mirror_comes_from_the_apt_sources(tmp_path: Path) -> None:
    assert apt_mirror(tmp_path) == "http://deb.debian.org/debian"  # none: the default
    listed = tmp_path / "sources.list.d"
    listed.mkdir()
    (listed / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.example/debian-security\nSuites: x-security\n\n"
        "Types: deb\nURIs: http://mirror.example/debian/\nSuites: x\n")
    assert apt_mirror(tmp_path) == "http://mirror.example/debian"
    (listed / "debian.sources").unlink()
    (tmp_path / "sources.list").write_text("deb [arch=amd64] http://old.example/debian x main\n")
    assert apt_mirror(tmp_path) == "http://old.example/debian"


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root (CI runs as root)")
def test_a_chroot_is_unmounted_before_it_is_deleted(tmp_path: Path) -> None:
    # A bind-mounted folder stands in for the host's /dev: deleting the chroot must unmount
    # it first and never delete through it.
    host_dev = tmp_path / "host-dev"
    host_dev.mkdir()
    (host_dev / "null").write_text("the host's")
    root = tmp_path / "chroot"
    (root / "dev").mkdir(parents=True)
    (root / "etc").mkdir()
    subprocess.run(["mount", "--bind", str(host_dev), str(root / "dev")], check=True)
    try:
        assert mounts_under(root) == [str((root / "dev").resolve())]
        remove_tree(root)
        assert not root.exists() and mounts_under(tmp_path) == []
        assert (host_dev / "null").read_text() == "the host's"
    finally:
        if mounts_under(root):
            subprocess.run(["umount", str(root / "dev")], check=False)


def test_sigterm_stops_every_step_and_fails_the_run(tmp_path: Path) -> None:
    # A stand-in interpreter whose first step (making the venv) would take a minute.
    fake = tmp_path / "versions" / "3.99.0" / "bin" / "python3.99"
    fake.parent.mkdir(parents=True)
    fake.write_text(f"#!/bin/sh\necho $$ > {tmp_path}/pid\nexec sleep 60\n")
    fake.chmod(0o755)
    run = subprocess.Popen([sys.executable, str(REPO / "scripts" / "ci_pythons.py"),
                            "--versions", "3.99", "--pyenv-root", str(tmp_path)],
                           stdout=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "pid").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        step = int((tmp_path / "pid").read_text())
        run.send_signal(signal.SIGTERM)
        out, _ = run.communicate(timeout=20)
    finally:
        run.kill()
    assert run.returncode == 1
    assert "FAILED: Python 3.99 could not be set up" in out
    assert out.splitlines()[-1] == "total: 0 passed, 1 failed, 0 skipped"
    with pytest.raises(ProcessLookupError):
        os.kill(step, 0)  # the step was killed, not left running
