"""Demo channel accounts: without tokens, so they use the outbox and publish nothing."""

from collections.abc import Callable

from hub.demo.content import REGENCY

from .models import Channel, ChannelAccount, Partner

# (channel, name, default for every category)
DEMO_ACCOUNTS = [
    (Channel.WEBSITE, f"Portal berita {REGENCY} (demo)", True),
    (Channel.FACEBOOK, f"Facebook Pemkab {REGENCY.removeprefix('Kabupaten ')} (demo)", True),
    (Channel.INSTAGRAM, f"Instagram Diskominfo {REGENCY.removeprefix('Kabupaten ')} (demo)", True),
    (Channel.YOUTUBE, f"YouTube Pemkab {REGENCY.removeprefix('Kabupaten ')} (demo)", False),
]


def ensure_demo_accounts(say: Callable[[str], None]) -> list[ChannelAccount]:
    accounts, created = [], 0
    for channel, name, default_for_all in DEMO_ACCOUNTS:
        account, was_created = ChannelAccount.objects.get_or_create(
            channel=channel, name=name, defaults={"default_for_all_categories": default_for_all}
        )
        accounts.append(account)
        created += was_created
    say(f"channel accounts (outbox, no tokens): {created} created, {len(accounts) - created} already present")
    return accounts


DEMO_PARTNER_SLUG = "media-demo"


def ensure_demo_partner(say: Callable[[str], None]) -> str:
    """A demo partner media company; returns its first token when created now ("" otherwise)."""
    partner, created = Partner.objects.get_or_create(
        slug=DEMO_PARTNER_SLUG,
        defaults={
            "name": "PT Media Mitra Demo",
            "kind": Partner.Kind.MEDIA,
            "agreement_number": "000/PKS/DEMO",
            "attribution": f"Sumber: Diskominfo {REGENCY}",
        },
    )
    if not created:
        say(f"partner “{DEMO_PARTNER_SLUG}”: already present (a new token: partners rotate {DEMO_PARTNER_SLUG})")
        return ""
    _, token = partner.issue_token(label="demo")
    say(f"partner “{DEMO_PARTNER_SLUG}”: created, with a feed token (shown once, below)")
    return token
