namespace EdgeAutoMl.Storage;

/// <summary>
/// Which Optuna RDB schema a new SQLite file gets. Both have schema_version 12 and identical tables; they differ in
/// the alembic revision Optuna checks on load (and an index on trials.study_id). An Optuna client only opens a file
/// whose revision is its own head, so pick the one matching the Python client that will read the study.
/// </summary>
public enum OptunaSchemaVersion
{
    /// <summary>Alembic head "v3.0.0.d": what Optuna 3.0 and 3.1 (e.g. Debian 12's python3-optuna) accept.</summary>
    V3_0_0_d,
    /// <summary>Alembic head "v3.2.0.a": what Optuna 3.2 and later accept.</summary>
    V3_2_0_a,
}
