"""deployless: the ``pc`` API of routes.py, typed, and a no-op at run time.

``deployless build`` reads every call below statically and turns it into the
SAM template; when the code runs, the calls only have to exist. This file is
copied into every Lambda package as ``deployless.py``, and
``deployless python-sdk`` wraps the same bytes in a wheel for your own
virtualenv, so tests, ``flask run``, editors and mypy see the same API.

Decorators return the decorated function unchanged; resource constructors
return small objects that keep their arguments (``table.pk``,
``table.params``). Standard library only; runs on Python 3.9 and later
(type-only names are imported under ``TYPE_CHECKING``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, overload

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any, Literal, TypeAlias, TypeVar, Union

    __version__: str  # the installed wheel's version; "0.0.0+runtime" in a Lambda

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
    # Types for annotations.
    "Resource",
    "GSI",
    "Alarms",
    "AlarmThreshold",
    "DurationAlarm",
]

# Default of the parameters where "not given" differs from None (auth=None
# makes a route public; leaving it out inherits the feature's or project's).
_INHERIT: Any = object()


# --------------------------------------------------------------------------
# Dicts the API takes
# --------------------------------------------------------------------------

class _GSIKeys(TypedDict):
    name: str
    pk: str


class GSI(_GSIKeys, total=False):
    """One global secondary index of ``pc.DynamoDB(gsi=[...])``."""

    pk_type: _KeyType
    sk: str
    sk_type: _KeyType
    projection: Literal["ALL", "KEYS_ONLY", "INCLUDE"]
    non_key_attributes: Sequence[str]  # with projection="INCLUDE" only


class AlarmThreshold(TypedDict, total=False):
    """``errors`` / ``throttles`` of ``alarms=``: alarm when >= threshold."""

    threshold: int
    period: int  # seconds


class DurationAlarm(TypedDict, total=False):
    """``duration`` of ``alarms=``: alarm above threshold_pct of the timeout."""

    threshold_pct: int  # 1-100
    period: int  # seconds


class Alarms(TypedDict, total=False):
    """``pc.configure(alarms={...})``: overrides of the project's alarms."""

    errors: AlarmThreshold
    throttles: AlarmThreshold
    duration: DurationAlarm
    sns_topic_arn: str


# --------------------------------------------------------------------------
# Resources: small value objects that keep their arguments.
# --------------------------------------------------------------------------

def _kept(local: dict[str, Any]) -> dict[str, Any]:
    """An __init__'s arguments by parameter name (its locals() on entry)."""
    return {k: v for k, v in local.items() if k != "self" and k != "__class__"}


class _Value:
    """Keeps its constructor's arguments in ``params`` and as attributes."""

    params: dict[str, Any]

    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params
        self.__dict__.update(params)

    def __repr__(self) -> str:
        # The first argument, then the others that differ from their default.
        init = type(self).__init__
        names = init.__code__.co_varnames[1:init.__code__.co_argcount]
        defaults = dict(zip(names[len(names) - len(init.__defaults__ or ()):], init.__defaults__ or ()))
        defaults.update(init.__kwdefaults__ or {})
        changed = {k: v for k, v in self.params.items() if k not in defaults or defaults[k] != v}
        parts = [repr(changed.pop(names[0]))] if names and names[0] in changed else []
        parts += ["%s=%r" % (k, v) for k, v in sorted(changed.items())]
        return "%s(%s)" % (type(self).__name__, ", ".join(parts))

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.params == getattr(other, "params", None)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = object.__hash__


class Resource(_Value):
    """Base of the resources: pc.DynamoDB, S3, SQS, KMS and SSMParameter."""


class DynamoDB(Resource):
    """An AWS::DynamoDB::Table; its env var ``<NAME>_TABLE`` holds the name."""

    table_name: str
    pk: str
    pk_type: _KeyType
    sk: str | None
    sk_type: _KeyType
    gsi: Sequence[GSI] | None
    billing_mode: _BillingMode
    read_capacity: int | None
    write_capacity: int | None
    ttl_attribute: str | None
    stream: _StreamView | None
    point_in_time_recovery: bool
    sse_enabled: bool
    deletion_policy: _DeletionPolicy
    existing: bool

    def __init__(
        self,
        table_name: str,
        *,
        pk: str = "id",
        pk_type: _KeyType = "S",
        sk: str | None = None,
        sk_type: _KeyType = "S",
        gsi: Sequence[GSI] | None = None,
        billing_mode: _BillingMode = "PAY_PER_REQUEST",
        read_capacity: int | None = None,  # PROVISIONED only (default 5)
        write_capacity: int | None = None,  # PROVISIONED only (default 5)
        ttl_attribute: str | None = None,
        stream: _StreamView | None = None,
        point_in_time_recovery: bool = False,
        sse_enabled: bool = True,
        deletion_policy: _DeletionPolicy = "Delete",
        existing: bool = False,  # True: not created, only its env var
    ) -> None:
        _Value.__init__(self, _kept(locals()))

    @property
    def name(self) -> str:
        return self.table_name


class S3(Resource):
    """An AWS::S3::Bucket; its env var ``<NAME>_BUCKET`` holds the name."""

    bucket_name: str
    versioning: bool
    encryption: bool
    cors: Sequence[Mapping[str, Any]] | None
    lifecycle_rules: Sequence[Mapping[str, Any]] | None
    public_access_block: bool
    deletion_policy: _DeletionPolicy
    existing: bool

    def __init__(
        self,
        bucket_name: str,
        *,
        versioning: bool = False,
        encryption: bool = True,  # SSE-S3 (AES256)
        cors: Sequence[Mapping[str, Any]] | None = None,  # CloudFormation CorsRule
        lifecycle_rules: Sequence[Mapping[str, Any]] | None = None,  # CloudFormation Rule
        public_access_block: bool = True,
        deletion_policy: _DeletionPolicy = "Delete",
        existing: bool = False,  # True: not created, only its env var
    ) -> None:
        _Value.__init__(self, _kept(locals()))

    @property
    def name(self) -> str:
        return self.bucket_name


class SQS(Resource):
    """An AWS::SQS::Queue (+ DLQ); its env var ``<NAME>_QUEUE_URL`` the URL."""

    queue_name: str
    fifo: bool
    content_based_deduplication: bool | None
    dlq: bool
    visibility_timeout: int
    message_retention: int
    max_receive_count: int
    encryption: bool
    deletion_policy: _DeletionPolicy
    existing: bool

    def __init__(
        self,
        queue_name: str,
        *,
        fifo: bool = False,  # appends .fifo to the name
        content_based_deduplication: bool | None = None,  # FIFO queues only
        dlq: bool = False,
        visibility_timeout: int = 30,  # seconds, 0-43200
        message_retention: int = 345600,  # seconds, 60-1209600
        max_receive_count: int = 3,  # receives before the DLQ, 1-1000
        encryption: bool = True,  # SSE-SQS
        deletion_policy: _DeletionPolicy = "Delete",
        existing: bool = False,  # True: not created, only its env var
    ) -> None:
        _Value.__init__(self, _kept(locals()))

    @property
    def name(self) -> str:
        return self.queue_name


class KMS(Resource):
    """An AWS::KMS::Key (+ alias); its env var ``<ALIAS>_KEY_ID`` the key ID.

    The functions get no permission on the key: grant it with policies=.
    """

    alias: str | None
    description: str | None
    key_usage: _KeyUsage
    key_spec: _KeySpec
    enable_rotation: bool | None
    deletion_policy: _DeletionPolicy
    existing_key_id: str | None
    env_var: str | None

    def __init__(
        self,
        alias: str | None = None,  # "alias/my-app" or "my-app"
        *,
        description: str | None = None,
        key_usage: _KeyUsage = "ENCRYPT_DECRYPT",
        key_spec: _KeySpec = "SYMMETRIC_DEFAULT",
        enable_rotation: bool | None = None,  # None: on for SYMMETRIC_DEFAULT
        deletion_policy: _DeletionPolicy = "Retain",
        existing_key_id: str | None = None,  # ID or ARN: not created
        env_var: str | None = None,  # overrides the env var's name
    ) -> None:
        _Value.__init__(self, _kept(locals()))

    @property
    def name(self) -> str | None:
        return self.alias


class SSMParameter(Resource):
    """An AWS::SSM::Parameter; its env var (the last path segment) the name."""

    name: str
    value: str | None
    type: _SSMType
    description: str | None
    existing: bool

    def __init__(
        self,
        name: str,  # "/my-app/db/host"
        value: str | None = None,  # required unless existing=True
        *,
        type: _SSMType = "String",
        description: str | None = None,
        existing: bool = False,  # True: not created, only its env var
    ) -> None:
        _Value.__init__(self, _kept(locals()))


# --------------------------------------------------------------------------
# Values for env= and policies=
# --------------------------------------------------------------------------

class SSMParam(_Value):
    """An env value read from an existing SSM parameter at deploy time."""

    name: str
    secure: bool
    version: int | None

    def __init__(
        self,
        name: str,
        secure: bool = False,  # True: a SecureString, decrypted by the bootstrap at cold start
        version: int | None = None,
    ) -> None:
        _Value.__init__(self, _kept(locals()))


class Ref:
    """``{"Ref": LogicalId}`` of a resource object or a logical ID."""

    target: Resource | str

    def __init__(self, resource: Resource | str) -> None:
        self.target = resource

    def __repr__(self) -> str:
        return "Ref(%r)" % (self.target,)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and type(self) is type(other) and self.target == other.target

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = object.__hash__


class GetAtt:
    """``{"Fn::GetAtt": [LogicalId, attr]}`` of a resource or a logical ID."""

    target: Resource | str
    attr: str

    def __init__(self, resource: Resource | str, attr: str) -> None:
        self.target = resource
        self.attr = attr

    def __repr__(self) -> str:
        return "GetAtt(%r, %r)" % (self.target, self.attr)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, GetAtt) and type(self) is type(other)
                and self.target == other.target and self.attr == other.attr)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = object.__hash__


if TYPE_CHECKING:
    _KeyType: TypeAlias = Literal["S", "N", "B"]
    _BillingMode: TypeAlias = Literal["PAY_PER_REQUEST", "PROVISIONED"]
    _StreamView: TypeAlias = Literal["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"]
    # "Snapshot" is refused: CloudFormation does not support it for these.
    _DeletionPolicy: TypeAlias = Literal["Delete", "Retain"]
    _KeyUsage: TypeAlias = Literal["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC"]
    _KeySpec: TypeAlias = Literal[
        "SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384",
        "ECC_NIST_P521", "ECC_SECG_P256K1", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512",
    ]
    # "SecureString" is refused: CloudFormation cannot create one.
    _SSMType: TypeAlias = Literal["String", "StringList"]
    _Architecture: TypeAlias = Literal["x86_64", "arm64"]
    _LogRetention: TypeAlias = Literal[
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
        2922, 3288, 3653,
    ]
    _Auth: TypeAlias = Union[Literal["api_key"], None]  # None: public
    # Every env value becomes a string (None: ""), except these references.
    _EnvValue: TypeAlias = Union[str, int, float, bool, None, Ref, GetAtt, SSMParam]
    # A managed policy name or ARN, a SAM policy template or an IAM policy
    # document (CloudFormation JSON, pc.Ref/pc.GetAtt anywhere inside).
    _Policy: TypeAlias = Union[str, Ref, GetAtt, Mapping[str, Any]]
    _Layer: TypeAlias = Union[str, Ref, GetAtt, Mapping[str, Any]]

    _F = TypeVar("_F", bound=Callable[..., Any])
    # A Lambda handler: the bootstrap calls it with (event, context).
    _H = TypeVar("_H", bound=Callable[[Any, Any], Any])
    _R = TypeVar("_R", bound=Resource)


# --------------------------------------------------------------------------
# Feature configuration
# --------------------------------------------------------------------------

def configure(
    *,
    memory: int | None = None,  # MB, 128-10240
    timeout: int | None = None,  # seconds, 1-900
    description: str | None = None,
    env: Mapping[str, _EnvValue] | None = None,
    layers: Sequence[_Layer] | None = None,  # layer ARNs
    policies: Sequence[_Policy] | None = None,
    resources: Mapping[str, Resource] | None = None,
    architectures: Sequence[_Architecture] | None = None,  # exactly one
    tracing: bool = False,  # X-Ray
    reserved_concurrency: int | None = None,  # >= 0
    provisioned_concurrency: int | None = None,  # >= 1
    ephemeral_storage: int | None = None,  # MB of /tmp, 512-10240
    dlq: bool = False,  # an SQS DLQ for failed asynchronous invocations
    log_retention: _LogRetention | None = None,  # days
    alarms: bool | Alarms = _INHERIT,
    auth: _Auth = _INHERIT,
) -> None:
    """Configure this feature's Lambda. No-op at run time."""


def shared_resource(key: str, resource: _R) -> _R:
    """Give every function of the project this resource. Returns it."""
    return resource


# --------------------------------------------------------------------------
# Decorators: all return the decorated function unchanged.
# --------------------------------------------------------------------------

def _identity(fn: _F) -> _F:
    return fn


@overload
def route(fn: _F, /) -> _F: ...
@overload
def route(
    *,
    memory: int | None = None,
    timeout: int | None = None,
    description: str | None = None,
    auth: _Auth = ...,
) -> Callable[[_F], _F]: ...
def route(
    fn: Any = None,
    /,
    *,
    memory: int | None = None,
    timeout: int | None = None,
    description: str | None = None,
    auth: _Auth = _INHERIT,
) -> Any:
    """Serve this route from a Lambda of its own (above the Flask decorator)."""
    return _identity if fn is None else fn


def cron(
    schedule: str,  # "rate(5 minutes)" or "cron(0 9 * * ? *)"
    *,
    memory: int | None = None,
    timeout: int | None = None,
    env: Mapping[str, _EnvValue] | None = None,
    description: str | None = None,
) -> Callable[[_H], _H]:
    """Run ``fn(event, context)`` on an EventBridge schedule, in its own Lambda."""
    given: Any = schedule
    return given if callable(given) else _identity  # bare @pc.cron: E08 at build


@overload
def lambda_function(fn: _H, /) -> _H: ...
@overload
def lambda_function(
    *,
    memory: int | None = None,
    timeout: int | None = None,
    env: Mapping[str, _EnvValue] | None = None,
    description: str | None = None,
) -> Callable[[_H], _H]: ...
def lambda_function(
    fn: Any = None,
    /,
    *,
    memory: int | None = None,
    timeout: int | None = None,
    env: Mapping[str, _EnvValue] | None = None,
    description: str | None = None,
) -> Any:
    """Deploy ``fn(event, context)`` as a Lambda with no events of its own."""
    return _identity if fn is None else fn


# --------------------------------------------------------------------------
# A name this file does not define: a permissive no-op rather than an
# ImportError on a cold start. Hidden from type checkers, so that a typo
# such as pc.confgure is an error there.
# --------------------------------------------------------------------------

if not TYPE_CHECKING:
    class _NoOp(object):
        def __init__(self, name):
            self._name = name

        def __call__(self, *args, **kwargs):
            if len(args) == 1 and callable(args[0]):
                return args[0]
            return _identity

        def __repr__(self):
            return "<deployless no-op %s>" % self._name

    def __getattr__(name):  # PEP 562
        if name == "__version__":
            try:
                from importlib.metadata import version
                return version("deployless")
            except Exception:  # no dist-info: the copy inside a Lambda package
                return "0.0.0+runtime"
        if name.startswith("_"):
            raise AttributeError("module 'deployless' has no attribute %r" % name)
        return _NoOp(name)
