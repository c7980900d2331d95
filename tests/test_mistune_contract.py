"""The private mistune names `mdlint/markdown/mistune_adapter.py` relies on, one check each.

mistune has no public API for positions, so the adapter uses a few of its private helpers.
When a mistune release renames one, changes its parameters or the fields of what it returns,
these tests fail naming it, before the position tests fail in harder-to-read ways.
"""

from __future__ import annotations

import importlib
import inspect
import re
from typing import Any

import mistune
import pytest

from mdlint.markdown import mistune_adapter

# (module, name, parameter names in order) for every private function the adapter calls.
PRIVATE_FUNCTIONS: list[tuple[str, str, tuple[str, ...]]] = [
    ("mistune.list_parser", "_create_list_marker", ("m", "prefix")),
    ("mistune.list_parser", "_get_list_bullet", ("c",)),
    ("mistune.list_parser", "_transform_tight_list", ("token",)),
    ("mistune.list_parser", "_compile_continue_width", ("text", "leading_width")),
    ("mistune.list_parser", "_compile_list_item_pattern", ("bullet", "leading_width")),
    ("mistune.list_parser", "_build_list_item_source", ("text", "src", "continue_width")),
    ("mistune.list_parser", "_is_loose_list", ("tokens",)),
    ("mistune.list_parser", "_has_continuation_indent", ("line", "columns")),
    ("mistune.list_parser", "_expand_leading_tabs", ("line", "start_column")),
    ("mistune.list_parser", "_match_list_item_break", ("list_item_re", "break_sc", "state", "line")),
    ("mistune.list_parser", "_get_list_break_rules", ("block",)),
    ("mistune.block_parser", "_parse_block_quote_line", ("line",)),
    ("mistune.block_parser", "_parse_html_to_newline", ("state", "newline")),
    ("mistune.plugins.table", "_process_thead", ("header", "align")),
    ("mistune.plugins.table", "_split_table_cells", ("text",)),
    # Replaced in this module's namespace (both versions look second labels up through it).
    ("mistune._inline.links", "parse_link_label", ("src", "start_pos")),
]


def _where(module: str, name: str) -> str:
    return f"mistune {mistune.__version__}: {module}.{name} (used by mdlint/markdown/mistune_adapter.py)"


@pytest.mark.parametrize(("module", "name", "parameters"), PRIVATE_FUNCTIONS, ids=lambda value: str(value))
def test_private_function_keeps_its_signature(module: str, name: str, parameters: tuple[str, ...]) -> None:
    function = getattr(importlib.import_module(module), name, None)
    assert callable(function), f"{_where(module, name)} is gone"
    actual = tuple(inspect.signature(function).parameters)
    assert actual == parameters, f"{_where(module, name)} now takes {actual}, the adapter passes {parameters}"


def test_list_marker_and_item_lines_keep_their_fields() -> None:
    match = re.match(r"(?P<list_1> *)(?P<list_2>[-*+]|\d{1,9}[.)])(?P<list_3>[ \t]*|[ \t].+)$", "- item")
    assert match is not None
    marker = mistune_adapter.create_list_marker(match, "list")
    for field in ("text", "bullet", "ordered", "marker", "leading_width"):
        assert hasattr(marker, field), f"{_where('mistune.list_parser', '_ListMarker')} has no field {field!r}"
    lines = mistune_adapter.ListItemLines("text", next_item=None, loose=False)
    for field in ("src", "next_item", "loose", "end_pos", "token_index"):
        assert hasattr(lines, field), f"{_where('mistune.list_parser', '_ListItemLines')} has no field {field!r}"


def test_inline_parser_keeps_its_rule_table() -> None:
    inline = mistune.InlineParser()
    methods: Any = getattr(inline, "_methods", None)
    assert isinstance(methods, dict), f"{_where('mistune.InlineParser', '_methods')} is gone"
    assert set(inline.rules) <= set(methods), f"{_where('mistune.InlineParser', '_methods')} misses rules"


def test_block_parser_hooks_the_position_layer_overrides_exist() -> None:
    for name in ("parse_method", "extract_block_quote", "parse_block_quote", "parse_list", "parse_raw_html"):
        assert callable(getattr(mistune.BlockParser, name, None)), f"{_where('mistune.BlockParser', name)} is gone"
    for name in ("append_token", "add_paragraph", "child_state", "process"):
        assert callable(getattr(mistune.BlockState, name, None)), f"{_where('mistune.BlockState', name)} is gone"


@pytest.mark.skipif(not mistune_adapter.BRACKET_STACK_LINKS, reason="mistune 3.3 parses links at '['")
def test_bracket_stack_links_keep_their_bracket_fields() -> None:
    state = mistune.InlineState({})
    assert isinstance(getattr(state, "brackets", None), list), f"{_where('mistune.InlineState', 'brackets')} is gone"
    brackets = importlib.import_module("mistune._inline.links")
    fields = set(inspect.signature(brackets.Bracket).parameters)
    missing = {"start", "token_index", "image"} - fields
    assert not missing, f"{_where('mistune._inline.links', 'Bracket')} lost {sorted(missing)}"


def test_supported_version() -> None:
    assert (3, 3) <= mistune_adapter.MISTUNE_VERSION < (3, 5), (
        f"mistune {mistune.__version__} is outside the range the adapter was checked against (>=3.3.4,<3.5)"
    )


def test_the_bounded_link_destination_scan_takes_every_parameter_mistune_passes() -> None:
    # The adapter replaces helpers._parse_link_href; mistune 3.4 calls it with `max_nested_level`,
    # which the replacement first lacked (every link then failed with a TypeError).
    original = inspect.signature(mistune_adapter._parse_link_href).parameters.values()
    replacement = inspect.signature(mistune_adapter._parse_link_href_bounded).parameters
    for parameter in original:
        assert parameter.name in replacement, f"{_where('mistune.helpers', '_parse_link_href')} takes {parameter}"
        assert replacement[parameter.name].kind == parameter.kind, _where("mistune.helpers", "_parse_link_href")


def test_the_replaced_indented_code_rule_is_mistunes_but_for_its_first_line() -> None:
    # `INDENT_CODE` replaces mistune's `indent_code` pattern; a release that changes mistune's
    # must be looked at again (the replacement keeps everything but the first line's content).
    theirs = mistune.BlockParser.SPECIFICATION["indent_code"]
    first, rest = theirs.split("(?:\\n+|$)", 1)
    assert first == r"^(?: {4}| *\t)[^\n]+", f"{_where('mistune.BlockParser', 'SPECIFICATION')} indent_code changed"
    assert mistune_adapter.INDENT_CODE.endswith("(?:\\n+|$)" + rest)
    for line, code in (("     \n", False), ("    \u00a0\n", True), ("\t x\n", True), ("    \t\n", False)):
        assert bool(re.match(mistune_adapter.INDENT_CODE, line)) is code, line
        assert re.match(theirs, line), line
