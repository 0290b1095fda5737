"""`GET /projects/{id}/timeline`: scene starts and lengths as they will render."""

from __future__ import annotations

from fastapi import APIRouter

from reelforge.api.deps import ContextDep, CurrentUser, SessionDep
from reelforge.api.schemas import TimelinePublic, TimelineScenePublic
from reelforge.spec import parse_project
from reelforge.store import projects
from reelforge.store.assets import OwnerAssetResolver

router = APIRouter(tags=["projects"])


@router.get("/projects/{project_id}/timeline", operation_id="getProjectTimeline")
def get_timeline(
    project_id: str, session: SessionDep, context: ContextDep, user: CurrentUser
) -> TimelinePublic:
    """Where each scene starts and how long it lasts, with narration synthesised (and cached)
    so scenes with `duration: null` show their real length."""
    from reelforge.render.pipeline import RenderOptions, resolve_project

    _, document = projects.get_document(session=session, owner_id=user.id, project_id=project_id)
    session.close()  # speech synthesis may take a moment; hold no transaction meanwhile
    project = parse_project(document)
    resolver = OwnerAssetResolver(db=context.db, media=context.media, owner_id=user.id)
    timeline = resolve_project(
        project, resolver=resolver, options=RenderOptions(cache_dir=context.cache_dir)
    )
    fps = timeline.fps
    return TimelinePublic(
        duration=timeline.duration,
        frames=timeline.total_frames,
        fps=fps,
        scenes=[
            TimelineScenePublic(
                id=scene.id,
                start=scene.start_frame / fps,
                duration=scene.frames / fps,
                auto=source.duration is None,
                narration_seconds=scene.narration.duration if scene.narration else 0.0,
            )
            for scene, source in zip(timeline.scenes, project.scenes, strict=True)
        ],
    )
