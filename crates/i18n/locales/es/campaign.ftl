# Campaigns, answering and the response funnel.

## Response files
response-unknown-column = no es una pregunta del instrumento de la campaña
response-bad-time = no es una fecha (use AAAA-MM-DD o AAAA-MM-DDThh:mm:ssZ)

## Answering
answer-progress-label = Avance
answer-page = Página
answer-saved = Sus respuestas quedaron guardadas. Puede cerrar esta página y volver con el mismo enlace cuando quiera.
answer-required-title = Faltan respuestas obligatorias en esta página. Lo que respondió quedó guardado.
answer-errors-title = Algunas respuestas no se pudieron guardar. Las demás sí quedaron guardadas.
answer-welcome-back = Bienvenido/a de vuelta: sus respuestas anteriores están guardadas. Siga desde aquí.
answer-next = Guardar y continuar
answer-prev = Anterior
answer-save-later = Guardar y seguir más tarde
answer-to-review = Guardar y revisar
answer-conditional = Responda solo si corresponde a su respuesta anterior.
answer-privacy = Sus respuestas son confidenciales: se informan solo de forma agregada y nunca junto a su nombre.
answer-review-title = Revise sus respuestas
answer-review-intro = Puede volver a cualquier sección para cambiar una respuesta. Cuando esté conforme, envíe el cuestionario.
answer-rated = Afirmaciones respondidas
answer-missing-title = Faltan respuestas obligatorias:
answer-unanswered = Sin responder
answer-edit = Cambiar
answer-nothing-yet = Todavía no ha respondido ninguna afirmación. Un cuestionario vacío no se puede enviar: responda las afirmaciones (o marque «No aplica» cuando corresponda).
answer-keep-answering = Seguir respondiendo
answer-not-counting-title = Si lo envía ahora, su respuesta no se contará en los resultados.
answer-not-counting = Para que cuente, responda al menos { $needed } de las { $total } afirmaciones: le faltan { $left }. «No aplica» también es una respuesta.
answer-unanswered-count = { $count ->
    [one] 1 afirmación sin responder
   *[other] { $count } afirmaciones sin responder
}
answer-confirm-not-counting = Entiendo que mi respuesta no se contará y que después de enviarla no podré cambiarla.
answer-submit-anyway = Enviar de todos modos
answer-complete-first = Responda las preguntas obligatorias indicadas arriba para poder enviar el cuestionario.
answer-your-answers = Sus respuestas, por sección
answer-submit = Enviar cuestionario
answer-unknown-title = Enlace no válido
answer-unknown = Este enlace no existe o ya no está vigente. Revise que lo haya copiado completo o pida uno nuevo a su supervisor.
answer-revoked-title = Enlace anulado
answer-revoked = Esta invitación fue anulada por la coordinación. Si cree que es un error, escriba a su supervisor.
answer-done-title = ¡Gracias!
answer-done = Su cuestionario fue enviado. Sus respuestas se informarán solo de forma agregada.
answer-not-open-title = El cuestionario aún no está abierto
answer-not-open = La consulta todavía no comienza. Vuelva a usar este enlace cuando reciba el aviso de apertura.
answer-closed-title = El cuestionario está cerrado
answer-closed = El plazo para responder terminó. Gracias por su interés.
optout-title = Dejar de recibir correos
optout-intro = Si confirma, no le volveremos a escribir sobre este ni otros cuestionarios de monitoreo.
optout-confirm = No quiero recibir más correos
optout-done = Listo: no recibirá más correos de Trama.

## Campaigns (coordinators)
nav-campaigns = Campañas
campaign-new = Nueva campaña
campaign-none = Aún no hay campañas.
campaign-default-name = Monitoreo de redes
campaign-code = Código
campaign-name = Nombre
campaign-year = Año
campaign-instrument = Instrumento
campaign-scope = Alcance
campaign-scope-national = Nacional
campaign-scope-regions = Regiones
campaign-scope-networks = Redes
campaign-scope-codes = Redes o regiones (separadas por comas, p. ej. RME1, RME2)
campaign-opens-on = Apertura
campaign-closes-on = Cierre (último día)
campaign-reminder-days = Recordatorios (días después de abrir)
campaign-valid-min-pct = Mínimo de afirmaciones respondidas para una respuesta válida (%)
campaign-status = Estado
campaign-status-draft = Borrador
campaign-status-open = Abierta
campaign-status-closed = Cerrada
campaign-invited = Personas invitadas
campaign-messages = Mensajes
campaign-open = Abrir la campaña
campaign-delivery-title = Envío de invitaciones
campaign-delivery-outbox = { $count ->
    [one] 1 invitación NO se ha enviado todavía.
   *[other] { $count } invitaciones NO se han enviado todavía.
}
campaign-delivery-outbox-next = Este servidor no tiene correo configurado, así que Trama no puede enviarlas: esperan en la bandeja de salida. Descargue desde allí el archivo para combinación de correspondencia (trae el asunto, el texto del mensaje y el enlace personal de cada persona) y envíelo con su herramienta de correo. Hasta entonces nadie puede responder.
campaign-delivery-outbox-smtp = Esperan en la bandeja de salida: descárguelas desde allí para enviarlas con su herramienta de correo.
campaign-delivery-to-outbox = Ir a la bandeja de salida
campaign-delivery-queued = { $count ->
    [one] 1 mensaje en cola: se envía en los próximos minutos.
   *[other] { $count } mensajes en cola: se envían en los próximos minutos.
}
campaign-delivery-failed = { $count ->
    [one] 1 mensaje no se pudo enviar: revise la dirección en la lista de invitaciones.
   *[other] { $count } mensajes no se pudieron enviar: revise las direcciones en la lista de invitaciones.
}
campaign-delivery-all-sent = Todos los mensajes fueron enviados.
campaign-confirm-open-smtp = { $count ->
    [one] Al abrir la campaña se enviará ahora 1 invitación por correo, con su enlace personal. Se podrá responder hasta el { $closes }. No se puede deshacer.
   *[other] Al abrir la campaña se enviarán ahora { $count } invitaciones por correo, cada una con su enlace personal. Se podrá responder hasta el { $closes }. No se puede deshacer.
}
campaign-confirm-open-outbox = { $count ->
    [one] Al abrir la campaña se prepara 1 invitación. Este servidor no tiene correo: quedará en la bandeja de salida y usted deberá enviarla con su herramienta de correo. Se podrá responder hasta el { $closes }.
   *[other] Al abrir la campaña se preparan { $count } invitaciones. Este servidor no tiene correo: quedarán en la bandeja de salida y usted deberá enviarlas con su herramienta de correo. Se podrá responder hasta el { $closes }.
}
campaign-confirm-open = Sí, abrir la campaña
campaign-confirm-close-text = { $count ->
    [0] Al cerrar, los enlaces dejan de funcionar y nadie más puede responder. Todas las personas invitadas ya enviaron su cuestionario. No se puede deshacer.
    [one] Al cerrar, los enlaces dejan de funcionar y nadie más puede responder: 1 persona invitada aún no envía su cuestionario. No se puede deshacer.
   *[other] Al cerrar, los enlaces dejan de funcionar y nadie más puede responder: { $count } personas invitadas aún no envían su cuestionario. No se puede deshacer.
}
campaign-confirm-close = Sí, cerrar la campaña
campaign-remind = Enviar recordatorio ahora
campaign-close = Cerrar campaña
campaign-invitations = Invitaciones
campaign-delivery = Envío
campaign-progress = Avance
campaign-remove = Quitar
campaign-add-person = Invitar a otra persona
campaign-add = Invitar
campaign-export-csv = Descargar respuestas (CSV)
campaign-export-xlsx = Descargar respuestas (Excel)
campaign-export-note = Qué se anonimizó
campaign-opened = La campaña está abierta. Vea abajo qué se envió y qué falta.
campaign-closed = La campaña quedó cerrada.
campaign-reminded = Se pusieron en cola recordatorios para quienes no han terminado.
campaign-invited-one = La persona quedó invitada.
campaign-email = Correo electrónico
campaign-removed = La invitación fue quitada.
campaign-unknown-person = No hay ninguna persona registrada con ese correo.
campaign-unknown-network = No existe una red con ese código.
campaign-problem-no-invitees = La campaña no tiene personas invitadas: no se puede abrir.
campaign-problem-not-a-draft = La campaña ya no es un borrador.
delivery-pending = Pendiente
delivery-queued = En cola
delivery-outbox = En bandeja de salida
delivery-sent = Enviado
delivery-bounced = Rebotado
delivery-failed = Falló
delivery-opted_out = No desea correos
progress-invited = Invitada
progress-opened = Abrió el enlace
progress-started = Comenzó
progress-complete = Completó
progress-revoked = Anulada
message-status-queued = En cola
message-status-sent = Enviados
message-status-outbox = En bandeja de salida
message-status-failed = Fallidos
message-status-cancelled = Cancelados
message-kind-invitation = Invitación
message-kind-reminder = Recordatorio
outbox-title = Bandeja de salida
outbox-export = Exportar para combinar correspondencia (CSV)
outbox-smtp = Los mensajes se envían por SMTP según el límite por hora configurado.
outbox-preview = Vista previa del mensaje
outbox-preview-hint = Así leerán el mensaje las personas invitadas. El enlace personal de cada una aparece aquí como un marcador: la vista previa no abre ningún cuestionario ni cuenta como apertura.
outbox-no-smtp = No hay un servidor de correo configurado: los mensajes esperan aquí. Exporte el CSV (nombre, correo, enlace) para enviarlos con su herramienta de correo.
outbox-kind = Tipo
outbox-subject = Asunto
outbox-export-once = Las personas invitadas reciben su enlace personal solo a través de usted: el archivo trae los enlaces de los mensajes en espera una sola vez. Después esos mensajes cuentan como enviados y aquí queda solo quién los exportó y cuándo.
outbox-handovers = Exportaciones anteriores (fecha · quién · mensajes)
funnel-title = Embudo de respuestas
funnel-total = Total
funnel-invited = Invitadas
funnel-opened = Abrieron
funnel-started = Comenzaron
funnel-complete = Completaron
funnel-valid = Válidas
funnel-rate = Tasa de respuesta
funnel-rate-total = { $rate } ({ $valid } respuestas válidas de { $invited } personas invitadas)
funnel-coverage-hint = Cuántas redes tienen al menos una respuesta válida. No es la tasa de respuesta.
funnel-coverage = Cobertura
funnel-networks-in-scope = Redes en el alcance
funnel-networks-with-valid = Redes con al menos una respuesta válida
funnel-cases = Casos válidos
funnel-by-region = Por región
funnel-by-deprov = Por DEPROV
funnel-by-network = Por red
funnel-by-role = Por rol
funnel-valid-rule = Una respuesta es válida cuando fue enviada y responde al menos el mínimo de afirmaciones fijado en la campaña; «No aplica» cuenta como respuesta.
campaign-responses = Respuestas
person-erase-title = Borrar a esta persona
person-erase-intro = Borra su ficha, sus roles, sus invitaciones y enlaces, y su correo de los mensajes enviados. Sus respuestas a cuestionarios se conservan, anónimas. No se puede deshacer.
person-erase-confirm = Confirmo que quiero borrar a esta persona
person-erase = Borrar

## Roster question (who works with whom).
answer-roster-scale = ¿Qué significa cada nivel?
answer-roster-unknown-desc = No sé quién es. Es distinto de «Ninguna»: no dice nada sobre la relación.
answer-roster-progress = Personas descritas
answer-roster-search = Buscar por nombre o establecimiento
answer-roster-no-match = Nadie coincide con la búsqueda.
answer-roster-level = Cuánto trabajan juntos
answer-roster-foci = Qué intercambian (marque todo lo que corresponda)
answer-roster-unlisted = Alguien que no está en la lista
answer-roster-unlisted-hint = Si trabaja con alguien de la red que no aparece arriba, escriba su nombre y su establecimiento.
answer-roster-someone = Otra persona
answer-roster-name = Nombre
answer-roster-school = Establecimiento
answer-roster-rated = { $count ->
    [one] Describió su relación con 1 persona
   *[other] Describió su relación con { $count } personas
}
picker-open = Elegir redes de la lista
picker-search = Buscar por código, nombre o región
