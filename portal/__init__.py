"""The citizen feedback and public disclosure portal."""

import os

from flask import Flask

from portal import config as portal_config


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, errors, filters, CLI."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("PORTAL_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(portal_config.config_class(config_name))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PORTAL")
    if overrides:
        app.config.update(overrides)
    portal_config.finalise(app.config, app.instance_path)

    from portal import extensions, models  # noqa: F401 - the whole schema, for Alembic

    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=_migrations_dir())
    extensions.csrf.init_app(app)
    extensions.mail.init_app(app)
    extensions.limiter.init_app(app)

    from portal.core import i18n, security

    i18n.init_app(app)
    security.init_app(app)

    from portal.accounts import login as accounts_login
    from portal.accounts import staff_views as accounts_staff
    from portal.accounts import views as accounts_views
    from portal.answers import staff_views as answers_staff
    from portal.answers import views as answers_views
    from portal.api import open311 as open311_api
    from portal.api import openapi as openapi_api
    from portal.api import staff_views as api_staff
    from portal.api import v1 as v1_api
    from portal.cases import staff_views as cases_staff
    from portal.cases import views as cases_views
    from portal.contacts import staff_views as contacts_staff
    from portal.contacts import views as contacts_views
    from portal.disclosures import staff_views as disclosures_staff
    from portal.disclosures import views as disclosures_views
    from portal.notifications import staff_views as notifications_staff
    from portal.procedures import staff_views as procedures_staff
    from portal.procedures import views as procedures_views
    from portal.public import views as public_views
    from portal.reports import staff_views as reports_staff
    from portal.reports import views as reports_views

    accounts_login.init_app(app)
    for public_blueprint in (
        public_views,
        cases_views,
        contacts_views,
        disclosures_views,
        procedures_views,
        reports_views,
        answers_views,
        open311_api,
        v1_api,
        openapi_api,
    ):
        app.register_blueprint(public_blueprint.bp)
    for staff_blueprint in (
        accounts_views,
        accounts_staff,
        cases_staff,
        contacts_staff,
        disclosures_staff,
        procedures_staff,
        notifications_staff,
        reports_staff,
        answers_staff,
        api_staff,
    ):
        security.register_staff_blueprint(app, staff_blueprint.bp)

    from portal.core import errors, filters, urls

    errors.init_app(app)
    filters.init_app(app)
    urls.init_app(app)

    from portal import cli

    cli.init_app(app)
    return app


def _migrations_dir() -> str:
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")
