"""The demo catalogue: believable, varied, and loaded once however often `demo load` runs."""

import os

from portal.core.search import SearchEntry
from portal.core.uploads import StoredFile, sniff
from portal.extensions import db
from portal.procedures import demo
from portal.procedures.models import CODE_PATTERN, Procedure, ProcedureField, is_web_url


def _counts():
    return {
        model.__tablename__: db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (Procedure, ProcedureField, StoredFile, SearchEntry)
    }


def test_the_demo_catalogue_loads_once(app, upload_folder):
    with app.app_context():
        assert demo.load().startswith("Procedures: ")
        first = _counts()
        assert demo.load() == ""
        assert _counts() == first
        assert first["procedure"] >= 30 and first["procedure_field"] >= 3
        assert first["search_entry"] == first["procedure"]  # all published, all searchable
        procedures = db.session.scalars(db.select(Procedure)).all()
        levels = {p.online_level for p in procedures}
        assert levels == {"none", "partial", "full"}
        assert {p.level for p in procedures} == {"province", "commune"}
        for procedure in procedures:
            assert CODE_PATTERN.fullmatch(procedure.code) and procedure.code.endswith(".H38")
            assert procedure.channels and procedure.components
            assert (
                is_web_url(procedure.online_url)
                if procedure.is_online
                else not procedure.online_url
            )
        stored = db.session.scalars(db.select(StoredFile)).all()
        assert len(stored) >= 10
        for item in stored:
            with open(os.path.join(upload_folder, item.storage_key), "rb") as handle:
                assert sniff(handle.read()) == "docx"


def test_the_demo_pages_render(app, client, upload_folder):
    with app.app_context():
        demo.load()
        slugs = list(db.session.scalars(db.select(Procedure.slug).limit(5)))
    client.get("/thu-tuc-hanh-chinh")
    client.get("/thu-tuc-hanh-chinh?trang=2")
    for slug in slugs:
        client.get(f"/thu-tuc-hanh-chinh/{slug}")
        client.get(f"/thu-tuc-hanh-chinh/{slug}/in")
