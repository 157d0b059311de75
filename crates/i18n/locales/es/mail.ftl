# Invitation and reminder e-mails (crate trama-mail).
# Each message is one paragraph of plain text; the crate escapes it for HTML and
# puts links on their own line, so no markup or URLs belong here.
# Variables: $name, $network, $code, $campaign, $closes (a date already written
# out, e.g. «15 de diciembre de 2026»).

mail-invitation-subject = { $network }: invitación a responder el cuestionario de monitoreo
mail-reminder-subject = Recordatorio · { $network }: cuestionario de monitoreo

mail-greeting = Estimado/a { $name }:
mail-greeting-unnamed = Estimado/a participante:

mail-invitation-why = Le escribimos porque usted participa en { $network } ({ $code }), red de mejoramiento escolar. Le invitamos cordialmente a responder el cuestionario «{ $campaign }», que recoge la mirada de quienes integran la red sobre su funcionamiento, con el fin de apoyar su mejoramiento.
mail-invitation-link-intro = Para responder, ingrese a través de su enlace personal (le pedimos no reenviarlo, pues es solo para usted):
mail-invitation-closes = El cuestionario estará disponible hasta el { $closes }. Puede responderlo en más de una sesión: sus respuestas quedan guardadas y podrá continuar donde lo dejó.
mail-invitation-thanks = Le agradecemos de antemano su tiempo y su valiosa colaboración.

mail-reminder-intro = Le recordamos que el cuestionario «{ $campaign }» de { $network } ({ $code }) está disponible hasta el { $closes }. Si ya comenzó a responderlo, puede continuar donde lo dejó.
mail-reminder-link-intro = Su enlace personal:
mail-reminder-done = Si ya lo completó, muchas gracias; puede ignorar este mensaje.

mail-confidential = Sus respuestas son confidenciales: los resultados se informan solo de forma agregada, sin identificar a ninguna persona.
mail-signoff = Saludos cordiales,
mail-signature = Trama · Monitoreo de redes de mejoramiento escolar
mail-optout-intro = Si no desea recibir más mensajes sobre este cuestionario, puede darse de baja en el siguiente enlace:
