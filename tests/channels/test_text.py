"""The text helpers the adapters share."""

import pytest

from channels.text import byte_count, count_hashtags, count_mentions, cut_at_word, hashtag, hashtags, plain_url


def test_cut_at_word_keeps_text_that_fits():
    assert cut_at_word("Bupati meresmikan jembatan", 26) == "Bupati meresmikan jembatan"


def test_cut_at_word_cuts_at_the_last_space_and_adds_an_ellipsis():
    assert cut_at_word("Bupati meresmikan jembatan baru di Desa Sukamaju", 30) == "Bupati meresmikan jembatan…"


def test_cut_at_word_cuts_inside_a_word_only_when_it_must():
    assert cut_at_word("Pembangunanjembatansukamaju", 10) == "Pembangun…"


def test_cut_by_bytes_never_splits_a_character():
    text = "Selamat 🎉🎉🎉 ulang tahun kabupaten"  # each emoji is 4 bytes

    assert cut_at_word(text, 20, measure=byte_count) == "Selamat…"  # at the word boundary
    assert cut_at_word("🎉🎉🎉🎉🎉", 13, measure=byte_count) == "🎉🎉…"  # 10 bytes of room: two whole emoji


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("kesehatan ibu", "#KesehatanIbu"), ("covid-19", "#Covid19"), ("UMKM", "#UMKM"), ("!!", ""), ("café", "#Café")],
)
def test_hashtag(tag, expected):
    assert hashtag(tag) == expected


def test_hashtags_skip_duplicates_and_those_in_the_text_and_stop_at_the_limit():
    assert hashtags(["Ekonomi", "#ekonomi", "pasar", "umkm"], limit=2, existing="Info #Pasar") == ["#Ekonomi", "#Umkm"]


def test_counting_hashtags_and_mentions_ignores_emails_and_anchors():
    text = "Hubungi @diskominfo.sukamaju atau humas@sukamaju.go.id #Info #Berita2026 &#39; a#b"

    assert (count_hashtags(text), count_mentions(text)) == (2, 1)


def test_plain_url():
    assert plain_url("https://www.sukamaju.go.id/berita/pasar/?utm_source=x") == "sukamaju.go.id/berita/pasar"
