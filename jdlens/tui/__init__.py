"""The Textual app (placeholder until the app issue lands)."""


def run_app(file=None, model_path=None) -> int:
    from .app import run
    return run(file=file, model_path=model_path)
