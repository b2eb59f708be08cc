"""Rows take their number from a database sequence instead of a locked head row, and name
their actor by kind and id without a required link to a professional; they also carry the
owner and register of what was read or changed, and the event of a write.

The hash-chain columns go: rows are sealed afterwards with a keyed chain (0006). On
PostgreSQL a BEFORE INSERT trigger assigns the number, after making sure the transaction
has its id, so that the sealing task can tell when no transaction can still commit a
number below a horizon. The trigger replaces the identity column Django would create.
"""

import django.db.models.deletion
from django.db import migrations, models

APPEND_ONLY = "audit_accesslog_append_only"

SEQUENCE_SQL = """
ALTER TABLE audit_accesslogentry ALTER COLUMN sequence DROP IDENTITY IF EXISTS;
CREATE SEQUENCE audit_accesslog_sequence OWNED BY audit_accesslogentry.sequence;
SELECT setval('audit_accesslog_sequence', COALESCE(MAX(sequence), 0) + 1, false)
    FROM audit_accesslogentry;

CREATE FUNCTION audit_accesslog_number() RETURNS trigger AS $$
BEGIN
    -- The transaction's id first, then the number: a transaction holding a number below
    -- the sequence's value at some snapshot was already running at that snapshot.
    PERFORM pg_current_xact_id();
    NEW.sequence := nextval('audit_accesslog_sequence');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_accesslog_number
    BEFORE INSERT ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_number();

CREATE TRIGGER audit_accesslog_no_truncate
    BEFORE TRUNCATE ON audit_accesslogentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accesslog_refuse_change();
"""

SEQUENCE_REVERSE_SQL = """
DROP TRIGGER IF EXISTS audit_accesslog_no_truncate ON audit_accesslogentry;
DROP TRIGGER IF EXISTS audit_accesslog_number ON audit_accesslogentry;
DROP FUNCTION IF EXISTS audit_accesslog_number();
ALTER TABLE audit_accesslogentry ALTER COLUMN sequence DROP DEFAULT;
DROP SEQUENCE IF EXISTS audit_accesslog_sequence;
"""


def copy_actor_ids(apps, schema_editor):
    """Rows written so far were all by professionals: their id is the user's id."""
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE audit_accesslogentry DISABLE TRIGGER {APPEND_ONLY}")
    schema_editor.execute(
        "UPDATE audit_accesslogentry SET actor_id = CAST(actor_user_id AS varchar(200))"
    )
    if postgresql:
        schema_editor.execute(f"ALTER TABLE audit_accesslogentry ENABLE TRIGGER {APPEND_ONLY}")


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEQUENCE_SQL, params=None)


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEQUENCE_REVERSE_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0004_alter_accesslogentry_basis"),
    ]

    operations = [
        migrations.DeleteModel(name="AccessLogHead"),
        migrations.RemoveField(model_name="accesslogentry", name="previous_hash"),
        migrations.RemoveField(model_name="accesslogentry", name="row_hash"),
        migrations.RenameField(model_name="accesslogentry", old_name="actor", new_name="actor_user"),
        migrations.AddField(
            model_name="accesslogentry",
            name="actor_kind",
            field=models.CharField(
                choices=[
                    ("professional", "Professional"),
                    ("client", "The client"),
                    ("api_client", "API client"),
                    ("link_holder", "Holder of a single-use link"),
                    ("system", "System job"),
                ],
                default="professional",
                max_length=16,
                verbose_name="kind of actor",
            ),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="actor_id",
            field=models.CharField(blank=True, max_length=200, verbose_name="actor"),
        ),
        migrations.RunPython(copy_actor_ids, migrations.RunPython.noop),
        migrations.RemoveField(model_name="accesslogentry", name="actor_user"),
        migrations.AlterField(
            model_name="accesslogentry",
            name="organisation",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="event",
            field=models.CharField(
                blank=True,
                choices=[
                    ("client_registered", "Client registered"),
                    ("basic_details_changed", "Basic details changed"),
                    ("relationship_started", "Service relationship started"),
                    ("relationship_ended", "Service relationship ended"),
                    ("consent_recorded", "Consent recorded"),
                    ("consent_withdrawn", "Consent withdrawn"),
                    ("clients_merged", "Client records merged"),
                    ("episode_started", "Episode started"),
                    ("episode_ended", "Episode ended"),
                    ("phase_changed", "Phase changed"),
                    ("case_manager_assigned", "Case manager assigned"),
                    ("handover_proposed", "Handover proposed"),
                    ("handover_answered", "Handover answered"),
                    ("team_member_added", "Team member added"),
                    ("plan_saved", "Plan saved"),
                    ("plan_reviewed", "Plan reviewed"),
                    ("journal_entry_added", "Journal entry added"),
                    ("referral_sent", "Referral sent"),
                    ("referral_accepted", "Referral accepted"),
                    ("referral_declined", "Referral declined"),
                    ("referral_closed", "Referral closed"),
                    ("measurement_started", "Measurement started"),
                    ("measurement_answered", "Measurement answered"),
                    ("answer_link_sent", "Answer link created"),
                ],
                max_length=32,
                verbose_name="event",
            ),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="owner",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.organisation",
                verbose_name="owner",
            ),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="owner_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="owner"),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="register",
            field=models.CharField(
                blank=True,
                choices=[
                    ("social_welfare", "Social welfare client records"),
                    ("health_care", "Patient records"),
                    ("employment_services", "Employment services records"),
                    ("other", "Other service records"),
                ],
                max_length=32,
                verbose_name="register",
            ),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="sequence",
            field=models.BigAutoField(primary_key=True, serialize=False, verbose_name="number"),
        ),
        migrations.RunPython(create_sequence, drop_sequence),
    ]
