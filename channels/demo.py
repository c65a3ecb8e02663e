"""Demo channel accounts: without tokens, so they use the outbox and publish nothing."""

from collections.abc import Callable

from hub.demo.content import REGENCY

from .models import Channel, ChannelAccount

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
