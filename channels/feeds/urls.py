"""/feeds/: public feeds, per-category feeds and token-protected partner feeds, in three formats."""

from django.urls import path

from . import views
from .formats import FILE_NAMES

app_name = "siar_feeds"

urlpatterns = []
for fmt, file_name in FILE_NAMES.items():
    urlpatterns += [
        path(file_name, views.public_feed, {"fmt": fmt}, name=f"public_{fmt}"),
        path(f"category/<slug:category_slug>/{file_name}", views.public_feed, {"fmt": fmt}, name=f"category_{fmt}"),
        path(f"<slug:slug>/{file_name}", views.partner_feed, {"fmt": fmt}, name=f"partner_{fmt}"),
    ]
