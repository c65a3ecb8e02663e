"""Publishing an article makes a real worker create its API renditions in the background."""

from hub.renditions import rendition_specs

from .conftest import wait_for


def test_published_article_gets_renditions_from_a_real_worker(make_article, make_image, worker_process):
    hero = make_image(title="Hero")
    inline = make_image(title="Inline")
    body = [{"type": "image", "value": {"image": inline.pk, "alt_text": "Alt", "caption": ""}}]
    assert not hero.renditions.exists()

    make_article(hero_image=hero, hero_image_alt="Alt", body=body)  # enqueues after commit
    worker = worker_process()

    def all_renditions_made():
        """both images have every API rendition"""
        assert worker.poll() is None, "the worker died"
        return all(
            set(image.renditions.values_list("filter_spec", flat=True)) >= set(rendition_specs())
            for image in (hero, inline)
        )

    wait_for(all_renditions_made)
