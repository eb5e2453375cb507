from flask import Blueprint
import deployless as pc

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}


r0 = pc.DynamoDB("tbl-a", pk_type="X")  # ERROR: E00
r1 = pc.DynamoDB("tbl-b", pk="id", gsi=[{"name": "G", "pk": "id", "pk_type": "N"}])  # ERROR: E00
r2 = pc.DynamoDB("tbl-c", gsi=[{"name": "G", "pk": "a"}, {"name": "G", "pk": "b"}])  # ERROR: E00
r3 = pc.DynamoDB("tbl-d", gsi=[{"name": "G", "pk": "a", "projection": "INCLUDE"}])  # ERROR: E00
r4 = pc.DynamoDB("tbl-e", gsi=[{"name": "G", "pk": "a", "non_key_attributes": ["x"]}])  # ERROR: E00
r5 = pc.DynamoDB("tbl-f", gsi=[{"name": "G", "pk": "a", "projection": "SOME"}])  # ERROR: E00
r6 = pc.DynamoDB("tbl-g", gsi=[{"pk": "a"}])  # ERROR: E00
r7 = pc.DynamoDB("tbl-h", gsi=[{"name": "G", "pk": "a", "sort": "b"}])  # ERROR: E00
r8 = pc.DynamoDB("tbl-i", billing_mode="ON_DEMAND")  # ERROR: E00
r9 = pc.DynamoDB("tbl-j", billing_mode="PROVISIONED", read_capacity=0)  # ERROR: E00
r10 = pc.DynamoDB("tbl-k", stream="ALL")  # ERROR: E00
r11 = pc.DynamoDB("tbl-l", deletion_policy="Snapshot")  # ERROR: E00
r12 = pc.DynamoDB("tbl-m", deletion_policy="Keep")  # ERROR: E00
r13 = pc.DynamoDB("ab")  # ERROR: E00
r14 = pc.DynamoDB("tbl n")  # ERROR: E00
r15 = pc.DynamoDB(pk="id")  # ERROR: E00
r16 = pc.S3("ab")  # ERROR: E00
r17 = pc.S3("my_bucket")  # ERROR: E00
r18 = pc.S3("Upper.Case")  # ERROR: E00
r19 = pc.S3("ok-bucket-a", deletion_policy="Snapshot")  # ERROR: E00
r20 = pc.S3(versioning=True)  # ERROR: E00
r21 = pc.SQS("qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq")  # ERROR: E00
r22 = pc.SQS("bad.name")  # ERROR: E00
r23 = pc.SQS("q-vis", visibility_timeout=43201)  # ERROR: E00
r24 = pc.SQS("q-ret", message_retention=59)  # ERROR: E00
r25 = pc.SQS("q-rec", dlq=True, max_receive_count=0)  # ERROR: E00
r26 = pc.SQS(fifo=True)  # ERROR: E00
r27 = pc.KMS(alias="bad alias")  # ERROR: E00
r28 = pc.KMS(alias="alias/aws/mine")  # ERROR: E00
r29 = pc.KMS(alias="k-usage", key_usage="ENCRYPT")  # ERROR: E00
r30 = pc.KMS(alias="k-spec", key_spec="RSA_1024")  # ERROR: E00
r31 = pc.KMS(alias="k-rot", key_usage="SIGN_VERIFY", key_spec="RSA_2048", enable_rotation=True)  # ERROR: E00
r32 = pc.KMS(alias="k-ecc", key_spec="ECC_NIST_P256")  # ERROR: E00
r33 = pc.KMS(alias="k-sym", key_usage="SIGN_VERIFY")  # ERROR: E00
r34 = pc.KMS(alias="k-hmac", key_spec="HMAC_256")  # ERROR: E00
r35 = pc.SSMParameter("app/x", value="v")  # ERROR: E00
r36 = pc.SSMParameter("/app/x y", value="v")  # ERROR: E00
r37 = pc.SSMParameter("/app/empty", value="")  # ERROR: E00
r38 = pc.SSMParameter("/app/secret", value="s", type="SecureString")  # ERROR: E00
r39 = pc.SSMParameter("/app/typed", value="v", type="Text")  # ERROR: E00

pc.configure(
    resources={"r0": r0, "r1": r1, "r2": r2, "r3": r3, "r4": r4, "r5": r5, "r6": r6, "r7": r7, "r8": r8, "r9": r9, "r10": r10, "r11": r11, "r12": r12, "r13": r13, "r14": r14, "r15": r15, "r16": r16, "r17": r17, "r18": r18, "r19": r19, "r20": r20, "r21": r21, "r22": r22, "r23": r23, "r24": r24, "r25": r25, "r26": r26, "r27": r27, "r28": r28, "r29": r29, "r30": r30, "r31": r31, "r32": r32, "r33": r33, "r34": r34, "r35": r35, "r36": r36, "r37": r37, "r38": r38, "r39": r39},
    env={"S": pc.SSMParam("app/secret", secure=True)},  # ERROR: E00
)
