import-summary = { $inserted } insertados, { $updated } actualizados, { $unchanged } sin cambios
csv-empty = el archivo está vacío
csv-malformed = el archivo CSV está mal formado (comillas sin cerrar o caracteres inválidos)
csv-missing-column = falta la columna
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
   *[other] Se encontraron { $count } problemas. Corrija el archivo y vuelva a subirlo; no se guardó nada.
}
import-again = Subir otro archivo
import-confirm = Confirmar e importar
import-done-title = Importación terminada
import-another = Importar otro archivo
responses-unknown-column = no es una columna del formato de respuestas ni un ítem del instrumento
responses-duplicate-column = la columna está repetida
responses-bad-value = no es una respuesta válida (1 a 5, NA o vacío)
responses-more-errors = … y { $count } problemas más
