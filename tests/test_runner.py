"""The runner's pacing of UI updates and its per-visitor stop signals."""

import threading
import time

from studio.ui.runner import StopSignals, _paced


def slow(texts, delay):
    for text in texts:
        time.sleep(delay)
        yield text


def test_pacing_skips_updates_but_always_sends_the_final_text():
    texts = [f"t{i}" for i in range(50)]
    sent = list(_paced(slow(texts, 0.002), interval=0.03))
    assert sent[-1] == "t49" and len(sent) < 20
    assert sent == sorted(sent, key=texts.index)  # in order, nothing invented


def test_slow_streams_are_not_held_back():
    texts = ["a", "ab", "abc"]
    assert list(_paced(slow(texts, 0.05), interval=0.01)) == texts


def test_stop_signals_are_per_visitor_and_tab():
    signals = StopSignals()
    anna_story, anna_lyrics = signals.begin("anna", "story"), signals.begin("anna", "lyrics")
    ben_story = signals.begin("ben", "story")
    signals.stop("anna", "story")
    assert anna_story.is_set() and not anna_lyrics.is_set() and not ben_story.is_set()
    signals.stop("anna")  # leaving the page stops all of a visitor's tabs
    assert anna_lyrics.is_set() and not ben_story.is_set()
    newer = signals.begin("ben", "story")  # a new run replaces (and stops) the older one
    assert ben_story.is_set() and not newer.is_set()
    signals.end("ben", "story", newer)
    assert signals.active() == 2 and isinstance(newer, threading.Event)
