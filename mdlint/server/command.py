"""`mdlint server`: parse its few options and serve LSP over standard input and output."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["server_main"]

EXIT_ERROR = 2


def server_main(argv: Sequence[str]) -> int:
    """Run the language server until the client says exit; return the exit code."""
    parser = argparse.ArgumentParser(prog="mdlint server", description="A Language Server over stdio.")
    parser.add_argument("--offline", action="store_true", help="never check remote links on the network")
    parser.add_argument("--config", type=Path, help="use this config file for every file")
    parser.add_argument("--cache-dir", type=Path, help="where the link cache lives")
    parser.add_argument(
        "--debounce-ms",
        type=int,
        default=30,
        help="milliseconds an edit that follows another within this interval waits before linting (default 30)",
    )
    args = parser.parse_args(argv)
    try:
        from mdlint.server.protocol import ServerOptions, build_server
    except ImportError as error:
        sys.stderr.write(
            f"mdlint: error: `mdlint server` needs the lsp extra ({error.name} is missing): "
            "pip install 'mdlint-kb[lsp]'\n"
        )
        return EXIT_ERROR
    # Standard output carries the protocol; anything worth saying goes to standard error.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="mdlint server: %(levelname)s: %(message)s")
    options = ServerOptions(
        offline=args.offline,
        config_path=args.config.resolve() if args.config else None,
        cache_dir=args.cache_dir.resolve() if args.cache_dir else None,
        debounce=max(0, args.debounce_ms) / 1000,
    )
    from mdlint.run.garbage_collection import tune_for_server

    tune_for_server()
    build_server(options).start_io()
    return 0
