"""The signing secret of a user's render webhooks (see docs/webhooks.md)."""

from __future__ import annotations

from fastapi import APIRouter

from reelforge.api.deps import ContextDep, CurrentUser
from reelforge.api.schemas import WebhookSecretPublic
from reelforge.api.webhooks import SIGNATURE_HEADER, user_secret

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@router.get("/secret", operation_id="getWebhookSecret")
def get_webhook_secret(context: ContextDep, user: CurrentUser) -> WebhookSecretPublic:
    """The secret that signs this user's webhook calls: each call carries
    `Reelforge-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + raw body>`."""
    return WebhookSecretPublic(
        secret=user_secret(context.webhook_key, user.id), header=SIGNATURE_HEADER
    )
