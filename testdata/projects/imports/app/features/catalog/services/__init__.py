from app.shared import settings


def table_name():
    return settings.TABLE
