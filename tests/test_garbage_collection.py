"""The collector settings of a batch run and of the language server, each in a fresh process."""

from __future__ import annotations

import subprocess
import sys

_SHOW = "import gc; print(gc.get_threshold(), gc.get_freeze_count() > 0)"


def _settings_after(call: str) -> str:
    code = f"from mdlint.run.garbage_collection import {call}; {call}(); {_SHOW}"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60).stdout


def test_a_batch_run_freezes_start_up_and_collects_young_objects_less_often() -> None:
    assert _settings_after("tune_for_batch_run") == "(10000, 20, 20) True\n"


def test_the_server_collects_as_rarely_but_freezes_nothing() -> None:
    assert _settings_after("tune_for_server") == "(10000, 20, 20) False\n"
