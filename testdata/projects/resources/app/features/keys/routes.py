# The seed's KMS examples.
import os

from flask import Blueprint
import deployless as pc

data_key = pc.KMS(alias="mi-app/datos", description="Encryption key for sensitive data", enable_rotation=True)
signing = pc.KMS(alias="alias/mi-app/signing", description="RSA key for signing", key_usage="SIGN_VERIFY", key_spec="RSA_2048")
plain = pc.KMS(enable_rotation=False, deletion_policy="Delete")
existing = pc.KMS(existing_key_id="arn:aws:kms:us-east-1:123456789012:key/abc-123", env_var="TENANT_KEY_ARN")

pc.configure(
    resources={"data": data_key, "signing": signing, "plain": plain, "existing": existing},
    policies=[
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": pc.GetAtt(data_key, "Arn")},
                {"Effect": "Allow", "Action": ["kms:Sign"], "Resource": pc.GetAtt(signing, "Arn")},
                {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": pc.GetAtt(existing, "Arn")},
            ],
        }
    ],
)

bp = Blueprint("keys", __name__, url_prefix="/keys")


@bp.get("")
def index():
    return {}
