# Instruments (questionnaires): the agreement scale and problems in XLSForm files.
instrument-acuerdo5-1 = Totalmente en desacuerdo
instrument-acuerdo5-2 = En desacuerdo
instrument-acuerdo5-3 = Ni de acuerdo ni en desacuerdo
instrument-acuerdo5-4 = De acuerdo
instrument-acuerdo5-5 = Totalmente de acuerdo
instrument-acuerdo5-na = No aplica

instrument-unreadable = no se puede leer como libro de Excel (.xlsx) ni como CSV
instrument-missing-sheet = falta la hoja «{ $sheet }»
instrument-missing-column = falta esta columna
instrument-no-questions = el formulario no tiene preguntas
instrument-required = falta un valor
instrument-invalid-name = no es un nombre válido: use letras sin tilde, números y _, comenzando por una letra
instrument-duplicate-name = este nombre ya se usó en la fila { $row }
instrument-unknown-type = no es un tipo conocido (select_one LISTA, select_multiple LISTA, integer, decimal, text, note, begin_group, end_group)
instrument-unparsable = no se puede interpretar: { $detail }
instrument-unknown-reference = se refiere a «{ $name }», que no es una pregunta del formulario
instrument-only-for-rating = esta columna solo se usa en ítems de la escala de acuerdo (select_one acuerdo5)
instrument-subdimension-without-dimension = una subdimensión necesita su dimensión en la columna dimension
instrument-subdimension-in-two-dimensions = esta subdimensión ya pertenece a la dimensión «{ $dimension }» (fila { $row })
instrument-unknown-code = no está en la lista «{ $list }» de la hoja choices
instrument-not-zero-one = debe ser 0 o 1
instrument-not-yes-no = debe ser yes o no (o 1 o 0)
instrument-missing-label = falta la etiqueta en español
instrument-unknown-choice-list = la lista «{ $list }» no está en la hoja choices
instrument-group-not-closed = el grupo «{ $name }» no se cierra con end_group
instrument-group-not-opened = end_group sin un begin_group abierto
instrument-duplicate-choice = esta opción ya está en la lista «{ $list }» (fila { $row })
instrument-choice-name-with-spaces = el valor de una opción no puede tener espacios
instrument-acuerdo5-mismatch = acuerdo5 es la escala de acuerdo de Trama: sus valores deben ser 1, 2, 3, 4, 5 y NA, en ese orden
instrument-unknown-language = idioma desconocido: use es o en

instrument-expr-empty = la expresión está vacía
instrument-expr-unexpected-end = la expresión termina antes de tiempo
instrument-expr-unexpected = «{ $found }» inesperado en la posición { $pos }
instrument-expr-unterminated-string = falta cerrar las comillas abiertas en la posición { $pos }
instrument-expr-unknown-function = función desconocida «{ $name }» en la posición { $pos } (se admiten not, selected, count-selected, true, false)
instrument-expr-bad-reference = referencia mal escrita en la posición { $pos }: se escribe ${"{"}nombre{"}"}
instrument-expr-current-outside-constraint = «.» solo se usa en constraint (posición { $pos })

instrument-answer-not-a-choice = «{ $value }» no es una de las opciones
instrument-answer-constraint = la respuesta no cumple la condición de la pregunta
instrument-answer-not-answerable = esta fila no admite respuesta

## Roster: collaboration levels (0–5) and what people exchange.
instrument-level-0 = Ninguna
instrument-level-0-desc = No trabajamos juntos.
instrument-level-1 = Nos conocemos
instrument-level-1-desc = Sabemos uno del otro y nos saludamos en la red, pero no hacemos trabajo juntos.
instrument-level-2 = Cooperación
instrument-level-2-desc = Nos ayudamos cuando uno lo pide: prestamos materiales o damos información puntual.
instrument-level-3 = Coordinación
instrument-level-3-desc = Ajustamos lo que hace cada uno para un fin común, por ejemplo calendarios o actividades.
instrument-level-4 = Coalición
instrument-level-4-desc = Compartimos recursos y decisiones en torno a un objetivo acordado.
instrument-level-5 = Colaboración
instrument-level-5-desc = Trabajamos juntos de forma estable: planificamos, hacemos y evaluamos en conjunto.
instrument-level-unknown = No conozco a esta persona
instrument-focus-information = Transmitir información
instrument-focus-training = Formación o desarrollo de capacidades
instrument-focus-practices = Compartir prácticas
instrument-focus-learnings = Compartir aprendizajes
instrument-focus-resources = Obtener recursos en conjunto
instrument-focus-projects = Proyectos socioeducativos conjuntos
instrument-process-informative = Informativo
instrument-process-collaborative = Colaborativo
instrument-process-cooperative = Cooperativo
