"""Output formats: each reporter turns a run's result into text; none of them prints."""

from __future__ import annotations

from mdlint.reporters import github_report, json_report, junit_report, sarif_report, text_report
from mdlint.reporters.options import Reporter, ReportOptions

__all__ = ["REPORTERS", "ReportOptions", "Reporter"]

REPORTERS: dict[str, Reporter] = {
    "text": text_report.render,
    "json": json_report.render,
    "sarif": sarif_report.render,
    "github": github_report.render,
    "junit": junit_report.render,
}
