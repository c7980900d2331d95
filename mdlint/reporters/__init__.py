"""Output formats: each reporter turns a run's result into text; none of them prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mdlint.runner import RunResult

__all__ = ["REPORTERS", "ReportOptions", "Reporter"]


@dataclass(frozen=True)
class ReportOptions:
    """How to write a report: colour, quietness, whether unsafe fixes count as fixable."""

    color: bool = False
    quiet: bool = False
    unsafe_fixes: bool = False
    statistics: bool = False


Reporter = Callable[[RunResult, ReportOptions], str]


def _reporters() -> dict[str, Reporter]:
    from mdlint.reporters import github_report, json_report, junit_report, sarif_report, text_report

    return {
        "text": text_report.render,
        "json": json_report.render,
        "sarif": sarif_report.render,
        "github": github_report.render,
        "junit": junit_report.render,
    }


REPORTERS: dict[str, Reporter] = _reporters()
