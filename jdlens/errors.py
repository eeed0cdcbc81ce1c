"""Errors that carry a short title, so the CLI prints one line and the app shows a dialog."""


class JdlensError(Exception):
    """Base error: `title` names what failed, the message says what to do."""

    title = "jdlens error"

    def __init__(self, message: str, *, title: str | None = None):
        super().__init__(message)
        if title:
            self.title = title


class EmptyPostingError(JdlensError, ValueError):
    title = "Empty posting"


class ModelError(JdlensError):
    title = "Model could not be loaded"


class CorpusError(JdlensError):
    title = "Corpus problem"


class InputError(JdlensError):
    title = "Bad input"
