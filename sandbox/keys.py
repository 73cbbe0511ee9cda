"""The one table of the host's keys: what each does, in the window and in the terminal.

Everything that lists or handles keys is made from :data:`KEYS`: the help panel (F1,
``sandbox.overlay``), the terminal's banner (``sandbox.console``), ``potato-sandbox --help``
(``sandbox.cli``), the README's key table (``tests/test_keys.py`` keeps it in step) and the
actions themselves (``sandbox.controls`` maps each :class:`Action` to what it does). Adding a
key is one row here, its action in ``sandbox.controls``, and the README row the test prints.

Nothing here imports SDL: key names are SDL's (``SDL_GetKeyName``), as plain strings.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["HOST_KEYS", "KEYS", "TERMINAL_KEYS", "TIMELINE_KEYS", "Action", "Key", "Scrub",
           "TimelineKey", "banner_rows", "cli_epilog", "help_rows", "kept_keys", "readme_table",
           "terminal_line", "timeline_action"]


class Action(enum.Enum):
    """What a host key does (``sandbox.controls`` holds how)."""

    RELOAD = "reload"
    RESTART = "restart"
    PAUSE = "pause"
    STEP = "step"
    HUD = "hud"
    SCREENSHOT = "screenshot"
    RECORD = "record"
    END_LOOP = "end loop"
    TIMELINE = "timeline"
    HELP = "help"
    FOLD = "fold"
    OUTPUT = "output"
    SCROLL_BACK = "scroll back"
    SCROLL_ON = "scroll on"
    TWEAK = "tweak"
    QUIT = "quit"


@dataclass(frozen=True)
class Key:
    """One host key: its SDL name, its action, and how each list describes it.

    ``does`` is the short text (help, banner, ``--help``); ``readme`` the README's longer one
    (``does`` when empty); ``terminal``: the key typed in the terminal that runs the same
    action, and the word that names it there.
    """

    name: str
    action: Action
    does: str
    readme: str = ""
    terminal: tuple[str, str] | None = None

    def __str__(self) -> str:
        return f"{self.name} {self.does}"


KEYS: tuple[Key, ...] = (
    Key("F9", Action.RELOAD, "reload now",
        "reload now (also: save a file while watching)", ("r", "reload")),
    Key("F5", Action.RESTART, "hot restart",
        "hot restart: every game module imported fresh, `load()` again", ("R", "hot restart")),
    Key("F10", Action.PAUSE, "pause / resume"),
    Key("F11", Action.STEP, "step one frame while paused"),
    Key("F3", Action.HUD, "HUD",
        "HUD: fps, frame-time graph, fixed step, last reload and what changed"),
    Key("F12", Action.SCREENSHOT, "screenshot",
        "screenshot of the game's frame to `screenshots/` (`--screenshot-overlays`: as shown)"),
    Key("F6", Action.RECORD, "record, then loop the recording",
        "record play; F6 again loops the recording (see below)"),
    Key("F7", Action.END_LOOP, "end the loop",
        "end the loop: the game goes on from where it is"),
    Key("F4", Action.TWEAK, "tweak panel",
        "tweak panel: drag a value, the game and the source file change together (see below)"),
    Key("F8", Action.TIMELINE, "timeline: rewind, scrub, F8 again resumes",
        "timeline: the game pauses; Left/Right (Shift: one tick) or drag to rewind the last "
        "seconds; F8 again resumes from there (see below)"),
    Key("F1", Action.HELP, "help"),
    Key("F2", Action.FOLD, "fold the error panel to one line",
        "fold the error panel to one line, so the game shows (again: unfold)"),
    Key("`", Action.OUTPUT, "game output strip (print, warnings)",
        "the game's print output and warnings in a strip at the top (they still go to the "
        "terminal)"),
    Key("PageUp", Action.SCROLL_BACK, "output strip: older lines (while paused)"),
    Key("PageDown", Action.SCROLL_ON, "output strip: newer lines (while paused)"),
    Key("Escape", Action.QUIT, "quit", "quit (also: the window's close button)", ("q", "quit")),
)



class Scrub(enum.Enum):
    """What a key does while the timeline (F8) is open (``sandbox.timeline`` holds how)."""

    BACK = "back"
    ON = "on"
    OLDEST = "oldest"
    NEWEST = "newest"
    SAVE = "save"
    GHOSTS = "ghosts"


@dataclass(frozen=True)
class TimelineKey:
    """A key of the open timeline: no host key, so the game gets it while the timeline is shut."""

    name: str
    action: Scrub
    does: str


TIMELINE_KEYS: tuple[TimelineKey, ...] = (
    TimelineKey("Left", Scrub.BACK, "back 10 ticks (Shift: one)"),
    TimelineKey("Right", Scrub.ON, "on 10 ticks (Shift: one)"),
    TimelineKey("Home", Scrub.OLDEST, "the oldest tick"),
    TimelineKey("End", Scrub.NEWEST, "now"),
    TimelineKey("S", Scrub.SAVE, "write the history to `--record FILE`"),
    TimelineKey("G", Scrub.GHOSTS, "ghosts: faint frames every 5th tick, 0.5 s before and after "
                "the one shown, redrawn after every save and tweak"),
)


def timeline_action(key: str) -> Scrub | None:
    """What ``key`` (SDL's name) does in the open timeline, or None."""
    return next((k.action for k in TIMELINE_KEYS if k.name == key), None)


HOST_KEYS = frozenset(key.name for key in KEYS)
# Terminal key -> the window key whose action it runs.
TERMINAL_KEYS = {key.terminal[0]: key.name for key in KEYS if key.terminal}


def _terminal() -> list[tuple[str, str]]:
    return [key.terminal for key in KEYS if key.terminal]


def terminal_line() -> str:
    """``terminal: r reload, R hot restart, q quit``."""
    return "terminal: " + ", ".join(f"{key} {does}" for key, does in _terminal())


def help_rows() -> list[tuple[str, str]]:
    """(key, what it does) for every window key, in the table's order."""
    return [(key.name, key.does) for key in KEYS]


def banner_rows(terminal: bool, window: bool = True) -> list[tuple[str, str]]:
    """The banner's keys: the window's (none headless), then the terminal's if it has them."""
    rows = help_rows() if window else []
    if terminal:
        keys = _terminal()
        rows.append((" / ".join(k for k, _ in keys),
                     "in this terminal: " + ", ".join(does for _, does in keys)))
    return rows


def cli_epilog(commands: list[tuple[str, str]]) -> str:
    """The end of ``potato-sandbox --help``: the sub-commands, then every key."""
    width = max(len(name) for name, _ in commands) if commands else 0
    lines = ["commands:"]
    lines += [f"  {name:<{width}}  {does}" for name, does in commands]
    lines += ["", "keys in the window:"]
    lines += [f"  {key.name:<6}  {key.does}" for key in KEYS]
    lines += ["", f"keys in the terminal running it: {terminal_line().split(': ', 1)[1]}"]
    return "\n".join(lines)


def readme_table() -> str:
    """The README's key table (Markdown), one row per key, then the terminal's keys."""
    rows = ["| key | does |", "|---|---|"]
    rows += [f"| {key.name} | {key.readme or key.does} |" for key in KEYS]
    rows += [f"| {key.name} (in the timeline) | {key.does} |" for key in TIMELINE_KEYS]
    keys = _terminal()
    rows.append(f"| {' / '.join(k for k, _ in keys)} (in the terminal) | "
                + ", ".join(does for _, does in keys) + " |")
    return "\n".join(rows)


def kept_keys() -> str:
    """The keys that never reach a game, short: ``F1-F3, F5-F7, F9-F12 and Escape``."""
    numbers = sorted(int(name[1:]) for name in HOST_KEYS if name[:1] == "F" and name[1:].isdigit())
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"F{run[0]}-F{run[-1]}" if len(run) > 2 else ", ".join(f"F{n}" for n in run)
             for run in runs]
    parts += sorted(name for name in HOST_KEYS if not (name[:1] == "F" and name[1:].isdigit()))
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)
