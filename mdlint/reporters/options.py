"""What every reporter receives besides the run's result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mdlint.run.runner import RunResult

__all__ = ["ReportOptions", "Reporter"]


@dataclass(frozen=True)
class ReportOptions:
    """How to write a report: colour, quietness, whether unsafe fixes count as fixable."""

    color: bool = False
    quiet: bool = False
    unsafe_fixes: bool = False
    statistics: bool = False


Reporter = Callable[[RunResult, ReportOptions], str]
