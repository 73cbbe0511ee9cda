"""Ghosts (F8, then G): faint frames around the tick the timeline shows, following every edit.

Real SDL on the dummy driver, real key events pushed through SDL's queue, real files and
reloads. The oracle for a ghost is what the game really showed at its tick: the frames read
live during play (or, after a physics edit, bounce's picture at the positions a fresh import
of the edited physics gives), blended over the cursor's frame by the documented rule: each
ghost's drawn pixels (not its background) at ``alpha_of(offset)``, in the order they are drawn:
the future nearest first, then the past oldest first. SDL's
blitter rounds, so a channel may be off by a little; a wrong position or colour is off by
far more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from gamefiles import edit, game_folder
from test_timeline import CRASHING_GAME, fresh_physics, open_timeline, tap

from sandbox.ghosts import REACH, alpha_of, ghost_ticks
from sandbox.history import History
from sandbox.host import Host
from sandbox.timeline import Timeline

RGB = tuple[int, int, int]
Picture = Callable[[int, int], RGB]  # (x, y) -> the colour a frame has there
BLUE: RGB = (0, 0, 255)
PINK: RGB = (255, 128, 128)
YELLOW: RGB = (255, 255, 128)
TOLERANCE = 2


def picture(pixels: bytes, width: int) -> Picture:
    """A frame of ``Display.pixels()`` (RGBA32) as (x, y) -> (r, g, b)."""
    def at(x: int, y: int) -> RGB:
        i = (y * width + x) * 4
        return pixels[i], pixels[i + 1], pixels[i + 2]
    return at


def bounce_picture(pos: tuple[int, int], colour: RGB = PINK) -> Picture:
    """What bounce draws: its background and the 50x50 rectangle centred on ``pos``."""
    px, py = pos

    def at(x: int, y: int) -> RGB:
        return colour if px - 25 <= x < px + 25 and py - 25 <= y < py + 25 else BLUE
    return at


def play_pictures(host: Host, frames: int, keep: Iterable[int]) -> dict[int, Picture]:
    """Step ``frames`` frames; the pictures shown at the ticks in ``keep``, and positions."""
    assert host.display is not None
    wanted, out = set(keep), {}
    for _ in range(frames):
        host.step(1)
        if host.history.tick in wanted:
            out[host.history.tick] = picture(host.display.pixels(), host.display.size[0])
    return out


def composite(cursor: Picture, ghosts: dict[int, Picture], background: RGB = BLUE) -> Picture:
    """The cursor's frame with each ghost's drawn pixels blended over it, in the ghosts' order.

    ``ghosts`` maps an offset from the cursor to that tick's frame. SDL's blend, per channel:
    ``d + (s - d) * alpha / 255``, the fraction truncated toward zero as SDL's blitter does.
    """
    order = sorted(ghosts, key=lambda o: (o < 0, o))  # the future nearest first, then the past

    def at(x: int, y: int) -> RGB:
        r, g, b = cursor(x, y)
        for offset in order:
            s = ghosts[offset](x, y)
            if s != background:
                a = alpha_of(offset)
                r, g, b = (blend(c, d, a) for c, d in zip(s, (r, g, b), strict=True))
        return r, g, b
    return at


def blend(source: int, dest: int, alpha: int) -> int:
    """One channel of ``source`` over ``dest`` at ``alpha``: C's ``d + (s - d) * a / 255``."""
    change = abs(source - dest) * alpha // 255
    return dest + change if source >= dest else dest - change


def around(cursor: int, frames: dict[int, Picture],
           change: Callable[[Picture], Picture] = lambda p: p) -> dict[int, Picture]:
    """The ghosts' frames around ``cursor`` by offset, from ``frames`` (by tick), changed."""
    return {t - cursor: change(frames[t]) for t in ghost_ticks(cursor, 0, max(frames))}


def mismatches(shown: Picture, expected: Picture, box: tuple[int, int, int, int]) -> list[str]:
    """Pixels of ``box`` (x0, y0, x1, y1) where ``shown`` is off by more than rounding."""
    x0, y0, x1, y1 = box
    bad = []
    for y in range(y0, y1):
        for x in range(x0, x1):
            got, want = shown(x, y), expected(x, y)
            if max(abs(a - b) for a, b in zip(got, want, strict=True)) > TOLERANCE:
                bad.append(f"({x}, {y}): {got} != {want}")
    return bad


def shown_picture(host: Host) -> Picture:
    """What the window showed last (ghosts and bar included)."""
    assert host.display is not None
    return picture(host.display.pixels(), host.display.size[0])


def settle(host: Host) -> int:
    """Run frames until every ghost is drawn (at least one comes a frame); how many ran."""
    for frames in range(len(host.ghosts.ticks) + 1):
        if not host.ghosts.waiting:
            return frames
        host.step(1)
    raise AssertionError(f"ghosts still waiting after {frames} frames: {host.ghosts.waiting}")


def ghosts_at(host: Host, cursor: int) -> None:
    """400 ticks of play, the timeline open at ``cursor`` and every ghost drawn (G)."""
    host.step(400)
    open_timeline(host)
    host.timeline.move_to(cursor)
    host.step(1)
    tap(host, "G")
    settle(host)


def ghost_draws(host: Host) -> list[int]:
    """Count the game's draws the ghosts make (the host's own frame is drawn apart)."""
    calls: list[int] = []
    draw = host.ghosts.draw_game

    def counted() -> bool:
        calls.append(host.history.shown or 0)
        return draw()
    host.ghosts.draw_game = counted
    return calls


def test_ghosts_show_the_frames_played_faintly_and_off_again_the_exact_frame(
        bounce_copy: Path) -> None:
    """Bounce at 1 px a tick: twelve ghosts, 5 ticks apart, where it really was, faint."""
    with Host(bounce_copy, headless=True, watch=False) as host:
        live = play_pictures(host, 400, range(300 - REACH, 300 + REACH + 1, 5))
        open_timeline(host)
        host.timeline.move_to(300)
        host.step(1)
        draws = ghost_draws(host)
        tap(host, "G")
        settle(host)
        assert host.ghosts.visible and host.ghosts.ticks == [t for t in range(270, 331, 5)
                                                             if t != 300]
        assert len(draws) == 13  # the cursor's frame and twelve ghosts
        assert "ghosts on: every 5th tick from 30 ticks before the one shown to 30 after; " \
            "redrawn after every save and tweak (G: off)" in [str(ev) for ev in host.events]
        expected = composite(live[300], around(300, live))
        box = (240, 240, 362, 362)  # every ghost's rectangle, and blue around them
        assert mismatches(shown_picture(host), expected, box) == []
        # The oldest ghost's far corner is covered by it alone: pink at 40/255 over blue.
        assert alpha_of(-30) == 40
        far = shown_picture(host)(247, 246)
        assert all(abs(a - b) <= TOLERANCE for a, b in zip(far, (40, 20, 236), strict=True)), far
        # Kept, not drawn again, while nothing changes.
        host.step(5)
        assert len(draws) == 13
        assert mismatches(shown_picture(host), expected, box) == []
        # The game's own frame (F12, --screenshot) has no ghosts.
        shot = host.screenshot(bounce_copy / "shot.png")
        from sandbox.sdl import read_png
        _, _, rgba = read_png(shot)
        assert mismatches(picture(rgba, 640), live[300], box) == []
        # G again: the exact frame, above the timeline's bar.
        tap(host, "G")
        assert not host.ghosts.visible
        assert mismatches(shown_picture(host), live[300], (0, 0, 640, 420)) == []
        assert "ghosts off" in [str(ev) for ev in host.events]


def test_ghosts_follow_the_cursor_and_a_colour_edit(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        live = play_pictures(host, 400, [*range(220, 281, 5), 253, *range(370, 401, 5)])
        open_timeline(host)
        tap(host, "G")  # at now: the past only
        settle(host)
        assert host.ghosts.ticks == list(range(370, 400, 5))
        box = (330, 330, 426, 426)
        expected = composite(live[400], around(400, live))
        assert mismatches(shown_picture(host), expected, box) == []
        host.timeline.move_to(250)
        host.step(1)
        settle(host)
        box = (190, 190, 312, 312)
        expected = composite(live[250], around(250, live))
        assert mismatches(shown_picture(host), expected, box) == []
        # Three ticks on: the same ghosts (every 5th tick), blended anew; drawn again are only
        # the cursor's own frame and tick 250, the old cursor (no ghost until now).
        draws = ghost_draws(host)
        host.timeline.move_to(253)
        host.step(1)
        settle(host)
        assert draws == [253, 250] and host.ghosts.ticks == list(range(225, 281, 5))
        expected = composite(live[253], around(253, live))
        assert mismatches(shown_picture(host), expected, box) == []
        edit(bounce_copy / "main.py", "(255, 128, 128)", "(255, 255, 128)")
        host.press("F9")
        host.step(1)
        settle(host)
        assert len(draws) == 2 + 13  # a new version of the game: every ghost drawn again

        def yellow(p: Picture) -> Picture:
            return lambda x, y: YELLOW if p(x, y) == PINK else p(x, y)
        expected = composite(yellow(live[253]), around(253, live, yellow))
        assert mismatches(shown_picture(host), expected, box) == []


def test_a_tweak_bends_the_ghosts_to_the_new_physics(bounce_copy: Path) -> None:
    """SPEED 2 -> 6 in the tweak panel while scrubbed back: the future ghosts move apart."""
    with Host(bounce_copy, headless=True, watch=False) as host:
        cursor = 200
        live = play_pictures(host, 300, [cursor])
        # No wall from 140 to 300: bounce is at (1 + t, t), one pixel a tick.
        assert (host.game.pos_x, host.game.pos_y, host.game.dx) == (301, 300, 1)
        assert mismatches(bounce_picture((cursor + 1, cursor)), live[cursor],
                          (140, 140, 260, 260)) == []  # bounce_picture draws what bounce does
        open_timeline(host)
        host.timeline.move_to(cursor)
        tap(host, "G")
        draws = ghost_draws(host)
        host.tweak("physics.SPEED", 6)
        host.step(1)
        settle(host)
        assert len(draws) == 13
        # The oracle: the edited physics imported fresh, stepped from the cursor's state after
        # bounce's after_reload handler (which gives dx and dy the new speed).
        physics = fresh_physics(bounce_copy / "physics.py")
        assert physics.SPEED == 6
        x, y = cursor + 1, cursor
        dx, dy = physics.with_speed(1), physics.with_speed(1)
        future = {}
        for tick in range(cursor + 1, cursor + REACH + 1):
            x, y = x + dx, y + dy
            dx, dy = physics.bounce(x, y, dx, dy)
            future[tick] = (x, y)
        assert future[cursor + REACH] == (cursor + 1 + 6 * REACH, cursor + 6 * REACH)
        # The past, re-simulated from keyframes before the cursor, had no wall: as played.
        ghosts = {t - cursor: bounce_picture(future[t] if t > cursor else (t + 1, t))
                  for t in ghost_ticks(cursor, 0, 300)}
        expected = composite(bounce_picture((cursor + 1, cursor)), ghosts)
        assert mismatches(shown_picture(host), expected, (140, 140, 410, 410)) == []
        # Kept until the next change.
        host.step(3)
        assert len(draws) == 13


# A walk one pixel a tick (test_timeline's crashing game, without its crash).
WALK = CRASHING_GAME.replace('    if x == 90:\n        raise ValueError("x reached 90")\n', "")


@pytest.mark.parametrize(("hook", "line", "cursor"), [
    ("draw", "    renderer.clear((0, 0, 0))\n", 100),  # scrubbed back: a future ghost's draw
    ("update", "    x += 1\n", 150),  # at now: the past re-simulated for a ghost
])
def test_a_hook_failing_at_a_ghosts_tick_pauses_on_it_and_a_fix_brings_them_back(
        tmp_path: Path, hook: str, line: str, cursor: int) -> None:
    game = game_folder(tmp_path, "walk", WALK)
    assert "raise" not in WALK
    with Host(game, headless=True, watch=False) as host:
        host.step(150)
        open_timeline(host)
        host.timeline.move_to(cursor)
        tap(host, "G")
        settle(host)
        assert host.ghosts.visible and not host.paused
        main = game / "main.py"
        check = f"    assert x != {cursor - 13 if cursor == 150 else cursor + 10}, 'bad x'\n"
        edit(main, line, line + check)
        host.press("F9")
        host.step(1)
        for _ in range(12):  # the failing ghost comes within as many frames as there are ghosts
            if host.paused:
                break
            host.step(1)
        # The cursor's own frame is fine; a ghost's tick is not.
        assert host.paused and host.last_error is not None
        assert "bad x" in host.last_error.message and host.status.failed_hook == hook
        assert host.last_error.where.startswith("main.py:")
        assert not host.ghosts.visible
        edit(main, check, "")
        host.press("F9")
        host.step(2)
        settle(host)
        assert not host.paused and host.ghosts.visible
        assert host.ghosts.ticks == [t for t in range(cursor - 30, cursor + 31, 5)
                                     if t != cursor and t <= 150]
        assert host.game.x == cursor and host.history.shown == cursor
        host.press("F8")
        host.step(1)
        assert not host.timeline.is_open and not host.ghosts.visible
        assert host.game.x == cursor + 1  # play resumed from the cursor, not a ghost's tick


def test_g_without_a_window_says_why() -> None:
    said: list[str] = []
    history = History(lambda: {}, replay=lambda data: True, update=lambda: True, step=1 / 60)
    timeline = Timeline(history, emit=lambda ev: said.append(str(ev)))
    timeline.handle({"type": "keydown", "key": "G", "mod": 0})
    assert said == ["ghosts need the window's renderer: there is none in this session"]


def test_a_real_drag_in_the_tweak_panel_bends_the_path_as_it_goes(bounce_copy: Path) -> None:
    """F8, G, F4, then SPEED dragged with the mouse: the ghosts follow every write."""
    from test_tweak_panel import drag, open_panel

    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(300)
        open_timeline(host)
        host.timeline.move_to(200)
        tap(host, "G")
        open_panel(host)
        x, y = 201 + 8 * 20, 200 + 8 * 20  # where SPEED 8 takes bounce in 20 ticks
        assert shown_picture(host)(x, y) == BLUE  # at SPEED 2 no ghost reaches so far
        version = host.ghosts.version
        drag(host, "physics.SPEED", [3, 5, 8], 0, 10)
        host.step(1)
        settle(host)
        assert host.ghosts.version > version and host.ghosts.visible
        assert "SPEED = 8  #" in (bounce_copy / "physics.py").read_text()
        # The ghost 20 ticks on is there now, alone: pink over blue.
        a = alpha_of(20)
        want = tuple(blend(p, b, a) for p, b in zip(PINK, BLUE, strict=True))
        got = shown_picture(host)(x, y)
        assert max(abs(g - w) for g, w in zip(got, want, strict=True)) <= TOLERANCE, (got, want)


IMAGE_WALK = '''
SIZE = (200, 100)
x = 20


def update(dt):
    global x
    x += 1


def draw(renderer):
    renderer.clear((0, 0, 0))
    renderer.image("dot.png", (x, 40))
'''


def test_an_image_saved_while_ghosts_show_redraws_them_in_its_new_colour(tmp_path: Path) -> None:
    from sandbox.sdl import write_png

    game = game_folder(tmp_path, "dots", IMAGE_WALK)
    write_png(game / "dot.png", (4, 4), bytes((255, 0, 0, 255)) * 16)
    with Host(game, headless=True, watch=False) as host:
        host.step(100)
        open_timeline(host)
        tap(host, "G")
        settle(host)
        # The ghost 30 ticks back (x = 20 + 70) is red and faint over black, alone there.
        ghost_x = 20 + 70
        assert shown_picture(host)(ghost_x + 1, 41) == (blend(255, 0, alpha_of(-30)), 0, 0)
        draws = ghost_draws(host)
        write_png(game / "dot.png", (4, 4), bytes((0, 255, 0, 255)) * 16)
        host.press("F9")  # without the watcher, F9 also reloads changed assets
        host.step(2)
        settle(host)
        assert len(draws) == 1 + 6  # at now: the cursor's frame and the past's six ghosts
        assert shown_picture(host)(ghost_x + 1, 41) == (0, blend(255, 0, alpha_of(-30)), 0)
        assert shown_picture(host)(120 + 1, 41) == (0, 255, 0)  # the cursor's own, at x = 120


class SlowClock:
    """A clock whose every reading is a budget later: each ghost seems to fill a frame."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_ghosts_over_budget_come_one_a_frame_each_frame_exactly_what_is_drawn(
        bounce_copy: Path) -> None:
    """A frame shows the cursor and the ghosts drawn so far, never an old version's ghost.

    With every ghost over the budget, one comes a frame: the future first (nearest first,
    simulated on from the cursor), then the past (oldest first); after a colour edit the
    ghosts come again, each in the new colour, and none of the old colour shows meanwhile.
    """
    cursor = 300
    with Host(bounce_copy, headless=True, watch=False) as host:
        live = play_pictures(host, 400, range(cursor - REACH, cursor + REACH + 6, 5))
        open_timeline(host)
        host.timeline.move_to(cursor)
        host.step(1)
        host.ghosts.clock = SlowClock(host.ghosts.budget)
        arrival = [*range(305, 331, 5), *range(270, 300, 5)]
        box = (240, 240, 362, 362)

        def yellow(p: Picture) -> Picture:
            return lambda x, y: YELLOW if p(x, y) == PINK else p(x, y)

        def one_a_frame(change: Callable[[Picture], Picture]) -> None:
            """The frame just run and the next: the ghosts drawn so far over the cursor."""
            for count in range(1, len(arrival) + 1):
                if count > 1:
                    host.step(1)
                assert host.ghosts.visible and host.ghosts.waiting == arrival[count:]
                ghosts = {t - cursor: change(live[t]) for t in arrival[:count]}
                expected = composite(change(live[cursor]), ghosts)
                assert mismatches(shown_picture(host), expected, box) == [], count
                assert host.history.shown == cursor and host.game.pos_x == cursor + 1
            host.step(2)  # all drawn: kept
            assert not host.ghosts.waiting
            assert mismatches(shown_picture(host), expected, box) == []

        tap(host, "G")
        one_a_frame(lambda p: p)
        edit(bounce_copy / "main.py", "(255, 128, 128)", "(255, 255, 128)")
        host.press("F9")
        host.step(1)  # the reload, the cursor's frame in yellow and the first ghost
        one_a_frame(yellow)
        # Five ticks on: the same version's ghosts are kept drawn and blended anew over the
        # new cursor's frame, one a frame in the same order; only two are drawn again (the
        # tick past the old reach and the old cursor's), each frame exact.
        moved = cursor + 5
        host.timeline.move_to(moved)
        draws = ghost_draws(host)
        order = [*range(310, 336, 5), *range(275, 305, 5)]
        for count in range(1, len(order) + 1):
            host.step(1)
            assert host.ghosts.waiting == order[count:]
            ghosts = {t - moved: yellow(live[t]) for t in order[:count]}
            expected = composite(yellow(live[moved]), ghosts)
            assert mismatches(shown_picture(host), expected, (240, 240, 372, 372)) == [], count
        assert draws == [moved, 335, cursor]


def test_a_scrubs_seek_counts_against_the_ghosts_budget(bounce_copy: Path) -> None:
    """The frame that seeks 9 updates to a new cursor has no budget left: one ghost in it.

    The clock is the count of updates run, a millisecond each, so only re-simulation costs.
    """
    with Host(bounce_copy, headless=True, watch=False) as host:
        ghosts_at(host, 250)
        updates = [0]
        update = host.history.update

        def counted() -> bool:
            updates[0] += 1
            return update()
        host.history.update = counted
        host.ghosts.clock = lambda: updates[0] / 1000
        host.timeline.move_to(259)  # on from the old cursor's state: 9 updates
        host.step(1)
        assert updates[0] == 9  # the seek; then one ghost, kept (260): blended anew, no update
        order = [*range(260, 286, 5), *range(230, 256, 5)]
        assert host.ghosts.waiting == order[1:]
        frames = settle(host)
        assert 1 <= frames <= len(order)
        live_pos = {t: (t + 1, t) for t in order}  # no wall yet: one pixel a tick
        expected = composite(bounce_picture((260, 259)),
                             {t - 259: bounce_picture(p) for t, p in live_pos.items()})
        assert mismatches(shown_picture(host), expected, (190, 190, 330, 330)) == []


def test_blends_count_against_the_budget_before_they_are_done(bounce_copy: Path) -> None:
    """A scrub's kept ghosts cost only their blends, done after they are taken: a millisecond
    a blend by this clock, a 5 ms budget takes five of them a frame, not all twelve."""
    with Host(bounce_copy, headless=True, watch=False) as host:
        ghosts_at(host, 250)
        assert host.display is not None
        frames = host.display.ghost_frames()
        spent = [0.0]
        compose = frames.compose

        def timed_compose(base: object, ghosts: list[tuple[int, int]], *, more: bool) -> None:
            spent[0] += len(ghosts) / 1000
            compose(base, ghosts, more=more)
        frames.compose = timed_compose  # type: ignore[assignment,method-assign]
        host.ghosts.clock = lambda: spent[0]
        host.ghosts.budget = 0.005
        host.timeline.move_to(255)  # every ghost kept but two; the blends' cost is learnt here
        host.step(1)
        settle(host)
        host.timeline.move_to(250)  # all twelve kept: only blends
        host.step(1)
        assert len(host.ghosts.waiting) == 12 - 5
        assert settle(host) == 2  # five, then the last two


def test_a_line_run_at_the_repl_redraws_the_ghosts(bounce_copy: Path) -> None:
    """``--repl``: a new ``draw`` typed at the prompt shows in the ghosts, as a save does."""
    with Host(bounce_copy, headless=True, watch=False, repl=True) as host:
        assert host.terminal.repl is not None
        live = play_pictures(host, 400, range(220, 281, 5))
        open_timeline(host)
        host.timeline.move_to(250)
        host.step(1)
        tap(host, "G")
        settle(host)
        box = (190, 190, 312, 312)
        assert mismatches(shown_picture(host), composite(live[250], around(250, live)), box) == []
        # The line runs on the main thread at the frame boundary, as run_pending runs it.
        assert host.terminal.repl.execute("def draw(renderer):\n    renderer.clear(BACKGROUND)\n"
                                 "    renderer.fill((pos_x - 25, pos_y - 25, 50, 50), "
                                 "(255, 255, 128))\n")
        host.step(1)
        settle(host)

        def yellow(p: Picture) -> Picture:
            return lambda x, y: YELLOW if p(x, y) == PINK else p(x, y)
        expected = composite(yellow(live[250]), around(250, live, yellow))
        assert mismatches(shown_picture(host), expected, box) == []
