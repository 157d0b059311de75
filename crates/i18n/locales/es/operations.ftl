# Copias de seguridad, restauración y revisión de la base de datos (trama backup, restore, db check).
ops-backup-exists = { $file } ya existe: elija otro nombre (una copia nunca reemplaza a otra).
ops-backup-done = Copia de seguridad escrita en { $file } ({ $size }) y comprobada: íntegra, con { $responses } respuestas y { $answers } respuestas a preguntas. Contiene datos personales: guárdela con el mismo cuidado que la base de datos.
ops-dump-empty = pg_dump escribió { $file }, pero el archivo no contiene datos de ninguna tabla: revise la URL y el esquema.
ops-restore-wrong-kind = { $file } no es una copia de este tipo de base de datos (SQLite se restaura desde un archivo de «trama backup»; PostgreSQL, desde un archivo de pg_dump en formato custom).
ops-restore-no-file = La URL { $url } no nombra un archivo SQLite donde restaurar.
ops-restore-not-empty = { $database } ya contiene una base de datos: restaure solo en una base vacía (nada se ha modificado).
ops-restore-not-trama = { $file } no es una base de datos de Trama.
ops-restore-done = Copia restaurada en { $database }: { $responses } respuestas y { $answers } respuestas a preguntas.
ops-tool-missing = No se pudo ejecutar { $tool } (instale postgresql-client de la misma versión que el servidor): { $detail }
ops-tool-failed = { $tool } falló: { $detail }
ops-check-no-database = No hay base de datos en { $database }.
ops-check-database = Base de datos: { $database } ({ $backend })
ops-check-integrity-ok = Integridad: correcta.
ops-check-integrity-problem = Integridad: { $problem }
ops-check-migrations = Migraciones: { $applied } aplicadas de { $known } conocidas por esta versión.
ops-check-migrations-pending = Migraciones pendientes (se aplican al iniciar el servidor): { $versions }
ops-check-migrations-unknown = Migraciones desconocidas para esta versión (la escribió una versión más nueva de Trama): { $versions }
ops-check-migrations-failed = Migraciones que empezaron y no terminaron: { $versions }
ops-check-migrations-changed = Migraciones aplicadas con un texto distinto al de esta versión: { $versions }
ops-check-orphans-none = Referencias: ninguna fila huérfana.
ops-check-orphans = Filas huérfanas: { $rows } en { $table } ({ $columns }) no encuentran su fila en { $parent }.
ops-check-rows = Contenido: { $responses } respuestas, { $answers } respuestas a preguntas, { $invitations } invitaciones, { $messages } mensajes.
ops-check-healthy = La base de datos está sana.
ops-check-unhealthy = La base de datos tiene problemas que requieren atención (vea arriba).

# Archivo de configuración (trama.toml)
cli-config-unreadable = No se pudo leer el archivo de configuración { $file }: { $detail }
cli-config-invalid = { $file }, línea { $line }: { $detail }
cli-config-unknown-key = { $file }, línea { $line }: «{ $key }» no es una opción de configuración (vea deploy/trama.toml para la lista).
cli-config-wrong-type = { $file }, línea { $line }: «{ $key }» debe ser { $kind }.
cli-config-kind-number = un número entero
cli-config-kind-boolean = true o false
cli-config-kind-text = un texto entre comillas
cli-config-kind-list = una lista, como ["10.0.0.2"]
