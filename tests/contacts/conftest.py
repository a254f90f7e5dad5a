import pytest


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path, monkeypatch):
    """Keep the files tests upload out of the instance folder."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder
