"""The Wagtail admin as an editor uses it."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from hub.models import ArticlePage


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.invalid", "pw")
    client.force_login(user)
    return client


def article_form(category, source_unit, **overrides):
    data = {
        "title": "Pasar murah jelang Lebaran",
        "slug": "pasar-murah",
        "summary": "Pemerintah kabupaten menggelar pasar murah di lima kecamatan.",
        "body": streamfield([("heading", "Lokasi"), ("paragraph", rich_text("<p>Isi berita.</p>"))]),
        "category": category.pk,
        "source_unit": source_unit.pk,
        "tags": "pasar, sembako",
        "hero_image": "",
        "hero_image_alt": "",
        "video_file": "",
        "video_url": "",
        "comments": inline_formset([]),
        "channel_choices": inline_formset([]),  # the Syndication tab (channels.admin_ui.panels)
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.mark.django_db
def test_editor_can_open_the_article_form_and_snippets(editor_client, site_tree):
    add_url = reverse("wagtailadmin_pages:add", args=("hub", "articlepage", site_tree.pk))
    assert editor_client.get(add_url).status_code == 200
    assert editor_client.get(reverse("wagtailsnippets_hub_category:list")).status_code == 200
    assert editor_client.get(reverse("wagtailsnippets_hub_sourceunit:list")).status_code == 200


@pytest.mark.django_db
def test_editor_publishes_an_article(editor_client, site_tree, category, source_unit):
    add_url = reverse("wagtailadmin_pages:add", args=("hub", "articlepage", site_tree.pk))
    response = editor_client.post(add_url, article_form(category, source_unit, **{"action-publish": "publish"}))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    article = ArticlePage.objects.get(slug="pasar-murah")
    assert article.live
    assert sorted(article.tags.names()) == ["pasar", "sembako"]
    assert [block.block_type for block in article.body] == ["heading", "paragraph"]
    assert "Isi berita." in article.body[1].value.source


@pytest.mark.django_db
def test_hero_image_without_alt_text_is_refused(editor_client, site_tree, category, source_unit, make_image):
    add_url = reverse("wagtailadmin_pages:add", args=("hub", "articlepage", site_tree.pk))
    form = article_form(category, source_unit, hero_image=make_image().pk, **{"action-publish": "publish"})
    response = editor_client.post(add_url, form)
    assert response.status_code == 200
    assert "hero_image_alt" in response.context["form"].errors
    assert not ArticlePage.objects.filter(slug="pasar-murah").exists()


@pytest.mark.django_db
def test_summary_longer_than_300_characters_is_refused(editor_client, site_tree, category, source_unit):
    add_url = reverse("wagtailadmin_pages:add", args=("hub", "articlepage", site_tree.pk))
    response = editor_client.post(
        add_url, article_form(category, source_unit, summary="x" * 301, **{"action-publish": "publish"})
    )
    assert response.status_code == 200
    assert "summary" in response.context["form"].errors


@pytest.mark.django_db
def test_article_page_renders_for_preview(client, make_article, make_image):
    article = make_article(title="Jalan diperbaiki", hero_image=make_image(), hero_image_alt="Jalan mulus")
    response = client.get(article.url)
    assert response.status_code == 200
    assert "Jalan diperbaiki" in response.content.decode()
    assert 'alt="Jalan mulus"' in response.content.decode()
