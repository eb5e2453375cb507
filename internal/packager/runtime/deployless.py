"""deployless runtime stub.

This module is copied into every Lambda package built by ``deployless build``
so that ``import deployless as pc`` (or ``from deployless import configure,
DynamoDB as Table``) in application code keeps working inside the Lambda
without installing the real package.

Everything here is a no-op: the compiler has already read and validated every
call statically, so at run time the calls only have to return something
sensible and never raise.  Pure standard library, Python 3.9+.
"""

__version__ = "0.0.0+runtime"

__all__ = [
    "configure",
    "route",
    "cron",
    "lambda_function",
    "shared_resource",
    "DynamoDB",
    "S3",
    "SQS",
    "KMS",
    "SSMParameter",
    "SSMParam",
    "Ref",
    "GetAtt",
]


# --------------------------------------------------------------------------
# Feature configuration
# --------------------------------------------------------------------------

def configure(*args, **kwargs):
    """No-op at run time: the Lambda configuration lives in template.yaml."""
    return None


# --------------------------------------------------------------------------
# Decorators: all return the decorated function unchanged and accept being
# used with or without parentheses (``@pc.route`` and ``@pc.route(...)``).
# --------------------------------------------------------------------------

def _identity(fn):
    return fn


def _decorator(args):
    if len(args) == 1 and callable(args[0]):
        return args[0]
    return _identity


def route(*args, **kwargs):
    """Split a route into its own Lambda. No-op at run time."""
    return _decorator(args)


def cron(*args, **kwargs):
    """Schedule a function on EventBridge. No-op at run time."""
    return _decorator(args)


def lambda_function(*args, **kwargs):
    """Deploy a function as a standalone Lambda. No-op at run time."""
    return _decorator(args)


def shared_resource(key, resource=None, *args, **kwargs):
    """Declare a project-wide resource. Returns the resource unchanged."""
    return resource


# --------------------------------------------------------------------------
# Resources: small value objects that keep their arguments.
# --------------------------------------------------------------------------

class _Resource(object):
    # Name of the first positional parameter (None when it has none).
    _first = "name"

    def __init__(self, *args, **kwargs):
        params = dict(kwargs)
        if args:
            first = self._first or "name"
            params.setdefault(first, args[0])
            if len(args) > 1:
                params.setdefault("args", tuple(args[1:]))
        self.params = params

    @property
    def name(self):
        return self.params.get(self._first) if self._first else None

    def __getattr__(self, item):
        # Only called when normal lookup fails: expose the arguments that were
        # given as attributes (``table.pk``).
        params = self.__dict__.get("params")
        if item.startswith("_") or params is None or item not in params:
            raise AttributeError(
                "%s has no attribute %r" % (type(self).__name__, item))
        return params[item]

    def __repr__(self):
        parts = []
        first = self._first
        if first and first in self.params:
            parts.append(repr(self.params[first]))
        for key in sorted(self.params):
            if key == first:
                continue
            parts.append("%s=%r" % (key, self.params[key]))
        return "%s(%s)" % (type(self).__name__, ", ".join(parts))

    def __eq__(self, other):
        return type(self) is type(other) and self.params == other.params

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = object.__hash__


class DynamoDB(_Resource):
    """pc.DynamoDB(table_name, pk="id", ...)"""
    _first = "table_name"


class S3(_Resource):
    """pc.S3(bucket_name, ...)"""
    _first = "bucket_name"


class SQS(_Resource):
    """pc.SQS(queue_name, ...)"""
    _first = "queue_name"


class KMS(_Resource):
    """pc.KMS(alias=None, ..., existing_key_id=None, env_var=None)"""
    _first = "alias"


class SSMParameter(_Resource):
    """pc.SSMParameter(name, value, type="String", ...)"""
    _first = "name"


class SSMParam(_Resource):
    """pc.SSMParam(name, secure=False, version=None)"""
    _first = "name"


# --------------------------------------------------------------------------
# CloudFormation references
# --------------------------------------------------------------------------

class Ref(object):
    """pc.Ref(resource_or_logical_id)"""

    def __init__(self, target=None, *args, **kwargs):
        self.target = target

    def __repr__(self):
        return "Ref(%r)" % (self.target,)

    def __eq__(self, other):
        return type(self) is type(other) and self.target == other.target

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = object.__hash__


class GetAtt(object):
    """pc.GetAtt(resource_or_logical_id, attribute)"""

    def __init__(self, target=None, attr=None, *args, **kwargs):
        self.target = target
        self.attr = attr

    def __repr__(self):
        return "GetAtt(%r, %r)" % (self.target, self.attr)

    def __eq__(self, other):
        return (type(self) is type(other) and self.target == other.target
                and self.attr == other.attr)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = object.__hash__


# --------------------------------------------------------------------------
# Anything else the compiler accepted but this stub does not know yet: a
# permissive no-op rather than an ImportError on a cold start.
# --------------------------------------------------------------------------

class _NoOp(object):
    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        return _decorator(args) if args else _identity

    def __repr__(self):
        return "<deployless no-op %s>" % self._name


def __getattr__(name):  # PEP 562, Python 3.7+
    if name.startswith("_"):
        raise AttributeError("module 'deployless' has no attribute %r" % name)
    return _NoOp(name)
