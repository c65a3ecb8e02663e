"""The fake platform itself: wire format, recording and injected faults."""

import threading

import pytest
import requests

from .platform import FakePlatform


@pytest.fixture
def platform():
    with FakePlatform(seed=7) as running:
        yield running


def test_posts_are_stored_and_listed_newest_first(platform):
    first = requests.post(
        f"{platform.url}/page-1/feed", data={"message": "a", "link": "http://x/a", "access_token": "t"}
    )
    second = requests.post(
        f"{platform.url}/page-1/feed",
        json={"message": "b", "link": "http://x/b"},
        headers={"Authorization": "Bearer t"},
    )
    assert first.json() == {"id": "page-1_1"} and second.json() == {"id": "page-1_2"}

    feed = requests.get(f"{platform.url}/v19.0/page-1/feed", params={"fields": "id,link", "access_token": "t"})

    assert feed.json() == {"data": [{"id": "page-1_2", "link": "http://x/b"}, {"id": "page-1_1", "link": "http://x/a"}]}
    assert platform.posts_per_link() == {"http://x/a": 1, "http://x/b": 1}
    assert [(r.method, r.path, r.account_id) for r in platform.requests] == [
        ("POST", "/page-1/feed", "page-1"),
        ("POST", "/page-1/feed", "page-1"),
        ("GET", "/page-1/feed", "page-1"),
    ]
    assert "access_token" not in platform.requests[0].params


def test_edit_and_delete(platform):
    post_id = requests.post(f"{platform.url}/page-1/feed", data={"link": "http://x/a", "access_token": "t"}).json()[
        "id"
    ]

    edited = requests.post(f"{platform.url}/{post_id}", data={"message": "new", "access_token": "t"})
    deleted = requests.delete(f"{platform.url}/{post_id}", params={"access_token": "t"})
    again = requests.delete(f"{platform.url}/{post_id}", params={"access_token": "t"})

    assert edited.json() == deleted.json() == {"success": True}
    assert again.status_code == 400 and again.json()["error"]["code"] == 100
    assert platform.posts() == [] and platform.posts(include_deleted=True)[0].message == "new"
    assert platform.requests[-1].account_id == "page-1"


def test_errors_have_graphs_shape(platform):
    platform.revoke("old")
    missing = requests.post(f"{platform.url}/page-1/feed", data={"access_token": "t"})
    revoked = requests.post(f"{platform.url}/page-1/feed", data={"link": "http://x", "access_token": "old"})

    assert missing.status_code == 400 and missing.json()["error"]["code"] == 100
    assert revoked.status_code == 401
    assert set(revoked.json()["error"]) == {"message", "type", "code", "error_subcode", "fbtrace_id"}
    assert revoked.json()["error"]["code"] == 190


def test_injected_faults_follow_the_seed():
    def statuses(seed):
        with FakePlatform(error_rate=0.3, rate_limit_rate=0.1, retry_after=2, seed=seed) as platform:
            for _ in range(40):
                requests.get(f"{platform.url}/page-1/feed", params={"access_token": "t"})
            return [r.status for r in platform.requests]

    first = statuses(3)
    assert first == statuses(3)
    assert {200, 429} <= set(first) and ({500, 502} & set(first))


def test_429_carries_retry_after_and_early_requests_are_reported(platform):
    platform.rate_limit_rate, platform.retry_after = 1.0, 30
    limited = requests.get(f"{platform.url}/page-1/feed", params={"access_token": "t"})
    platform.rate_limit_rate = 0.0
    requests.get(f"{platform.url}/page-1/feed", params={"access_token": "t"})  # too early
    requests.get(f"{platform.url}/page-2/feed", params={"access_token": "t"})  # another account: fine

    assert limited.status_code == 429 and limited.headers["Retry-After"] == "30"
    assert limited.json()["error"]["code"] == 4
    early = platform.early_requests()
    assert [(limit.status, request.account_id) for limit, request in early] == [(429, "page-1")]


def test_hold_blocks_the_answer_after_the_post_is_stored(platform):
    hold = platform.hold_next_post("page-1")
    answers = []
    client = threading.Thread(
        target=lambda: answers.append(
            requests.post(f"{platform.url}/page-1/feed", data={"link": "http://x/a", "access_token": "t"})
        )
    )
    client.start()

    assert hold.wait_held(timeout=5)
    assert hold.post.link == "http://x/a" and platform.posts_per_link() == {"http://x/a": 1}
    assert not answers
    hold.release()
    client.join(timeout=5)
    assert answers[0].json() == {"id": hold.post.id}


def test_latency_delays_every_answer():
    with FakePlatform(latency=0.2) as platform:
        response = requests.get(f"{platform.url}/page-1/feed", params={"access_token": "t"})
    assert response.elapsed.total_seconds() >= 0.2


def test_hold_before_store_blocks_before_the_post_exists(platform):
    hold = platform.hold_next_post(before_store=True)
    client = threading.Thread(
        target=requests.post, args=(f"{platform.url}/page-1/feed",), kwargs={"data": {"link": "x", "access_token": "t"}}
    )
    client.start()

    assert hold.wait_held(timeout=5)
    assert hold.post is None and platform.posts() == []
    assert not platform.wait_idle(timeout=0.1)
    hold.release()
    assert platform.wait_idle(timeout=5)
    assert platform.posts_per_link() == {"x": 1}
    client.join(timeout=5)


def test_a_lost_answer_still_stores_the_post(platform):
    platform.lose_next_answer("page-1")

    lost = requests.post(f"{platform.url}/page-1/feed", data={"link": "http://x/a", "access_token": "t"})
    fine = requests.post(f"{platform.url}/page-1/feed", data={"link": "http://x/b", "access_token": "t"})

    assert lost.status_code == 502 and lost.headers["Content-Type"].startswith("text/html")
    assert fine.status_code == 200
    assert platform.posts_per_link() == {"http://x/a": 1, "http://x/b": 1}


def test_stopping_opens_a_held_request():
    platform = FakePlatform().start()
    hold = platform.hold_next_post(max_wait=30)
    answers = []
    client = threading.Thread(
        target=lambda: answers.append(requests.post(f"{platform.url}/p/feed", data={"link": "x", "access_token": "t"}))
    )
    client.start()
    assert hold.wait_held(timeout=5)

    platform.stop()
    client.join(timeout=5)

    assert not client.is_alive() and answers[0].status_code == 200
