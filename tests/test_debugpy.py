"""``--debug``: debugpy listens on 127.0.0.1 only, and a DAP client attaches over loopback.

debugpy is in the test extra (``pyproject.toml``), so CI runs these with the real thing; the
missing-debugpy path is tested by blocking its import in a real subprocess.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from ptyrun import REPO, Session

from sandbox.cli import main

GAME = "frames = 0\n\n\ndef update(dt):\n    global frames\n    frames += 1\n"


def _dap_request(sock: socket.socket, seq: int, command: str, **arguments: object) -> None:
    body = json.dumps({"seq": seq, "type": "request", "command": command,
                       "arguments": arguments}).encode()
    sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)


def _dap_messages(sock: socket.socket, deadline: float) -> list[dict[str, object]]:
    """Read DAP messages until ``deadline`` or until a response arrived."""
    data = b""
    messages: list[dict[str, object]] = []
    while time.monotonic() < deadline:
        sock.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        if not chunk:
            break
        data += chunk
        while b"\r\n\r\n" in data:
            head, rest = data.split(b"\r\n\r\n", 1)
            length = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
            if len(rest) < length:
                break
            messages.append(json.loads(rest[:length]))
            data = rest[length:]
        if any(m.get("type") == "response" for m in messages):
            break
    return messages


def _listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, /proc/net/tcp's form) listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":  # 0A: LISTEN
                found.add(address)
    return found


def test_debug_listens_on_loopback_and_a_dap_client_initializes(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(GAME)
    session = Session([str(tmp_path), "--debug", "--debug-port", "0", "--no-watch",
                       "--frames", "3000"])
    try:
        line = session.expect("only this machine can connect", timeout=60)
        match = re.search(r"debugpy listening on 127\.0\.0\.1:(\d+)", line)
        assert match, line
        port = int(match.group(1))
        if Path("/proc/net/tcp").exists():
            assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing else
        with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
            _dap_request(sock, 1, "initialize", adapterID="python", clientID="test",
                         linesStartAt1=True, columnsStartAt1=True, pathFormat="path")
            messages = _dap_messages(sock, time.monotonic() + 30)
        responses = [m for m in messages if m.get("type") == "response"]
        assert responses, messages
        assert responses[0]["command"] == "initialize"
        assert responses[0]["success"] is True
        assert session.proc.poll() is None  # the game runs on
    finally:
        session.close()


def test_without_debug_nothing_listens(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(GAME)
    assert main([str(tmp_path), "--headless", "--no-watch", "--frames", "3"]) == 0
    assert "debugpy" not in sys.modules


def test_debug_without_debugpy_says_how_to_install_it_and_runs_on(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(GAME)
    blocked = ("import sys; sys.modules['debugpy'] = None  # as if not installed\n"
               "from sandbox.cli import main\n"
               f"sys.exit(main([{str(tmp_path)!r}, '--debug', '--headless', '--no-watch', "
               "'--frames', '5']))\n")
    done = subprocess.run([sys.executable, "-c", blocked], cwd=REPO, capture_output=True,
                          text=True, timeout=60,
                          env={"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
                               "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert "--debug needs debugpy, which is not installed" in done.stderr
    assert "pip install 'potato-sandbox[debug]'" in done.stderr
    assert "the game runs without it" in done.stderr
