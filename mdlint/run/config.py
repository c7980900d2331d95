"""Configuration: `.mdlint.toml` or `[tool.mdlint]` in `pyproject.toml`, found from each file upward.

The shape is a public contract::

    select = ["all"]            # rule names or codes
    ignore = []
    exclude = ["vendor/**"]
    extend = "../.mdlint.toml"  # read that file first, this one on top
    [rules.link-missing-scheme] # options of one rule
    severity = "warning"
    [[overrides]]
    paths = ["_posts/**"]       # globs relative to the config file
    [overrides.rules.front-matter-missing]
    required = ["title", "date"]
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pathspec
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mdlint.findings import Severity
from mdlint.rule_engine.rule import ConfiguredRule, Rule, all_rules, find_rule
from mdlint.run.memory_limit import DEFAULT_MAX_MEMORY_MB
from mdlint.run.time_limit import MAX_TIME_LIMIT
from mdlint.source.decoding import UnreadableFileError, read_regular_file

__all__ = [
    "CONFIG_FILE_NAME",
    "ConfigError",
    "ConfigFile",
    "ConfigTrust",
    "RuleSelection",
    "config_from_table",
    "find_config",
    "load_config",
    "validate_selection",
]

CONFIG_FILE_NAME = ".mdlint.toml"
_SEVERITIES = ", ".join(severity.value for severity in Severity)


class ConfigError(Exception):
    """A configuration problem; the message names the file, the key and what is allowed."""


@dataclass(frozen=True)
class ConfigTrust:
    """Which config files may set options that widen network reach (`RuleOptions.network_reach`).

    A repository takes config from anyone who opens a pull request, and the nearest config wins,
    so a new `docs/.mdlint.toml` could otherwise allow private addresses and add a header for CI
    to send. Trusted are the run's root config and the files its `extend` chain reads: with
    `--config`, that file; otherwise the config that applies to the working directory (found
    from it upward). Any other config, and the files it extends that are not trusted themselves,
    may not name such an option, in `[rules.…]` or in its `[[overrides]]`.
    """

    root: Path | None
    files: frozenset[Path] = frozenset()

    @classmethod
    def of(cls, root: Path | None) -> ConfigTrust:
        """Trust `root` and every file its `extend` chain reads (as far as they can be read)."""
        if root is None:
            return cls(None)
        files: list[Path] = []
        current: Path | None = root
        while current is not None and current.resolve() not in files:
            files.append(current.resolve())
            try:
                base_name = _read_table(current).get("extend")
            except ConfigError:
                break  # reported when the file is loaded for a file it applies to
            current = (
                current.parent / Path(base_name).expanduser() if isinstance(base_name, str) and base_name else None
            )
        return cls(root, frozenset(files))

    def trusts(self, path: Path) -> bool:
        """Whether `path` may set options that widen network reach."""
        return path.resolve() in self.files


def _refuse_network_reach(data: Mapping[str, Any], path: Path, trust: ConfigTrust) -> None:
    """Raise `ConfigError` when an untrusted file's own table sets an option that widens network reach."""
    tables: list[tuple[str, Any]] = [("rules", data.get("rules"))]
    overrides = data.get("overrides")
    if isinstance(overrides, list):
        tables += [
            (f"overrides[{index}].rules", override.get("rules"))
            for index, override in enumerate(overrides)
            if isinstance(override, dict)
        ]
    for where, table in tables:
        if not isinstance(table, dict):
            continue
        for name, settings in table.items():
            rule = find_rule(name)
            if rule is None or not isinstance(settings, dict):
                continue  # validation reports these
            for key in settings:
                if str(key).replace("-", "_") in rule.options.network_reach:
                    root = f"the run's root config is {trust.root}" if trust.root else "the run has no root config"
                    raise ConfigError(
                        f"{path}: [{where}.{name}] {key}: widens network reach, so only the run's root config "
                        f"or --config may set it ({root}; see README, Settings that widen network reach)"
                    )


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, alias_generator=lambda n: n.replace("_", "-"))


def _globs_compile(globs: list[str]) -> list[str]:
    for glob in globs:
        try:
            pathspec.GitIgnoreSpec.from_lines([glob])
        except (ValueError, re.error) as error:
            # pathspec turns a glob into a regular expression; `[z-a]` is a range `re` refuses.
            raise ValueError(f"invalid glob {glob!r}: {getattr(error, 'msg', error)}") from None
    return globs


class _Override(_Model):
    paths: list[str] = Field(min_length=1)
    select: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)

    # Checked here, not when the first file is matched: a bad glob is a config error up front.
    _paths_compile = field_validator("paths")(_globs_compile)


class _ConfigModel(_Model):
    select: list[str] = Field(default_factory=lambda: ["all"])
    ignore: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    max_file_size: int = Field(default=8 * 1024 * 1024, gt=0, description="bytes; larger files are not linted")
    file_time_limit: float = Field(
        default=30.0, gt=0, le=MAX_TIME_LIMIT, allow_inf_nan=False, description="seconds one file may take"
    )
    max_memory: int = Field(
        default=DEFAULT_MAX_MEMORY_MB, gt=0, description="MiB a process may hold while it lints one file"
    )
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)
    overrides: list[_Override] = Field(default_factory=list)

    _exclude_compile = field_validator("exclude")(_globs_compile)


@dataclass(frozen=True)
class RuleSelection:
    """Command-line choices that take precedence over config files."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()


def validate_selection(selection: RuleSelection) -> None:
    """Refuse unknown rule names given on the command line before any file is read."""
    _expand(selection.select or (), "--select", None)
    _expand(selection.ignore, "--ignore", None)
    _expand(selection.extend_select, "--extend-select", None)


def _expand(names: list[str] | tuple[str, ...], where: str, path: Path | None) -> set[Rule]:
    rules: set[Rule] = set()
    for name in names:
        if name.strip().lower() == "all":
            rules.update(rule for rule in all_rules() if not rule.opt_in)
            continue
        rule = find_rule(name)
        if rule is None:
            raise ConfigError(_unknown_rule_message(name, where, path))
        rules.add(rule)
    return rules


def _unknown_rule_message(name: str, where: str, path: Path | None) -> str:
    prefix = f"{path}: " if path else ""
    return f"{prefix}{where}: unknown rule {name!r}; see `mdlint --list-rules` for names and codes"


@dataclass
class ConfigFile:
    """One parsed configuration file (or the defaults when `path` is None)."""

    path: Path | None
    model: _ConfigModel = field(default_factory=_ConfigModel)
    _rules_memo: dict[tuple[tuple[int, ...], RuleSelection], tuple[ConfiguredRule, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def root(self) -> Path:
        """The folder globs in this file are relative to."""
        return self.path.parent if self.path else Path.cwd()

    @cached_property
    def exclude_spec(self) -> pathspec.GitIgnoreSpec:
        return pathspec.GitIgnoreSpec.from_lines(self.model.exclude)

    @cached_property
    def _override_specs(self) -> list[pathspec.GitIgnoreSpec]:
        return [pathspec.GitIgnoreSpec.from_lines(o.paths) for o in self.model.overrides]

    def relative(self, path: Path) -> str | None:
        """`path` relative to this file's folder, POSIX style, or None when outside it."""
        try:
            return path.resolve().relative_to(self._resolved_root).as_posix()
        except ValueError:
            return None

    @cached_property
    def _resolved_root(self) -> Path:
        return self.root.resolve()

    def excludes(self, path: Path) -> bool:
        """Whether `exclude` leaves this file (or folder) out."""
        if not self.model.exclude:
            return False
        relative = self.relative(path)
        if relative is None:
            return False
        return self.exclude_spec.match_file(relative) or (
            path.is_dir() and self.exclude_spec.match_file(relative + "/")
        )

    def validate_rules(self) -> None:
        """Check every rule name and option now, so a typo fails before any file is linted."""
        tables = [("rules", self.model.rules)] + [
            (f"overrides[{index}].rules", override.rules) for index, override in enumerate(self.model.overrides)
        ]
        _expand(self.model.select, "select", self.path)
        _expand(self.model.ignore, "ignore", self.path)
        for index, override in enumerate(self.model.overrides):
            _expand(override.select or [], f"overrides[{index}].select", self.path)
            _expand(override.ignore, f"overrides[{index}].ignore", self.path)
        for where, table in tables:
            for name, settings in table.items():
                rule = find_rule(name)
                if rule is None:
                    raise ConfigError(_unknown_rule_message(name, f"{where}.{name}", self.path))
                self._rule_settings(rule, [settings], f"{where}.{name}")

    def _rule_settings(self, rule: Rule, tables: list[dict[str, Any]], where: str) -> tuple[Any, Severity]:
        merged: dict[str, Any] = {}
        for table in tables:
            merged.update(table)
        severity = rule.severity
        if "severity" in merged:
            value = merged.pop("severity")
            try:
                severity = Severity(value)
            except ValueError:
                raise ConfigError(f"{self.path}: [{where}] severity: {value!r} is not one of {_SEVERITIES}") from None
        try:
            options = rule.options.model_validate(merged)
        except ValidationError as error:
            raise ConfigError(_validation_message(error, self.path, f"[{where}]")) from None
        return options, severity

    def rules_for(self, path: Path, selection: RuleSelection = RuleSelection()) -> list[ConfiguredRule]:
        """The rules that apply to `path`, with options merged from matching overrides."""
        relative = self.relative(path) if self.model.overrides else None
        matching = [
            override
            for override, spec in zip(self.model.overrides, self._override_specs, strict=True)
            if relative is not None and spec.match_file(relative)
        ]
        memo_key = (tuple(id(override) for override in matching), selection)
        if memo_key in self._rules_memo:
            return list(self._rules_memo[memo_key])
        selected = _expand(self.model.select, "select", self.path)
        ignored = _expand(self.model.ignore, "ignore", self.path)
        for override in matching:
            if override.select is not None:
                selected = _expand(override.select, "overrides.select", self.path)
            ignored |= _expand(override.ignore, "overrides.ignore", self.path)
        if selection.select is not None:
            selected = _expand(selection.select, "--select", None)
        selected |= _expand(selection.extend_select, "--extend-select", None)
        ignored |= _expand(selection.ignore, "--ignore", None)
        configured = []
        for rule in sorted(selected - ignored, key=lambda r: r.code):
            tables = [settings for name, settings in self.model.rules.items() if find_rule(name) is rule]
            for override in matching:
                tables += [settings for name, settings in override.rules.items() if find_rule(name) is rule]
            options, severity = self._rule_settings(rule, tables, f"rules.{rule.name}")
            configured.append(ConfiguredRule(rule, options, severity))
        # Files under the same overrides share their rules; validating options per file is slow.
        self._rules_memo[memo_key] = tuple(configured)
        return configured


def _validation_message(error: ValidationError, path: Path | None, where: str) -> str:
    problems = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        if item["type"] == "extra_forbidden":
            problems.append(f"{key}: unknown key")
        elif item["type"] == "value_error":
            # Our validators' messages already quote the bad value.
            problems.append(f"{key}: {item.get('ctx', {}).get('error', item['msg'])}")
        else:
            problems.append(f"{key}: {item['msg']} (got {item.get('input')!r})")
    prefix = f"{path}: " if path else ""
    return f"{prefix}{where} " + "; ".join(problems)


def config_from_table(table: Mapping[str, Any]) -> ConfigFile:
    """A configuration from a table shaped like `.mdlint.toml` (e.g. `{"rules": {...}}`), not read from disk.

    Raises `ConfigError` as `load_config` does.
    """
    try:
        model = _ConfigModel.model_validate(dict(table))
    except ValidationError as error:
        raise ConfigError(_validation_message(error, None, "configuration")) from None
    config = ConfigFile(None, model)
    config.validate_rules()
    return config


def load_config(path: Path, trust: ConfigTrust | None = None) -> ConfigFile:
    """Parse and validate one `.mdlint.toml` or `pyproject.toml` (and the files it `extend`s);
    raise `ConfigError` on any problem.

    With `trust`, a file of the chain that it does not trust may not set options that widen
    network reach; without, every file may (a caller that chose the file itself).
    """
    model = _validated(_load_table(path, (), trust), path, _where(path))
    config = ConfigFile(path, model)
    config.validate_rules()
    return config


def _where(path: Path) -> str:
    return "[tool.mdlint]" if path.name == "pyproject.toml" else "config"


def _read_table(path: Path) -> dict[str, Any]:
    """The mdlint table of one file, as written (no `extend` followed)."""
    try:
        data = tomllib.loads(read_regular_file(path).decode("utf-8"))
    except UnreadableFileError as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: TOML syntax error: {error}") from None
    except RecursionError:
        raise ConfigError(f"{path}: TOML nested too deep to read") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("mdlint", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: [tool.mdlint] should be a table, not {data!r}")
    return data


def _validated(data: dict[str, Any], path: Path, where: str) -> _ConfigModel:
    try:
        return _ConfigModel.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_validation_message(error, path, where)) from None
    except ValueError as error:  # a glob pathspec refuses
        raise ConfigError(f"{path}: invalid glob: {error}") from None


def _load_table(path: Path, chain: tuple[Path, ...], trust: ConfigTrust | None = None) -> dict[str, Any]:
    """`path`'s table with the file it `extend`s underneath: the base first, this file on top.

    `chain` is the files that extend this one, outermost first, to name a cycle.
    """
    resolved = path.resolve()
    if resolved in chain:
        names = " -> ".join(str(link) for link in (*chain, resolved))
        raise ConfigError(f"{chain[0]}: extend: cycle: {names}")
    data = _read_table(path)
    base_name = data.pop("extend", None)
    # Each file is checked on its own too, so a bad key is reported in the file that has it.
    _validated(data, path, _where(path))
    if trust is not None and not trust.trusts(path):
        _refuse_network_reach(data, path, trust)
    if base_name is None:
        return data
    if not isinstance(base_name, str) or not base_name:
        raise ConfigError(f"{path}: {_where(path)} extend: should be the path of a config file, not {base_name!r}")
    # Relative to the file that names it, as `../.mdlint.toml` reads; `~` is the home folder.
    base_path = path.parent / Path(base_name).expanduser()
    if not base_path.is_file():
        raise ConfigError(f"{path}: {_where(path)} extend: {base_name!r}: no such file ({base_path})")
    base = _load_table(base_path, (*chain, resolved), trust)
    ConfigFile(base_path, _validated(base, base_path, _where(base_path))).validate_rules()
    return _merge_tables(base, data)


def _merge_tables(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` on top of `base`: each key replaces the base's, except that `[rules.NAME]` tables
    merge option by option and `overrides` add to the base's (later ones win)."""
    merged = {**base, **over}
    rules = {name: dict(table) for name, table in base.get("rules", {}).items()}
    for name, table in over.get("rules", {}).items():
        rules[name] = {**rules.get(name, {}), **table}
    if rules:
        merged["rules"] = rules
    overrides = [*base.get("overrides", []), *over.get("overrides", [])]
    if overrides:
        merged["overrides"] = overrides
    return merged


# A `[tool.mdlint]` (or `[tool.mdlint.…]`) header, found by eye when the file does not parse.
_MDLINT_HEADER = re.compile(r"^[ \t]*\[\[?[ \t]*tool[ \t]*\.[ \t]*[\"']?mdlint\b", re.MULTILINE)


def _has_mdlint_table(pyproject: Path) -> bool:
    try:
        text = read_regular_file(pyproject).decode("utf-8")
    except (UnreadableFileError, UnicodeDecodeError):
        return False
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        # A broken file that has our table is ours to report, not to skip in silence.
        return _MDLINT_HEADER.search(text) is not None
    tool = data.get("tool", {})
    return isinstance(tool, dict) and "mdlint" in tool


def find_config(start: Path) -> Path | None:
    """The nearest `.mdlint.toml`, or `pyproject.toml` with `[tool.mdlint]`, from `start` upward."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        mdlint_toml = candidate / CONFIG_FILE_NAME
        if mdlint_toml.is_file():
            return mdlint_toml
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_mdlint_table(pyproject):
            return pyproject
    return None
