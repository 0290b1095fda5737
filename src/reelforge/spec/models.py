"""The project document (SPEC §1) as pydantic models. Pure data: no I/O here.

Every model forbids unknown fields, so a typo is an error that names the field instead of a
silently ignored setting. Defaults live on the fields, so they apply in one validation pass.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

HEX_COLOR = r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$"
SCENE_ID = r"^[A-Za-z0-9_-]{1,64}$"

Aspect = Literal["16:9", "9:16", "1:1", "4:5"]
Resolution = Literal[360, 480, 720, 1080, 1440, 2160]
Fps = Literal[24, 25, 30, 50, 60]
Motion = Literal["none", "zoom-in", "zoom-out", "pan-left", "pan-right"]
Fit = Literal["cover", "contain"]
TitlePosition = Literal["top", "center", "bottom"]
OverlayAnimation = Literal["fade", "zoom", "slide", "none"]
TransitionType = Literal["cut", "crossfade", "fade-black", "slide-left", "wipe"]
Quality = Literal["draft", "standard", "high"]
MusicStyle = Literal["upbeat", "corporate", "cinematic", "lofi", "ambient", "acoustic"]

MUSIC_STYLES: tuple[str, ...] = ("upbeat", "corporate", "cinematic", "lofi", "ambient", "acoustic")
DEFAULT_VOICE_ID = "piper:en_US-joe-medium"
ASPECTS: dict[str, tuple[int, int]] = {
    "16:9": (16, 9),
    "9:16": (9, 16),
    "1:1": (1, 1),
    "4:5": (4, 5),
}


class Model(BaseModel):
    """Base: unknown fields are errors; JSON uses the document's camelCase names."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_assignment=False)


class Output(Model):
    aspect: Aspect = "16:9"
    resolution: Resolution = 1080
    fps: Fps = 30
    quality: Quality = Field(
        default="standard",
        description="Encoder quality: draft (fastest), standard, high (slowest, smallest loss).",
    )

    @property
    def size(self) -> tuple[int, int]:
        """Frame width and height: `resolution` is the short side, both sides even."""
        aw, ah = ASPECTS[self.aspect]
        short = self.resolution
        if aw >= ah:
            return _even(short * aw / ah), short
        return short, _even(short * ah / aw)


def _even(value: float) -> int:
    return int(round(value / 2.0)) * 2


class Voice(Model):
    id: str = DEFAULT_VOICE_ID
    speed: float = Field(default=1.0, ge=0.5, le=2.0)


class Music(Model):
    enabled: bool = True
    style: MusicStyle = "corporate"
    seed: int = Field(default=1, ge=0, le=2**31 - 1)
    volume: float = Field(default=0.15, ge=0.0, le=1.0)
    ducking: bool = True
    src: str | None = None


class Brand(Model):
    font: str = "Inter"
    primary_color: str = Field(default="#0EA5E9", alias="primaryColor", pattern=HEX_COLOR)
    text_color: str = Field(default="#FFFFFF", alias="textColor", pattern=HEX_COLOR)
    logo: str | None = None


class Product(Model):
    image: str | None = None


class Captions(Model):
    enabled: bool = True


class ImageVisual(Model):
    type: Literal["image"]
    src: str
    fit: Fit = "cover"
    motion: Motion = "none"


class VideoVisual(Model):
    type: Literal["video"]
    src: str
    start: float = Field(default=0.0, ge=0.0)
    muted: bool = True
    loop: bool = True
    fit: Fit = "cover"


class ColorVisual(Model):
    type: Literal["color"]
    color: str = Field(default="#111827", pattern=HEX_COLOR)


class GradientVisual(Model):
    type: Literal["gradient"]
    colors: list[Annotated[str, Field(pattern=HEX_COLOR)]] = Field(
        default_factory=lambda: ["#0EA5E9", "#6366F1"], min_length=2, max_length=8
    )
    angle: float = Field(default=135.0, ge=0.0, le=360.0)
    motion: Motion = "none"


Visual = Annotated[
    ImageVisual | VideoVisual | ColorVisual | GradientVisual, Field(discriminator="type")
]


class Title(Model):
    text: str = Field(default="", max_length=200)
    position: TitlePosition = "bottom"


class OverlayPosition(Model):
    x: Literal["left", "center", "right"] = "center"
    y: Literal["top", "center", "bottom"] = "center"


class ProductOverlay(Model):
    enabled: bool = False
    position: OverlayPosition = Field(default_factory=OverlayPosition)
    scale: float = Field(default=0.4, ge=0.1, le=0.8)
    animation: OverlayAnimation = "fade"


class Transition(Model):
    type: TransitionType = "cut"
    duration: float = Field(default=0.5, ge=0.0, le=2.0)

    @property
    def effective(self) -> float:
        """Seconds the transition takes; a cut takes none."""
        return 0.0 if self.type == "cut" else self.duration


class Scene(Model):
    id: str = Field(default="", pattern=r"^$|" + SCENE_ID)
    narration: str = Field(default="", max_length=5000)
    duration: float | None = Field(default=None, ge=0.5, le=600.0)
    visual: Visual = Field(default_factory=lambda: ColorVisual(type="color"))
    title: Title | None = None
    product_overlay: ProductOverlay = Field(default_factory=ProductOverlay, alias="productOverlay")
    transition: Transition = Field(default_factory=Transition)
    voice: Voice | None = Field(
        default=None, description="Overrides the project's voice for this scene (regeneration)."
    )


VariableType = Literal["text", "image", "video", "audio", "color", "number"]
VARIABLE_NAME = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"


class Variable(Model):
    """A merge field of a template: `{{name}}` in any string of the document (spec/variables.py)."""

    type: VariableType = "text"
    default: str | float | None = Field(
        default=None, description="Used when a row gives no value; none: every row must give one."
    )


class Project(Model):
    """A whole project document, `version: 1`."""

    version: Literal[1] = 1
    title: str = Field(default="Untitled", max_length=200)
    output: Output = Field(default_factory=Output)
    voice: Voice = Field(default_factory=Voice)
    music: Music = Field(default_factory=Music)
    brand: Brand = Field(default_factory=Brand)
    product: Product = Field(default_factory=Product)
    captions: Captions = Field(default_factory=Captions)
    pronunciations: dict[str, str] = Field(default_factory=dict)
    scenes: list[Scene] = Field(default_factory=list, max_length=2000)
    variables: dict[str, Variable] = Field(
        default_factory=dict,
        description="Merge fields: a document with variables is a template (spec/variables.py).",
    )

    @field_validator("variables")
    @classmethod
    def _variables(cls, value: dict[str, Variable]) -> dict[str, Variable]:
        for name in value:
            if re.fullmatch(VARIABLE_NAME, name) is None:
                raise ValueError(f"variable name {name!r} must match {VARIABLE_NAME}")
        return value

    @field_validator("pronunciations")
    @classmethod
    def _pronunciations(cls, value: dict[str, str]) -> dict[str, str]:
        for word in value:
            if not word.strip() or len(word) > 100:
                raise ValueError("each word must be 1 to 100 characters")
        return value

    @model_validator(mode="after")
    def _scene_ids(self) -> Project:
        given = {scene.id for scene in self.scenes if scene.id}
        seen: set[str] = set()
        for index, scene in enumerate(self.scenes):
            if not scene.id:
                scene.id = _free_id(index, given | seen)
            if scene.id in seen:
                raise ValueError(f"scenes[{index}].id: duplicate scene id {scene.id!r}")
            seen.add(scene.id)
        return self

    def to_document(self) -> dict[str, object]:
        """The JSON document, with the document's field names."""
        return self.model_dump(mode="json", by_alias=True)


def _free_id(index: int, taken: set[str]) -> str:
    candidate = f"scene-{index + 1}"
    n = index + 1
    while candidate in taken:
        n += 1
        candidate = f"scene-{n}"
    return candidate


def is_valid_scene_id(value: str) -> bool:
    return re.fullmatch(SCENE_ID, value) is not None
