# The seed's S3 examples.
from flask import Blueprint
import deployless as pc

basic = pc.S3("user-uploads")
full = pc.S3(
    "user-archive",
    versioning=True,
    encryption=True,
    public_access_block=True,
    deletion_policy="Retain",
    cors=[{"AllowedOrigins": ["https://mi-app.com"], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"], "MaxAge": 3600}],
    lifecycle_rules=[{"Id": "expire-tmp", "Status": "Enabled", "ExpirationInDays": 7, "Prefix": "tmp/"}],
)
legacy = pc.S3("legacy-bucket", existing=True)

pc.shared_resource("shared_assets", pc.S3("app-shared-assets"))

pc.configure(
    resources={"uploads": basic, "archive": full, "legacy": legacy},
    policies=[
        {"S3CrudPolicy": {"BucketName": pc.Ref(basic)}},
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": pc.GetAtt(legacy, "Arn")}],
        },
    ],
)

bp = Blueprint("files", __name__, url_prefix="/files")


@bp.get("")
def index():
    return {}
