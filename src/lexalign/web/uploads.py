"""Reading an upload without reading more of it than the limits allow.

Starlette's multipart parser caps the size of plain form fields but not of files: a 60 MB file
sent to a server started with ``--max-size 20`` was spooled whole before the check refused it.
Here each file part is counted as it streams in, and the request is refused with 413 as soon as
one file passes the limit; the rest of the body is never read.
"""
from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from .security import Refused


def megabytes(n: int) -> str:
    return f"{n / 1e6:g} MB"


class FileTooLarge(Exception):
    def __init__(self, filename: str, limit: int) -> None:
        super().__init__(filename)
        self.filename = filename
        self.limit = limit


class SizedMultiPartParser(MultiPartParser):
    """A multipart parser that stops at the first file part larger than ``max_file_size`` bytes."""

    def __init__(self, *args, max_file_size: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.max_file_size = max_file_size
        self._file_bytes = 0

    def on_part_begin(self) -> None:
        super().on_part_begin()
        self._file_bytes = 0

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self._current_part
        if part.file is not None:
            self._file_bytes += end - start
            if self._file_bytes > self.max_file_size:
                raise FileTooLarge(part.file.filename or "upload", self.max_file_size)
        super().on_part_data(data, start, end)


async def read_form(request: Request, max_bytes: int, max_files: int, max_fields: int = 50,
                    multipart_only: bool = False) -> FormData:
    """The form of an upload request, each file and field at most ``max_bytes``; :class:`Refused`
    (415, 413 or 400, with a one-line reason) otherwise."""
    ctype = request.headers.get("content-type", "")
    too_large = f"larger than the {megabytes(max_bytes)} limit; start the server with --max-size to raise it"
    if ctype.startswith("multipart/form-data"):
        parser = SizedMultiPartParser(request.headers, request.stream(), max_files=max_files, max_fields=max_fields,
                                      max_part_size=max_bytes + 1, max_file_size=max_bytes)
        try:
            form = await parser.parse()
        except FileTooLarge as exc:
            raise Refused(413, f"{_short(exc.filename)}: {too_large}") from None
        except MultiPartException as exc:
            if "maximum size" in exc.message:
                raise Refused(413, f"the pasted text is {too_large}") from None
            raise Refused(400, f"the upload could not be read: {exc.message}") from None
        except HTTPException:
            raise
        except Exception as exc:  # malformed multipart
            raise Refused(400, f"the upload could not be read: {' '.join(str(exc).split())[:200]}") from None
        request._form = form  # starlette closes (and removes) the spooled files when the request ends
        return form
    if not multipart_only and ctype.startswith("application/x-www-form-urlencoded"):
        try:
            return await request.form(max_files=max_files, max_fields=max_fields, max_part_size=max_bytes + 1)
        except HTTPException as exc:
            if "maximum size" in str(exc.detail):
                raise Refused(413, f"the pasted text is {too_large}") from None
            raise Refused(400, f"the form could not be read: {exc.detail}") from None
    raise Refused(415, "send the statute as multipart/form-data with the file(s) in the field 'file'")


def _short(name: str) -> str:
    from .checker import safe_name
    return safe_name(name)
