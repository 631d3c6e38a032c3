"""Creative Writing Studio: a local-first studio for writing with language models you run."""

__version__ = "0.1.0"
