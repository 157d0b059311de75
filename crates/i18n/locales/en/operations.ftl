# Backups, restore and database checks (trama backup, restore, db check).
ops-backup-exists = { $file } already exists: choose another name (a backup never replaces another).
ops-backup-done = Backup written to { $file } ({ $size }) and checked: sound, with { $responses } responses and { $answers } answers. It holds personal data: keep it as carefully as the database.
ops-dump-empty = pg_dump wrote { $file }, but it holds no table's data: check the URL and the schema.
ops-restore-wrong-kind = { $file } is not a backup of this kind of database (SQLite is restored from a "trama backup" file; PostgreSQL from a pg_dump custom-format archive).
ops-restore-no-file = The URL { $url } names no SQLite file to restore into.
ops-restore-not-empty = { $database } already holds a database: restore only into an empty one (nothing was changed).
ops-restore-not-trama = { $file } is not a Trama database.
ops-restore-done = Backup restored into { $database }: { $responses } responses and { $answers } answers.
ops-tool-missing = Could not run { $tool } (install postgresql-client of the server's version): { $detail }
ops-tool-failed = { $tool } failed: { $detail }
ops-check-no-database = There is no database at { $database }.
ops-check-database = Database: { $database } ({ $backend })
ops-check-integrity-ok = Integrity: sound.
ops-check-integrity-problem = Integrity: { $problem }
ops-check-migrations = Migrations: { $applied } applied of the { $known } this version knows.
ops-check-migrations-pending = Pending migrations (applied when the server starts): { $versions }
ops-check-migrations-unknown = Migrations this version does not know (a newer Trama wrote here): { $versions }
ops-check-migrations-failed = Migrations that started and never finished: { $versions }
ops-check-migrations-changed = Migrations applied with a text other than this version's: { $versions }
ops-check-orphans-none = References: no orphan rows.
ops-check-orphans = Orphan rows: { $rows } in { $table } ({ $columns }) find no row in { $parent }.
ops-check-rows = Contents: { $responses } responses, { $answers } answers, { $invitations } invitations, { $messages } messages.
ops-check-healthy = The database is sound.
ops-check-unhealthy = The database has problems that need attention (see above).

# Settings file (trama.toml)
cli-config-unreadable = Cannot read the settings file { $file }: { $detail }
cli-config-invalid = { $file }, line { $line }: { $detail }
cli-config-unknown-key = { $file }, line { $line }: "{ $key }" is not a setting (see deploy/trama.toml for the list).
cli-config-wrong-type = { $file }, line { $line }: "{ $key }" must be { $kind }.
cli-config-kind-number = a whole number
cli-config-kind-boolean = true or false
cli-config-kind-text = a quoted text
cli-config-kind-list = a list, like ["10.0.0.2"]
