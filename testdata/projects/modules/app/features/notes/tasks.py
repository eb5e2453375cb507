import deployless as pc


@pc.cron(schedule="rate(1 day)")
def purge(event, context):
    return {"purged": 0}
