import deployless as pc


@pc.lambda_function()
def job(event, context):
    pass


pc.configure(policies=[{"DynamoDBReadPolicy": {"TableName": pc.Ref("NoSuchTable")}}])  # ERROR: E10
