"""Output formats: each reporter turns a run's result into text; none of them prints."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mdlint.reporters.options import Reporter, ReportOptions

__all__ = ["FORMATS", "REPORTERS", "ReportOptions", "Reporter"]

# The module of each format. A reporter loads on first use: `mdlint --help` lists the formats
# without importing them, and the XML ones (SARIF, JUnit) pull in `xml.etree`.
_MODULES = {
    "text": "text_report",
    "json": "json_report",
    "sarif": "sarif_report",
    "github": "github_report",
    "junit": "junit_report",
}
FORMATS: tuple[str, ...] = tuple(sorted(_MODULES))


class _Reporters(Mapping[str, "Reporter"]):
    """Format name → its reporter's `render`, imported when looked up."""

    def __getitem__(self, name: str) -> Reporter:
        module = importlib.import_module(f"mdlint.reporters.{_MODULES[name]}")
        render: Reporter = module.render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


REPORTERS: Mapping[str, Reporter] = _Reporters()


def __getattr__(name: str) -> object:
    # `ReportOptions` and `Reporter` live beside the run's result type; importing them here at
    # once would load the whole run layer with this package.
    if name in ("ReportOptions", "Reporter"):
        from mdlint.reporters import options

        return getattr(options, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
