finding-agree = { $n } de cada 10 participantes están de acuerdo con «{ $item }»
finding-disagree = { $n } de cada 10 participantes no están de acuerdo con «{ $item }»
scale-1 = Totalmente en desacuerdo
scale-2 = En desacuerdo
scale-3 = Ni de acuerdo ni en desacuerdo
scale-4 = De acuerdo
scale-5 = Totalmente de acuerdo
scale-na = No aplica
chart-desc = Barras apiladas al 100 % para { $count } grupos: desacuerdo a la izquierda de la línea central, acuerdo a la derecha, «No aplica» aparte en gris. Las cifras están en la tabla junto al gráfico.
chart-suppressed = Grupo con menos de { $k } respuestas: no se muestra
heatmap-desc = Mapa de calor de { $rows } filas por { $columns } columnas; cada celda es el porcentaje de acuerdo. Las celdas grises con guion corresponden a grupos demasiado pequeños.
design-no-rating-items = el instrumento no tiene ítems de la escala de acuerdo (select_one acuerdo5): no hay nada que informar
responses-field-count = la fila tiene { $found } campos y el encabezado { $expected }

## Páginas de resultados.
results-title = Resultados
results-national = Nacional
results-total = Total
results-subdimensions-national = Subdimensiones, nacional
results-intro-national = Distribución de las respuestas por dimensión y subdimensión, en el país y por región, con el porcentaje en desacuerdo a la izquierda y de acuerdo a la derecha.
results-intro-region = La región frente al país en cada subdimensión, y sus redes.
results-intro-network = La red frente a su región y el país en cada subdimensión, y su evolución entre años.
results-intro-item = Una afirmación, en el país y por región.
results-network-too-small = Esta red tiene menos de { $k } respuestas válidas en esta campaña: sus resultados no se muestran, para que nadie pueda ser identificado. Se muestran la región y el país.
results-respondents = Respuestas válidas
results-anonymity = Ningún grupo con menos de 5 respuestas se muestra.
results-suppressed-note = Algunos grupos tienen muy pocas respuestas y no se muestran; cuando solo uno lo estaría, se oculta también el siguiente más pequeño, para que no pueda deducirse del total.
results-suppressed = Grupo demasiado pequeño: no se muestra
results-findings = Hallazgos
results-rates = Tasa de respuesta
results-networks-in-scope = Redes convocadas
results-networks-with-answers = Redes con respuestas
results-cases = Casos
results-data-table = Tabla de datos
results-disagree = En desacuerdo
results-agree = De acuerdo
results-heat = Acuerdo por subdimensión
results-heat-regions = Porcentaje de acuerdo por región y subdimensión
results-heat-networks = Porcentaje de acuerdo por red y subdimensión
results-by-region = Resultados por región
results-by-network = Resultados por red
results-across-years = evolución entre años
results-link = Ver resultados
results-items = Afirmaciones
results-items-list = Ver cada afirmación
export-col-response-id = Identificador de respuesta
export-note-na = En las preguntas de acuerdo, 9 es «No aplica» y está declarado como valor perdido; una celda vacía es una pregunta sin responder.
results-years-title = Comparación entre años
results-intro-years = Cada subdimensión en todas las campañas del mismo cuestionario. Cada año se muestra solo si tiene al menos 5 respuestas.

## Informes en PDF.
results-pdf = Descargar PDF
results-pdf-es = PDF en español
results-pdf-en = PDF en inglés
results-pdf-scale = Escala: 1 = Totalmente en desacuerdo, 2 = En desacuerdo, 3 = Ni de acuerdo ni en desacuerdo, 4 = De acuerdo, 5 = Totalmente de acuerdo; NA = No aplica. Porcentajes sobre las respuestas; n = respuestas válidas / respuestas a las afirmaciones.
results-pdf-respondents = { $n } respuestas válidas · { $campaign }
results-pdf-group = Grupo
results-pdf-failed = No se pudo generar el PDF: { $reason }
