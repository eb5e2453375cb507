import deployless as pc

pc.configure(resources={
    "orders": pc.DynamoDB("legacy-orders", existing=True),
    "uploads": pc.S3("legacy-uploads", existing=True),
    "jobs": pc.SQS("legacy-jobs", existing=True),
    "key": pc.KMS(existing_key_id="alias/legacy-key"),
    "host": pc.SSMParameter("/legacy/db/host", existing=True),
})


@pc.lambda_function()
def work(event, context):
    return {}
