import deployless as pc


@pc.lambda_function()
def job(event, context):
    pass


same = pc.DynamoDB("shared-table", pk="id")
other = pc.DynamoDB("shared-table", pk="key")  # ERROR: E33
pc.configure(resources={"a": same, "b": other})
