"""The house base form and its validators."""

from wtforms import StringField

from portal.core.forms import BaseForm, required


def test_a_required_field_of_only_spaces_is_refused_with_its_message(app):
    class NameForm(BaseForm):
        name = StringField("Name", validators=[required("Enter your full name")])

    with app.test_request_context(method="POST", data={"name": "   "}):
        form = NameForm(meta={"csrf": False})
        assert not form.validate()
        assert form.name.errors == ["Enter your full name"]
