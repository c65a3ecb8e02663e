from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from .api import api_root, api_router
from .health import healthz
from .reach.endpoint import count_view

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/views/<int:page_id>/", count_view, name="siar_count_view"),
    path("api/v2/", api_root, name="api_root"),
    path("api/v2/", api_router.urls),
    # Syndication feeds live with the channels; the root URLconf is where the apps meet.
    path("feeds/", include("channels.feeds.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
