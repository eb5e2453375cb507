"""The app's own tests, run in the developer's virtualenv (the app's
requirements plus the deployless wheel: `deployless python-sdk`), as they
would be without deployless."""
import re

import pytest

from app import create_app
from app.extensions import db
from app.features.notes.tasks import archive_old_notes
from app.models import Note


@pytest.fixture()
def app(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "test.db")})
    yield app


@pytest.fixture()
def client(app):
    return app.test_client()


def register_and_log_in(client):
    r = client.post("/api/accounts/users", json={"email": "ada@example.com", "password": "correct horse"})
    assert r.status_code == 201
    page = client.get("/accounts/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    r = client.post("/accounts/login", data={"email": "ada@example.com", "password": "correct horse", "csrf_token": token})
    assert r.status_code == 302
    assert r.headers["Location"] == "/notes/"


def test_login_requires_the_csrf_token(client):
    client.post("/api/accounts/users", json={"email": "ada@example.com", "password": "correct horse"})
    r = client.post("/accounts/login", data={"email": "ada@example.com", "password": "correct horse"})
    assert r.status_code == 400


def test_notes_page_links_across_features(client):
    register_and_log_in(client)
    assert client.post("/notes/api", json={"text": "buy milk"}).status_code == 201
    page = client.get("/notes/").get_data(as_text=True)
    assert "buy milk" in page
    assert 'href="/accounts/logout"' in page
    assert 'href="/api/accounts/me"' in page


def test_method_view(client):
    register_and_log_in(client)
    note = client.post("/notes/api", json={"text": "x"}).get_json()
    assert client.get(f"/notes/api/{note['id']}").get_json()["archived"] is False
    assert client.delete(f"/notes/api/{note['id']}").status_code == 204
    assert client.get(f"/notes/api/{note['id']}").status_code == 404


def test_archive_cron(app, client):
    register_and_log_in(client)
    client.post("/notes/api", json={"text": "old"})
    with app.app_context():
        assert archive_old_notes({"days": 0}, None) == {"archived": 1}
        assert db.session.execute(db.select(Note)).scalar_one().archived
