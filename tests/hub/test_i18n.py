"""The admin speaks Indonesian by default and English on request."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from hub.models import SourceUnit


def test_siar_strings_are_translated_to_indonesian():
    with translation.override("id"):
        assert str(SourceUnit.Kind.KIM.label) == "Kelompok Informasi Masyarakat (KIM)"
        assert str(SourceUnit._meta.verbose_name) == "unit sumber"
    with translation.override("en"):
        assert str(SourceUnit._meta.verbose_name) == "source unit"


@pytest.mark.django_db
@pytest.mark.parametrize("language, expected", [("id", "Klasifikasi"), ("en", "Classification")])
def test_admin_menu_follows_the_users_language(client, django_user_model, site_tree, language, expected):
    user = django_user_model.objects.create_superuser("editor", "editor@example.invalid", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_without_a_preference_the_admin_speaks_the_sites_language_whatever_the_browser(
    client, django_user_model, site_tree
):
    """LANGUAGE_CODE (Indonesian by default) decides, not the browser's Accept-Language."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.invalid", "pw")
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Klasifikasi" in html and "Classification" not in html
