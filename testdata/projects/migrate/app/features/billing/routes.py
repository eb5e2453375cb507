import deployless as pc
from flask import Blueprint, jsonify

# BillingFunctionDLQ, named ${AWS::StackName}-billing-dlq.
pc.configure(dlq=True)

billing_bp = Blueprint("billing_bp", __name__, url_prefix="/billing")


@billing_bp.route("/<invoice_id>", methods=["GET"])
def get_invoice(invoice_id):
    return jsonify({})
