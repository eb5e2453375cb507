# The single-file Flask layout: routes on the app object belong to no
# feature, so no function would serve them.
from flask import Flask

app = Flask(__name__)


@app.route("/")  # ERROR: E10
def index():
    return "index"


app.add_url_rule("/about", "about", index)  # ERROR: E10
