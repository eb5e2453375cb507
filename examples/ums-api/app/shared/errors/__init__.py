"""Application errors and their JSON rendering.

Every error body has the shape {"error": <code>, "message": <text>} plus,
for some errors, extra keys (for example "missing_scopes").
"""

from flask import jsonify


class AppError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message, **extra):
        super().__init__(message)
        self.message = message
        self.extra = extra

    def to_dict(self):
        body = {"error": self.code, "message": self.message}
        body.update(self.extra)
        return body


class ValidationError(AppError):
    status = 400
    code = "validation_error"


class UnauthorizedError(AppError):
    status = 401
    code = "unauthorized"


class ForbiddenError(AppError):
    status = 403
    code = "forbidden"


class NotFoundError(AppError):
    status = 404
    code = "not_found"


class ConflictError(AppError):
    status = 409
    code = "conflict"


def error_response(err):
    """Flask error handler: AppError -> (JSON body, status)."""
    response = jsonify(err.to_dict())
    response.status_code = err.status
    if err.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="ums-api"'
    return response


def json_body(request):
    """The body of a Flask request as a JSON object, or ValidationError."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("request body must be a JSON object")
    return data
