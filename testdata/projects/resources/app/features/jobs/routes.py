# The seed's SQS and SSM examples.
import deployless as pc

notifications = pc.SQS("email-notifications")
retried = pc.SQS("email-retries", dlq=True, visibility_timeout=60, message_retention=86400, max_receive_count=5)
orders = pc.SQS("orders", fifo=True, dlq=True)
existing = pc.SQS("legacy-queue", existing=True)
db_host = pc.SSMParameter("/myapp/db/host", value="db.example.com", description="RDS endpoint")
hosts = pc.SSMParameter("/myapp/db/replicas", value="a.example.com,b.example.com", type="StringList")

pc.configure(
    resources={"notifications": notifications, "retried": retried, "orders": orders, "existing": existing,
               "db_host": db_host, "hosts": hosts},
    env={
        "DB_HOST_PARAM": pc.SSMParam("/prod/db/host"),
        "DB_PASS_V3": pc.SSMParam("/prod/db/password", version=3),
    },
    policies=[
        {"SQSSendMessagePolicy": {"QueueName": pc.GetAtt(orders, "QueueName")}},
        {"SSMParameterReadPolicy": {"ParameterName": "myapp/db/host"}},
    ],
)


@pc.lambda_function(description="Consumes the orders queue")
def consume(event, context):
    return {"n": len(event.get("Records", []))}
