cli-db-unreachable = Could not use the database: { $detail }
cli-cannot-read = Could not read { $file }: { $detail }
cli-import-refused = { $count ->
    [one] 1 problem found; nothing was imported.
   *[other] { $shown } problems found; nothing was imported.
}
cli-networks-created = Networks created: { $count }
cli-dry-run = Dry run (--dry-run): nothing was saved.
cli-demo-loaded = Demo data loaded.
cli-demo-present = Demo data was already loaded.
cli-demo-accounts = Demo accounts (password "{ $password }"):
cli-listening = Trama is available at { $url }
cli-worker-elsewhere = Another process already runs the campaign worker on this SQLite database: this server serves pages but sends no messages or reminders. For several servers, use PostgreSQL.
cli-user-saved = Account { $email } saved (id { $id }).
cli-one-time-password = One-time password (hand it over in person; change it after signing in):
cli-no-such-user = There is no account with email { $email }.
cli-token-created = API token for { $email } (shown only once):
cli-wrote = Wrote { $file }
cli-bench-header = Server times ({ $backend })
cli-bad-format = Unknown format: { $format }
cli-binary-to-terminal = The { $format } format is binary and is not shown on a terminal: use -o FILE or redirect the output.
cli-instrument-saved = Instrument { $code } version { $number } saved (new version)
cli-instrument-would-save = Instrument { $code }: would be saved as version { $number } (new version)
cli-instrument-unchanged = Instrument { $code } unchanged: already version { $number }
cli-no-such-instrument = There is no instrument "{ $code }" (see "trama instrument list").
cli-no-such-instrument-version = Instrument "{ $code }" has no version { $number }; the latest is { $latest }.
cli-no-instruments = No instruments are stored.
cli-instrument-shown-version = Version { $number }: { $questions } questions, { $ratings } agreement-scale items
cli-instrument-versions = Versions (* the one shown):
cli-instrument-reverse = reverse-keyed
cli-instrument-other-questions = Other questions:
cli-no-such-campaign = There is no campaign "{ $code }".
cli-no-such-network = There is no network "{ $code }".
cli-responses-exported = { $count ->
    [one] 1 response from campaign { $campaign }
   *[other] { $count } responses from campaign { $campaign }
}
cli-responses-imported = { $count ->
    [one] 1 response imported into campaign { $campaign }
   *[other] { $count } responses imported into campaign { $campaign }
}
cli-responses-checked = { $count ->
    [one] 1 response checked: it can be imported into campaign { $campaign }
   *[other] { $count } responses checked: they can be imported into campaign { $campaign }
}
cli-findings-suppressed = { $n ->
    [one] Only 1 person answered (fewer than { $k }): no findings are stated.
   *[other] Only { $n } people answered (fewer than { $k }): no findings are stated.
}
cli-disclosure-summary = K = { $k }: { $published } published groups, { $suppressed } hidden, { $tried } combinations tried; groups below K recoverable: { $found }.
cli-disclosure-recoverable = { $n } groups of fewer than K people can be worked out from what is published.
cli-min-group-too-small = --min-group { $k }: the anonymity threshold must be at least 3.

cli-results-rebuilt = Campaign { $campaign }: { $respondents ->
    [one] 1 valid response
   *[other] { $respondents } valid responses
} in { $groups ->
    [one] 1 group
   *[other] { $groups } groups
}; { $differing ->
    [0] the kept counts matched the recount
    [one] the kept counts differed in 1 group and were corrected
   *[other] the kept counts differed in { $differing } groups and were corrected
}.
