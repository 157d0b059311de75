## Respuestas abiertas: lectura por grupo, libro de códigos por pregunta y codificación.
open-title = Respuestas abiertas
open-link = Respuestas abiertas, agrupadas en temas
open-intro = Lo que las personas escribieron en las preguntas abiertas, y los temas en que se agrupa. Solo se muestran grupos con al menos { $k } respuestas válidas.
open-questions = Preguntas abiertas
open-question-count = { $answers ->
    [one] 1 respuesta
   *[other] { $answers } respuestas
}
open-summary = { $answers ->
    [one] 1 respuesta
   *[other] { $answers } respuestas
} a esta pregunta, de { $respondents } participantes con respuesta válida en el grupo; { $coded ->
    [one] 1 tiene
   *[other] { $coded } tienen
} al menos un tema.
open-too-small = Este grupo tiene menos de { $k } respuestas válidas en esta campaña (o lo acompaña en el ocultamiento otro grupo pequeño): sus respuestas abiertas no se muestran, para que nadie pueda ser identificado.
open-nothing = Ninguna respuesta coincide con la búsqueda.
open-filters = Filtros
open-search = Buscar en las respuestas
open-all-regions = Todas las regiones a su alcance
open-all-networks = Todas las redes a su alcance
open-any-theme = Cualquier tema
open-uncoded = Sin tema
open-col-n = N.º
open-col-answer = Respuesta
open-col-themes = Temas
open-small-group = grupo pequeño
open-assign = Asignar
open-assign-label = Tema para la respuesta { $n }
open-remove = Quitar
open-remove-label = Quitar el tema «{ $theme }» de la respuesta { $n }
open-export = Descargar las respuestas (CSV)
open-counts = Respuestas por tema
open-counts-overall = Total
open-counts-respondents = Participantes
open-counts-answers = Respuestas
open-counts-coded = Con tema
open-counts-suppressed = Las regiones con menos de { $k } respuestas válidas no se muestran; cuando solo una lo estaría, se oculta también la siguiente más pequeña, para que no pueda deducirse del total.
open-codebook = Libro de códigos
open-codebook-empty = Esta pregunta aún no tiene temas.
open-theme-new = Nuevo tema
open-theme-edit = Editar el tema
open-theme-delete = Eliminar
open-theme-delete-label = Eliminar el tema «{ $theme }» y quitarlo de todas las respuestas
open-theme-code = Código
open-theme-label-es = Nombre en castellano
open-theme-label-en = Nombre en inglés
open-theme-description = Descripción (opcional)
