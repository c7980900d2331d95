"""`mdlint --show-settings PATH`: the configuration that applies to one file, as TOML or JSON.

The rules table has the shape of a config file's (`[rules.NAME]` with `severity` and the
options), so a user can copy a rule's effective settings into `.mdlint.toml`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from mdlint.run.config import RuleSelection
from mdlint.run.runner import ConfigResolver

__all__ = ["settings_report"]


def settings_report(path: Path, config_path: Path | None, selection: RuleSelection, *, as_json: bool = False) -> str:
    """The effective settings of `path`; raises `ConfigError` for a bad configuration."""
    config = ConfigResolver(config_path).for_path(path)
    rules: dict[str, Any] = {}
    for configured in config.rules_for(path, selection):
        options = configured.options.model_dump(mode="json", by_alias=True) if configured.options is not None else {}
        rules[configured.rule.name] = {"severity": configured.severity.value, **options}
    settings: dict[str, Any] = {
        "path": path.as_posix(),
        "config-file": str(config.path) if config.path is not None else None,
        "excluded": config.excludes(path),
        "exclude": list(config.model.exclude),
        "select": list(rules),
        "max-file-size": config.model.max_file_size,
        "file-time-limit": config.model.file_time_limit,
        "max-memory": config.model.max_memory,
        "rules": rules,
    }
    if as_json:
        return json.dumps(settings, indent=2, ensure_ascii=False) + "\n"
    return _toml(settings)


def _toml(table: dict[str, Any]) -> str:
    lines: list[str] = []
    if table["config-file"] is None:
        # TOML has no null: say so in a comment rather than invent a value.
        lines.append("# config-file: none (the defaults apply)")
    _table_lines(table, [], lines)
    return "\n".join(lines) + "\n"


def _table_lines(table: dict[str, Any], keys: list[str], lines: list[str]) -> None:
    tables = []
    for key, value in table.items():
        if value is None:
            continue  # an unset option; TOML cannot say None
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in tables:
        # A table of tables needs no header of its own: `[rules.x]` implies `[rules]`.
        if not value or any(not isinstance(item, dict) for item in value.values()):
            lines.append("")
            lines.append("[" + ".".join(_key(part) for part in [*keys, key]) + "]")
        _table_lines(value, [*keys, key], lines)


def _key(key: str) -> str:
    bare = key and all(character.isascii() and (character.isalnum() or character in "-_") for character in key)
    return key if bare else json.dumps(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("inf" if value > 0 else "-inf") if value == value else "nan"
    if isinstance(value, str):
        # A JSON string is a valid TOML basic string for the escapes json.dumps emits.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value if item is not None) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items() if v is not None)
        return "{ " + pairs + " }" if pairs else "{}"
    return json.dumps(str(value), ensure_ascii=False)
