"""The read-only side of the syndication admin (Wagtail panels, viewsets, dashboard).

Actions that change deliveries are contributed by ``workers`` through the hooks in
:mod:`channels.admin_ui.actions`, because ``channels`` never enqueues.
"""
