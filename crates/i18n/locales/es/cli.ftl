cli-db-unreachable = No se pudo usar la base de datos: { $detail }
cli-cannot-read = No se pudo leer { $file }: { $detail }
cli-import-refused = { $count ->
    [one] Se encontró 1 problema; no se importó nada.
   *[other] Se encontraron { $shown } problemas; no se importó nada.
}
cli-networks-created = Redes creadas: { $count }
cli-dry-run = Simulación (--dry-run): no se guardó nada.
cli-demo-loaded = Datos de demostración cargados.
cli-demo-present = Los datos de demostración ya estaban cargados.
cli-demo-accounts = Cuentas de demostración (contraseña «{ $password }»):
cli-listening = Trama está disponible en { $url }
cli-worker-elsewhere = Otro proceso ya ejecuta el trabajador de campañas sobre esta base SQLite: este servidor atiende páginas, pero no envía mensajes ni recordatorios. Para varios servidores use PostgreSQL.
cli-user-saved = Cuenta { $email } guardada (id { $id }).
cli-one-time-password = Contraseña de un solo uso (entréguela en persona; cámbiela al entrar):
cli-no-such-user = No existe una cuenta con el correo { $email }.
cli-token-created = Token de API para { $email } (se muestra una sola vez):
cli-wrote = Escrito { $file }
cli-bench-header = Tiempos del servidor ({ $backend })
cli-bad-format = Formato desconocido: { $format }
cli-binary-to-terminal = El formato { $format } es binario y no se muestra en la terminal: use -o ARCHIVO o redirija la salida.
cli-instrument-saved = Instrumento { $code } versión { $number } guardado (nueva versión)
cli-instrument-would-save = Instrumento { $code }: se guardaría como versión { $number } (nueva versión)
cli-instrument-unchanged = Instrumento { $code } sin cambios: ya era la versión { $number }
cli-no-such-instrument = No existe el instrumento «{ $code }» (vea «trama instrument list»).
cli-no-such-instrument-version = El instrumento «{ $code }» no tiene versión { $number }; la última es la { $latest }.
cli-no-instruments = No hay instrumentos guardados.
cli-instrument-shown-version = Versión { $number }: { $questions } preguntas, { $ratings } ítems de la escala de acuerdo
cli-instrument-versions = Versiones (* la que se muestra):
cli-instrument-reverse = invertido
cli-instrument-other-questions = Otras preguntas:
cli-no-such-campaign = No existe la campaña «{ $code }».
cli-no-such-network = No existe la red «{ $code }».
cli-responses-exported = { $count ->
    [one] 1 respuesta de la campaña { $campaign }
   *[other] { $count } respuestas de la campaña { $campaign }
}
cli-responses-imported = { $count ->
    [one] 1 respuesta importada a la campaña { $campaign }
   *[other] { $count } respuestas importadas a la campaña { $campaign }
}
cli-responses-checked = { $count ->
    [one] 1 respuesta revisada: se puede importar a la campaña { $campaign }
   *[other] { $count } respuestas revisadas: se pueden importar a la campaña { $campaign }
}
cli-findings-suppressed = { $n ->
    [one] Solo 1 persona respondió (menos de { $k }): no se informan hallazgos.
   *[other] Solo { $n } personas respondieron (menos de { $k }): no se informan hallazgos.
}
cli-disclosure-summary = K = { $k }: { $published } grupos publicados, { $suppressed } ocultos, { $tried } combinaciones probadas; grupos de menos de K recuperables: { $found }.
cli-disclosure-recoverable = { $n } grupos de menos de K personas pueden deducirse de lo publicado.
cli-min-group-too-small = --min-group { $k }: el umbral de anonimato debe ser al menos 3.

cli-results-rebuilt = Campaña { $campaign }: { $respondents ->
    [one] 1 respuesta válida
   *[other] { $respondents } respuestas válidas
} en { $groups ->
    [one] 1 grupo
   *[other] { $groups } grupos
}; { $differing ->
    [0] los conteos guardados coincidían con el recuento
    [one] los conteos guardados diferían en 1 grupo y se corrigieron
   *[other] los conteos guardados diferían en { $differing } grupos y se corrigieron
}.
