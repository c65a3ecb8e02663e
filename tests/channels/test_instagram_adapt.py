"""Golden tests of Instagram's adapt(): exactly the caption and media that would be posted, and what is held."""

from dataclasses import replace

import pytest

from channels.instagram import adapt
from channels.instagram.adapter import CAPTION_LIMIT
from channels.models import ChannelAccount
from channels.registry import adapt_for_account
from channels.snapshot import ArticleSnapshot, ImageInfo, VideoInfo
from channels.transports.base import Limit

IMAGE = ImageInfo(
    "https://sukamaju.go.id/media/images/pasar.fill-1080x1080.format-jpeg.jpegquality-85.jpg",
    1080,
    1080,
    240_000,
    "jpeg",
    "Warga antre di pasar murah",
)
VIDEO = VideoInfo("https://sukamaju.go.id/media/documents/pasar.mp4", "documents/pasar.mp4", 9_000_000, "video/mp4")
ARTICLE = ArticleSnapshot(
    id=7,
    title="Pasar murah hadir di lima kecamatan",
    summary="Warga bisa membeli beras dan minyak goreng lebih murah 🛒🇮🇩 mulai Senin. Jangan lupa bawa KTP!",
    canonical_url="https://sukamaju.go.id/berita/pasar-murah/",
    tags=("ekonomi", "pasar murah"),
    images={"instagram": IMAGE, "facebook": replace(IMAGE, url="https://sukamaju.go.id/media/fb.jpg")},
)
LINK = "https://sukamaju.go.id/berita/pasar-murah/?utm_source=instagram&utm_medium=social&utm_campaign=siar"
READ_MORE = "Baca selengkapnya di sukamaju.go.id/berita/pasar-murah"


def article(**changes) -> ArticleSnapshot:
    return replace(ARTICLE, **changes)


def with_image(**changes) -> ArticleSnapshot:
    return article(images={"instagram": replace(IMAGE, **changes)})


def test_image_post_with_the_link_in_words_and_hashtags():
    post = adapt(ARTICLE, options={"HASHTAGS": "#SukaMajuMaju"})

    assert (post.channel, post.kind, post.link, post.image_url, post.video_url) == (
        "instagram",
        "image",
        LINK,
        IMAGE.url,
        "",
    )
    assert post.text == (
        "Warga bisa membeli beras dan minyak goreng lebih murah 🛒🇮🇩 mulai Senin. Jangan lupa bawa KTP!\n\n"
        "Baca selengkapnya di sukamaju.go.id/berita/pasar-murah\n\n"
        "#SukaMajuMaju #Ekonomi #PasarMurah"
    )
    assert post.problems == () and post.notices == ()
    assert post.limits == (
        Limit("caption", len(post.text), 2200),
        Limit("hashtags", 3, 30, "hashtags"),
        Limit("mentions", 0, 20, "mentions"),
    )


def test_editor_text_replaces_the_summary_keeps_its_hashtags_and_its_own_read_more_line():
    post = adapt(
        ARTICLE,
        text_override="  Ayo belanja hemat bersama @pemkab.sukamaju! #Ekonomi 💪  ",
        options={"READ_MORE": "Info lengkap: {url}"},
    )

    assert post.text == (
        "Ayo belanja hemat bersama @pemkab.sukamaju! #Ekonomi 💪\n\n"
        "Info lengkap: sukamaju.go.id/berita/pasar-murah\n\n"
        "#PasarMurah"
    )
    assert [(limit.name, limit.used) for limit in post.limits[1:]] == [("hashtags", 2), ("mentions", 1)]


def test_summary_missing_falls_back_to_the_title():
    post = adapt(article(summary="", tags=()))

    assert post.text == f"Pasar murah hadir di lima kecamatan\n\n{READ_MORE}"


def test_long_text_is_cut_at_a_word_boundary_so_the_whole_caption_fits():
    words = [f"kata{number}" for number in range(600)]

    post = adapt(ARTICLE, text_override=" ".join(words))

    assert len(post.text) <= CAPTION_LIMIT
    body, read_more, tags = post.text.split("\n\n")
    assert (read_more, tags) == (READ_MORE, "#Ekonomi #PasarMurah")
    assert body.endswith("…") and body[:-1].split(" ") == words[: len(body[:-1].split(" "))]
    assert len(post.text) > CAPTION_LIMIT - 10  # as much text as fits, not much less
    assert post.notices == ("The text was shortened to fit Instagram's caption limit of 2,200 characters.",)
    assert post.problems == ()


def test_hashtags_are_trimmed_to_thirty_counting_those_in_the_text():
    tags = tuple(f"topik {number}" for number in range(40))

    post = adapt(article(tags=tags), text_override="Pasar murah #SukaMaju #Hemat #Beras #Minyak #Telur")

    added = post.text.split("\n\n")[-1].split(" ")
    assert added == [f"#Topik{number}" for number in range(25)]
    assert Limit("hashtags", 30, 30, "hashtags") in post.limits
    assert post.problems == ()


def test_editor_text_with_thirty_one_hashtags_is_held_with_a_problem():
    text = "Pasar murah " + " ".join(f"#tagar{number}" for number in range(31))

    post = adapt(ARTICLE, text_override=text)

    assert "#Ekonomi" not in post.text  # nothing added on top
    assert Limit("hashtags", 31, 30, "hashtags") in post.limits
    assert post.problems == ("The caption has 31 hashtags; Instagram allows at most 30: remove some from the text.",)


def test_more_than_twenty_mentions_is_a_problem():
    text = "Terima kasih " + " ".join(f"@mitra{number}" for number in range(21))

    post = adapt(ARTICLE, text_override=text)

    assert Limit("mentions", 21, 20, "mentions") in post.limits
    assert post.problems == (
        "The caption mentions 21 accounts (@…); Instagram allows at most 20: remove some from the text.",
    )


def test_twenty_mentions_are_fine_and_email_addresses_are_not_mentions():
    text = "Hubungi humas@sukamaju.go.id " + " ".join(f"@mitra{number}" for number in range(20))

    post = adapt(ARTICLE, text_override=text)

    assert Limit("mentions", 20, 20, "mentions") in post.limits and post.problems == ()


def test_no_hero_image_is_a_problem():
    post = adapt(article(images={}))

    assert post.image_url == "" and post.kind == "image"
    assert post.problems == ("Instagram needs an image: add a hero image to the article.",)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"width": 300, "height": 300},
            "The image is 300 px wide; Instagram takes 320 to 1,440 px: choose a larger hero image.",
        ),
        (
            {"width": 1600, "height": 1600},
            "The image is 1,600 px wide; Instagram takes 320 to 1,440 px: ask an administrator to make the "
            "Instagram image size (SIAR_CHANNEL_RENDITIONS) smaller.",
        ),
        (
            {"width": 1080, "height": 1351},
            "The image is 1080×1351 px; Instagram takes shapes from 4:5 (portrait) to 1.91:1 (landscape): "
            "choose another hero image or set its focal point.",
        ),
        (
            {"width": 1200, "height": 600},
            "The image is 1200×600 px; Instagram takes shapes from 4:5 (portrait) to 1.91:1 (landscape): "
            "choose another hero image or set its focal point.",
        ),
        (
            {"size_bytes": 8 * 1024 * 1024},
            "The image is 8.0 MB; Instagram takes less than 8 MB: upload a smaller hero image.",
        ),
        (
            {"format": "png"},
            "The image is a PNG; Instagram takes JPEG images: ask an administrator to set format-jpeg in the "
            "Instagram image size (SIAR_CHANNEL_RENDITIONS).",
        ),
    ],
    ids=["too-narrow", "too-wide", "too-tall", "too-flat", "too-large", "not-jpeg"],
)
def test_each_image_rule_is_a_problem_saying_how_to_fix_it(changes, expected):
    post = adapt(with_image(**changes))

    assert post.problems == (expected,)


@pytest.mark.parametrize(
    ("width", "height"),
    [(1080, 1350), (1146, 600), (320, 400), (1440, 754)],
    ids=["4:5", "1.91:1", "narrowest", "widest"],
)
def test_images_at_the_edges_of_the_rules_are_accepted(width, height):
    post = adapt(with_image(width=width, height=height, size_bytes=8 * 1024 * 1024 - 1))

    assert post.problems == ()


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:8000", "localhost:8000", "10.1.2.3", "192.168.1.20", "[::1]:8000", "siar.local", "web"],
)
def test_an_image_address_instagram_cannot_fetch_gets_a_notice(host):
    post = adapt(with_image(url=f"http://{host}/media/images/pasar.jpg"))

    [notice] = post.notices
    assert "Instagram fetches the image itself" in notice and "SIAR_BASE_URL" in notice
    assert post.problems == ()  # it is sent all the same: a proxy may make it reachable


def test_a_public_image_address_gets_no_notice():
    assert adapt(with_image(url="https://8.8.8.8/pasar.jpg")).notices == ()


def test_reels_when_enabled_and_the_article_has_a_video():
    post = adapt(article(video=VIDEO), options={"REELS": "true"})

    assert (post.kind, post.video_url) == ("reels", VIDEO.url)
    assert post.problems == () and post.notices == ()


def test_without_the_reels_option_a_video_article_is_an_image_post():
    post = adapt(article(video=VIDEO))

    assert (post.kind, post.video_url, post.image_url) == ("image", "", IMAGE.url)


def test_a_reel_needs_an_mp4_or_mov_video_but_no_image():
    post = adapt(article(images={}, video=replace(VIDEO, content_type="video/webm")), options={"REELS": True})

    assert post.kind == "reels"
    assert post.problems == ("The video is video/webm; Instagram Reels take MP4 or MOV videos: upload an MP4 video.",)


def test_indonesian_text_and_emoji_pass_through_untouched():
    text = "Selamat Hari Raya Idulfitri 1446 H 🌙✨ Mohon maaf lahir & batin 🙏🏽 — Pemkab Suka Maju"

    post = adapt(article(tags=()), text_override=text)

    assert post.text == f"{text}\n\n{READ_MORE}"
    assert post.limits[0].used == len(text) + len(READ_MORE) + 2


@pytest.mark.django_db
def test_a_published_article_with_a_large_photo_meets_instagrams_image_rules(make_article, make_image, settings):
    settings.SIAR_BASE_URL = "https://sukamaju.go.id"
    account = ChannelAccount(channel="instagram", name="IG Pemkab", options={"HASHTAGS": "SukaMaju"})
    photo = make_image(width=2400, height=1600)
    page = make_article(summary="Pasar murah di lima kecamatan.", hero_image=photo, hero_image_alt="Warga antre")

    post = adapt_for_account(ArticleSnapshot.from_page(page), account)

    image = ArticleSnapshot.from_page(page).images["instagram"]
    assert (image.width, image.height, image.format) == (1080, 1080, "jpeg")
    assert post.kind == "image" and post.image_url == image.url
    assert post.problems == () and post.notices == ()
    assert post.text.startswith("Pasar murah di lima kecamatan.\n\nBaca selengkapnya di ")
    assert post.text.endswith("#SukaMaju")


# --- carousels ---------------------------------------------------------------------------------

SECOND = replace(IMAGE, url="https://sukamaju.go.id/media/images/beras.fill-1080x1080.format-jpeg.jpg", alt="Beras")
THIRD = replace(IMAGE, url="https://sukamaju.go.id/media/images/minyak.fill-1080x1080.format-jpeg.jpg", alt="Minyak")


def test_two_or_more_images_make_a_carousel_led_by_the_hero_image():
    post = adapt(article(gallery=(IMAGE, SECOND, THIRD)), options={"HASHTAGS": "#SukaMajuMaju"})

    assert (post.kind, post.image_url, post.video_url, post.link) == ("carousel", IMAGE.url, "", LINK)
    assert post.extra == {"children": [IMAGE.url, SECOND.url, THIRD.url]}
    assert post.text == adapt(ARTICLE, options={"HASHTAGS": "#SukaMajuMaju"}).text  # the same caption
    assert post.problems == () and post.notices == ()


@pytest.mark.parametrize("gallery", [(), (IMAGE,)])
def test_fewer_than_two_images_stay_an_image_post(gallery):
    post = adapt(article(gallery=gallery))

    assert (post.kind, post.image_url, post.extra) == ("image", IMAGE.url, {})


@pytest.mark.parametrize("value", [False, "off", "0", "no"])
def test_the_carousel_option_turned_off_posts_the_hero_image_alone(value):
    post = adapt(article(gallery=(IMAGE, SECOND)), options={"CAROUSEL": value})

    assert (post.kind, post.image_url, post.extra) == ("image", IMAGE.url, {})


@pytest.mark.parametrize("value", [True, "on", ""])
def test_the_carousel_option_on_or_unset_allows_carousels(value):
    assert adapt(article(gallery=(IMAGE, SECOND)), options={"CAROUSEL": value}).kind == "carousel"


def test_a_carousel_image_that_breaks_a_rule_is_named_by_its_place():
    wide_png = replace(SECOND, width=4000, height=1000, format="png")

    post = adapt(article(gallery=(IMAGE, wide_png, THIRD)))

    assert post.kind == "carousel"
    assert post.problems == (
        "Image 2: The image is 4,000 px wide; Instagram takes 320 to 1,440 px: ask an administrator to make the "
        "Instagram image size (SIAR_CHANNEL_RENDITIONS) smaller.",
        "Image 2: The image is 4000×1000 px; Instagram takes shapes from 4:5 (portrait) to 1.91:1 (landscape): "
        "choose another image or set its focal point.",
        "Image 2: The image is a PNG; Instagram takes JPEG images: ask an administrator to set format-jpeg in the "
        "Instagram image size (SIAR_CHANNEL_RENDITIONS).",
    )


def test_a_carousel_with_local_addresses_warns_once():
    local = [replace(image, url=image.url.replace("sukamaju.go.id", "localhost:8000")) for image in (IMAGE, SECOND)]

    post = adapt(article(gallery=tuple(local)))

    assert len(post.notices) == 1 and "localhost" in post.notices[0]


def test_a_reel_wins_over_a_carousel():
    post = adapt(article(gallery=(IMAGE, SECOND), video=VIDEO), options={"REELS": True})

    assert (post.kind, post.extra) == ("reels", {})


@pytest.mark.django_db
def test_the_gallery_holds_the_hero_then_the_body_images_each_once(make_article, make_image, settings):
    settings.SIAR_BASE_URL = "https://sukamaju.go.id"
    hero, first, second = (make_image(width=width, height=1200) for width in (2400, 1600, 1200))

    def image_block(image, alt):
        return {"type": "image", "value": {"image": image.pk, "alt_text": alt, "caption": ""}}

    body = [
        {"type": "paragraph", "value": "<p>Isi.</p>"},
        image_block(first, "Beras"),
        image_block(hero, "Lagi"),  # the hero image again: not twice in the carousel
        image_block(second, "Minyak"),
    ]
    page = make_article(hero_image=hero, hero_image_alt="Warga antre", body=body)

    snapshot = ArticleSnapshot.from_page(page)

    assert snapshot.gallery[0] == snapshot.images["instagram"]
    assert [image.alt for image in snapshot.gallery] == ["Warga antre", "Beras", "Minyak"]
    assert {(image.width, image.height, image.format) for image in snapshot.gallery} == {(1080, 1080, "jpeg")}
    post = adapt(snapshot)
    assert post.kind == "carousel" and post.extra["children"] == [image.url for image in snapshot.gallery]


@pytest.mark.django_db
def test_the_gallery_stops_at_ten_images(make_article, make_image):
    images = [make_image(title=f"Foto {number}") for number in range(12)]
    body = [{"type": "image", "value": {"image": image.pk, "alt_text": "Foto", "caption": ""}} for image in images]

    page = make_article(body=body)

    gallery = ArticleSnapshot.from_page(page).gallery
    assert len(gallery) == 10 and len({image.url for image in gallery}) == 10
