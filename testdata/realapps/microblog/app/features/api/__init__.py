from flask import Blueprint

bp = Blueprint('api', __name__)

from app.features.api import users, errors, tokens
