"""`flask api …`: partner systems' keys from the command line, for scripted rotation.

The same audited services as the admin page (`/staff/api-partners`), with the command line as
the actor. A partner is named by its public id or its exact name. `issue-key` prints the key
alone on standard output (the only time it exists in clear), so a script can capture it:
`KEY=$(flask --app portal api issue-key "Tổng đài 1022")`; everything else goes to standard
error.
"""

import click
from flask.cli import AppGroup

from portal.api import partners
from portal.api.models import ApiPartner
from portal.core.filters import datetime_filter

api_cli = AppGroup("api", help="Open311 partner systems and their keys.")


def _partner(name_or_id: str) -> ApiPartner:
    found = partners.partner_by_public_id(name_or_id) or next(
        (p for p in partners.partners() if p.name == name_or_id.strip()), None
    )
    if found is None:
        raise click.ClickException(f"no partner named or numbered {name_or_id!r}")
    return found


def _when(moment) -> str:
    return datetime_filter(moment) if moment else "never"


@api_cli.command("partners")
def list_command():
    """List the partners and their keys (never the keys themselves)."""
    for partner in partners.partners():
        state = "active" if partner.active else "switched off"
        click.echo(f"{partner.public_id}  {partner.name}  ({state})")
        for key in partner.keys:
            status = f"revoked {_when(key.revoked_at)}" if key.revoked else "live"
            click.echo(
                f"  key {key.public_id}  …{key.hint}  issued {_when(key.created_at)}  "
                f"last used {_when(key.last_used_at)}  {status}"
            )


@api_cli.command("issue-key")
@click.argument("partner")
def issue_command(partner):
    """Issue a new key to PARTNER and print it (shown this once)."""
    found = _partner(partner)
    if not found.active:
        raise click.ClickException(f"{found.name} is switched off: switch it on first")
    key, raw = partners.issue_key(found, by=None)
    click.echo(f"issued key {key.public_id} (…{key.hint}) to {found.name}", err=True)
    click.echo(raw)


@api_cli.command("revoke-key")
@click.argument("partner")
@click.argument("key_id")
def revoke_command(partner, key_id):
    """Revoke the key KEY_ID of PARTNER at once (KEY_ID as `flask api partners` lists it)."""
    found = _partner(partner)
    key = partners.key_by_public_id(found, key_id)
    if key is None:
        raise click.ClickException(f"{found.name} has no key {key_id!r}")
    if key.revoked:
        click.echo(f"key {key.public_id} was already revoked", err=True)
        return
    partners.revoke_key(key, by=None)
    click.echo(f"revoked key {key.public_id} (…{key.hint}) of {found.name}", err=True)
