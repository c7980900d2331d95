"""`mdlint server` and `mdlint --watch` on the command line."""

from __future__ import annotations

import sys

import pytest

from mdlint.cli import main


def test_server_without_the_lsp_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # None in sys.modules makes `import pygls…` fail, as on an install without the extra.
    for name in [name for name in sys.modules if name.startswith(("pygls", "mdlint.server.protocol"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pygls", None)
    assert main(["server"]) == 2
    assert "pip install 'mdlint-kb[lsp]'" in capsys.readouterr().err


def test_watch_reports_usage_errors_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--watch", "--format", "nonsense", "."])
    assert stopped.value.code == 2
    assert "--format" in capsys.readouterr().err


def test_server_options_are_checked_before_serving(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["server", "--debounce-ms", "soon"])
    assert stopped.value.code == 2
