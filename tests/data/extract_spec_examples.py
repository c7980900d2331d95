"""Extract the examples of a CommonMark spec.txt into spec.json, as the spec's own tooling does.

Mirrors `test/spec_tests.py --dump-tests` of commonmark/commonmark-spec: the `→` marks in
examples become tabs; each example records its number, section and spec.txt lines.

    python tests/data/extract_spec_examples.py package/spec.txt > tests/data/commonmark-0.31.2.json
"""

from __future__ import annotations

import json
import re
import sys

_FENCE = "`" * 32
_HEADER = re.compile(r"#+ ")


def extract(spec_text: str) -> list[dict[str, object]]:
    """The examples of `spec_text`, in order, in spec.json's shape."""
    tests: list[dict[str, object]] = []
    markdown: list[str] = []
    html: list[str] = []
    state = 0  # 0 prose, 1 example Markdown, 2 example HTML
    start_line = 0
    number = 0
    section = ""
    extensions: list[str] = []
    for line_number, line in enumerate(spec_text.splitlines(keepends=True), start=1):
        stripped = line.strip()
        if stripped.startswith(_FENCE + " example"):
            state = 1
            extensions = stripped[len(_FENCE + " example") :].split()
        elif stripped == _FENCE:
            state = 0
            number += 1
            if "disabled" not in extensions:
                tests.append(
                    {
                        "markdown": "".join(markdown).replace("→", "\t"),
                        "html": "".join(html).replace("→", "\t"),
                        "example": number,
                        "start_line": start_line,
                        "end_line": line_number,
                        "section": section,
                    }
                )
            start_line = 0
            markdown, html = [], []
        elif stripped == "." and state == 1:
            state = 2
        elif state == 1:
            if start_line == 0:
                start_line = line_number - 1
            markdown.append(line)
        elif state == 2:
            html.append(line)
        elif state == 0 and _HEADER.match(line):
            section = _HEADER.sub("", line).strip()
    return tests


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8", newline="\n") as spec_file:
        json.dump(extract(spec_file.read()), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
