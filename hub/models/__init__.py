from .images import SiarImage, SiarRendition
from .pages import ArticlePage, ArticlePageTag, HomePage, NewsIndexPage
from .reach import ArticleViews
from .taxonomy import Category, SourceUnit, SourceUnitMember

__all__ = [
    "ArticlePage",
    "ArticlePageTag",
    "ArticleViews",
    "Category",
    "HomePage",
    "NewsIndexPage",
    "SiarImage",
    "SiarRendition",
    "SourceUnit",
    "SourceUnitMember",
]
