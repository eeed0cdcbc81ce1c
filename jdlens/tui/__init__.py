"""The Textual app. Imported only when the app opens, so the core and the CLI stay light."""


def run_app(file=None, model_path=None) -> int:
    from .app import run
    return run(file=file, model_path=model_path)
