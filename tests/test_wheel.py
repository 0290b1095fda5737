"""The package as users install it: a wheel built from the repository carries the web editor,
installs into a fresh virtual environment, and `reelforge serve` from it serves the editor."""

from __future__ import annotations

import re
import shutil
import site
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx

from api.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
UV = Path(sys.executable).parent / "uv"


def test_wheel_installs_and_serves_the_editor(tmp_path: Path) -> None:
    subprocess.run(
        [UV, "build", "--python", sys.executable, "--no-build-isolation", "--wheel",
         "-o", tmp_path / "wheels", ROOT],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (wheel,) = (tmp_path / "wheels").glob("reelforge-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "reelforge/web_editor/index.html" in names
    assert any(re.fullmatch(r"reelforge/web_editor/assets/index-[\w-]+\.js", n) for n in names)

    # A fresh environment; its dependencies (not reelforge) come from this one's site-packages,
    # added as a plain path, so this checkout's editable install cannot leak in.
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", env_dir], check=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [UV, "pip", "install", "--python", python, "--no-deps", "--offline", wheel],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    packages = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    (Path(packages) / "_reelforge_deps.pth").write_text(site.getsitepackages()[0] + "\n")
    where = subprocess.run(
        [python, "-c", "import reelforge; print(reelforge.__file__)"],
        check=True, capture_output=True, text=True, cwd=tmp_path,
    ).stdout.strip()  # fmt: skip
    assert where.startswith(str(env_dir)), where

    port = free_port()
    work = tmp_path / "elsewhere"  # not the checkout: the editor must come from the package
    work.mkdir()
    server = subprocess.Popen(
        [env_dir / "bin" / "reelforge", "serve", "--port", str(port), "--data-dir", work / "d"],
        cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        page = _get_when_up(base + "/", server)
        assert page.status_code == 200 and "<title>" in page.text
        script = re.search(r'src="(/assets/index-[\w-]+\.js)"', page.text)
        assert script, page.text
        asset = httpx.get(base + script.group(1))
        assert asset.status_code == 200 and "javascript" in asset.headers["content-type"]
        built = (ROOT / "web" / "dist" / script.group(1).lstrip("/")).read_bytes()
        assert asset.content == built
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout:
            server.stdout.close()
    shutil.rmtree(ROOT / "build", ignore_errors=True)


def _get_when_up(url: str, server: subprocess.Popen[bytes]) -> httpx.Response:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read().decode() if server.stdout else ""
            raise AssertionError(f"reelforge serve exited: {output[-2000:]}")
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError("reelforge serve did not start in 60 s")
