"""The language server (`mdlint server`) and the watch mode (`mdlint --watch`).

Diagnostics come from the runner, as `mdlint --stdin-filename PATH -` would report them; fixes go
through the same safety guard as `--fix`. `pygls` and `lsprotocol` are the optional extra `lsp`:
only `mdlint.server.protocol` imports them.
"""
