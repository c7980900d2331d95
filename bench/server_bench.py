"""How soon `mdlint server` publishes diagnostics after an edit, measured by a real LSP client.

    python -m bench.server_bench [--archive PATH] [--pages 1000] [--edits 20]

Starts `python -m mdlint server --offline` over stdio, as an editor would, and for two cases sends
one-line edits (`textDocument/didChange`) and times each until the diagnostics of that version
arrive (`textDocument/publishDiagnostics`), the server's debounce included:

- the study archive (one 60 KB page of `<details>` sections);
- one page of a generated Jekyll site of `--pages` pages in 10 folders, with front matter the
  folder rules compare and links between pages (local link checks and the site map).

Prints the first lint after opening and the median, 90th percentile and worst latency of the edits,
and the server's CPU time per edit (from /proc, Linux only): on a machine shared with other work,
wall-clock latency includes waiting for a core, CPU time does not.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = next(
    (folder / "shared/corpus/study-archive/README.md" for folder in ROOT.parents if (folder / "shared").is_dir()),
    ROOT.parent / "shared/corpus/study-archive/README.md",
)


def generate_site(root: Path, pages: int) -> list[Path]:
    """A Jekyll site of `pages` pages in 10 folders; each page links to its neighbours and a post."""
    (root / "_config.yml").write_text("title: Bench\npermalink: /:categories/:title/\n", encoding="utf-8")
    posts = root / "_posts"
    posts.mkdir()
    for day in range(1, 11):
        (posts / f"2024-01-{day:02d}-post-{day}.md").write_text(
            f"---\ntitle: Post {day}\ndate: 2024-01-{day:02d}\ntags: [bench]\n---\n\n# Post {day}\n\nText.\n",
            encoding="utf-8",
        )
    created = []
    per_folder = max(1, pages // 10)
    for index in range(pages):
        folder = root / f"section-{index // per_folder}"
        folder.mkdir(exist_ok=True)
        neighbour = f"page-{(index + 1) % per_folder + (index // per_folder) * per_folder}.md"
        text = (
            f"---\ntitle: Page {index}\nlayout: page\npermalink: /pages/{index}/\ntags: [bench]\n---\n\n"
            f"# Page {index}\n\n## Notes\n\nSee [the next page]({neighbour}#notes), [a post]"
            f"({{% post_url 2024-01-0{index % 9 + 1}-post-{index % 9 + 1} %}}) and [home](/pages/0/).\n\n"
            "- 🧑🏻‍💻 한국어 노트: [docs](https://example.com/docs)\n- second item\n"
        )
        path = folder / f"page-{index}.md"
        path.write_text(text, encoding="utf-8")
        created.append(path)
    return created


class _Timer:
    """Arrival times of published diagnostics by (uri, version)."""

    def __init__(self) -> None:
        self.arrived: dict[tuple[str, int | None], float] = {}
        self.event = asyncio.Event()

    def published(self, params: types.PublishDiagnosticsParams) -> None:
        self.arrived[(params.uri, params.version)] = time.perf_counter()
        self.event.set()

    async def wait(self, uri: str, version: int, timeout: float = 60) -> float:
        deadline = time.perf_counter() + timeout
        while (uri, version) not in self.arrived:
            self.event.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no diagnostics for {uri} version {version}")
            try:
                await asyncio.wait_for(self.event.wait(), left)
            except TimeoutError:
                continue
        return self.arrived[(uri, version)]


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of process `pid` so far, or None where /proc is not there."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime are fields 14 and 15 of stat(5); the split above starts at field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _measure(root: Path, page: Path, edits: int) -> tuple[float, list[float], float | None]:
    client = LanguageClient("mdlint-bench", "1")
    timer = _Timer()

    def published(params: types.PublishDiagnosticsParams) -> None:
        timer.published(params)

    client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)(published)
    # This checkout's mdlint, whatever is installed, in the workspace folder as an editor starts it.
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    await client.start_io(sys.executable, "-m", "mdlint", "server", "--offline", cwd=str(root), env=environment)
    try:
        await client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                root_uri=root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(root.as_uri(), root.name)],
            )
        )
        client.initialized(types.InitializedParams())
        text = page.read_text(encoding="utf-8")
        uri = page.as_uri()
        started = time.perf_counter()
        client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "markdown", 1, text)))
        opened = await timer.wait(uri, 1) - started
        lines = text.splitlines(keepends=True)
        target = next(i for i, line in enumerate(lines) if line.strip() and not line.startswith(("---", "#")))
        latencies = []
        process = getattr(client, "_server", None)
        pid = process.pid if process is not None else None
        cpu_before = _cpu_seconds(pid) if pid is not None else None
        for version in range(2, edits + 2):
            # One line changes (a word appended), as a keystroke-sized edit would.
            line = lines[target].rstrip("\r\n")
            change = types.TextDocumentContentChangePartial(
                range=types.Range(
                    types.Position(target, len(line.encode("utf-16-le")) // 2),
                    types.Position(target, len(line.encode("utf-16-le")) // 2),
                ),
                text=" x",
            )
            lines[target] = line + " x" + lines[target][len(line) :]
            sent = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(types.VersionedTextDocumentIdentifier(version, uri), [change])
            )
            latencies.append(await timer.wait(uri, version) - sent)
            await asyncio.sleep(0.1)  # a pause between keystrokes, so each edit is linted on its own
        cpu_after = _cpu_seconds(pid) if pid is not None else None
        cpu = (cpu_after - cpu_before) / edits if cpu_before is not None and cpu_after is not None else None
        await client.shutdown_async(None)
        client.exit(None)
        return opened, latencies, cpu
    finally:
        await client.stop()  # type: ignore[no-untyped-call]


def _report(name: str, opened: float, latencies: list[float], cpu: float | None) -> None:
    ordered = sorted(latencies)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    spent = f"; server CPU {cpu * 1000:.0f} ms per edit" if cpu is not None else ""
    print(
        f"{name}: first lint after open {opened * 1000:.0f} ms; after a one-line edit: "
        f"median {statistics.median(ordered) * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, "
        f"worst {ordered[-1] * 1000:.0f} ms ({len(ordered)} edits){spent}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        if args.archive.is_file():
            archive = folder / "archive"
            archive.mkdir()
            copy = archive / "README.md"
            copy.write_bytes(args.archive.read_bytes())
            opened, latencies, cpu = asyncio.run(_measure(archive, copy, args.edits))
            _report(f"study archive ({copy.stat().st_size // 1024} KB)", opened, latencies, cpu)
        else:
            print(f"no study archive at {args.archive}; skipped", file=sys.stderr)
        site = folder / "site"
        site.mkdir()
        pages = generate_site(site, args.pages)
        opened, latencies, cpu = asyncio.run(_measure(site, pages[len(pages) // 2], args.edits))
        _report(f"site of {args.pages} pages, one page edited", opened, latencies, cpu)
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
