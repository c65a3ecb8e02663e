"""The demo data: site pages and taxonomy of the fictional Kabupaten Suka Maju (articles: articles.py).

Code is in English; the content is in Indonesian, as the hub's editors would write it.
Every name here is invented.
"""

from dataclasses import dataclass, field

from hub.models import SourceUnit

REGENCY = "Kabupaten Suka Maju"
IMAGE_CREDIT = f"Foto: Diskominfo {REGENCY} (ilustrasi)"

HOME_TITLE = "Beranda"
HOME_SLUG = "beranda"
HOME_INTRO = f"Pusat berita dan informasi publik Pemerintah {REGENCY}."
NEWS_TITLE = "Berita"
NEWS_SLUG = "berita"
NEWS_INTRO = f"Berita terbaru dari perangkat daerah, kecamatan, dan KIM di {REGENCY}."


@dataclass(frozen=True)
class CategorySpec:
    name: str
    slug: str
    description: str
    colors: tuple[tuple[int, int, int], tuple[int, int, int]]  # gradient of its illustrations
    color_name: str  # the gradient in words, for alt text


@dataclass(frozen=True)
class SourceUnitSpec:
    name: str
    slug: str
    kind: str


@dataclass(frozen=True)
class BodyImage:
    """An illustration inside an article body; ``label`` is written on it."""

    label: str
    caption: str


@dataclass(frozen=True)
class ArticleSpec:
    slug: str
    title: str
    summary: str
    category: str  # CategorySpec.slug
    source_unit: str  # SourceUnitSpec.slug
    tags: tuple[str, ...]
    hero_label: str  # written on the hero illustration under the category name
    published: tuple[int, int, int]  # (days ago, hour, minute), local time
    body: tuple[tuple[str, object], ...]  # (block type, value); images as BodyImage
    video_url: str = field(default="")


def heading(text: str) -> tuple[str, str]:
    return ("heading", text)


def paragraph(*paragraphs: str) -> tuple[str, str]:
    """One rich-text block; strings starting with '<' are taken as HTML, others wrapped in <p>."""
    return ("paragraph", "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs))


def bullets(*items: str, ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def quote(text: str, attribution: str) -> tuple[str, dict]:
    return ("quote", {"quote": text, "attribution": attribution})


def image(label: str, caption: str) -> tuple[str, BodyImage]:
    return ("image", BodyImage(label=label, caption=caption))


CATEGORIES = (
    CategorySpec(
        "Pemerintahan",
        "pemerintahan",
        "Kebijakan, pelayanan publik, dan kegiatan pemerintah daerah.",
        ((28, 52, 102), (46, 134, 171)),
        "biru tua",
    ),
    CategorySpec(
        "Kesehatan",
        "kesehatan",
        "Layanan puskesmas dan rumah sakit, imunisasi, serta pola hidup sehat.",
        ((18, 110, 84), (122, 196, 120)),
        "hijau",
    ),
    CategorySpec(
        "Pendidikan",
        "pendidikan",
        "Sekolah, penerimaan murid baru, literasi, dan mutu pendidikan.",
        ((96, 46, 140), (214, 112, 160)),
        "ungu",
    ),
    CategorySpec(
        "Infrastruktur",
        "infrastruktur",
        "Jalan, jembatan, irigasi, jaringan internet, dan fasilitas umum.",
        ((70, 70, 78), (232, 150, 46)),
        "abu-abu dan jingga",
    ),
    CategorySpec(
        "Ekonomi",
        "ekonomi",
        "Harga kebutuhan pokok, pasar, UMKM, dan investasi daerah.",
        ((150, 96, 18), (240, 200, 80)),
        "kuning keemasan",
    ),
    CategorySpec(
        "Kebencanaan",
        "kebencanaan",
        "Kesiapsiagaan, mitigasi, peringatan dini, dan penanganan bencana.",
        ((150, 30, 36), (242, 120, 60)),
        "merah",
    ),
)

SKPD, SUBDISTRICT, KIM = SourceUnit.Kind.SKPD, SourceUnit.Kind.SUBDISTRICT, SourceUnit.Kind.KIM
SOURCE_UNITS = (
    SourceUnitSpec("Dinas Kesehatan", "dinkes", SKPD),
    SourceUnitSpec("Dinas Pendidikan", "disdik", SKPD),
    SourceUnitSpec("Dinas PUPR", "dinas-pupr", SKPD),
    SourceUnitSpec("Dinas Perdagangan", "dinas-perdagangan", SKPD),
    SourceUnitSpec("Diskominfo", "diskominfo", SKPD),
    SourceUnitSpec("BPBD", "bpbd", SKPD),
    SourceUnitSpec("Kecamatan Tanjung Asri", "kecamatan-tanjung-asri", SUBDISTRICT),
    SourceUnitSpec("Kecamatan Mekar Sari", "kecamatan-mekar-sari", SUBDISTRICT),
    SourceUnitSpec("Kecamatan Bukit Indah", "kecamatan-bukit-indah", SUBDISTRICT),
    SourceUnitSpec("KIM Sumber Rejeki", "kim-sumber-rejeki", KIM),
)
