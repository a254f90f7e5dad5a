import pytest


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path, monkeypatch):
    """Keep uploaded files in the test's own folder, never the instance folder."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder
