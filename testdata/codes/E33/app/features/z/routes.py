import deployless as pc

pc.shared_resource("audit", pc.DynamoDB("audit-log", pk="event_id"))
# The same key again for the same table is fine; for another table it is not.
pc.shared_resource("audit", pc.DynamoDB("audit-log", pk="event_id"))
pc.shared_resource("audit", pc.S3("audit-bucket"))  # ERROR: E33


@pc.lambda_function()
def z_job(event, context):
    pass
