# Campaigns, answering and the response funnel.

## Response files
response-unknown-column = is not a question of the campaign's instrument
response-bad-time = is not a date (use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)
