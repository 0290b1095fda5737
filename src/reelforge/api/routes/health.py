"""`GET /api/health`: open, for load balancers and the test fixture."""

from __future__ import annotations

from fastapi import APIRouter

from reelforge import __version__
from reelforge.api.schemas import HealthPublic

router = APIRouter(tags=["health"])


@router.get("/health", operation_id="getHealth")
def get_health() -> HealthPublic:
    return HealthPublic(version=__version__)
