from .images import SiarImage, SiarRendition
from .pages import ArticlePage, ArticlePageTag, HomePage, NewsIndexPage
from .taxonomy import Category, SourceUnit

__all__ = [
    "ArticlePage",
    "ArticlePageTag",
    "Category",
    "HomePage",
    "NewsIndexPage",
    "SiarImage",
    "SiarRendition",
    "SourceUnit",
]
