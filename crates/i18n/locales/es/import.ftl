import-summary = { $inserted } insertados, { $updated } actualizados, { $unchanged } sin cambios
csv-empty = el archivo está vacío
csv-malformed = el archivo CSV está mal formado (comillas sin cerrar o caracteres inválidos)
csv-missing-column = falta la columna
csv-duplicate-column = la columna está repetida
csv-unnamed-column = columna { $position } (sin encabezado)
csv-long-row = la fila tiene { $found } campos y el encabezado { $expected }
csv-short-row = la fila termina antes de esta columna: tiene { $found } campos y el encabezado { $expected }
csv-unknown-column = no es una columna de este archivo; las aceptadas son: { $accepted }
csv-more-problems = { $count ->
    [one] … y 1 problema más
   *[other] … y { $shown } problemas más
}
import-title = Importar al registro
import-intro = Suba un archivo CSV. Primero verá una vista previa con todos los problemas encontrados; nada se guarda hasta que confirme.
import-kind = Tipo de archivo
import-kind-schools = Establecimientos (Directorio Oficial de MINEDUC)
import-kind-networks = Redes y sus establecimientos (network, rbd, from_year, to_year)
import-kind-people = Personas y roles (name, email, rbd o network, role, from_year)
import-file = Archivo CSV
import-preview = Ver vista previa
import-preview-title = Vista previa de la importación
import-errors-title = { $count ->
    [one] Se encontró 1 problema. Corrija el archivo y vuelva a subirlo; no se guardó nada.
   *[other] Se encontraron { $shown } problemas. Corrija el archivo y vuelva a subirlo; no se guardó nada.
}
import-again = Subir otro archivo
import-confirm = Confirmar e importar
import-done-title = Importación terminada
import-another = Importar otro archivo
responses-unknown-column = no es una columna del formato de respuestas ni un ítem del instrumento
responses-duplicate-column = la columna está repetida
responses-bad-value = no es una respuesta válida (1 a 5, NA o vacío)
