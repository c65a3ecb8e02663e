"""The newsroom's roles (Django groups) and its default review workflow.

Created by a data migration (``workers/migrations``) and kept in step by ``manage.py roles``
(after an upgrade adds models whose permissions a role should get). Documented in
docs/newsroom.md.

- **Contributors** (liaison officers, KIM members): create and edit drafts, submit them for
  review; cannot publish. Their articles are credited to the source unit(s) they are a member
  of (``hub.contributors``).
- **Editors**: edit any article; approve or reject (with a comment) in the review workflow;
  add source units and their members; the intake inbox and the units' feeds.
- **Publishers**: publish, schedule and unpublish; choose channels; give the workflow's final
  approval, which publishes; the intake inbox.
- **Channel managers**: connect channel accounts, see tokens' health and deliveries.
- **Partner managers**: partners, agreements, tokens and the pickup report.
"""

from django.contrib.auth.management import create_permissions

CONTRIBUTORS, EDITORS, PUBLISHERS = "Contributors", "Editors", "Publishers"
CHANNEL_MANAGERS, PARTNER_MANAGERS = "Channel managers", "Partner managers"
WORKFLOW_NAME = "Newsroom review"

ADMIN_ACCESS = [("wagtailadmin", "admin", "access_admin")]
MEDIA = [
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "choose_document"),
]
TAXONOMY_VIEW = [("hub", "category", "view_category"), ("hub", "sourceunit", "view_sourceunit")]
UNIT_MEMBERS = [("hub", "sourceunit", "add_sourceunit"), ("hub", "sourceunit", "change_sourceunit")]
INTAKE_INBOX = [
    ("siar_channels", "intakeitem", "view_intakeitem"),
    ("siar_channels", "intakeitem", "change_intakeitem"),  # create a draft from an item, dismiss it
]
UNIT_FEEDS = [
    ("siar_channels", "unitfeed", codename) for codename in ("add_unitfeed", "change_unitfeed", "view_unitfeed")
]

# group -> (page permissions on the whole tree, model permissions (app label, model, codename))
ROLES = {
    CONTRIBUTORS: (["add_page"], ADMIN_ACCESS + MEDIA),
    EDITORS: (
        ["add_page", "change_page", "lock_page", "unlock_page"],
        ADMIN_ACCESS + MEDIA + TAXONOMY_VIEW + UNIT_MEMBERS + INTAKE_INBOX + UNIT_FEEDS,
    ),
    PUBLISHERS: (
        ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
        ADMIN_ACCESS + MEDIA + TAXONOMY_VIEW + INTAKE_INBOX + [("siar_channels", "delivery", "view_delivery")],
    ),
    CHANNEL_MANAGERS: (
        [],
        ADMIN_ACCESS
        + [
            ("siar_channels", "channelaccount", codename)
            for codename in ("add_channelaccount", "change_channelaccount", "view_channelaccount")
        ]
        + [("siar_channels", "delivery", "view_delivery"), ("siar_channels", "delivery", "change_delivery")],
    ),
    PARTNER_MANAGERS: (
        [],
        ADMIN_ACCESS
        + [
            ("siar_channels", "partner", codename)
            for codename in ("add_partner", "change_partner", "delete_partner", "view_partner")
        ]
        + [("siar_channels", "feedfetch", "view_feedfetch")],
    ),
}


def sync_roles(apps) -> None:
    """Create the groups with their permissions, and the review workflow on the whole tree.

    ``apps``: the migration's historical apps, or ``django.apps.apps``. Adds what is missing;
    never removes what staff granted by hand.
    """
    for app_config in apps.get_app_configs():  # permissions of models migrated in this run
        stub = not hasattr(app_config, "models_module")  # a migration's app state
        if stub:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if stub:
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.filter(depth=1).first()
    groups = {}
    for name, (page_permissions, model_permissions) in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        for app_label, _model, codename in model_permissions:
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)
        for codename in page_permissions if root else ():
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    if root is not None:
        _workflow(apps, root, groups)


def _workflow(apps, root, groups) -> None:
    """Editor review, then the publisher's approval (which publishes), for every page."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if created:
        task_type = ContentType.objects.get_for_model(GroupApprovalTask)
        for order, (name, group) in enumerate([("Editor review", EDITORS), ("Publisher approval", PUBLISHERS)]):
            task = GroupApprovalTask.objects.create(name=name, content_type=task_type, active=True)
            task.groups.add(groups[group])
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
