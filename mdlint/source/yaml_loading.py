"""Where mdlint loads YAML: on first use, through the bounded loader.

Importing this module costs nothing: PyYAML (and the bounded loader of `mdlint.source.bounded_yaml`)
load only when YAML is met, and most runs meet none.
"""

from __future__ import annotations

__all__ = ["yaml_value"]


def yaml_value(text: str, *, pure_python: bool = False) -> object:
    """The value of one YAML document, loaded within the bounds of `bounded_yaml.load_yaml`.

    Raises `ValueError` for YAML it cannot give values for (a syntax error, refused YAML), so
    callers need not import PyYAML. `pure_python`: PyYAML's own parser rather than libyaml's.
    """
    import yaml

    from mdlint.source.bounded_yaml import load_yaml

    try:
        return load_yaml(text, yaml.SafeLoader) if pure_python else load_yaml(text)
    except yaml.YAMLError as error:
        raise ValueError(str(error)) from error
