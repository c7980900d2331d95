"""One file as text: decoding (codec, BOM), lines and offsets, the front-matter block, its language."""
