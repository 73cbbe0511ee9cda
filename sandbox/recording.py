"""Recordings of play: a state snapshot plus input events by fixed-step tick, as a JSON file.

The file is plain data, never pickle, so opening a recording cannot run code. Format
(version 3)::

    {"format": "potato-sandbox-recording", "version": 3, "game": "bounce",
     "step": 0.016666666666666666, "ticks": 120, "seed": 1234,
     "random": {"version": 3, "internal": [2147483648, ..., 624], "gauss_next": null},
     "snapshot": {"main": {"pos_x": 1, "trail": {"__tuple__": [1, 2]}}},
     "sources": {"main": "TITLE = 'Bounce'\\n..."}, "changed_by_play": {"main": ["dx"]},
     "held": {"keys": ["left"], "mouse": [10, 20], "buttons": [], "pads": []},
     "events": [{"tick": 3, "event": {"type": "keydown", "key": "Left"}}]}

Snapshot values are JSON scalars and lists; tuples, sets, dicts (any hashable keys), non-finite
floats, enum members and instances of the game's own classes are tagged objects
(``{"__tuple__": [...]}``, ``{"__object__": "main.Ball", "state": {...}}``). Values that are not
plain data (an SDL texture) are left out and named in ``Recording.skipped``; on replay they
keep their current values. An object several names share is saved once per name, so a
replay from a file gets separate copies (a live loop keeps the sharing: see ``snapshot``).

``sources`` (new in version 2) holds the source each game module ran when the recording was
saved, which is the code the snapshot's values belong to (edits made while recording are
carried into it). A replay runs today's code: the names a reload from that source to today's
would bind again (an edited ``COLOUR = ...``, the statements reading it) take today's values,
the rest the recording's (``sandbox.edits``). ``changed_by_play`` (also new in version 2)
lists, per module, the names play had changed when recording began (they held another
object than their statement bound): as in a live reload, ``dx = -SPEED`` is then not run
again for an edited ``SPEED``. Version 1 files have neither and are refused with a message
to record again.

``random`` (new in version 3, optional) is ``random``'s state when the recording starts, as
``random.getstate()`` gives it: a recording made from the history (S in the timeline) starts
at a keyframe in the middle of play, where ``random`` is wherever play left it, so every pass
sets that state rather than seeding. Without it, each pass calls ``random.seed(seed)``, as
an F6 recording does (its play ran from that seed). Version 2 files (no ``random``) still
replay, from their seed; a version 3 file is refused by a sandbox that reads only version 2,
whose replay would silently draw other numbers.

``held`` is the input held when the recording started (``sandbox.input_state``: keys, the
mouse, gamepads with their buttons and axes); a file without it starts with nothing held.
``ticks`` is the length in fixed updates; an event with ``"tick": k`` is delivered just before
update ``k`` (from 0) of each pass; ``seed`` is passed to ``random.seed`` at every pass unless
there is ``random``. Events
are the plain dicts of ``sandbox.sdl.event_to_dict``::

    {"type": "keydown" | "keyup", "key": "Left", "scancode": 80, "mod": 0, "repeat": 0}
    {"type": "text", "text": "é"}
    {"type": "mousedown" | "mouseup", "button": 1, "clicks": 1, "x": 10, "y": 20}
    {"type": "motion", "x": 10, "y": 20, "xrel": 1, "yrel": 0, "state": 0}
    {"type": "wheel", "x": 0, "y": -1, "direction": 0, "precise_x": 0.0, "precise_y": -1.0}
    {"type": "padadded", "pad": 3, "name": "Xbox 360 Controller"}, {"type": "padremoved", ...}
    {"type": "paddown" | "padup", "pad": 3, "button": "a"}
    {"type": "padaxis", "pad": 3, "axis": "leftx", "value": -32768}
    {"type": "joyaxis" | "joyhat" | "joydown" | ..., "which": 3, ...}  (``sandbox.sdl.gamepad``)
"""

from __future__ import annotations

import enum
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from sandbox.edits import running_sources
from sandbox.input_state import InputState
from sandbox.snapshot import Snapshot

__all__ = ["FORMAT", "VERSION", "Recording", "RecordingError"]

FORMAT = "potato-sandbox-recording"
VERSION = 3
READS = (2, 3)  # version 2: no "random" (seeded); version 1 kept no sources: refused


class RecordingError(Exception):
    """A recording could not be written or read; the message says why and what to do."""


class _Unsaveable(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@dataclass
class Recording:
    """A snapshot and the events of a stretch of play, tick by tick."""

    game: str
    step: float
    snapshot: Snapshot
    events: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    ticks: int = 0
    seed: int = 0
    skipped: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # module -> the source it ran
    changed_by_play: dict[str, list[str]] = field(default_factory=dict)  # module -> names
    # random.getstate() at the start (a recording of the history); None: random.seed(seed)
    rng: tuple[Any, ...] | None = None

    def restart_random(self) -> None:
        """Give ``random`` the state it had when the recording starts (every pass does)."""
        if self.rng is not None:
            random.setstate(self.rng)
        else:
            random.seed(self.seed)

    def save(self, path: str | Path, modules: dict[str, ModuleType]) -> None:
        """Write the recording to ``path`` as JSON; unsaveable values go to ``skipped``."""
        self.skipped = []
        self.sources = running_sources(modules)
        snapshot: dict[str, dict[str, Any]] = {}
        for mod_name, values in self.snapshot.values.items():
            encoded: dict[str, Any] = {}
            for name, value in values.items():
                try:
                    encoded[name] = _encode(value, modules)
                except _Unsaveable as exc:
                    self.skipped.append(f"{mod_name}.{name} ({exc.what})")
            snapshot[mod_name] = encoded
        document = {
            "format": FORMAT,
            "version": VERSION,
            "game": self.game,
            "step": self.step,
            "ticks": self.ticks,
            "seed": self.seed,
            "snapshot": snapshot,
            "held": self.snapshot.held,
            "sources": self.sources,
            "changed_by_play": self.changed_by_play,
            "events": [{"tick": tick, "event": event} for tick, event in self.events],
        }
        if self.rng is not None:
            version, internal, gauss_next = self.rng
            document["random"] = {"version": version, "internal": list(internal),
                                  "gauss_next": gauss_next}
        target = Path(path)
        try:
            # Write beside, then rename: a crash mid-write never leaves a truncated recording.
            partial = target.with_name(target.name + ".partial")
            partial.write_text(json.dumps(document, indent=1), encoding="utf-8")
            partial.replace(target)
        except OSError as exc:
            raise RecordingError(f"could not write recording {target}: {exc.strerror or exc}") \
                from exc

    @classmethod
    def load(cls, path: str | Path, game: str, modules: dict[str, ModuleType]) -> Recording:
        """Read a recording of ``game``; a bad file raises RecordingError saying what is wrong."""
        source = Path(path)
        try:
            text = source.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RecordingError(f"no recording at {source}; record one with --record") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise RecordingError(f"could not read recording {source}: {exc}") from exc
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RecordingError(
                f"{source} is not a complete recording (JSON error at line {exc.lineno}, "
                f"column {exc.colno}: {exc.msg}); it may have been cut off — record it again"
            ) from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise RecordingError(f"{source} is not a potato-sandbox recording")
        if doc.get("version") not in READS:
            raise RecordingError(
                f"{source} is a version {doc.get('version')!r} recording; this sandbox reads "
                f"versions {READS[0]} to {READS[-1]} — record it again with this version"
            )
        if doc.get("game") != game:
            raise RecordingError(
                f"{source} was recorded in game {doc.get('game')!r}, not {game!r}; "
                f"replay it with: potato-sandbox <{doc.get('game')} folder> --replay {source}"
            )
        try:
            snapshot = Snapshot()
            if "held" in doc:  # recordings made before held input was saved have none
                InputState().load(doc["held"])  # ValueError when damaged
                snapshot.held = dict(doc["held"])
            for mod_name, values in doc["snapshot"].items():
                snapshot.values[mod_name] = {
                    name: _decode(value, modules) for name, value in values.items()
                }
            events = [(int(item["tick"]), dict(item["event"])) for item in doc["events"]]
            sources = {str(name): _text(text) for name, text in doc["sources"].items()}
            played = {str(name): [_text(n) for n in names]
                      for name, names in doc["changed_by_play"].items()}
            recording = cls(game, float(doc["step"]), snapshot, events, int(doc["ticks"]),
                            int(doc.get("seed", 0)), sources=sources, changed_by_play=played)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise RecordingError(f"{source} is damaged ({type(exc).__name__}: {exc}); "
                                 "record it again") from None
        if "random" in doc:
            recording.rng = _random_state(doc["random"], source)
        return recording


def _random_state(data: object, source: Path) -> tuple[Any, ...]:
    """The ``random`` field as ``random.getstate()``'s tuple; RecordingError when damaged."""
    try:
        if not isinstance(data, dict):
            raise TypeError(f"an object with version, internal and gauss_next, not a "
                            f"{type(data).__name__}")
        internal = data["internal"]
        if not isinstance(internal, list) or not all(isinstance(n, int) for n in internal):
            raise TypeError("internal must be a list of whole numbers")
        gauss = data["gauss_next"]
        state = (data["version"], tuple(internal), None if gauss is None else float(gauss))
        random.Random().setstate(state)  # what a pass will do: fails now if it would fail then
    except (KeyError, TypeError, ValueError) as exc:
        what = f"{exc} is missing" if isinstance(exc, KeyError) else str(exc)
        raise RecordingError(
            f'{source} has a damaged "random" field ({what}); record it again, or delete the '
            'field to replay with the recording\'s seed (other random numbers than were played)'
        ) from None
    return state


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"a source or a name is a {type(value).__name__}, not text")
    return value


def _class_path(cls: type, modules: dict[str, ModuleType]) -> str | None:
    if cls.__module__ in modules and "<locals>" not in cls.__qualname__:
        return f"{cls.__module__}.{cls.__qualname__}"
    return None


def _encode(value: Any, modules: dict[str, ModuleType]) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, list):
        return [_encode(v, modules) for v in value]
    if isinstance(value, tuple) and type(value) is tuple:
        return {"__tuple__": [_encode(v, modules) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"__set__": [_encode(v, modules) for v in value]}
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k, modules), _encode(v, modules)] for k, v in value.items()]}
    where = _class_path(type(value), modules)
    if isinstance(value, enum.Enum) and where:
        return {"__enum__": where, "name": value.name}
    if where is not None and hasattr(value, "__dict__"):
        return {"__object__": where, "state": _encode(dict(vars(value)), modules)}
    raise _Unsaveable(f"a {type(value).__name__}, not plain data")


def _find_class(path: str, modules: dict[str, ModuleType]) -> Any:
    mod_name, _, qualname = path.partition(".")
    target: Any = modules[mod_name]
    for part in qualname.split("."):
        target = getattr(target, part)
    return target


def _decode(value: Any, modules: dict[str, ModuleType]) -> Any:
    if isinstance(value, list):
        return [_decode(v, modules) for v in value]
    if not isinstance(value, dict):
        return value
    if "__tuple__" in value:
        return tuple(_decode(v, modules) for v in value["__tuple__"])
    if "__set__" in value:
        return {_decode(v, modules) for v in value["__set__"]}
    if "__dict__" in value:
        return {_decode(k, modules): _decode(v, modules) for k, v in value["__dict__"]}
    if "__float__" in value:
        return float(value["__float__"])
    if "__enum__" in value:
        return _find_class(value["__enum__"], modules)[value["name"]]
    if "__object__" in value:
        cls = _find_class(value["__object__"], modules)
        obj = object.__new__(cls)
        obj.__dict__.update(_decode(value["state"], modules))
        return obj
    raise ValueError(f"unknown tagged value {sorted(value)}")
