"""The corpus: manifest, layout parsers, normaliser and the immutable Excerpt model."""
