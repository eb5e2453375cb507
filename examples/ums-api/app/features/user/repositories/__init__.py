"""Storage of users and sessions.

`user_repository()` / `session_repository()` pick the backend from
app.shared.config: DynamoDB when UMS_USERS_TABLE is set (the template sets it),
otherwise an in-memory store that lives as long as the process (for a Lambda,
as long as its container). boto3 is imported only on the DynamoDB path.
"""

from app.features.user.repositories.memory import InMemorySessionRepository, InMemoryUserRepository
from app.shared.config import get_settings

_memory_users = InMemoryUserRepository()
_memory_sessions = InMemorySessionRepository()


def user_repository():
    settings = get_settings()
    if settings.storage_backend == "dynamodb":
        from app.features.user.repositories.dynamodb import DynamoUserRepository

        return DynamoUserRepository(settings.users_table)
    return _memory_users


def session_repository():
    settings = get_settings()
    if settings.storage_backend == "dynamodb" and settings.sessions_table:
        from app.features.user.repositories.dynamodb import DynamoSessionRepository

        return DynamoSessionRepository(settings.sessions_table)
    return _memory_sessions
