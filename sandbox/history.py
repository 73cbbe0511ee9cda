"""Always-on history: the last seconds of play as keyframes plus the input log, re-simulated.

Every ``every`` fixed updates the history takes a keyframe: a :class:`~sandbox.snapshot.Snapshot`
of every game module (the held input included) and ``random``'s state. Between keyframes it
keeps the input log: the events the game was given, as the plain dicts recordings use
(``sandbox.sdl.event_to_dict``), by tick. Any tick of the window can then be shown again by
restoring the keyframe at or before it and re-running the updates in between with the logged
input: the fixed step, the same events on the same ticks, the same random numbers. That is
how the timeline (F8, ``sandbox.timeline``) scrubs, and how a save while scrubbed back plays
the past again under the new code.

Ticks count fixed updates since the history began: "tick ``t``" is the state after ``t``
updates, the one the frame drawn after them showed. An event logged at tick ``t`` reached the
game before update ``t``, so re-simulating from tick ``a`` to ``b`` delivers the events of
``a`` .. ``b - 1``, each before its update.

Memory is bounded twice: keyframes older than ``seconds`` go (one is kept at or before the
window's start, so all of it can be shown), and while the keyframes and the log together are
estimated above ``budget`` bytes the oldest keyframe goes first. Sizes are estimated by walking
each copied value (``deep_size``), once per keyframe.

``random`` is restored, not re-seeded: each keyframe keeps ``random.getstate()``, so play is
never disturbed (a game's random numbers are the ones it would have had without a history)
and a re-simulation draws exactly the numbers the play drew.

The history does not know the host: it gets the game's modules, what replays one logged event
(``InputRouter.replay``), what runs one update (False when it failed), and whether play is
plain (no loop drives the game; a loop's passes are not history).
"""

from __future__ import annotations

import bisect
import enum
import hashlib
import pickle
import random
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from sandbox.recording import Recording
from sandbox.sdl import event_to_dict
from sandbox.snapshot import Snapshot, is_state

if TYPE_CHECKING:
    from sandbox.hot import ReloadReport

__all__ = ["DEFAULT_BUDGET", "DEFAULT_EVERY", "DEFAULT_SECONDS", "NO_TICK", "History", "Keyframe",
           "deep_size", "fingerprint", "state_names"]

DEFAULT_SECONDS = 10.0
DEFAULT_EVERY = 30  # ticks between keyframes: a scrub re-runs at most this many updates
DEFAULT_BUDGET = 64 * 1024 * 1024  # bytes
NO_TICK = -1  # History.shown when the modules hold no tick's state (an update failed)


@dataclass
class Keyframe:
    """The game's state at one tick: its modules, the held input and ``random``'s state."""

    tick: int
    snapshot: Snapshot
    rng: tuple[Any, ...]  # random.getstate()
    size: int

    def restore(self, modules: Mapping[str, ModuleType]) -> None:
        """Put this state back into ``modules`` (copied again: a keyframe can be restored often)."""
        self.snapshot.restore(modules)
        random.setstate(self.rng)


class History:
    """Keyframes every ``every`` ticks and the input log of the last ``seconds`` of play."""

    def __init__(self, modules: Callable[[], dict[str, ModuleType]], *,
                 replay: Callable[[dict[str, Any]], bool], update: Callable[[], bool],
                 step: float, seconds: float = DEFAULT_SECONDS, every: int = DEFAULT_EVERY,
                 budget: int = DEFAULT_BUDGET, active: Callable[[], bool] = lambda: True) -> None:
        if seconds < 0 or every < 1 or budget < 1:
            raise ValueError(f"history needs seconds >= 0, every >= 1 and budget >= 1, "
                             f"got {seconds}, {every}, {budget}")
        self.modules = modules
        self.replay = replay
        self.update = update
        self.step = step
        self.seconds = seconds
        self.every = every
        self.budget = budget
        self.active = active
        self.window = round(seconds / step)  # ticks the history covers
        self.tick = 0  # updates since the history began: the state now is "at tick"
        self.keyframes: list[Keyframe] = []
        self.events: dict[int, list[dict[str, Any]]] = {}
        self.event_bytes = 0
        # The tick the modules hold after a seek: None for now (play's own state), NO_TICK
        # after a hook failed half-way through an update.
        self.shown: int | None = None
        self._sizes: tuple[int, ...] = ()  # of the namespaces, when _names last looked

    @property
    def enabled(self) -> bool:
        """False with ``--history 0``."""
        return self.window > 0

    @property
    def start(self) -> int:
        """The oldest tick that can be shown (``tick`` when there is no keyframe yet)."""
        return self.keyframes[0].tick if self.keyframes else self.tick

    @property
    def memory(self) -> int:
        """The estimated memory the keyframes and the input log hold."""
        return sum(kf.size for kf in self.keyframes) + self.event_bytes

    def reset(self) -> None:
        """Forget everything (a hot restart replaced the modules; a loop took over)."""
        self.keyframes.clear()
        self.events.clear()
        self.event_bytes, self.tick, self.shown = 0, 0, None

    # -- recording play --------------------------------------------------------------------------
    def log(self, event: Any) -> None:
        """An event the game is given now: logged at the current tick."""
        if not self.enabled or not self.active():
            return
        data = event_to_dict(event)
        if data is not None:
            self.events.setdefault(self.tick, []).append(data)
            self.event_bytes += deep_size(data)

    def after_update(self) -> None:
        """One update ran: count it, and take a keyframe every ``every`` ticks."""
        if not self.enabled:
            return
        if not self.active():
            if self.keyframes or self.events:
                self.reset()  # a loop's passes are not play: the history starts after it
            return
        self.tick += 1
        if not self.keyframes or self.tick - self.keyframes[-1].tick >= self.every:
            self.keyframes.append(self.take(self.tick))
            self._trim()

    def take(self, tick: int) -> Keyframe:
        """A keyframe of the modules as they are now, labelled ``tick``."""
        snapshot = Snapshot.take(self.modules())
        kept = set(snapshot.by_reference)
        size = deep_size(snapshot.held) + sum(
            deep_size(value) for mod_name, values in snapshot.values.items()
            for name, value in values.items() if f"{mod_name}.{name}" not in kept)
        rng = random.getstate()
        return Keyframe(tick, snapshot, rng, size + deep_size(rng))

    def _trim(self) -> None:
        """Drop what is older than the window, then the oldest keyframes while over budget."""
        frames = self.keyframes
        while len(frames) > 1 and frames[1].tick <= self.tick - self.window:
            frames.pop(0)
        while len(frames) > 1 and self.memory > self.budget:
            frames.pop(0)
        oldest = frames[0].tick if frames else self.tick
        while self.events:
            first = next(iter(self.events))
            if first >= oldest:
                break
            self.event_bytes -= sum(deep_size(data) for data in self.events.pop(first))

    # -- going back --------------------------------------------------------------------------------
    def keyframe_at(self, tick: int) -> Keyframe:
        """The last keyframe at or before ``tick`` (ValueError before the oldest)."""
        index = bisect.bisect_right([kf.tick for kf in self.keyframes], tick) - 1
        if index < 0:
            raise ValueError(f"tick {tick} is older than the history (it starts at {self.start})")
        return self.keyframes[index]

    def seek(self, tick: int) -> bool:
        """Make the modules hold the state at ``tick``, re-simulated from its keyframe.

        Going forward from the tick shown last continues from there. False when a hook
        failed on the way (the game is paused on the error, as in play).
        """
        tick = max(self.start, min(self.tick, tick))
        frame = self.keyframe_at(tick)
        shown = self.shown
        if shown is not None and frame.tick <= shown <= tick:
            return self.simulate(shown, tick)
        frame.restore(self.modules())
        self.shown = frame.tick
        return self.simulate(frame.tick, tick)

    def hold(self) -> Callable[[], None]:
        """Keep the state the modules hold now; the function returned puts it back.

        A detour's way home (the ghosts' re-simulation): a copy and a restore, cheaper than
        seeking back from a keyframe through up to ``every - 1`` updates.
        """
        shown, snapshot, rng = self.shown, Snapshot.take(self.modules()), random.getstate()

        def put_back() -> None:
            snapshot.restore(self.modules())
            random.setstate(rng)
            self.shown = shown
        return put_back

    def simulate(self, start: int, end: int,
                 fingerprints: list[dict[str, bytes]] | None = None,
                 keyframes: bool = False, opaque: set[str] | None = None,
                 stop: Callable[[], bool] | None = None) -> bool:
        """Run the updates ``start`` .. ``end - 1`` with the logged input, from the state now.

        ``fingerprints`` gets one per tick from ``start + 1`` to ``end``; with ``keyframes``
        the keyframes after ``start`` are taken afresh (the past under new code). ``opaque``:
        :func:`fingerprint`'s, kept by a run that goes on over several calls; ``stop``, asked
        after each tick, ends the call early (``shown`` says where).
        """
        if keyframes:
            self.keyframes = [kf for kf in self.keyframes if kf.tick <= start]
        modules = self.modules()
        names = self._names(modules) if fingerprints is not None else []
        opaque = set() if opaque is None else opaque
        for tick in range(start, end):
            if not all(self.replay(data) for data in self.events.get(tick, ())) \
                    or not self.update():
                self.shown = NO_TICK  # a hook failed half-way: the state is no tick's
                return False
            self.shown = tick + 1
            if fingerprints is not None:
                names = self._names(modules, names)
                fingerprints.append(fingerprint(modules, names, opaque))
            if keyframes and tick + 1 - self.keyframes[-1].tick >= self.every:
                self.keyframes.append(self.take(tick + 1))
            if stop is not None and stop():
                break
        return True

    def _names(self, modules: Mapping[str, ModuleType],
               known: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
        """The state names of ``modules``: ``known`` again while no namespace changed size."""
        sizes = tuple(len(vars(module)) for module in modules.values())
        if known is None or sizes != self._sizes:
            self._sizes, known = sizes, state_names(modules)
        return known

    def anchor(self, tick: int) -> Keyframe:
        """Make the state now the keyframe of ``tick`` (a save while scrubbed back starts there)."""
        frame = self.take(tick)
        self.keyframes = [kf for kf in self.keyframes if kf.tick != tick]
        bisect.insort(self.keyframes, frame, key=lambda kf: kf.tick)
        self.shown = tick
        return frame

    def resume_at(self, tick: int) -> None:
        """Play goes on from ``tick`` (the modules hold its state): the old future is dropped."""
        self.keyframes = [kf for kf in self.keyframes if kf.tick <= tick]
        for late in [t for t in self.events if t >= tick]:
            self.event_bytes -= sum(deep_size(data) for data in self.events.pop(late))
        self.tick, self.shown = tick, None

    def recording(self, game: str) -> Recording:
        """The history as a recording (``--replay`` loops it): its oldest keyframe onwards.

        It carries the keyframe's ``random`` state, so every pass draws the numbers play drew.
        """
        start = self.start
        frame = self.keyframe_at(start)
        events = [(tick - start, data) for tick, batch in self.events.items()
                  if start <= tick < self.tick for data in batch]
        return Recording(game, self.step, frame.snapshot, events, self.tick - start, seed=0,
                         rng=frame.rng)

    def around_reload(self, reload: Callable[[], ReloadReport]) -> ReloadReport:
        """Run ``reload``; the values its statements bound go into every keyframe.

        An edited ``SPEED = 3`` is code: a rewind to before the save must not bring back
        ``SPEED = 2``. Only the names the engine says its statements bound are carried
        (``ReloadReport.bound_names``); what an ``after_reload`` handler rebound (bounce's
        ``dx``) happened at the save's tick, in play, so older keyframes keep their values.
        """
        report = reload()
        if report.ok and report.changed and self.keyframes:
            modules = self.modules()
            for frame in self.keyframes:
                frame.snapshot.adopt(modules, report.bound_names)
        return report


def deep_size(value: object) -> int:
    """Bytes ``value`` holds, with everything it contains (each object counted once)."""
    seen: set[int] = set()
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item, 64)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif hasattr(item, "__dict__") and not isinstance(item, type):
            stack.append(vars(item))
    return total


def state_names(modules: Mapping[str, ModuleType]) -> list[tuple[str, str]]:
    """Every (module, name) that holds state, in a stable order (for :func:`fingerprint`)."""
    return [(mod_name, name) for mod_name in sorted(modules)
            for name, value in vars(modules[mod_name]).items() if is_state(name, value)]


def fingerprint(modules: Mapping[str, ModuleType],
                names: Iterable[tuple[str, str]] | None = None,
                opaque: set[str] | None = None) -> dict[str, bytes]:
    """A digest of each state value (``"ball.x"``): equal values give equal digests, in any run.

    Values are fed by content (instances of the game's classes by their attributes), never
    by identity, so two re-simulations of the same tick agree; a value that is not plain data
    (an SDL texture) counts by its type alone. One digest a name, so a comparison can leave
    out the names an edit rebound (``SPEED = 3`` is code, not a difference in play).
    ``names``: :func:`state_names`, when the caller already has them (re-runs fingerprint
    every tick; telling state from code is most of the cost). ``opaque`` collects the names
    that did not pickle, so later calls walk them at once (a failed pickle of a font: 170 µs).
    """
    opaque = set() if opaque is None else opaque
    out: dict[str, bytes] = {}
    for mod_name, name in state_names(modules) if names is None else names:
        namespace = vars(modules[mod_name])
        if name in namespace:
            digest = hashlib.blake2b(digest_size=12)
            value, qualified = namespace[name], f"{mod_name}.{name}"
            try:
                if qualified in opaque:
                    raise TypeError(qualified)
                # Plain data and the game's own instances pickle by content, in C: fast.
                digest.update(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            except Exception:  # a texture, a lock, a lambda: walk it, by type where opaque
                opaque.add(qualified)
                _feed(digest, value, modules, set())
            out[qualified] = digest.digest()
    return out


_SCALARS = (type(None), bool, int, float, complex, str, bytes)


def _feed(digest: Any, value: object, modules: Mapping[str, ModuleType], seen: set[int]) -> None:
    if isinstance(value, _SCALARS):
        digest.update(repr(value).encode())
        return
    if id(value) in seen:
        digest.update(b"<cycle>")
        return
    seen.add(id(value))
    kind = type(value)
    digest.update(kind.__qualname__.encode() + b"(")
    if isinstance(value, dict):
        _feed_all(digest, (x for pair in value.items() for x in pair), modules, seen)
    elif isinstance(value, (set, frozenset)):
        digest.update(repr(sorted(repr(x) for x in value)).encode())
    elif isinstance(value, (list, tuple)):
        _feed_all(digest, value, modules, seen)
    elif kind.__module__ in modules and hasattr(value, "__dict__"):
        _feed(digest, vars(value), modules, seen)
    elif isinstance(value, enum.Enum):
        digest.update(value.name.encode())
    digest.update(b")")
    seen.discard(id(value))


def _feed_all(digest: Any, values: Iterable[object], modules: Mapping[str, ModuleType],
              seen: set[int]) -> None:
    for item in values:
        _feed(digest, item, modules, seen)
        digest.update(b",")
