"""Search over excerpts: analysis, an immutable index, query syntax and ranking (pure)."""
