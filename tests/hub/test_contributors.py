"""A contributor writes for their own source unit; editors credit any unit."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from hub.contributors import units_for
from hub.models import ArticlePage, SourceUnit, SourceUnitMember

from .test_admin import article_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def kecamatan(db):
    return SourceUnit.objects.create(name="Kecamatan Sukamaju", slug="sukamaju", kind=SourceUnit.Kind.SUBDISTRICT)


@pytest.fixture
def user_in(django_user_model, client):
    def make(group: str, *units: SourceUnit):
        user = django_user_model.objects.create_user(f"{group.lower()}-{len(units)}", password="x")
        user.groups.add(Group.objects.get(name=group))
        for unit in units:
            SourceUnitMember.objects.create(source_unit=unit, user=user)
        client.force_login(user)
        return user

    return make


def add_url(site_tree):
    return reverse("wagtailadmin_pages:add", args=("hub", "articlepage", site_tree.pk))


def test_a_contributor_is_offered_only_their_unit_already_chosen(client, user_in, site_tree, source_unit, kecamatan):
    user_in("Contributors", kecamatan)
    form = client.get(add_url(site_tree)).context["form"]
    assert list(form.fields["source_unit"].queryset) == [kecamatan]
    assert form.initial["source_unit"] == kecamatan.pk
    html = str(form["source_unit"])
    assert f'<option value="{kecamatan.pk}" selected>' in html and "Dinas Kesehatan" not in html


def test_a_contributor_cannot_credit_another_unit(client, user_in, site_tree, category, source_unit, kecamatan):
    user_in("Contributors", kecamatan)
    response = client.post(add_url(site_tree), article_form(category, source_unit))
    assert response.status_code == 200
    assert "source_unit" in response.context["form"].errors
    assert not ArticlePage.objects.filter(slug="pasar-murah").exists()

    response = client.post(add_url(site_tree), article_form(category, kecamatan))
    assert response.status_code == 302, response.context["form"].errors
    draft = ArticlePage.objects.get(slug="pasar-murah")
    assert draft.source_unit == kecamatan and not draft.live


def test_a_contributor_without_a_unit_is_told_whom_to_ask(client, user_in, site_tree, category, source_unit, settings):
    settings.LANGUAGE_CODE = "en"
    user_in("Contributors")
    response = client.post(add_url(site_tree), article_form(category, source_unit))
    assert response.status_code == 200
    errors = response.context["form"].errors["source_unit"]
    assert any("not tied to a source unit" in error and "Members" in error for error in errors)


def test_a_contributor_of_two_units_chooses_between_them(client, user_in, site_tree, source_unit, kecamatan):
    SourceUnit.objects.create(name="KIM Maju", slug="kim-maju", kind=SourceUnit.Kind.KIM)
    user = user_in("Contributors", kecamatan, source_unit)
    assert set(units_for(user)) == {kecamatan, source_unit}
    form = client.get(add_url(site_tree)).context["form"]
    choices = [value for value, _label in form.fields["source_unit"].choices]
    assert choices[0] == "" and {int(str(v)) for v in choices[1:]} == {kecamatan.pk, source_unit.pk}
    assert not form.initial.get("source_unit")


def test_editors_and_superusers_credit_any_unit(user_in, django_user_model, source_unit, kecamatan):
    assert units_for(user_in("Editors", kecamatan)) is None  # a membership does not bind an editor
    assert units_for(django_user_model.objects.create_superuser("root", "r@example.invalid", "x")) is None


def test_an_article_keeps_its_saved_unit_after_its_author_left(client, user_in, make_article, category, kecamatan):
    author = user_in("Contributors", kecamatan)
    article = make_article(publish=False, owner=author)  # credited to Dinas Kesehatan (e.g. by an editor)
    form = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).context["form"]
    assert set(form.fields["source_unit"].queryset) == {kecamatan, article.source_unit}
    data = article_form(category, article.source_unit, slug=article.slug)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 302, response.context["form"].errors


def test_a_contributor_cannot_copy_an_article_of_another_unit(client, user_in, make_article, kecamatan, settings):
    settings.LANGUAGE_CODE = "en"
    author = user_in("Contributors", kecamatan)
    other = make_article(publish=False, owner=author)  # credited to Dinas Kesehatan, not to their unit
    response = client.get(reverse("wagtailadmin_pages:copy", args=[other.pk]), follow=True)
    assert "only articles credited to your own source unit" in response.content.decode()
    own = make_article(publish=False, owner=author, source_unit=kecamatan)
    assert client.get(reverse("wagtailadmin_pages:copy", args=[own.pk])).status_code == 200


def test_editors_tie_contributors_to_units(client, user_in, kecamatan, django_user_model):
    liaison = django_user_model.objects.create_user("liaison", password="x")
    user_in("Editors")
    edit_url = reverse("wagtailsnippets_hub_sourceunit:edit", args=[kecamatan.pk])
    response = client.post(
        edit_url,
        {
            "name": kecamatan.name,
            "slug": kecamatan.slug,
            "kind": kecamatan.kind,
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "0",
            "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "1000",
            "members-0-user": liaison.pk,
            "members-0-id": "",
            "members-0-ORDER": "1",
            "members-0-DELETE": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert list(kecamatan.members.values_list("user__username", flat=True)) == ["liaison"]
    listing = client.get(reverse("wagtailsnippets_hub_sourceunit:list"))
    assert "liaison" in listing.content.decode()
