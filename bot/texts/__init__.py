"""Every user-visible string, in English and Chinese; one module per feature."""
