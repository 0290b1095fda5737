"""Errors of the server's storage layer, on top of `reelforge.errors`.

    ReelforgeError
    ├── NotFound              no such project/scene/asset/render for this user
    ├── RevisionConflict      `If-Match` names a revision that is no longer current
    ├── NothingToUndo         undo at the start of the history, redo at its end
    ├── NotAuthenticated      no or a bad credential
    ├── CsrfRejected          a cookie-authenticated unsafe request without proof of same origin
    ├── InvalidRequest        a request that is well-formed JSON but makes no sense
    └── MediaError
        └── UploadTooLarge    an upload over the size limit

They say what went wrong in the user's words; `reelforge.api.errors` maps them to HTTP.
"""

from __future__ import annotations

from reelforge.errors import MediaError, ReelforgeError


class NotFound(ReelforgeError):
    code = "not_found"


class RevisionConflict(ReelforgeError):
    code = "revision_conflict"


class NothingToUndo(ReelforgeError):
    code = "nothing_to_undo"


class NotAuthenticated(ReelforgeError):
    code = "not_authenticated"


class CsrfRejected(ReelforgeError):
    code = "csrf_rejected"


class InvalidRequest(ReelforgeError):
    code = "invalid_request"


class UploadTooLarge(MediaError):
    code = "too_large"
