PREFIXES = ["/" + name for name in ("a", "b")]  # ERROR: E10
