"""Build hook: a wheel carries the built web editor (`reelforge/web_editor/`).

`build_py` runs the web build (`npm ci` when `web/node_modules` is missing, then `npm run
build`) when `web/dist` is missing or older than any source of the editor, and copies it into
the package, where `reelforge serve` finds it (api/app.py `default_web_dir`). Editable installs
skip it: they serve `web/dist` of the checkout. Everything else is in pyproject.toml.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
WEB = ROOT / "web"
SOURCES = ("src", "index.html", "package.json", "package-lock.json", "vite.config.ts",
           "tsconfig.json", "tsconfig.node.json")  # fmt: skip


def editor_is_stale() -> bool:
    """True when web/dist is missing or older than a file the editor is built from."""
    built = WEB / "dist" / "index.html"
    if not built.is_file():
        return True
    newest = 0.0
    for name in SOURCES:
        path = WEB / name
        files = path.rglob("*") if path.is_dir() else [path]
        newest = max([newest, *(f.stat().st_mtime for f in files if f.is_file())])
    return newest > built.stat().st_mtime


def build_editor() -> Path:
    """web/dist, built first if it is stale."""
    if editor_is_stale():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("building the web editor needs npm (Node.js); see README.md")
        if not (WEB / "node_modules").is_dir():
            subprocess.run([npm, "ci"], cwd=WEB, check=True)
        subprocess.run([npm, "run", "build"], cwd=WEB, check=True)
    return WEB / "dist"


class BuildPyWithEditor(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode or not WEB.is_dir():
            return  # editable: the checkout's web/dist; sdist without web/: nothing to build
        target = Path(self.build_lib) / "reelforge" / "web_editor"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(build_editor(), target)


setup(cmdclass={"build_py": BuildPyWithEditor})
