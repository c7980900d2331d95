"""The wheel carries the rulebook: `rules/` is installed as `mdlint/rulebook` and `--explain` reads it there."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_pyproject_lists_every_package() -> None:
    # The packages are listed by hand (a mapped folder rules them out of packages.find): a new
    # subpackage left off the list would be missing from the wheel.
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "mdlint").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert set(setuptools["packages"]) == found | {"mdlint.rulebook"}
    assert setuptools["package-dir"] == {"mdlint.rulebook": "rules"}
    assert not (ROOT / "mdlint" / "rulebook").exists(), "the rulebook has one folder: rules/"


def test_wheel_carries_the_rulebook_and_explain_reads_it(tmp_path: Path) -> None:
    # Built from a copy: an in-tree build leaves build/ and *.egg-info in the checkout.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("mdlint", "rules"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(source)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        pages = {name: archive.read(name) for name in archive.namelist() if name.startswith("mdlint/rulebook/")}
        assert not [name for name in archive.namelist() if name.startswith("rules/")]
        installed = tmp_path / "installed"
        archive.extractall(installed)
    expected = {f"mdlint/rulebook/{page.name}": page.read_bytes() for page in (ROOT / "rules").glob("*.md")}
    assert pages == expected

    # Run from outside the checkout with only the unpacked wheel on the path, as an installed mdlint.
    explain = subprocess.run(
        [sys.executable, "-P", "-m", "mdlint", "--explain", "link-dead"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(installed), "PATH": ""},
        timeout=60,
    )
    assert explain.returncode == 0, explain.stderr
    assert explain.stdout == (ROOT / "rules" / "link-dead.md").read_text(encoding="utf-8")
