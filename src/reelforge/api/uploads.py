"""Read a multipart upload straight into the media store, stopping at the size limit.

Starlette's form parser would first spool the whole body; this reader writes the `file` part to
the store's temporary file as it arrives and gives up as soon as the limit is passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from reelforge.errors import InvalidRequest, UploadTooLarge
from reelforge.store.media import Upload

FILE_FIELD = "file"
# Room for the multipart framing around the file when checking Content-Length up front.
FRAMING_ALLOWANCE = 64 * 1024


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None


class _Reader:
    def __init__(self, upload: Upload) -> None:
        self.upload = upload
        self.part = _Part()
        self.header_name = b""
        self.header_value = b""
        self.filename: str | None = None
        self.writing = False
        self.other_bytes = 0

    def on_part_begin(self) -> None:
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.part.headers[self.header_name.lower()] = self.header_value
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.part.headers.get(b"content-disposition", b""))
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        raw_filename = options.get(b"filename")
        self.part.filename = raw_filename.decode("utf-8", "replace") if raw_filename else None
        self.writing = self.part.name == FILE_FIELD and self.filename is None
        if self.writing:
            self.filename = self.part.filename or "upload"

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.writing:
            self.upload.write(data[start:end])
        else:  # other fields are ignored, but not without bound
            self.other_bytes += end - start
            if self.other_bytes > FRAMING_ALLOWANCE:
                raise InvalidRequest("only one field, `file`, is expected", field="body")

    def on_part_end(self) -> None:
        self.writing = False


async def receive_file(request: Request, upload: Upload, *, limit: int) -> str:
    """Stream the request's `file` part into `upload`; returns the file name the client gave."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise InvalidRequest("upload media as multipart/form-data with a `file` part", field="file")
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit + FRAMING_ALLOWANCE:
        raise UploadTooLarge(f"the upload is larger than {limit} bytes", field="file")
    reader = _Reader(upload)
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": reader.on_part_begin,
            "on_part_data": reader.on_part_data,
            "on_part_end": reader.on_part_end,
            "on_header_field": reader.on_header_field,
            "on_header_value": reader.on_header_value,
            "on_header_end": reader.on_header_end,
            "on_headers_finished": reader.on_headers_finished,
        },
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError:
        raise InvalidRequest("the multipart body is malformed", field="body") from None
    if reader.filename is None:
        raise InvalidRequest("the upload has no `file` part", field="file")
    upload.close()
    if upload.size == 0:
        raise InvalidRequest("the uploaded file is empty", field="file")
    return reader.filename
