# Invitation and reminder e-mails (crate trama-mail).
# Each message is one paragraph of plain text; the crate escapes it for HTML and
# puts links on their own line, so no markup or URLs belong here.
# Variables: $name, $network, $code, $campaign, $closes (a date already written
# out, e.g. "15 December 2026").

mail-invitation-subject = { $network }: invitation to answer the monitoring questionnaire
mail-reminder-subject = Reminder · { $network }: monitoring questionnaire

mail-greeting = Dear { $name },
mail-greeting-unnamed = Dear participant,

mail-invitation-why = We are writing to you because you take part in { $network } ({ $code }), a school improvement network. We would like to invite you to answer the questionnaire “{ $campaign }”, which gathers the views of the network's members on how it works, in order to support its improvement.
mail-invitation-link-intro = To answer, please use your personal link (it is for you alone, so please do not forward it):
mail-invitation-closes = The questionnaire is open until { $closes }. You can answer it in more than one sitting: your answers are saved and you can continue where you left off.
mail-invitation-thanks = Thank you in advance for your time and your valuable collaboration.

mail-reminder-intro = This is a reminder that the questionnaire “{ $campaign }” of { $network } ({ $code }) is open until { $closes }. If you have already started it, you can continue where you left off.
mail-reminder-link-intro = Your personal link:
mail-reminder-done = If you have already completed it, thank you: please disregard this message.

mail-confidential = Your answers are confidential: results are reported only in aggregate, without identifying anyone.
mail-signoff = Kind regards,
mail-signature = Trama · Monitoring school improvement networks
mail-optout-intro = If you would rather not receive further messages about this questionnaire, you can unsubscribe using this link:
