"""The newsroom roles and review workflow that the data migration creates."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from workers import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(django_user_model):
    def make(role: str):
        user = django_user_model.objects.create_user(role.lower().replace(" ", "-"), password="x")
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


def test_each_role_may_do_its_part_and_no_more(member, make_article):
    article = make_article()
    contributor, editor, publisher = (member(r) for r in (roles.CONTRIBUTORS, roles.EDITORS, roles.PUBLISHERS))

    index = article.get_parent()
    assert index.permissions_for_user(contributor).can_add_subpage()
    assert not index.permissions_for_user(contributor).can_publish_subpage()
    assert article.permissions_for_user(editor).can_edit() and not article.permissions_for_user(editor).can_publish()
    assert article.permissions_for_user(publisher).can_publish()
    for user in (contributor, editor, publisher):
        assert user.has_perm("wagtailadmin.access_admin")
    for user in (editor, publisher):  # the intake inbox
        assert user.has_perm("siar_channels.change_intakeitem")
    assert editor.has_perm("siar_channels.add_unitfeed") and editor.has_perm("hub.change_sourceunit")
    assert not contributor.has_perm("siar_channels.change_intakeitem")
    assert not contributor.has_perm("hub.change_sourceunit")  # a contributor cannot join another unit

    channels, partners = member(roles.CHANNEL_MANAGERS), member(roles.PARTNER_MANAGERS)
    assert channels.has_perm("siar_channels.change_channelaccount") and not channels.has_perm(
        "siar_channels.change_partner"
    )
    assert partners.has_perm("siar_channels.change_partner") and not partners.has_perm(
        "siar_channels.change_channelaccount"
    )
    assert not article.permissions_for_user(channels).can_edit()


def test_articles_go_through_editor_review_then_publisher_approval(make_article):
    workflow = make_article().get_workflow()
    assert workflow.name == roles.WORKFLOW_NAME
    tasks = [task.specific for task in workflow.tasks]
    assert [task.name for task in tasks] == ["Editor review", "Publisher approval"]
    assert [[g.name for g in task.groups.all()] for task in tasks] == [[roles.EDITORS], [roles.PUBLISHERS]]


def test_the_roles_command_lists_and_syncs(member):
    member(roles.CONTRIBUTORS)
    Group.objects.get(name=roles.PARTNER_MANAGERS).permissions.clear()
    out = StringIO()
    call_command("roles", "--sync", "--json", stdout=out)
    rows = {row["role"]: row for row in json.loads(out.getvalue())}
    assert rows[roles.CONTRIBUTORS]["members"] == ["contributors"]
    assert "change_partner" in rows[roles.PARTNER_MANAGERS]["permissions"]
    assert rows[roles.PUBLISHERS]["page_permissions"] == sorted(
        ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
    )


def test_every_permission_the_roles_name_exists():
    """sync_roles skips a permission it cannot find (so old migrations keep working): catch typos here."""
    from django.contrib.auth.models import Permission

    for role, (_page_permissions, model_permissions) in roles.ROLES.items():
        for app_label, model, codename in model_permissions:
            assert Permission.objects.filter(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            ).exists(), f"{role}: {app_label}.{codename}"
        assert set(Group.objects.get(name=role).permissions.values_list("codename", flat=True)) >= {
            codename for _app, _model, codename in model_permissions
        }
