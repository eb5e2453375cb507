"""Request and response shapes of the user feature."""

import re
from dataclasses import dataclass, field

from app.shared.errors import ValidationError

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 8


def _email(value):
    if not isinstance(value, str) or not EMAIL_RE.match(value.strip()):
        raise ValidationError("email must be a valid email address", field="email")
    return value.strip().lower()


def _password(value):
    if not isinstance(value, str) or len(value) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "password must be a string of at least %d characters" % MIN_PASSWORD_LENGTH,
            field="password",
        )
    return value


def _scopes(value):
    if not isinstance(value, list) or not all(isinstance(s, str) and s for s in value):
        raise ValidationError("scopes must be a list of non-empty strings", field="scopes")
    # Keep the caller's order, drop duplicates.
    return list(dict.fromkeys(value))


@dataclass
class CreateUserRequest:
    email: object = None
    password: object = None
    scopes: object = field(default_factory=list)

    def validated(self):
        return CreateUserRequest(
            email=_email(self.email),
            password=_password(self.password),
            scopes=_scopes([] if self.scopes is None else self.scopes),
        )


@dataclass
class UpdateUserRequest:
    email: object = None
    password: object = None
    scopes: object = None

    def validated(self):
        if self.email is None and self.password is None and self.scopes is None:
            raise ValidationError("provide at least one of: email, password, scopes")
        return UpdateUserRequest(
            email=None if self.email is None else _email(self.email),
            password=None if self.password is None else _password(self.password),
            scopes=None if self.scopes is None else _scopes(self.scopes),
        )


@dataclass
class UserResponse:
    user_id: str
    tenant_id: str
    email: str
    scopes: list
    created_at: str
    updated_at: str

    @classmethod
    def from_item(cls, item):
        return cls(
            user_id=item["user_id"],
            tenant_id=item["tenant_id"],
            email=item["email"],
            scopes=list(item.get("scopes") or []),
            created_at=item["created_at"],
            updated_at=item["updated_at"],
        )

    def to_dict(self):
        return {
            "user_id": self.user_id,
            "tenant_id": self.tenant_id,
            "email": self.email,
            "scopes": list(self.scopes),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass
class UserListResponse:
    items: list

    def to_dict(self):
        return {"items": [u.to_dict() for u in self.items], "count": len(self.items)}


@dataclass
class ExportResponse:
    tenant_id: str
    exported_at: str
    items: list

    def to_dict(self):
        return {
            "tenant_id": self.tenant_id,
            "exported_at": self.exported_at,
            "count": len(self.items),
            "items": [u.to_dict() for u in self.items],
        }
