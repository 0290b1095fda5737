"""The command line, run as a real process: renders, stills, scripts, and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import color_scene, document, video_info


def cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REELFORGE_CACHE_DIR": str((cwd or Path.cwd()) / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "reelforge.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def _project(media_dir: Path, tmp_path: Path, doc: dict[str, Any]) -> Path:
    for name in (
        "product.png",
        "photo.jpg",
        "notes.png",
        "huge.png",
        "clip.mp4",
        "vector.svg",
        "truncated.png",
    ):
        target = tmp_path / name
        if not target.exists():
            target.symlink_to(media_dir / name)
    path = tmp_path / "project.json"
    path.write_text(json.dumps(doc))
    return path


BAD = [
    ({"bogus": 1}, "bogus: unknown field"),
    (
        {"scenes": [{"productOverlay": {"scale": 0.9}}]},
        "scenes[0].productOverlay.scale: must be between 0.1 and 0.8",
    ),
    ({"scenes": [{"id": "a"}, {"id": "a"}]}, "scenes[1].id: duplicate scene id 'a'"),
    (
        {"scenes": [{"visual": {"type": "image", "src": "missing.jpg"}}]},
        "scenes[0].visual.src: file not found: missing.jpg",
    ),
    (
        {"scenes": [{"visual": {"type": "image", "src": "notes.png"}}]},
        "scenes[0].visual.src: notes.png is not a readable image",
    ),
    (
        {"scenes": [{"visual": {"type": "image", "src": "huge.png"}}]},
        "scenes[0].visual.src: huge.png is 30000x30000, over the limit",
    ),
    (
        {"scenes": [{"visual": {"type": "image", "src": "truncated.png"}}]},
        "scenes[0].visual.src: truncated.png is not a readable image",
    ),
    (
        {"scenes": [{"visual": {"type": "video", "src": "vector.svg"}}]},
        "scenes[0].visual.src: vector.svg is not a supported image, video or audio file",
    ),
    (
        {"scenes": [{"visual": {"type": "video", "src": "photo.jpg"}}]},
        "scenes[0].visual.src: photo.jpg is image, expected video",
    ),
    ({"output": {"fps": 29}}, "output.fps: must be one of"),
    ({"scenes": []}, "scenes: a project needs at least one scene"),
    (
        {"scenes": [{"duration": 1, "narration": "one two three four five six seven eight"}]},
        "scenes[0].duration: the narration of scene 'scene-1' takes",
    ),
]


@pytest.mark.parametrize(("doc", "message"), BAD, ids=[m.split(":")[0] for _, m in BAD])
def test_bad_input_is_one_line_and_writes_nothing(
    media_dir: Path, tmp_path: Path, doc: dict[str, Any], message: str
) -> None:
    if "narration" in json.dumps(doc):
        doc["voice"] = {"speed": 1.0}
    project = _project(media_dir, tmp_path, {"music": {"enabled": False}, **doc})
    out = tmp_path / "out.mp4"
    for command in (
        ["render", project, "-o", out],
        ["still", project, "--at", "0", "-o", tmp_path / "f.png"],
    ):
        proc = cli(*command, cwd=tmp_path)
        assert proc.returncode != 0
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert message in lines[0]
        assert not out.exists() and not (tmp_path / "f.png").exists()
        assert not list(tmp_path.glob("*.part*")) and not list(tmp_path.glob(".out*"))


def test_not_json_and_missing_project(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text("{nope")
    proc = cli("render", tmp_path / "p.json", "-o", tmp_path / "o.mp4", cwd=tmp_path)
    assert proc.returncode == 1 and "not valid JSON" in proc.stderr
    proc = cli("render", tmp_path / "absent.json", "-o", tmp_path / "o.mp4", cwd=tmp_path)
    assert proc.returncode == 1 and "project file not found" in proc.stderr


def test_render_writes_mp4_srt_vtt_and_poster(media_dir: Path, tmp_path: Path) -> None:
    doc = document(color_scene("#203040", 0.8, title={"text": "CLI"}), color_scene("#405060", 0.6))
    project = _project(media_dir, tmp_path, doc)
    out = tmp_path / "video.mp4"
    proc = cli(
        "render", project, "-o", out, "--chunk-seconds", "0.5", "--workers", "2", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert video_info(out)["frames"] == 42
    for suffix in (".srt", ".vtt", ".poster.jpg"):
        assert out.with_suffix(suffix).exists()
    assert "4 chunks rendered" in proc.stdout
    again = cli("render", project, "-o", out, "--chunk-seconds", "0.5", cwd=tmp_path)
    assert "0 chunks rendered, 4 from cache" in again.stdout


def test_preview_is_480p_15fps(media_dir: Path, tmp_path: Path) -> None:
    doc = document(color_scene("#203040", 1.0))
    doc["output"] = {"aspect": "9:16", "resolution": 1080, "fps": 30}
    project = _project(media_dir, tmp_path, doc)
    out = tmp_path / "preview.mp4"
    assert cli("render", project, "-o", out, "--preview", cwd=tmp_path).returncode == 0
    info = video_info(out)
    assert (info["width"], info["height"], info["frames"]) == (480, 854, 15)


def test_still_writes_png(media_dir: Path, tmp_path: Path) -> None:
    project = _project(media_dir, tmp_path, document(color_scene("#FF0000", 1.0)))
    proc = cli("still", project, "--at", "0.5", "-o", tmp_path / "f.png", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    from PIL import Image

    img = Image.open(tmp_path / "f.png")
    assert img.size == (640, 360)
    assert img.convert("RGB").getpixel((10, 10))[0] > 230


def test_new_from_script(tmp_path: Path) -> None:
    (tmp_path / "script.txt").write_text(
        "First paragraph. It has two sentences.\n\nSecond one.\n\n\n  Third,\nwrapped.  \n"
    )
    proc = cli("new", "--script", tmp_path / "script.txt", "-o", tmp_path / "p.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "p.json").read_text())
    assert [s["narration"] for s in doc["scenes"]] == [
        "First paragraph. It has two sentences.",
        "Second one.",
        "Third, wrapped.",
    ]
    assert all(s["duration"] is None for s in doc["scenes"])
    assert not any(s["productOverlay"]["enabled"] for s in doc["scenes"])
    with_product = cli("new", "--script", tmp_path / "script.txt", "-o", tmp_path / "w.json",
                       "--product", "bottle.png", cwd=tmp_path)  # fmt: skip
    assert with_product.returncode == 0, with_product.stderr
    drafted = json.loads((tmp_path / "w.json").read_text())
    assert drafted["product"]["image"] == "bottle.png"
    assert [s["productOverlay"]["enabled"] for s in drafted["scenes"]] == [True, False, True]
    (tmp_path / "empty.txt").write_text("\n\n")
    bad = cli("new", "--script", tmp_path / "empty.txt", "-o", tmp_path / "q.json", cwd=tmp_path)
    assert bad.returncode == 1 and "script: the script is empty" in bad.stderr
    assert not (tmp_path / "q.json").exists()


def test_unknown_voice_is_named(media_dir: Path, tmp_path: Path) -> None:
    doc = {
        "voice": {"id": "piper:nobody-here"},
        "music": {"enabled": False},
        "scenes": [{"narration": "Hello there."}],
    }
    proc = cli("render", _project(media_dir, tmp_path, doc), "-o", tmp_path / "o.mp4", cwd=tmp_path)
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and "piper:nobody-here" in proc.stderr
    assert not (tmp_path / "o.mp4").exists()


def test_voices_and_music_styles_are_listed(tmp_path: Path) -> None:
    voices = cli("voices", cwd=tmp_path)
    assert voices.returncode == 0 and "piper:en_US-joe-medium" in voices.stdout
    styles = cli("music-styles", cwd=tmp_path)
    names = {line.split("\t")[0] for line in styles.stdout.splitlines()}
    assert {"upbeat", "corporate", "cinematic", "lofi", "ambient", "acoustic"} <= names


def test_progress_bar_on_a_terminal(media_dir: Path, tmp_path: Path) -> None:
    import pty

    project = _project(media_dir, tmp_path, document(color_scene("#203040", 1.0)))
    main, child = pty.openpty()
    env = {**os.environ, "REELFORGE_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "120"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reelforge.cli",
            "render",
            str(project),
            "-o",
            str(tmp_path / "o.mp4"),
            "--chunk-seconds",
            "0.25",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=child,
        cwd=tmp_path,
        env=env,
    )
    os.close(child)
    seen = b""
    while True:
        try:
            data = os.read(main, 4096)
        except OSError:
            break
        if not data:
            break
        seen += data
    assert proc.wait(timeout=120) == 0
    os.close(main)
    text = seen.decode("utf-8", "replace")
    assert "100.0%" in text and "chunks 4/4" in text and "render" in text
