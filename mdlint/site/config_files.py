"""The files that make a folder a generator's site: Jekyll's `_config.yml`, Hugo's `hugo.toml`, …

Kept apart from the generators' own modules so that finding a file's site (done for every run)
need not load them: most runs lint no site at all.
"""

from __future__ import annotations

import re

__all__ = ["HUGO_CONFIG_FILES", "HUGO_FOLDERS", "JEKYLL_CONFIG_FILES", "is_site_config_name"]

JEKYLL_CONFIG_FILES = ("_config.yml", "_config.yaml")
# Hugo's root configuration: `hugo.*` first, else the older `config.*`.
HUGO_CONFIG_FILES = tuple(
    f"{stem}{suffix}" for stem in ("hugo", "config") for suffix in (".toml", ".yaml", ".yml", ".json")
)
# A `config.*` file alone says little (many projects have one); with one of these it is Hugo's.
HUGO_FOLDERS = ("content", "layouts", "themes", "archetypes")

_CONFIG_NAME = re.compile(r"^(?:_config\.|hugo\.|config\.)\w+$")


def is_site_config_name(name: str) -> bool:
    """Whether a file of this name, at a site's root, configures Jekyll or Hugo."""
    return bool(_CONFIG_NAME.match(name))
