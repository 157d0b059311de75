cli-db-unreachable = No se pudo usar la base de datos: { $detail }
cli-cannot-read = No se pudo leer { $file }: { $detail }
cli-import-refused = { $count ->
    [one] Se encontró 1 problema; no se importó nada.
   *[other] Se encontraron { $count } problemas; no se importó nada.
}
cli-networks-created = Redes creadas: { $count }
cli-dry-run = Simulación (--dry-run): no se guardó nada.
cli-demo-loaded = Datos de demostración cargados.
cli-demo-present = Los datos de demostración ya estaban cargados.
cli-demo-accounts = Cuentas de demostración (contraseña «{ $password }»):
cli-listening = Trama está disponible en { $url }
cli-user-saved = Cuenta { $email } guardada (id { $id }).
cli-one-time-password = Contraseña de un solo uso (entréguela en persona; cámbiela al entrar):
cli-no-such-user = No existe una cuenta con el correo { $email }.
cli-token-created = Token de API para { $email } (se muestra una sola vez):
cli-wrote = Escrito { $file }
cli-bench-header = Tiempos del servidor ({ $backend })
cli-bad-format = Formato desconocido: { $format }
