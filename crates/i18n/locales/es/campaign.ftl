# Campaigns, answering and the response funnel.

## Response files
response-unknown-column = no es una pregunta del instrumento de la campaña
response-bad-time = no es una fecha (use AAAA-MM-DD o AAAA-MM-DDThh:mm:ssZ)
