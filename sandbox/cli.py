"""``potato-sandbox GAME``: parse the command line, build a Host and a Console, run.

No logic lives here beyond turning start-up failures into one clear message and an exit code:

- 0: the session ended normally (Escape, window closed, ``--frames`` done);
- 1: the game failed to start (``main.py`` fails on first import, an SDL error), or a
  ``--frames`` run ended with the game paused on an error (so CI notices);
- 2: bad usage (no such folder, no ``main.py``, no display without ``--headless``);
- 130: interrupted with Ctrl+C.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
import threading
import warnings
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.console import Console
from sandbox.example_games import close_example, example_names, installed_copy, resolve_game
from sandbox.keys import cli_epilog
from sandbox.watchdog import DEFAULT_MEMORY_LIMIT, install_sigint_handler

if TYPE_CHECKING:
    from sandbox.host import Host

__all__ = ["build_parser", "main"]

_INTERRUPTED = 130  # the shell's convention for "ended by SIGINT"

# Sub-commands come before the GAME positional: ``new PATH`` creates a game skeleton with
# sandbox.scaffold. A folder that happens to be called "new" still runs as a game.
_COMMANDS = ("new",)
_HELP_WORDS = frozenset({"help", "h", "?"})  # `new help` is a typo of `new --help`
_COMMANDS_HELP = [("potato-sandbox new PATH", "create a runnable game skeleton in PATH"),
                  ("potato-sandbox new PATH --from EXAMPLE", "start it from a copy of an example")]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``potato-sandbox GAME``."""
    parser = argparse.ArgumentParser(
        prog="potato-sandbox",
        description="Run a game with hot code reloading: edit, save, and the running game\n"
                    "changes within a frame, keeping its state.",
        epilog=cli_epilog(_COMMANDS_HELP),
        formatter_class=argparse.RawDescriptionHelpFormatter,  # the epilog is a table
    )
    parser.add_argument("game", metavar="GAME", help="the game folder (it holds main.py), or "
                        f"the name of an example game ({', '.join(example_names())})")
    parser.add_argument("--headless", action="store_true",
                        help="no window: SDL's dummy video driver and a software renderer, "
                             "no sleeping between frames")
    parser.add_argument("--frames", type=_count, metavar="N",
                        help="exit after N frames")
    parser.add_argument("--screenshot", type=Path, metavar="PATH",
                        help="write a PNG of the game's last frame when the session ends")
    parser.add_argument("--screenshot-overlays", action="store_true",
                        help="screenshots (F12 and --screenshot) include the sandbox's panels, "
                             "HUD, help and loop badge, as the window shows them")
    parser.add_argument("--no-watch", dest="watch", action="store_false",
                        help="do not watch the folder; reload with F9 only")
    parser.add_argument("--fps", type=_positive_int, default=60, metavar="N",
                        help="frames (and update steps) per second (default 60)")
    parser.add_argument("--hang-timeout", type=_positive_float, default=2.0, metavar="S",
                        help="interrupt a hook that runs longer than S seconds (default 2)")
    parser.add_argument("--history", type=_seconds, default=10.0, metavar="SECONDS",
                        help="keep the last SECONDS of play for the timeline (F8) to rewind "
                             "(default 10; 0 turns the history off)")
    parser.add_argument("--repl", action="store_true",
                        help="a Python prompt into the running game: lines run in main's "
                             "namespace at the frame boundary (the terminal's r/R/q keys are "
                             "off meanwhile)")
    parser.add_argument("--debug", action="store_true",
                        help="let a debugger attach (VS Code, any DAP client): debugpy listens "
                             "on 127.0.0.1 only; needs pip install 'potato-sandbox[debug]'")
    parser.add_argument("--debug-port", type=_port, default=5678, metavar="N",
                        help="the port --debug listens on (default 5678; 0 picks a free one)")
    parser.add_argument("--memory-limit", type=_positive_float, default=DEFAULT_MEMORY_LIMIT / 1e9,
                        metavar="GB", help="interrupt a hook, reload or restart under which the "
                        "process grows by more than GB gigabytes (default 1)")
    loop = parser.add_mutually_exclusive_group()
    loop.add_argument("--record", type=Path, metavar="FILE",
                      help="write each F6 recording (state and input) to FILE, as JSON")
    loop.add_argument("--replay", type=Path, metavar="FILE",
                      help="loop a recording made with --record (with --headless --frames N "
                           "--screenshot, a play session becomes a regression test)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in _COMMANDS and not Path(args_list[0]).is_dir():
        return _run_command(args_list[0], args_list[1:])
    try:
        args = build_parser().parse_args(args_list)
    except SystemExit as exc:  # argparse has printed the usage and the problem
        return exc.code if isinstance(exc.code, int) else 2
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGINT)
    if main_thread:  # a real Ctrl+C quits; game code raising KeyboardInterrupt does not
        install_sigint_handler()
    try:
        return _run(args, args_list)
    except KeyboardInterrupt:
        return _INTERRUPTED
    finally:
        if main_thread:
            signal.signal(signal.SIGINT, previous)


def _run(args: argparse.Namespace, argv: list[str]) -> int:
    # Imported here: the host pulls in SDL, which `--help` and usage errors never need.
    # pysdl2-dll announces itself with a UserWarning on import: noise in a user's terminal.
    warnings.filterwarnings("ignore", message="Using SDL2 binaries from pysdl2-dll")
    from sandbox.game import GameFailed, GameNotFound, find_game
    from sandbox.host import Host
    from sandbox.sdl import NoDisplayError, SDLError

    console = Console(watching=args.watch)
    errors = Console(file=sys.stderr)
    args.game = resolve_game(args.game)  # `potato-sandbox bounce`: an example game by name
    try:
        find_game(args.game)  # a missing folder is the first thing to tell, before SDL
    except GameNotFound as exc:
        errors.info(f"potato-sandbox: {exc}")
        if not Path(args.game).exists():
            examples = ", ".join(example_names())
            near = close_example(args.game)
            if near is not None:
                errors.info(f"Did you mean the example game {near!r}? potato-sandbox {near}")
            errors.info("GAME is the folder that holds your game's main.py, for example: "
                        "potato-sandbox games/bounce"
                        + (f", or the name of an example game: {examples}" if examples else ""))
        return 2
    if not args.headless and not _has_display():
        errors.info("potato-sandbox: there is no display to open a window on (DISPLAY and "
                    "WAYLAND_DISPLAY are unset). Run it with --headless, e.g. "
                    f"potato-sandbox {args.game} --headless --frames 60 --screenshot out.png")
        return 2
    if args.debug:
        _listen_for_debugger(args.debug_port, console, errors)
    try:
        host = Host(args.game, headless=args.headless, watch=args.watch, fps=args.fps,
                    hang_timeout=args.hang_timeout, memory_limit=int(args.memory_limit * 1e9),
                    console=console, terminal_keys=not args.repl, repl=args.repl,
                    history=args.history)
    except GameFailed as exc:
        # The reload hint ("save to retry (F9)") does not apply: there is no session yet.
        command = shlex.join(["potato-sandbox", *argv])
        errors.error(replace(exc.info, hint=f"fix it, then run {command} again"))
        return 1
    except NoDisplayError as exc:
        errors.info(f"potato-sandbox: {exc}")
        return 2
    except SDLError as exc:
        errors.info(f"potato-sandbox: {exc}")
        return 1
    with host:
        if (example := installed_copy(args.game)) is not None:
            console.info(f"{example} is the example installed with potato-sandbox; for a copy "
                         f"of your own to edit: potato-sandbox new {example} --from {example}, "
                         f"then potato-sandbox {example} runs it")
        host.screenshot_overlays = args.screenshot_overlays
        host.looping.record_to = args.record
        if args.replay is not None and not _replay(host, args.replay, errors,
                                                   args.frames if args.headless else None):
            return 2
        if args.frames is not None and args.headless:
            host.step(args.frames)  # no clock, no sleeping: exactly N frames
        else:
            host.run(args.frames)
        if args.screenshot is not None:
            host.screenshot(args.screenshot)
        failed = args.frames is not None and host.last_error is not None
    return 1 if failed else 0


def _listen_for_debugger(port: int, console: Console, errors: Console) -> None:
    """``--debug``: start debugpy on 127.0.0.1; without it, say how to install it and go on."""
    from sandbox.debugger import DebugpyMissing, listen

    try:
        console.info(str(listen(port)))
    except DebugpyMissing as exc:
        errors.info(f"potato-sandbox: {exc}; the game runs without it")
    except (OSError, RuntimeError) as exc:  # the port is taken, the adapter did not start
        errors.info(f"potato-sandbox: --debug: debugpy could not listen on 127.0.0.1:{port}: "
                    f"{exc}; the game runs without it (try another: --debug-port 0)")


def _replay(host: Host, path: Path, errors: Console, frames: int | None) -> bool:
    """Start looping the recording at ``path``; False (and a message) if it is unusable.

    ``frames``: a headless run's ``--frames`` (None: a window, or headless without it).
    """
    from sandbox.recording import Recording, RecordingError

    try:
        host.looping.play(Recording.load(path, host.spec.name, host.reloader.modules),
                          headless=host.headless, frames=frames)
    except RecordingError as exc:
        errors.info(f"potato-sandbox: {exc}")
        return False
    return True


def _has_display() -> bool:
    """False only when we know SDL would find no display (Linux/BSD with no X11 or Wayland).

    Checked before SDL starts so that the user sees one message, not SDL probing its drivers
    ("XDG_RUNTIME_DIR is invalid") and then failing. An explicit SDL_VIDEODRIVER is trusted.
    """
    if sys.platform in ("win32", "darwin") or os.environ.get("SDL_VIDEODRIVER"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _run_command(name: str, rest: list[str]) -> int:
    """Sub-commands: ``new PATH`` creates a game skeleton (never overwriting anything)."""
    from sandbox.scaffold import ScaffoldError, copy_example, create_game

    parser = argparse.ArgumentParser(
        prog=f"potato-sandbox {name}",
        description="Create a runnable game skeleton (main.py with every hook, a README).")
    parser.add_argument("path", metavar="PATH", help="the new game's folder")
    parser.add_argument("--from", dest="example", metavar="EXAMPLE",
                        help=f"start from a copy of an example game ({', '.join(example_names())})")
    try:
        args = parser.parse_args(rest)
    except SystemExit as exc:  # argparse has printed the usage and the problem
        return exc.code if isinstance(exc.code, int) else 2
    if args.path.lstrip("-") in _HELP_WORDS:
        Console(file=sys.stderr).info(
            f"potato-sandbox {name}: {args.path!r} looks like a mistyped --help, so nothing "
            f"was created. For help: potato-sandbox {name} --help; for a game folder with "
            f"that name: potato-sandbox {name} ./{args.path}")
        return 2
    try:
        done = copy_example(args.example, args.path) if args.example else create_game(args.path)
    except ScaffoldError as exc:
        Console(file=sys.stderr).info(f"potato-sandbox: {exc}")
        return 2
    Console().info(str(done))
    return 0


def _whole(text: str) -> int:
    """``text`` as an int; argparse's own message ("invalid _count value") names our function."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _count(text: str) -> int:
    value = _whole(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value


def _positive_int(text: str) -> int:
    value = _whole(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return value


def _port(text: str) -> int:
    value = _whole(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text}")
    return value


def _seconds(text: str) -> float:
    """``text`` as 0 or more seconds (``--history 0`` turns the history off)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected 0 or more seconds, got {text}")
    return value
