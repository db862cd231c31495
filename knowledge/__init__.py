"""Fact bases and language data: frozen values (`knowledge.types`, pure) and the files they are
read from (`knowledge.loader`: YAML validated when loaded; `knowledge/language/`)."""
