"""One parser per transcript layout; LAYOUTS maps a manifest `layout` name to its parser."""
