from datetime import datetime, timedelta, timezone

import deployless as pc

from app.extensions import db
from app.models import Note


@pc.cron(schedule="rate(1 day)", description="Archive notes older than 30 days")
def archive_old_notes(event, context):
    """Runs inside the app's context (the bootstrap pushes it), so the
    database session works as in a request."""
    days = int((event or {}).get("days", 30))
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    notes = db.session.execute(db.select(Note).filter(Note.created <= cutoff, Note.archived.is_(False))).scalars().all()
    for note in notes:
        note.archived = True
    db.session.commit()
    return {"archived": len(notes)}
