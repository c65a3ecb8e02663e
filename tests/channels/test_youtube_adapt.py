"""Golden tests for YouTube's adapt(): pure, no database (snapshots are built by hand)."""

from channels.snapshot import ArticleSnapshot, ImageInfo, VideoInfo
from channels.text import byte_count
from channels.youtube import adapt
from channels.youtube.adapter import tags_length

URL = "https://sukamaju.go.id/berita/posyandu-keliling/"
LINK = f"{URL}?utm_source=youtube&utm_medium=social&utm_campaign=siar"
VIDEO = VideoInfo(
    url="https://sukamaju.go.id/media/documents/posyandu.mp4",
    storage_name="documents/posyandu.mp4",
    size_bytes=1_300_000,
    content_type="video/mp4",
)
IMAGE = ImageInfo(url="https://sukamaju.go.id/media/images/posyandu.1080x1080.jpg", width=1080, height=1080,
                  size_bytes=180_000, format="jpeg", alt="Petugas menimbang balita")  # fmt: skip


def article(**fields) -> ArticleSnapshot:
    fields.setdefault("id", 7)
    fields.setdefault("title", "Posyandu Keliling Hadir di 12 Desa 🚑")
    fields.setdefault(
        "summary", "Dinas Kesehatan menggelar posyandu keliling gratis mulai Senin 💉. Warga diimbau membawa buku KIA."
    )
    fields.setdefault("canonical_url", URL)
    fields.setdefault("tags", ("kesehatan ibu", "posyandu"))
    fields.setdefault("video", VIDEO)
    return ArticleSnapshot(**fields)


def test_video_post_golden_indonesian_with_emoji():
    post = adapt(article())

    assert post.kind == "video"
    assert post.title == "Posyandu Keliling Hadir di 12 Desa 🚑"
    assert post.text == (
        "Dinas Kesehatan menggelar posyandu keliling gratis mulai Senin 💉. Warga diimbau membawa buku KIA.\n\n"
        f"Baca selengkapnya: {LINK}\n\n"
        "#KesehatanIbu #Posyandu"
    )
    assert post.link == LINK
    assert post.video_url == VIDEO.url
    assert post.extra == {
        "tags": ["kesehatan ibu", "posyandu"],
        "privacy_status": "public",
        "category_id": "25",
        "storage_name": "documents/posyandu.mp4",
        "size_bytes": 1_300_000,
        "content_type": "video/mp4",
    }
    assert post.problems == () and post.notices == ()
    limits = {limit.name: limit for limit in post.limits}
    assert limits["title"].used == 36 and limits["title"].maximum == 100
    assert limits["description"].unit == "bytes" and limits["description"].used == byte_count(post.text)
    assert limits["tags"].used == len('"kesehatan ibu",posyandu')


def test_text_override_options_and_account_tags():
    post = adapt(
        article(),
        text_override="Jadwal lengkap ada di tautan 👇",
        options={
            "PRIVACY_STATUS": "Unlisted",
            "CATEGORY_ID": "29",
            "TAGS": "pemkab, sukamaju",
            "HASHTAGS": "#SukaMaju",
        },
    )

    assert (
        post.text
        == f"Jadwal lengkap ada di tautan 👇\n\nBaca selengkapnya: {LINK}\n\n#SukaMaju #KesehatanIbu #Posyandu"
    )
    assert post.extra["tags"] == ["pemkab", "sukamaju", "kesehatan ibu", "posyandu"]
    assert post.extra["privacy_status"] == "unlisted"
    assert post.extra["category_id"] == "29"


def test_long_title_is_cut_at_a_word_boundary():
    title = (
        "Pemerintah Kabupaten Suka Maju Meresmikan Jembatan Gantung Baru yang Menghubungkan Desa Sukamaju "
        "dan Desa Mekarsari di Kecamatan Utara"
    )

    post = adapt(article(title=title))

    assert post.title == (
        "Pemerintah Kabupaten Suka Maju Meresmikan Jembatan Gantung Baru yang Menghubungkan Desa Sukamaju…"
    )
    assert len(post.title) <= 100
    assert "The title was shortened to fit YouTube's 100 characters." in post.notices


def test_angle_brackets_are_removed_from_title_description_and_tags():
    post = adapt(
        article(
            title="Harga Cabai <Rp50.000> per Kilogram",
            summary="Stok aman >90% hingga Lebaran <kata Dinas Perdagangan>.",
            tags=("<harga>", "pangan"),
        )
    )

    assert post.title == "Harga Cabai Rp50.000 per Kilogram"
    assert post.text.startswith("Stok aman 90% hingga Lebaran kata Dinas Perdagangan.\n\n")
    assert "<" not in post.text and ">" not in post.text
    assert post.extra["tags"] == ["harga", "pangan"]
    assert "Removed < and > from the title: YouTube rejects them." in post.notices
    assert "Removed < and > from the description: YouTube rejects them." in post.notices


def test_description_is_cut_at_5000_bytes_without_splitting_a_character():
    words = "Warga 😀 gembira menyambut jembatan baru. " * 200  # ~9,000 bytes, emoji are 4 bytes each
    summary = words + "é" * 3000  # a long run without spaces: the cut falls inside a "word"

    post = adapt(article(summary=summary, tags=()))

    description = post.text
    body, tail = description.split("\n\nBaca selengkapnya:")
    assert byte_count(description) <= 5000
    assert byte_count(description) > 4990  # cut close to the limit, not far before it
    assert body.endswith("…") and summary.startswith(body[:-1])  # a prefix: no character split
    assert "\ufffd" not in description
    assert tail == f" {LINK}"
    assert "The description was shortened to fit YouTube's 5,000 bytes." in post.notices
    assert {limit.name: limit.used for limit in post.limits}["description"] == byte_count(description)


def test_description_cut_at_a_space_when_there_is_one():
    summary = "Warga 😀 gembira menyambut jembatan baru. " * 200

    post = adapt(article(summary=summary, tags=()))

    body = post.text.split("\n\nBaca selengkapnya:")[0]
    assert body.endswith("…")
    assert summary.startswith(body[:-1]) and summary[len(body) - 1] == " "  # the cut is at a word's end


def test_tags_are_kept_while_they_fit_in_500_characters_counting_quotes_and_commas():
    # 5 tags of 98 characters with a space: 490 characters plus 4 commas would fit, but YouTube
    # counts the quotes around tags with spaces: (98 + 2) * 5 + 4 = 504 > 500.
    tags = tuple(f"topik {str(number) * 92}" for number in range(1, 6))

    post = adapt(article(tags=tags))

    assert post.extra["tags"] == list(tags[:4])
    assert tags_length(post.extra["tags"]) == 100 * 4 + 3
    assert {limit.name: limit.used for limit in post.limits}["tags"] == 403
    assert "Left out 1 tag(s): YouTube allows 500 characters of tags in all." in post.notices


def test_many_tags_stop_at_the_first_that_does_not_fit():
    tags = tuple(f"berita desa {number:03d}" for number in range(60))

    post = adapt(article(tags=tags))

    kept = post.extra["tags"]
    assert tags_length(kept) <= 500
    assert tags_length([*kept, tags[len(kept)]]) > 500
    assert kept == list(tags[: len(kept)])


def test_unknown_privacy_status_is_a_problem():
    post = adapt(article(), options={"PRIVACY_STATUS": "friends-only"})

    assert post.problems == (
        "The YouTube option PRIVACY_STATUS is 'friends-only': it must be one of public, unlisted, private.",
    )


def test_article_without_video_is_a_community_post_for_staff():
    post = adapt(article(video=None, images={"youtube": IMAGE}))

    assert post.kind == "community"
    assert post.text == (
        "Dinas Kesehatan menggelar posyandu keliling gratis mulai Senin 💉. Warga diimbau membawa buku KIA.\n\n"
        f"Baca selengkapnya: {LINK}"
    )
    assert post.image_url == IMAGE.url
    assert post.title == "Posyandu Keliling Hadir di 12 Desa 🚑"
    assert post.problems == ()
    assert "YouTube has no API for community posts: staff post this one by hand." in post.notices


def test_external_video_link_only_is_a_community_post_within_its_limit():
    post = adapt(
        article(video=None, video_url="https://vimeo.com/123456", summary="Kata " * 100),
        options={"COMMUNITY_TEXT_LIMIT": 200},
    )

    assert post.kind == "community"
    assert post.image_url == ""
    assert len(post.text) <= 200
    assert post.text.endswith(f"Baca selengkapnya: {LINK}")
    assert {limit.name: limit.maximum for limit in post.limits} == {"community post": 200}
    assert any("video is a link" in notice for notice in post.notices)
