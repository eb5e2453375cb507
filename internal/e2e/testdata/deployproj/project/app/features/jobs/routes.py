import deployless as pc


# A second feature with a function of its own (a cron: it needs no API
# authentication answer in the guided wizard), so that a change to the notes
# feature is shown to leave this function's zip alone.
@pc.cron(schedule="rate(1 day)")
def purge_jobs(event, context):
    return {"purged": 0}
