"""The progress line shows on a terminal after a delay, and never otherwise."""

import io

from gradcheck import _progress
from gradcheck._progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_shown_on_a_terminal_after_the_delay(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    out = Terminal()
    progress = Progress("checking case", enabled=True, stream=out)
    progress(0, 3, "random_0")
    progress.close()
    assert "checking case 1/3: random_0" in out.getvalue()


def test_silent_under_ci_in_json_mode_off_a_terminal_and_before_the_delay(monkeypatch):
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    for env, enabled, stream in (("true", True, Terminal()), (None, False, Terminal()), (None, True, io.StringIO())):
        if env is None:
            monkeypatch.delenv("CI", raising=False)
        else:
            monkeypatch.setenv("CI", env)
        Progress("x", enabled=enabled, stream=stream)(0, 1, "a")
        assert stream.getvalue() == ""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(_progress, "DELAY", 60.0)
    out = Terminal()
    Progress("x", enabled=True, stream=out)(0, 1, "a")
    assert out.getvalue() == ""
