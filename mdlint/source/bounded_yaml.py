"""YAML that anyone may have written (front matter, a site's configuration), loaded within bounds.

A pull request can commit YAML whose aliases refer to the value that holds them (`x: &a [*a]`, a
list that contains itself: every later walk over it runs forever) or multiply (a "billion laughs"
of a few hundred bytes that expands to 9^9 strings: cheap to build, since PyYAML shares aliased
objects, but every walk, `str()` or comparison over it expands it). `check_yaml_node` refuses both
on the composed node graph, before anything is constructed, so the values the rest of mdlint sees
are finite trees of bounded size and no walk over them needs to guard against cycles.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["MAX_ALIAS_VALUES", "MAX_YAML_DEPTH", "YamlRefusedError", "check_yaml_node", "load_yaml"]

# Values that aliases may add to a document once expanded. `<<: *defaults` in front matter or a
# site configuration adds tens; a bomb adds millions.
MAX_ALIAS_VALUES = 10_000
# Nesting deeper than this is no front matter or configuration anyone writes; constructing it
# recurses in Python.
MAX_YAML_DEPTH = 100

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlRefusedError(yaml.MarkedYAMLError):
    """YAML that parses but is refused: a value that contains itself, too many values, too deep.

    A `MarkedYAMLError`, so callers that already turn YAML errors into a message with a position
    (or ignore unreadable YAML) handle it the same way.
    """


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def check_yaml_node(root: yaml.Node) -> None:
    """Raise `YamlRefusedError` when the graph under `root` has a cycle, is nested deeper than
    `MAX_YAML_DEPTH`, or its aliases expand it by more than `MAX_ALIAS_VALUES` values.

    Each node is visited once (an alias is the same node object as its anchor), so the check
    costs what the written text does, however far the aliases would expand.
    """
    expanded: dict[int, int] = {}  # id(node) -> values under it, aliases expanded
    on_path: set[int] = set()
    added = 0
    stack: list[tuple[yaml.Node, list[yaml.Node], int]] = [(root, _children(root), 0)]
    on_path.add(id(root))
    while stack:
        node, children, index = stack[-1]
        if index < len(children):
            stack[-1] = (node, children, index + 1)
            child = children[index]
            if id(child) in on_path:
                raise YamlRefusedError(
                    problem="an alias refers to a value that contains it (the value would never end)",
                    problem_mark=child.start_mark,
                )
            if id(child) in expanded:
                # A second way to reach a node: an alias, which repeats all of its values.
                added += expanded[id(child)]
                if added > MAX_ALIAS_VALUES:
                    raise YamlRefusedError(
                        problem=f"its aliases expand it by more than {MAX_ALIAS_VALUES:,} values",
                        problem_mark=node.start_mark,
                    )
                continue
            if len(stack) >= MAX_YAML_DEPTH:
                raise YamlRefusedError(
                    problem=f"values are nested more than {MAX_YAML_DEPTH} levels deep", problem_mark=child.start_mark
                )
            on_path.add(id(child))
            stack.append((child, _children(child), 0))
            continue
        stack.pop()
        on_path.discard(id(node))
        expanded[id(node)] = 1 + sum(expanded[id(child)] for child in children)


def load_yaml(text: str, loader: type[yaml.SafeLoader] = _Loader) -> Any:
    """`yaml.load(text, Loader=loader)` for one document, refusing what `check_yaml_node` refuses.

    Raises `yaml.YAMLError` for any YAML it cannot give values for: a `YamlRefusedError` for
    refused YAML and for a value no constructor accepts (`date: 2025-02-30`, bad `!!binary`).
    """
    reader = loader(text)
    try:
        try:
            root = reader.get_single_node()
        except RecursionError:
            # PyYAML's Python parser recurses per level; libyaml stops at 1,000 levels itself.
            raise YamlRefusedError(problem=f"values are nested more than {MAX_YAML_DEPTH} levels deep") from None
        if root is None:
            return None
        check_yaml_node(root)
        try:
            return reader.construct_document(root)
        except (ValueError, TypeError) as error:
            # PyYAML's constructors raise these unmarked; callers expect YAML errors only.
            raise YamlRefusedError(problem=" ".join(str(error).split()), problem_mark=root.start_mark) from error
    finally:
        reader.dispose()
