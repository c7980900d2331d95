"""mdlint: a content linter and consistency checker for Markdown knowledge bases."""

__version__ = "0.2.0"

__all__ = ["__version__"]
