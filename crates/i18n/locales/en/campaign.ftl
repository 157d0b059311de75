# Campaigns, answering and the response funnel.

## Response files
response-unknown-column = is not a question of the campaign's instrument
response-bad-time = is not a date (use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)

## Answering
answer-progress-label = Progress
answer-page = Page
answer-saved = Your answers are saved. You can close this page and come back with the same link at any time.
answer-required-title = Required questions on this page are unanswered. What you answered is saved.
answer-errors-title = Some answers could not be saved. All the others are saved.
answer-welcome-back = Welcome back: your earlier answers are saved. Carry on from here.
answer-next = Save and continue
answer-prev = Previous
answer-save-later = Save and continue later
answer-to-review = Save and review
answer-conditional = Answer only if it applies to your previous answer.
answer-privacy = Your answers are confidential: they are reported only in aggregate and never with your name.
answer-review-title = Review your answers
answer-review-intro = You can go back to any section to change an answer. When you are satisfied, submit the questionnaire.
answer-rated = Statements answered
answer-missing-title = Required answers are missing:
answer-unanswered = Not answered
answer-edit = Change
answer-nothing-yet = You have not answered any statement yet. An empty questionnaire cannot be sent: answer the statements (or tick “Not applicable” where it fits).
answer-keep-answering = Keep answering
answer-not-counting-title = If you send it now, your response will not count in the results.
answer-not-counting = For it to count, answer at least { $needed } of the { $total } statements: { $left } to go. “Not applicable” is an answer too.
answer-unanswered-count = { $count ->
    [one] 1 statement unanswered
   *[other] { $count } statements unanswered
}
answer-confirm-not-counting = I understand my response will not count and that I cannot change it once sent.
answer-submit-anyway = Send anyway
answer-complete-first = Answer the required questions listed above to be able to send the questionnaire.
answer-your-answers = Your answers, by section
answer-submit = Submit questionnaire
answer-unknown-title = Invalid link
answer-unknown = This link does not exist or is no longer valid. Check that you copied all of it, or ask your supervisor for a new one.
answer-revoked-title = Link cancelled
answer-revoked = This invitation was cancelled by the coordination team. If you think this is a mistake, write to your supervisor.
answer-done-title = Thank you!
answer-done = Your questionnaire has been submitted. Your answers will be reported only in aggregate.
answer-not-open-title = The questionnaire is not open yet
answer-not-open = The survey has not started. Use this link again when you receive the opening notice.
answer-closed-title = The questionnaire is closed
answer-closed = The time to answer is over. Thank you for your interest.
optout-title = Stop receiving e-mails
optout-intro = If you confirm, we will not write to you again about this or any other monitoring questionnaire.
optout-confirm = I do not want any more e-mails
optout-done = Done: you will not receive any more e-mails from Trama.

## Campaigns (coordinators)
nav-campaigns = Campaigns
campaign-new = New campaign
campaign-none = There are no campaigns yet.
campaign-default-name = Network monitoring
campaign-code = Code
campaign-name = Name
campaign-year = Year
campaign-instrument = Instrument
campaign-scope = Scope
campaign-scope-national = National
campaign-scope-regions = Regions
campaign-scope-networks = Networks
campaign-scope-codes = Networks or regions (comma-separated, e.g. RME1, RME2)
campaign-opens-on = Opens
campaign-closes-on = Closes (last day)
campaign-reminder-days = Reminders (days after opening)
campaign-valid-min-pct = Minimum share of statements answered for a valid response (%)
campaign-status = Status
campaign-status-draft = Draft
campaign-status-open = Open
campaign-status-closed = Closed
campaign-invited = People invited
campaign-messages = Messages
campaign-open = Open the campaign
campaign-delivery-title = Sending the invitations
campaign-delivery-outbox = { $count ->
    [one] 1 invitation has NOT been sent yet.
   *[other] { $count } invitations have NOT been sent yet.
}
campaign-delivery-outbox-next = This server has no mail configured, so Trama cannot send them: they wait in the outbox. Download the mail-merge file from there (it holds each person's subject, message text and personal link) and send it with your mail tool. Until then nobody can answer.
campaign-delivery-outbox-smtp = They wait in the outbox: download them there to send them with your mail tool.
campaign-delivery-to-outbox = Go to the outbox
campaign-delivery-queued = { $count ->
    [one] 1 message queued: it goes out within minutes.
   *[other] { $count } messages queued: they go out within minutes.
}
campaign-delivery-failed = { $count ->
    [one] 1 message could not be sent: check the address in the invitation list.
   *[other] { $count } messages could not be sent: check the addresses in the invitation list.
}
campaign-delivery-all-sent = Every message was sent.
campaign-confirm-open-smtp = { $count ->
    [one] Opening the campaign mails 1 invitation now, with its personal link. Answers are taken until { $closes }. This cannot be undone.
   *[other] Opening the campaign mails { $count } invitations now, each with its personal link. Answers are taken until { $closes }. This cannot be undone.
}
campaign-confirm-open-outbox = { $count ->
    [one] Opening the campaign prepares 1 invitation. This server has no mail: it will wait in the outbox and you must send it with your mail tool. Answers are taken until { $closes }.
   *[other] Opening the campaign prepares { $count } invitations. This server has no mail: they will wait in the outbox and you must send them with your mail tool. Answers are taken until { $closes }.
}
campaign-confirm-open = Yes, open the campaign
campaign-confirm-close-text = { $count ->
    [0] Closing stops every link: nobody else can answer. Everyone invited has already submitted. This cannot be undone.
    [one] Closing stops every link: nobody else can answer, and 1 invited person has not submitted yet. This cannot be undone.
   *[other] Closing stops every link: nobody else can answer, and { $count } invited people have not submitted yet. This cannot be undone.
}
campaign-confirm-close = Yes, close the campaign
campaign-remind = Send a reminder now
campaign-close = Close the campaign
campaign-invitations = Invitations
campaign-delivery = Delivery
campaign-progress = Progress
campaign-remove = Remove
campaign-add-person = Invite someone else
campaign-add = Invite
campaign-export-csv = Download responses (CSV)
campaign-export-xlsx = Download responses (Excel)
campaign-export-note = What was anonymised
campaign-opened = The campaign is open. See below what was sent and what is left to do.
campaign-closed = The campaign is closed.
campaign-reminded = Reminders are queued for everyone who has not finished.
campaign-invited-one = The person is invited.
campaign-email = E-mail
campaign-removed = The invitation was removed.
campaign-unknown-person = Nobody in the registry has that e-mail.
campaign-unknown-network = There is no network with that code.
campaign-problem-no-invitees = The campaign has nobody invited: it cannot open.
campaign-problem-not-a-draft = The campaign is no longer a draft.
delivery-pending = Pending
delivery-queued = Queued
delivery-outbox = In the outbox
delivery-sent = Sent
delivery-bounced = Bounced
delivery-failed = Failed
delivery-opted_out = Opted out
progress-invited = Invited
progress-opened = Opened the link
progress-started = Started
progress-complete = Completed
progress-revoked = Cancelled
message-status-queued = Queued
message-status-sent = Sent
message-status-outbox = In the outbox
message-status-failed = Failed
message-status-cancelled = Cancelled
message-kind-invitation = Invitation
message-kind-reminder = Reminder
outbox-title = Outbox
outbox-export = Export for a mail merge (CSV)
outbox-smtp = Messages are sent through SMTP within the configured hourly limit.
outbox-preview = Message preview
outbox-preview-hint = This is how invited people will read the message. Each person's personal link appears here as a marker: the preview opens no questionnaire and counts as no opening.
outbox-no-smtp = No mail server is configured: messages wait here. Export the CSV (name, e-mail, link) to send them with your mail tool.
outbox-kind = Type
outbox-subject = Subject
outbox-export-once = Invitees get their personal link only through you: the file carries the links of the waiting messages once. Afterwards those messages count as sent, and only who exported them and when stays here.
outbox-handovers = Earlier exports (date · who · messages)
funnel-title = Response funnel
funnel-total = Total
funnel-invited = Invited
funnel-opened = Opened
funnel-started = Started
funnel-complete = Completed
funnel-valid = Valid
funnel-rate = Response rate
funnel-rate-total = { $rate } ({ $valid } valid responses from { $invited } people invited)
funnel-coverage-hint = How many networks have at least one valid response. This is not the response rate.
funnel-coverage = Coverage
funnel-networks-in-scope = Networks in scope
funnel-networks-with-valid = Networks with at least one valid answer
funnel-cases = Valid cases
funnel-by-region = By region
funnel-by-deprov = By DEPROV
funnel-by-network = By network
funnel-by-role = By role
funnel-valid-rule = A response is valid when it was submitted and answers at least the campaign's minimum share of statements; "Not applicable" counts as an answer.
campaign-responses = Responses
person-erase-title = Erase this person
person-erase-intro = Erases their record, roles, invitations and links, and their address from sent messages. Their questionnaire answers stay, anonymous. This cannot be undone.
person-erase-confirm = I confirm I want to erase this person
person-erase = Erase

## Roster question (who works with whom).
answer-roster-scale = What does each level mean?
answer-roster-unknown-desc = I do not know who this is. Not the same as "None": it says nothing about the relationship.
answer-roster-progress = People described
answer-roster-search = Search by name or school
answer-roster-no-match = Nobody matches the search.
answer-roster-level = How closely you work together
answer-roster-foci = What you exchange (tick all that apply)
answer-roster-unlisted = Someone who is not on the list
answer-roster-unlisted-hint = If you work with someone in the network who does not appear above, write their name and school.
answer-roster-someone = Another person
answer-roster-name = Name
answer-roster-school = School
answer-roster-rated = { $count ->
    [one] Described your relationship with 1 person
   *[other] Described your relationship with { $count } people
}
picker-open = Pick networks from the list
picker-search = Search by code, name or region
