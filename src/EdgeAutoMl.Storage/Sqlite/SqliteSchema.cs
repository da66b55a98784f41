using Microsoft.Data.Sqlite;

namespace EdgeAutoMl.Storage.Sqlite;

/// <summary>
/// The DDL of Optuna's RDB storage as SQLAlchemy 1.4 emits it on SQLite for a fresh database (create_all followed by
/// an alembic stamp). SQLAlchemy ≥ 1.4 emits no CHECK constraints for Enum columns, so the enum columns are plain
/// VARCHARs holding the enum names.
/// </summary>
internal static class SqliteSchema
{
    public const int SchemaVersion = 12;

    private static readonly string[] Tables =
    [
        """
        CREATE TABLE studies (
        	study_id INTEGER NOT NULL, 
        	study_name VARCHAR(512) NOT NULL, 
        	PRIMARY KEY (study_id)
        )
        """,
        "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)",
        """
        CREATE TABLE version_info (
        	version_info_id INTEGER NOT NULL, 
        	schema_version INTEGER, 
        	library_version VARCHAR(256), 
        	PRIMARY KEY (version_info_id), 
        	CHECK (version_info_id=1)
        )
        """,
        """
        CREATE TABLE study_directions (
        	study_direction_id INTEGER NOT NULL, 
        	direction VARCHAR(8) NOT NULL, 
        	study_id INTEGER NOT NULL, 
        	objective INTEGER NOT NULL, 
        	PRIMARY KEY (study_direction_id), 
        	UNIQUE (study_id, objective), 
        	FOREIGN KEY(study_id) REFERENCES studies (study_id)
        )
        """,
        """
        CREATE TABLE study_user_attributes (
        	study_user_attribute_id INTEGER NOT NULL, 
        	study_id INTEGER, 
        	"key" VARCHAR(512), 
        	value_json TEXT, 
        	PRIMARY KEY (study_user_attribute_id), 
        	UNIQUE (study_id, "key"), 
        	FOREIGN KEY(study_id) REFERENCES studies (study_id)
        )
        """,
        """
        CREATE TABLE study_system_attributes (
        	study_system_attribute_id INTEGER NOT NULL, 
        	study_id INTEGER, 
        	"key" VARCHAR(512), 
        	value_json TEXT, 
        	PRIMARY KEY (study_system_attribute_id), 
        	UNIQUE (study_id, "key"), 
        	FOREIGN KEY(study_id) REFERENCES studies (study_id)
        )
        """,
        """
        CREATE TABLE trials (
        	trial_id INTEGER NOT NULL, 
        	number INTEGER, 
        	study_id INTEGER, 
        	state VARCHAR(8) NOT NULL, 
        	datetime_start DATETIME, 
        	datetime_complete DATETIME, 
        	PRIMARY KEY (trial_id), 
        	FOREIGN KEY(study_id) REFERENCES studies (study_id)
        )
        """,
        """
        CREATE TABLE trial_user_attributes (
        	trial_user_attribute_id INTEGER NOT NULL, 
        	trial_id INTEGER, 
        	"key" VARCHAR(512), 
        	value_json TEXT, 
        	PRIMARY KEY (trial_user_attribute_id), 
        	UNIQUE (trial_id, "key"), 
        	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        )
        """,
        """
        CREATE TABLE trial_system_attributes (
        	trial_system_attribute_id INTEGER NOT NULL, 
        	trial_id INTEGER, 
        	"key" VARCHAR(512), 
        	value_json TEXT, 
        	PRIMARY KEY (trial_system_attribute_id), 
        	UNIQUE (trial_id, "key"), 
        	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        )
        """,
        """
        CREATE TABLE trial_params (
        	param_id INTEGER NOT NULL, 
        	trial_id INTEGER, 
        	param_name VARCHAR(512), 
        	param_value FLOAT, 
        	distribution_json TEXT, 
        	PRIMARY KEY (param_id), 
        	UNIQUE (trial_id, param_name), 
        	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        )
        """,
        """
        CREATE TABLE trial_values (
        	trial_value_id INTEGER NOT NULL, 
        	trial_id INTEGER NOT NULL, 
        	objective INTEGER NOT NULL, 
        	value FLOAT, 
        	value_type VARCHAR(7) NOT NULL, 
        	PRIMARY KEY (trial_value_id), 
        	UNIQUE (trial_id, objective), 
        	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        )
        """,
        """
        CREATE TABLE trial_intermediate_values (
        	trial_intermediate_value_id INTEGER NOT NULL, 
        	trial_id INTEGER NOT NULL, 
        	step INTEGER NOT NULL, 
        	intermediate_value FLOAT, 
        	intermediate_value_type VARCHAR(7) NOT NULL, 
        	PRIMARY KEY (trial_intermediate_value_id), 
        	UNIQUE (trial_id, step), 
        	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        )
        """,
        """
        CREATE TABLE trial_heartbeats (
        	trial_heartbeat_id INTEGER NOT NULL, 
        	trial_id INTEGER NOT NULL, 
        	heartbeat DATETIME NOT NULL, 
        	PRIMARY KEY (trial_heartbeat_id), 
        	UNIQUE (trial_id), 
        	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        )
        """,
        """
        CREATE TABLE alembic_version (
        	version_num VARCHAR(32) NOT NULL, 
        	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
        )
        """,
    ];

    public static string AlembicRevision(OptunaSchemaVersion v) => v switch
    {
        OptunaSchemaVersion.V3_0_0_d => "v3.0.0.d",
        OptunaSchemaVersion.V3_2_0_a => "v3.2.0.a",
        _ => throw new ArgumentOutOfRangeException(nameof(v)),
    };

    // The library_version Optuna shows in its "schema set up by optuna X" messages.
    private static string LibraryVersion(OptunaSchemaVersion v) => v == OptunaSchemaVersion.V3_0_0_d ? "3.1.0" : "3.2.0";

    /// <summary>Creates the tables in an empty database, or reads which schema an existing one has.</summary>
    public static OptunaSchemaVersion EnsureCreated(SqliteConnection connection, OptunaSchemaVersion forNewFile, string path)
    {
        using SqliteTransaction tx = connection.BeginTransaction();
        bool hasAlembic = Exists(connection, tx, "alembic_version");
        bool hasStudies = Exists(connection, tx, "studies");
        if (hasAlembic)
        {
            using var cmd = new SqliteCommand("SELECT version_num FROM alembic_version", connection, tx);
            string? revision = cmd.ExecuteScalar() as string;
            tx.Commit();
            return revision switch
            {
                "v3.0.0.d" => OptunaSchemaVersion.V3_0_0_d,
                "v3.2.0.a" => OptunaSchemaVersion.V3_2_0_a,
                _ => throw new NotSupportedException(
                    $"SQLite storage '{path}' has Optuna schema revision '{revision ?? "(none)"}'; supported are v3.0.0.d " +
                    "(Optuna 3.0/3.1) and v3.2.0.a (Optuna 3.2+). Upgrade or downgrade it with `optuna storage upgrade`."),
            };
        }
        if (hasStudies)
            throw new NotSupportedException(
                $"SQLite file '{path}' has a 'studies' table but no alembic_version: it is not an Optuna (≥ 3.0) storage.");

        foreach (string ddl in Tables) Exec(connection, tx, ddl);
        if (forNewFile == OptunaSchemaVersion.V3_2_0_a)
            Exec(connection, tx, "CREATE INDEX ix_trials_study_id ON trials (study_id)");
        using (var cmd = new SqliteCommand(
                   "INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, $s, $l)", connection, tx))
        {
            cmd.Parameters.AddWithValue("$s", SchemaVersion);
            cmd.Parameters.AddWithValue("$l", LibraryVersion(forNewFile));
            cmd.ExecuteNonQuery();
        }
        using (var cmd = new SqliteCommand("INSERT INTO alembic_version (version_num) VALUES ($v)", connection, tx))
        {
            cmd.Parameters.AddWithValue("$v", AlembicRevision(forNewFile));
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
        return forNewFile;
    }

    private static bool Exists(SqliteConnection c, SqliteTransaction tx, string table)
    {
        using var cmd = new SqliteCommand("SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name=$n", c, tx);
        cmd.Parameters.AddWithValue("$n", table);
        return (long)cmd.ExecuteScalar()! > 0;
    }

    private static void Exec(SqliteConnection c, SqliteTransaction tx, string sql)
    {
        using var cmd = new SqliteCommand(sql, c, tx);
        cmd.ExecuteNonQuery();
    }
}
