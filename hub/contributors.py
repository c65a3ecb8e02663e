"""Contributors write for their own source unit.

A user who may add pages but not change other people's (the *Contributors* role: liaison
officers, KIM members) credits articles only to the source units they are a member of; the
article form limits its choice to them and picks the unit when there is only one. Editors,
publishers and superusers credit any unit.
"""

from django.db.models import QuerySet
from wagtail.permission_policies.pages import PagePermissionPolicy


def is_unit_bound(user) -> bool:
    """Whether ``user`` writes only for their own units (may add pages, may not change others')."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return False
    policy = PagePermissionPolicy()
    # Not user_has_permission(user, "change"): Wagtail counts "add" as changing one's own pages.
    codenames = {grant.permission.codename for grant in policy.get_cached_permissions_for_user(user)}
    return "change_page" not in codenames


def units_for(user) -> QuerySet | None:
    """The source units ``user`` may credit, or None when any unit will do."""
    from .models import SourceUnit  # the article model's form imports this module

    if not is_unit_bound(user):
        return None
    return SourceUnit.objects.filter(members__user=user).distinct()
