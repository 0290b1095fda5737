"""A project from a plain script: one scene per paragraph."""

from __future__ import annotations

import re

from reelforge.errors import ProjectError
from reelforge.spec.models import Project, Scene, Title

_VISUAL_COLORS = ["#0F172A", "#1E293B", "#172554", "#14532D", "#3B0764", "#7C2D12"]


def project_from_script(script: str, *, title: str = "Untitled") -> Project:
    """Split `script` on blank lines; each paragraph becomes a scene narrating it.

    Durations stay `null`: they follow the synthesised narration when the project renders.
    """
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", script.replace("\r\n", "\n"))]
    paragraphs = [" ".join(p.split()) for p in paragraphs if p]
    if not paragraphs:
        raise ProjectError("script: the script is empty", field="script")
    scenes = []
    for i, text in enumerate(paragraphs):
        if len(text) > 5000:
            raise ProjectError(f"script: paragraph {i + 1} is over 5000 characters", field="script")
        first = re.split(r"(?<=[.!?])\s+", text)[0]
        heading = first if len(first) <= 60 else first[:57].rsplit(" ", 1)[0] + "…"
        scenes.append(
            Scene.model_validate(
                {
                    "id": f"scene-{i + 1}",
                    "narration": text,
                    "visual": {"type": "gradient", "colors": [_VISUAL_COLORS[i % 6], "#0EA5E9"]},
                    "title": Title(text=heading.rstrip(".")).model_dump() if i == 0 else None,
                    "transition": {"type": "crossfade", "duration": 0.5},
                }
            )
        )
    return Project(title=title[:200], scenes=scenes)
