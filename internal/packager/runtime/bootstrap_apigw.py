# ---------------------------------------------------------------------------
# API Gateway side of the HTTP bootstraps, the same for every framework
# (_deployless_http for Flask, _deployless_asgi for FastAPI): what happens to
# a REST v1 proxy event before the app sees it and to the proxy response
# after, so that clients get the same answers whatever serves them.
#
#   handler = make_handler(config, serve)
#
# config is the function's _CONFIG; make_handler reads its keys
#   cors                None, or {allow_origins, allow_methods, allow_headers,
#                       max_age, allow_credentials, preflight[, expose_headers]}
#   binary_media_types  MIME types answered base64-encoded ("type/*", "*/*" ok)
#   base_path           custom-domain base path to strip ("" or "/v1")
# serve(event, context, public_prefix) runs the app on the event (its path
# without the base path) and returns the proxy response dict
# ({statusCode, headers and/or multiValueHeaders, body, isBase64Encoded});
# public_prefix is what the client's URL has before the app's path ("",
# "/<stage>" on the execute-api domain, or the base path), for the URLs the
# app builds. handler(event, context) answers CORS preflights itself (when
# the config says so), calls serve for everything else, then aligns the
# body's encoding with binary_media_types and adds the CORS headers.
#
# Standard library only: this module is imported before the framework.
# ---------------------------------------------------------------------------
import base64 as _base64
import binascii as _binascii


# ---- event / response header helpers (case-insensitive, both forms) ------

def event_header(event, name):
    """The first value of a request header of the event, or None."""
    name = name.lower()
    single = event.get("headers") or {}
    for key, value in single.items():
        if key.lower() == name and value is not None:
            return value
    multi = event.get("multiValueHeaders") or {}
    for key, values in multi.items():
        if key.lower() == name and values:
            return values[0] if isinstance(values, list) else values
    return None


def response_header(response, name):
    """The (last) value of a header of a proxy response, or None."""
    name = name.lower()
    found = None
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name and values:
            found = values[-1] if isinstance(values, list) else values
    if found is None:
        for key, value in (response.get("headers") or {}).items():
            if key.lower() == name and value is not None:
                found = value
    return found


def set_response_header(response, name, value):
    """Set one header, replacing any same-named header in any case.

    The value goes into multiValueHeaders when the response uses that form,
    else into headers, and is removed from the other form so API Gateway never
    merges two copies."""
    lower = name.lower()
    multi = response.get("multiValueHeaders")
    single = response.get("headers")
    if isinstance(multi, dict):
        for key in [k for k in multi if k.lower() == lower]:
            del multi[key]
        multi[name] = [value]
        if isinstance(single, dict):
            for key in [k for k in single if k.lower() == lower]:
                del single[key]
    else:
        if not isinstance(single, dict):
            single = response["headers"] = {}
        for key in [k for k in single if k.lower() == lower]:
            del single[key]
        single[name] = value


def _add_vary_origin(response):
    tokens = []
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == "vary":
            for v in (values if isinstance(values, list) else [values]):
                tokens.extend(t.strip() for t in str(v).split(","))
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == "vary" and value is not None:
            tokens.extend(t.strip() for t in str(value).split(","))
    tokens = [t for t in tokens if t]
    lowered = [t.lower() for t in tokens]
    if "origin" in lowered or "*" in lowered:
        return
    tokens.append("Origin")
    set_response_header(response, "Vary", ", ".join(tokens))


def http_method(event):
    """The request method of a REST (v1) or HTTP API (v2) event, upper case."""
    method = event.get("httpMethod")
    if not method:
        method = ((event.get("requestContext") or {}).get("http") or {}).get("method")
    return (method or "").upper()


def normalize_base_path(value):
    """"" or "/segment[/segment]" without a trailing "/"."""
    value = (value or "").strip()
    if not value:
        return ""
    if not value.startswith("/"):
        value = "/" + value
    return value.rstrip("/")


class _Gateway(object):
    """The config's CORS, binary and base-path settings, read once."""

    def __init__(self, config):
        self.base_path = normalize_base_path(config.get("base_path"))
        self.binary_types = tuple(
            str(t).replace("~1", "/").split(";")[0].strip().lower()
            for t in (config.get("binary_media_types") or ())
            if t)
        cors = self.cors = config.get("cors") or None
        if cors:
            origins = cors.get("allow_origins") or ()
            if isinstance(origins, str):
                origins = [origins]
            origins = [str(o).strip() for o in origins]
            self.wildcard = "*" in origins
            self.origins_lower = set(o.rstrip("/").lower() for o in origins if o != "*")
            self.credentials = bool(cors.get("allow_credentials"))
            self.preflight = bool(cors.get("preflight"))
            self.methods = ",".join(str(m).upper() for m in (cors.get("allow_methods") or ()))
            self.headers = ",".join(str(h) for h in (cors.get("allow_headers") or ()))
            self.expose = ",".join(str(h) for h in (cors.get("expose_headers") or ()))
            self.max_age = cors.get("max_age")
            # A wildcard cannot carry credentials (E04); should it happen
            # anyway, reflect the request origin like an explicit list would.
            self.reflect = not self.wildcard or self.credentials

    # ---- CORS ---------------------------------------------------------------

    def allow_origin_value(self, origin):
        """The Access-Control-Allow-Origin value for this request, or None."""
        if self.wildcard and not self.reflect:
            return "*"
        if not origin:
            return None
        if self.wildcard or origin.rstrip("/").lower() in self.origins_lower:
            return origin
        return None

    def preflight_response(self, event, origin):
        headers = {"Vary": "Origin"}
        allow = self.allow_origin_value(origin)
        if allow is not None:
            headers["Access-Control-Allow-Origin"] = allow
            methods = self.methods or event_header(event, "access-control-request-method")
            if methods:
                headers["Access-Control-Allow-Methods"] = methods
            allow_headers = self.headers or event_header(event, "access-control-request-headers")
            if allow_headers:
                headers["Access-Control-Allow-Headers"] = allow_headers
            if self.max_age is not None:
                headers["Access-Control-Max-Age"] = str(self.max_age)
            if self.credentials:
                headers["Access-Control-Allow-Credentials"] = "true"
        response = {"statusCode": 204, "body": "", "isBase64Encoded": False}
        if "multiValueHeaders" in event and "version" not in event:
            response["multiValueHeaders"] = {k: [v] for k, v in headers.items()}
        else:
            response["headers"] = headers
        return response

    def add_cors(self, response, origin):
        if response_header(response, "access-control-allow-origin") is not None:
            return  # the application answered CORS itself: leave it alone
        allow = self.allow_origin_value(origin)
        if allow is not None:
            set_response_header(response, "Access-Control-Allow-Origin", allow)
            if self.credentials:
                set_response_header(response, "Access-Control-Allow-Credentials", "true")
            if self.expose:
                set_response_header(response, "Access-Control-Expose-Headers", self.expose)
        if self.reflect:
            # The answer depends on Origin (even when it is missing or not
            # allowed), so caches must key on it.
            _add_vary_origin(response)

    # ---- binary bodies --------------------------------------------------------

    def is_binary_type(self, content_type):
        media = (content_type or "").split(";")[0].strip().lower()
        if not media:
            return False
        for t in self.binary_types:
            if t == "*/*" or t == media:
                return True
            if t.endswith("/*") and media.startswith(t[:-1]):
                return True
        return False

    def fix_binary(self, response):
        body = response.get("body")
        if body is None:
            return
        if self.is_binary_type(response_header(response, "content-type")):
            if not response.get("isBase64Encoded"):
                response["body"] = _base64.b64encode(body.encode("utf-8")).decode("ascii")
                response["isBase64Encoded"] = True
            return
        if response.get("isBase64Encoded") and not response_header(response, "content-encoding"):
            # Not a binary media type of the API: API Gateway would hand the
            # base64 text to the client as is. Send text when it is text.
            try:
                text = _base64.b64decode(body).decode("utf-8")
            except (ValueError, _binascii.Error, UnicodeDecodeError):
                return
            response["body"] = text
            response["isBase64Encoded"] = False

    # ---- paths --------------------------------------------------------------

    def strip_base_path(self, event):
        """The event without the custom domain's base path, and whether it had it."""
        if not self.base_path:
            return event, False
        stripped = False
        for key in ("path", "rawPath"):
            path = event.get(key)
            if isinstance(path, str) and (
                    path == self.base_path or path.startswith(self.base_path + "/")):
                event = dict(event)
                event[key] = path[len(self.base_path):] or "/"
                stripped = True
        return event, stripped

    def public_prefix(self, event, stripped):
        """The prefix of the URL the client used, before the app's path."""
        if stripped:
            return self.base_path
        ctx = event.get("requestContext") or {}
        domain = str(ctx.get("domainName") or event_header(event, "host") or "").lower()
        stage = ctx.get("stage")
        if stage and ".execute-api." in domain and domain.endswith(".amazonaws.com"):
            return "/" + str(stage)
        return ""


def make_handler(config, serve):
    """The Lambda handler(event, context) of an HTTP function.

    serve(event, context, public_prefix) answers one request with a proxy
    response dict; see the top of this module."""
    gw = _Gateway(config)
    cors = gw.cors

    def handler(event, context):
        event, stripped = gw.strip_base_path(event)
        prefix = gw.public_prefix(event, stripped)
        origin = event_header(event, "origin") if cors else None
        if (cors and gw.preflight and origin and http_method(event) == "OPTIONS"
                and event_header(event, "access-control-request-method")):
            return gw.preflight_response(event, origin)
        response = serve(event, context, prefix)
        gw.fix_binary(response)
        if cors:
            gw.add_cors(response, origin)
        return response

    return handler
