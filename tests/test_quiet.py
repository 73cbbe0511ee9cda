"""ALSA's probe noise stays out of the terminal; everything else printed meanwhile gets through."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from sandbox.sdl.quiet import without_lines


def test_probe_lines_are_dropped_and_the_rest_is_written_back(
        capfd: pytest.CaptureFixture[str]) -> None:
    os.write(2, b"before\n")
    with without_lines():
        os.write(2, b"ALSA lib confmisc.c:855:(parse_card) cannot find card '0'\n")
        os.write(2, b"a real warning\n")
        os.write(2, b"ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default\n")
        os.write(2, b"no newline at the end")
    os.write(2, b"\nafter\n")
    assert capfd.readouterr().err == "before\na real warning\nno newline at the end\nafter\n"


def test_descriptor_2_is_given_back_even_when_the_body_raises(
        capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RuntimeError), without_lines():
        os.write(2, b"kept\nALSA lib dropped\n")
        raise RuntimeError("probe failed")
    os.write(2, b"afterwards\n")
    assert capfd.readouterr().err == "kept\nafterwards\n"


def test_what_another_thread_prints_meanwhile_is_not_lost(
        capfd: pytest.CaptureFixture[str]) -> None:
    with without_lines():
        thread = threading.Thread(target=os.write, args=(2, b"from a thread\n"))
        thread.start()
        thread.join()
    assert capfd.readouterr().err == "from a thread\n"


def test_opening_audio_without_a_sound_card_prints_no_alsa_lines() -> None:
    """The real probe: SDL's ALSA driver on a machine with no card (issue 15.8).

    Before the fix this printed eight "ALSA lib …" lines; where libasound is not installed
    SDL's ALSA driver does not load at all and there is nothing to drop either way.
    """
    code = ("from sandbox.sdl.media import Audio\n"
            "audio = Audio(headless=False)\n"
            "print('error:', audio.error)\n"
            "audio.close()\n")
    env = {**os.environ, "SDL_AUDIODRIVER": "alsa", "AUDIODEV": "hw:97"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "ALSA lib" not in done.stderr
    assert done.stdout.startswith("error: ")  # the one line that matters is still there


def test_without_the_descriptor_the_body_still_runs() -> None:
    """pythonw has no stderr: nothing to capture, and the body's own errors stay its own."""
    closed = os.open(os.devnull, os.O_WRONLY)
    os.close(closed)  # a descriptor number that is not open now
    ran = []
    with without_lines(fd=closed):
        ran.append(True)
    assert ran == [True]
    with pytest.raises(ValueError) as raised, without_lines(fd=closed):
        raise ValueError("the body's")
    assert raised.value.__context__ is None  # not chained onto the failed dup
