import pytest


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path, monkeypatch):
    """Keep form files of each test in its own folder, never in the instance folder."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder
