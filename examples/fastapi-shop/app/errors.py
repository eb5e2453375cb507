"""The shop's own errors, rendered by an app-wide exception handler as
{"error": <code>, "message": <text>}.

FastAPI's own errors keep FastAPI's shapes: HTTPException answers
{"detail": ...} and a request that fails validation answers 422 with
{"detail": [<pydantic errors>]}.
"""

from fastapi.responses import JSONResponse


class ShopError(Exception):
    status_code = 400
    error = "bad_request"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Conflict(ShopError):
    status_code = 409
    error = "conflict"


class Forbidden(ShopError):
    status_code = 403
    error = "forbidden"


def error_response(exc: ShopError) -> JSONResponse:
    return JSONResponse({"error": exc.error, "message": exc.message}, status_code=exc.status_code)
