"""The example project reads as a designed video: its titles add to the narration rather
than repeat it (the captions already show the narration)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from reelforge.spec import parse_project

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "smartbottle" / "project.json"


def _words(text: str) -> list[str]:
    return re.findall(r"[\w$%.]+", text.lower().replace("’", "'"))


def test_titles_do_not_repeat_the_captions() -> None:
    project = parse_project(json.loads(EXAMPLE.read_text()))
    titled = [s for s in project.scenes if s.title and s.title.text]
    assert len(titled) >= 3
    for scene in titled:
        assert scene.title is not None
        title, spoken = _words(scene.title.text), _words(scene.narration)
        runs = [spoken[i : i + 2] for i in range(len(spoken) - 1)]
        repeated = [title[i : i + 2] for i in range(len(title) - 1) if title[i : i + 2] in runs]
        assert not repeated, (scene.id, scene.title.text, repeated)
