"""Contributors write for their own source unit.

A user who may add pages where an article lives but not change other people's (the
*Contributors* role: liaison officers, KIM members) credits articles only to the source units
they are a member of: the article form limits its choice to them and picks the unit when there
is only one, and copying an article credited to another unit is refused. Editors, publishers
and superusers credit any unit.
"""

from django.db.models import QuerySet
from wagtail.permission_policies.pages import PagePermissionPolicy


def is_unit_bound(user, where=None) -> bool:
    """Whether ``user`` writes only for their own units below page ``where`` (the whole tree if None).

    Bound: may add pages there but not change other people's. Wagtail counts "add" as changing
    one's own pages, so the grants are read directly rather than through ``user_has_permission``.
    """
    if user is None or not user.is_authenticated or user.is_superuser:
        return False
    grants = PagePermissionPolicy().get_cached_permissions_for_user(user)
    return not any(
        grant.permission.codename == "change_page" and (where is None or where.path.startswith(grant.page.path))
        for grant in grants
    )


def units_for(user, where=None) -> QuerySet | None:
    """The source units ``user`` may credit below page ``where``, or None when any unit will do."""
    from .models import SourceUnit  # the article model's form imports this module

    if not is_unit_bound(user, where):
        return None
    return SourceUnit.objects.filter(members__user=user).distinct()


def saved_unit_id(page_id: int | None) -> int | None:
    """The unit an article is credited to in the database (not in a revision being edited or reverted to)."""
    from .models import ArticlePage

    if page_id is None:
        return None
    return ArticlePage.objects.filter(pk=page_id).values_list("source_unit_id", flat=True).first()
