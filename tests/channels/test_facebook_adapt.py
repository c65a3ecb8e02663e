"""Golden tests of Facebook's adapt(): exactly the message, link and image that would be posted."""

from channels.facebook import adapt
from channels.facebook.adapter import MESSAGE_LIMIT
from channels.snapshot import ArticleSnapshot, ImageInfo

IMAGE = ImageInfo("https://sukamaju.go.id/media/pasar.jpg", 1200, 630, 180_000, "jpeg", "Pasar")
ARTICLE = ArticleSnapshot(
    id=7,
    title="Pasar murah hadir di lima kecamatan",
    summary="Warga bisa membeli beras dan minyak goreng lebih murah 🛒🇮🇩 mulai Senin.",
    canonical_url="https://sukamaju.go.id/berita/pasar-murah/",
    tags=("ekonomi", "pasar murah"),
    images={"facebook": IMAGE},
)
LINK = "https://sukamaju.go.id/berita/pasar-murah/?utm_source=facebook&utm_medium=social&utm_campaign=siar"


def test_link_post_with_account_and_article_hashtags():
    post = adapt(ARTICLE, options={"HASHTAGS": "#SukaMajuMaju"})

    assert (post.kind, post.link, post.image_url) == ("link", LINK, "")
    assert post.text == (
        "Warga bisa membeli beras dan minyak goreng lebih murah 🛒🇮🇩 mulai Senin.\n\n#SukaMajuMaju #Ekonomi #PasarMurah"
    )
    assert post.problems == () and post.notices == ()
    assert post.limits[0].name == "message" and post.limits[0].used == len(post.text)


def test_photo_post_carries_the_link_in_its_text():
    post = adapt(ARTICLE, options={"POST_AS": "photo"})

    assert (post.kind, post.image_url) == ("photo", IMAGE.url)
    assert post.text == (
        "Warga bisa membeli beras dan minyak goreng lebih murah 🛒🇮🇩 mulai Senin.\n\n"
        f"Baca selengkapnya: {LINK}\n\n#Ekonomi #PasarMurah"
    )


def test_photo_post_without_an_image_falls_back_to_a_link_post():
    post = adapt(ArticleSnapshot(**{**ARTICLE.__dict__, "images": {}}), options={"POST_AS": "photo"})

    assert post.kind == "link" and "link post" in post.notices[0]


def test_editor_text_replaces_the_summary_and_hashtags_it_has_are_not_repeated():
    post = adapt(ARTICLE, text_override="  Ayo belanja hemat! #Ekonomi  ")

    assert post.text == "Ayo belanja hemat! #Ekonomi\n\n#PasarMurah"


def test_text_beyond_the_limit_is_cut_at_a_word_boundary():
    words = "kata " * (MESSAGE_LIMIT // 5 + 10)

    post = adapt(ArticleSnapshot(**{**ARTICLE.__dict__, "tags": ()}), text_override=words)

    assert len(post.text) <= MESSAGE_LIMIT and post.text.endswith("kata…")
    assert "shortened" in post.notices[0]
