"""The YouTube transport against a loopback fake of YouTube and Google's token endpoint.

No database: accounts are unsaved model instances with a primary key. The video file lives in
``default_storage``; the cache is a per-test local-memory cache (never the shared Redis).
"""

import logging
import os
import uuid
from dataclasses import replace

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from channels import crypto
from channels.models import ChannelAccount, Delivery
from channels.snapshot import ArticleSnapshot, VideoInfo
from channels.transports.base import Delivered, Failure, LookupFailed, Post, Unsupported
from channels.youtube import Transport, adapt
from tests.fakes.youtube import FakeYouTube, Response, google_error

ErrorKind = Delivery.ErrorKind
UNIT = 256 * 1024
SIZE = 1_300_000  # 4 full chunks of 256 KiB and a last one of 251,424 bytes
REFRESH_TOKEN = "1//fake-refresh-token"
JAN_15_NOON_PACIFIC = 1_768_507_200.0  # 2026-01-15 20:00 UTC = 12:00 PST: 12 h to midnight
JUL_1_2330_PACIFIC = 1_782_887_400.0  # 2026-07-01 06:30 UTC = 23:30 PDT: 30 min to midnight


class Clock:
    def __init__(self, now: float = JAN_15_NOON_PACIFIC):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake():
    with FakeYouTube(refresh_tokens=(REFRESH_TOKEN,)) as server:
        yield server


@pytest.fixture(autouse=True)
def youtube_settings(settings, fake):
    settings.YOUTUBE_API_URL = f"{fake.url}/youtube/v3"
    settings.YOUTUBE_UPLOAD_URL = f"{fake.url}/upload/youtube/v3"
    settings.GOOGLE_OAUTH_TOKEN_URL = f"{fake.url}/token"
    settings.YOUTUBE_CLIENT_ID = fake.client_id
    settings.YOUTUBE_CLIENT_SECRET = fake.client_secret
    location = f"youtube-tests-{uuid.uuid4()}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}}


@pytest.fixture
def video():
    """A 1.3 MB file of random bytes in default_storage: ``(storage name, bytes)``."""
    data = os.urandom(SIZE)
    name = default_storage.save("youtube-tests/x.mp4", ContentFile(data))  # a free name: x_<random>.mp4 if taken
    yield name, data
    default_storage.delete(name)


@pytest.fixture
def account():
    return ChannelAccount(pk=41, channel="youtube", name="YouTube Pemkab", external_id="UCx", token=REFRESH_TOKEN)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def make_transport(account, clock, sleeps):
    def factory(the_account=None, **options) -> Transport:
        options = {"CHUNK_SIZE": UNIT, "TIMEOUT": 5, **options}
        return Transport(the_account or account, options, clock=clock, sleep=sleeps.append)

    return factory


@pytest.fixture
def post(video) -> Post:
    name, data = video
    article = ArticleSnapshot(
        id=3,
        title="Jembatan Gantung Desa Mekarsari Diresmikan 🎉",
        summary="Warga kini bisa menyeberang dengan aman.",
        canonical_url="https://sukamaju.go.id/berita/jembatan/",
        tags=("infrastruktur", "jembatan gantung"),
        video=VideoInfo("https://sukamaju.go.id/media/x.mp4", name, len(data), "video/mp4"),
    )
    return adapt(article)


def ranges(fake) -> list[str]:
    return [request.headers["Content-Range"] for request in fake.chunk_requests]


def status_queries(fake) -> list:
    return [r for r in fake.requests if r.method == "PUT" and r.headers.get("Content-Range") == f"bytes */{SIZE}"]


def session_starts(fake) -> list:
    return [r for r in fake.requests if r.method == "POST" and r.path == "/upload/youtube/v3/videos"]


# --- uploads ---------------------------------------------------------------------------------


def test_upload_in_chunks_delivers_the_exact_bytes(fake, make_transport, post, video, caplog):
    caplog.set_level(logging.DEBUG, logger="siar")
    transport = make_transport()

    result = transport.send(post, attempt_key="a1")

    [uploaded] = fake.videos()
    assert result == Delivered(uploaded.id, f"https://www.youtube.com/watch?v={uploaded.id}")
    assert uploaded.data == video[1]
    assert ranges(fake) == [
        "bytes 0-262143/1300000",
        "bytes 262144-524287/1300000",
        "bytes 524288-786431/1300000",
        "bytes 786432-1048575/1300000",
        "bytes 1048576-1299999/1300000",
    ]
    [start] = session_starts(fake)
    assert start.query == {"uploadType": "resumable", "part": "snippet,status"}
    assert start.headers["X-Upload-Content-Length"] == "1300000"
    assert start.headers["X-Upload-Content-Type"] == "video/mp4"
    assert start.json == {
        "snippet": {
            "title": "Jembatan Gantung Desa Mekarsari Diresmikan 🎉",
            "description": post.text,
            "tags": ["infrastruktur", "jembatan gantung"],
            "categoryId": "25",
        },
        "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False},
    }
    assert uploaded.snippet["title"] == post.title and uploaded.status["privacyStatus"] == "public"
    # Tokens: the refresh token only in the token request's form, the access token only in headers.
    [token_request] = fake.token_requests
    assert token_request.form["refresh_token"] == REFRESH_TOKEN
    access_token = fake.requests[1].headers["Authorization"].removeprefix("Bearer ")
    assert all(r.headers["Authorization"] == f"Bearer {access_token}" for r in fake.requests[1:])
    assert not any(access_token in str(r.query) for r in fake.requests)
    assert access_token not in caplog.text and REFRESH_TOKEN not in caplog.text
    assert transport._upload(post).saved_session() == ""  # the finished session is forgotten


def test_upload_interrupted_mid_chunk_resumes_from_what_arrived(fake, make_transport, post, video, sleeps):
    fake.break_next_chunk(keep=100_000, after=1)  # the 2nd chunk: 100,000 of its bytes arrive, then the line drops

    result = make_transport().send(post, attempt_key="a1")

    assert isinstance(result, Delivered)
    [uploaded] = fake.videos()
    assert uploaded.data == video[1]
    assert [r.split("-")[0] for r in ranges(fake)] == [
        "bytes 0",
        "bytes 262144",  # broken after 100,000 bytes
        "bytes 362144",  # resumed exactly where the 308's Range said
        "bytes 624288",
        "bytes 886432",
        "bytes 1148576",
    ]
    assert len(status_queries(fake)) == 1 and len(session_starts(fake)) == 1
    assert sleeps == [0.5]


def test_a_503_during_a_chunk_is_resumed(fake, make_transport, post, video, sleeps):
    fake.fail_next_chunk(503, after=2)

    result = make_transport().send(post, attempt_key="a1")

    assert isinstance(result, Delivered)
    assert fake.videos()[0].data == video[1]
    assert ranges(fake)[2] == ranges(fake)[3] == "bytes 524288-786431/1300000"
    assert sleeps == [0.5]


def test_resumes_are_bounded_then_the_next_attempt_continues_the_same_session(fake, make_transport, post, video):
    fake.break_next_chunk(after=2)  # the 3rd chunk
    fake.break_next_chunk()  # and its resend

    first = make_transport(MAX_RESUMES=1).send(post, attempt_key="a1")

    assert isinstance(first, Failure) and first.kind == ErrorKind.RETRYABLE
    assert "the next attempt resumes the same upload" in first.message
    assert [len(session.data) for session in fake.sessions] == [2 * UNIT]
    assert len(ranges(fake)) == 4  # 2 good chunks, the 3rd twice

    second = make_transport().send(post, attempt_key="a2")

    assert isinstance(second, Delivered)
    assert len(session_starts(fake)) == 1  # no second upload session
    assert fake.videos()[0].data == video[1]


def test_another_article_with_the_same_video_file_never_takes_over_the_upload(fake, make_transport, post, video):
    fake.break_next_chunk(after=2)
    make_transport(MAX_RESUMES=0).send(post, attempt_key="a1")  # leaves this article's upload half done
    other = replace(post, link="https://sukamaju.go.id/berita/lain/?utm_source=youtube")

    result = make_transport().send(other, attempt_key="b1")

    assert isinstance(result, Delivered)
    assert len(session_starts(fake)) == 2  # its own upload session


def test_a_crash_mid_upload_is_resumed_by_the_next_send(fake, make_transport, post, video, account, clock):
    class Killed(Exception):
        pass

    class DyingFile:
        """Gives two chunks, then the worker 'dies'."""

        def __init__(self, file):
            self.file, self.reads = file, 0

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            self.file.close()

        def seek(self, offset):
            self.file.seek(offset)

        def read(self, size=-1):
            self.reads += 1
            if self.reads > 2:
                raise Killed
            return self.file.read(size)

    class CrashingStorage:
        def size(self, name):
            return default_storage.size(name)

        def open(self, name, mode):
            return DyingFile(default_storage.open(name, mode))

    crashing = Transport(account, {"CHUNK_SIZE": UNIT}, clock=clock, sleep=lambda _: None, storage=CrashingStorage())
    with pytest.raises(Killed):
        crashing.send(post, attempt_key="a1")
    assert [len(session.data) for session in fake.sessions] == [2 * UNIT]

    restarted = make_transport()
    assert restarted.lookup(post, attempt_key="a2") is None  # unfinished: nothing to adopt, and no error
    result = restarted.send(post, attempt_key="a2")

    assert isinstance(result, Delivered)
    assert len(session_starts(fake)) == 1
    assert ranges(fake)[2].startswith(f"bytes {2 * UNIT}-")  # resumed, not restarted
    assert fake.videos()[0].data == video[1]


def test_lookup_adopts_an_upload_whose_final_answer_was_lost(fake, make_transport, post):
    fake.lose_final_answer()
    first = make_transport(MAX_RESUMES=0).send(post, attempt_key="a1")
    assert isinstance(first, Failure) and first.kind == ErrorKind.RETRYABLE
    [uploaded] = fake.videos()  # YouTube has it, Siar does not know

    found = make_transport().lookup(post, attempt_key="a2")

    assert found is not None and found.external_id == uploaded.id
    assert found.external_url == f"https://www.youtube.com/watch?v={uploaded.id}"
    assert "interrupted attempt" in found.note
    assert make_transport().lookup(post, attempt_key="a3") is None  # adopted once, then forgotten
    assert len(session_starts(fake)) == 1 and len(fake.videos()) == 1


def test_a_lost_final_answer_within_a_send_is_recovered_by_a_status_query(fake, make_transport, post):
    fake.lose_final_answer()

    result = make_transport().send(post, attempt_key="a1")

    [uploaded] = fake.videos()
    assert result == Delivered(uploaded.id, f"https://www.youtube.com/watch?v={uploaded.id}")
    assert len(status_queries(fake)) == 1


def test_lookup_without_a_saved_session_asks_nothing(fake, make_transport, post):
    assert make_transport().lookup(post, attempt_key="a1") is None
    assert fake.requests == []


def test_lookup_raises_when_youtube_cannot_be_asked(fake, make_transport, post):
    fake.break_next_chunk(after=1)
    make_transport(MAX_RESUMES=0).send(post, attempt_key="a1")  # leaves a saved session
    fake.stop()

    with pytest.raises(LookupFailed, match="no answer"):
        make_transport().lookup(post, attempt_key="a2")


def test_an_expired_session_is_replaced_by_a_new_one(fake, make_transport, post, video):
    fake.break_next_chunk(after=1)
    make_transport(MAX_RESUMES=0).send(post, attempt_key="a1")
    fake.expire_session(fake.sessions[0].id, status=410)

    result = make_transport().send(post, attempt_key="a2")

    assert isinstance(result, Delivered)
    assert len(session_starts(fake)) == 2
    [uploaded] = fake.videos()
    assert uploaded.session_id == fake.sessions[1].id and uploaded.data == video[1]


# --- tokens ----------------------------------------------------------------------------------


def test_access_token_is_cached_encrypted_and_refreshed_when_expired(fake, make_transport, clock):
    video_id = fake.add_video().id
    transport = make_transport()
    edit = Post(channel="youtube", kind="video", title="Judul baru", text="Deskripsi", link="",
                extra={"category_id": "25", "tags": []})  # fmt: skip

    assert isinstance(transport.edit(video_id, edit), Delivered)
    assert isinstance(make_transport().edit(video_id, edit), Delivered)  # another worker: same cached token
    assert len(fake.token_requests) == 1
    blob = cache.get(transport.tokens.cache_key)
    access_token = fake.requests[1].headers["Authorization"].removeprefix("Bearer ")
    assert access_token not in blob and access_token in crypto.decrypt(blob)

    clock.now += 3599 - 60  # Google's expires_in, less the margin
    assert isinstance(make_transport().edit(video_id, edit), Delivered)

    assert len(fake.token_requests) == 2
    assert [r.status for r in fake.requests if r.path != "/token"] == [200, 200, 200]  # no 401 on the way


def test_a_401_refreshes_the_token_and_retries_once(fake, make_transport):
    video_id = fake.add_video().id
    edit = Post(channel="youtube", kind="video", title="Judul", text="", link="", extra={"category_id": "25"})
    assert isinstance(make_transport().edit(video_id, edit), Delivered)
    fake.expire_access_tokens()  # e.g. revoked, or expired early

    result = make_transport().edit(video_id, edit)

    assert isinstance(result, Delivered)
    assert [(r.method, r.path, r.status) for r in fake.requests[2:]] == [
        ("PUT", "/youtube/v3/videos", 401),
        ("POST", "/token", 200),
        ("PUT", "/youtube/v3/videos", 200),
    ]


def test_a_401_after_a_refresh_is_an_auth_failure(fake, make_transport, post):
    fake.refuse_access_tokens = True

    result = make_transport().send(post, attempt_key="a1")

    assert isinstance(result, Failure) and result.kind == ErrorKind.AUTH
    assert len(fake.token_requests) == 2 and len(session_starts(fake)) == 2


def test_invalid_grant_is_an_auth_failure_in_plain_words(fake, make_transport, post):
    revoked = ChannelAccount(pk=42, channel="youtube", name="YouTube lama", token="1//revoked-refresh-token")

    result = make_transport(revoked).send(post, attempt_key="a1")

    assert isinstance(result, Failure) and result.kind == ErrorKind.AUTH
    assert "The refresh token was revoked or expired: reconnect the YouTube account." in result.message
    assert fake.requests == fake.token_requests  # nothing else was tried


def test_missing_client_credentials_are_a_configuration_failure(fake, make_transport, post, settings):
    settings.YOUTUBE_CLIENT_SECRET = ""

    result = make_transport().send(post, attempt_key="a1")

    assert isinstance(result, Failure) and result.kind == ErrorKind.CONFIG
    assert "YOUTUBE_CLIENT_ID" in result.message and "YOUTUBE_CLIENT_SECRET" in result.message
    assert fake.requests == []


def test_client_id_from_the_account_options_but_the_secret_only_from_settings(fake, make_transport, post, settings):
    settings.YOUTUBE_CLIENT_ID = settings.YOUTUBE_CLIENT_SECRET = ""

    ignored = make_transport(CLIENT_ID=fake.client_id, CLIENT_SECRET=fake.client_secret).send(post, attempt_key="a1")

    assert ignored.kind == ErrorKind.CONFIG  # a secret in the (plain-text) account options is not used
    settings.YOUTUBE_CLIENT_SECRET = fake.client_secret
    assert isinstance(make_transport(CLIENT_ID=fake.client_id).send(post, attempt_key="a2"), Delivered)


# --- quotas and errors -----------------------------------------------------------------------


@pytest.mark.parametrize(("now", "to_midnight"), [(JAN_15_NOON_PACIFIC, 12 * 3600), (JUL_1_2330_PACIFIC, 1800)])
def test_quota_exceeded_waits_until_midnight_pacific(fake, make_transport, post, clock, now, to_midnight):
    clock.now = now
    fake.quota_exceeded = True

    result = make_transport().send(post, attempt_key="a1")

    assert isinstance(result, Failure) and result.kind == ErrorKind.RATE_LIMITED
    assert result.retry_after == pytest.approx(to_midnight)
    assert "quotaExceeded" in result.message
    assert fake.chunk_requests == []


def test_upload_limit_exceeded_is_rate_limited_until_midnight_pacific(fake, make_transport, post):
    fake.upload_limit_exceeded = True

    result = make_transport().send(post, attempt_key="a1")

    assert isinstance(result, Failure) and result.kind == ErrorKind.RATE_LIMITED
    assert result.retry_after == pytest.approx(12 * 3600)
    assert "uploadLimitExceeded" in result.message


def test_invalid_metadata_is_rejected_with_a_hint(fake, make_transport, post):
    bad = Post(**{**post.as_payload(), "title": "Judul <b>tebal</b>", "limits": (), "problems": (), "notices": ()})

    result = make_transport().send(bad, attempt_key="a1")

    assert isinstance(result, Failure) and result.kind == ErrorKind.REJECTED
    assert "invalidTitle" in result.message and "without < or >" in result.hint
    assert fake.chunk_requests == []


def test_a_forbidden_answer_is_an_auth_failure_naming_the_reason(fake, make_transport):
    fake.respond_next(google_error(403, "insufficientPermissions", "Request had insufficient authentication scopes."))
    edit = Post(channel="youtube", kind="video", title="Judul", text="", link="", extra={"category_id": "25"})

    result = make_transport().edit("vid00000001", edit)

    assert isinstance(result, Failure) and result.kind == ErrorKind.AUTH
    assert "insufficientPermissions" in result.message


def test_a_non_json_5xx_is_retryable_and_honours_retry_after(fake, make_transport):
    fake.respond_next(Response(502, b"<html>Bad Gateway</html>", {"Content-Type": "text/html", "Retry-After": "7"}))
    edit = Post(channel="youtube", kind="video", title="Judul", text="", link="", extra={"category_id": "25"})

    result = make_transport().edit("vid00000001", edit)

    assert isinstance(result, Failure) and result.kind == ErrorKind.RETRYABLE
    assert result.retry_after == 7


def test_a_chunk_size_that_is_not_a_multiple_of_256_kib_is_a_configuration_failure(fake, make_transport, post):
    result = make_transport(CHUNK_SIZE=1_000_000).send(post, attempt_key="a1")

    assert isinstance(result, Failure) and result.kind == ErrorKind.CONFIG
    assert "CHUNK_SIZE" in result.message and fake.requests == []


def test_a_missing_video_file_is_a_configuration_failure(fake, make_transport, post, video):
    default_storage.delete(video[0])

    result = make_transport().send(post, attempt_key="a1")

    assert isinstance(result, Failure) and result.kind == ErrorKind.CONFIG
    assert video[0] in result.message and fake.requests == []


# --- edit, retract, community ----------------------------------------------------------------


def test_edit_updates_the_snippet_with_its_category(fake, make_transport, post):
    video_id = fake.add_video(title="Judul lama").id

    result = make_transport().edit(video_id, post)

    assert result == Delivered(
        video_id, f"https://www.youtube.com/watch?v={video_id}", "title, description and tags updated"
    )
    [update] = [r for r in fake.requests if r.method == "PUT"]
    assert update.query == {"part": "snippet"}
    assert update.json == {
        "id": video_id,
        "snippet": {
            "title": post.title,
            "description": post.text,
            "tags": ["infrastruktur", "jembatan gantung"],
            "categoryId": "25",
        },
    }
    assert fake.videos()[0].snippet["title"] == post.title


def test_edit_of_a_video_gone_from_youtube_is_rejected(fake, make_transport, post):
    result = make_transport().edit("vid99999999", post)

    assert isinstance(result, Failure) and result.kind == ErrorKind.REJECTED
    assert "videoNotFound" in result.message


def test_retract_makes_the_video_private_by_default(fake, make_transport):
    video_id = fake.add_video(privacy="public").id

    result = make_transport().retract(video_id)

    assert result == Delivered(video_id, note="video made private")
    [update] = [r for r in fake.requests if r.method == "PUT"]
    assert update.query == {"part": "status"}
    assert update.json == {"id": video_id, "status": {"privacyStatus": "private", "selfDeclaredMadeForKids": False}}
    assert fake.videos()[0].status["privacyStatus"] == "private"


def test_retract_delete_deletes_the_video(fake, make_transport):
    video_id = fake.add_video().id

    result = make_transport(RETRACT="delete").retract(video_id)

    assert result == Delivered(video_id, note="video deleted")
    [delete] = [r for r in fake.requests if r.method == "DELETE"]
    assert delete.query == {"id": video_id} and delete.status == 204
    assert fake.videos() == []


@pytest.mark.parametrize("mode", ["private", "delete"])
def test_retract_of_a_video_already_gone_is_done(fake, make_transport, mode):
    result = make_transport(RETRACT=mode).retract("vid99999999")

    assert isinstance(result, Delivered) and "already gone" in result.note


def test_community_posts_are_left_to_staff(fake, make_transport):
    community = adapt(
        ArticleSnapshot(id=4, title="Kerja bakti", summary="Ayo ikut!", canonical_url="https://sukamaju.go.id/b/")
    )
    transport = make_transport()

    sent = transport.send(community, attempt_key="a1")

    assert isinstance(sent, Unsupported) and "no API for community posts" in sent.reason and "by hand" in sent.reason
    assert isinstance(transport.edit("UgkxCommunityPost123", community), Unsupported)
    assert isinstance(transport.retract("UgkxCommunityPost123"), Unsupported)
    assert transport.lookup(community, attempt_key="a1") is None
    assert fake.requests == []
