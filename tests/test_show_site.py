"""`mdlint --show-site` prints the site model a run would use."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import RunCli
from tests.front_matter_helpers import write_files


def test_show_site_reports_generator_renderers_and_urls(tmp_path: Path, run_cli: RunCli) -> None:
    write_files(
        tmp_path,
        {
            "README.md": "# repo\n",
            "site/_config.yml": "baseurl: /blog\ngoogle_analytics: UA-1\n",
            "site/about.md": "---\npermalink: /about/\n---\n# About\n",
            "site/_posts/2024-01-02-hello.md": "---\ntitle: Hello\n---\nHi\n",
            "site/notes.md": "no front matter: copied as it is\n",
        },
    )
    completed = run_cli("--show-site", "--format", "json", ".", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    sites = json.loads(completed.stdout)["sites"]
    assert [(site["root"], site["generator"]) for site in sites] == [("site", "jekyll"), (None, None)]
    jekyll = sites[0]
    assert jekyll["baseurl"] == "/blog"
    assert jekyll["configuration"] == {"baseurl": "/blog"}
    assert jekyll["files"] == {"count": 3, "rendered by": {"GitHub (cmark-gfm)": 1, "kramdown after Liquid": 2}}
    assert jekyll["urls"]["/about"] == "site/about.md"
    assert jekyll["urls"]["/2024/01/02/hello"] == "site/_posts/2024-01-02-hello.md"
    assert sites[1]["files"] == {"count": 1, "rendered by": {"GitHub (cmark-gfm)": 1}}

    text = run_cli("--show-site", "site", cwd=tmp_path).stdout
    assert text.splitlines()[:3] == [
        "site site/ (Jekyll)",
        "  baseurl: /blog",
        "  files: 3 (1 by GitHub (cmark-gfm); 2 by kramdown after Liquid)",
    ]
    assert "    /about <- site/about.md" in text.splitlines()


def test_show_site_reports_hugo_mounts_and_render_hooks(tmp_path: Path, run_cli: RunCli) -> None:
    write_files(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://example.org/docs/"\n'
            '[module]\n[[module.mounts]]\nsource = "content/en"\ntarget = "content"\n',
            "layouts/_markup/render-link.html": '<a href="{{ .Destination }}">{{ .Text }}</a>\n',
            "content/en/_index.md": "---\ntitle: Home\n---\n",
            "content/en/guide/setup.md": "---\ntitle: Setup\nslug: install\n---\n",
        },
    )
    completed = run_cli("--show-site", "--format", "json", ".", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    (site,) = json.loads(completed.stdout)["sites"]
    assert site["generator"] == "hugo"
    assert site["details"]["content folders"] == ["content/en"]
    assert site["details"]["link render hooks"] == ["(every page)"]
    assert site["urls"]["/guide/install"] == "content/en/guide/setup.md"
    assert site["files"]["rendered by"] == {"Goldmark after Hugo shortcodes": 2}
