def feed_links(request):
    """``feed_links`` for ``<link rel="alternate">`` in the site's pages (see ``hub.api``)."""
    from .api import public_feed_links

    return {"feed_links": public_feed_links()}
