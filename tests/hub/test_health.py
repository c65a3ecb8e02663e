import pytest


@pytest.mark.django_db
def test_healthy_when_database_and_redis_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_503_names_redis_when_it_is_down(client, settings, unused_tcp_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{unused_tcp_port}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "down"}


@pytest.mark.django_db
def test_503_names_the_database_when_it_is_down(client, monkeypatch):
    from hub import health

    def broken():
        raise health.connection.OperationalError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "redis": "ok"}


def test_only_get_is_allowed(client):
    assert client.post("/healthz").status_code == 405
