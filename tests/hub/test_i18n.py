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
