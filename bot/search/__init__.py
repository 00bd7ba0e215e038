"""Search over excerpts: analysis, an immutable index, query syntax and ranking (pure).

Use: `SearchIndex.build(corpus, Glossary.load(corpus_dir))`, then `index.search(query)`.
"""

from bot.search.glossary import Glossary, GlossaryError
from bot.search.index import SearchIndex
from bot.search.results import Hit, SearchResult

__all__ = ["Glossary", "GlossaryError", "Hit", "SearchIndex", "SearchResult"]
