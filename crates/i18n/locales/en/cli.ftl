cli-db-unreachable = Could not use the database: { $detail }
cli-cannot-read = Could not read { $file }: { $detail }
cli-import-refused = { $count ->
    [one] 1 problem found; nothing was imported.
   *[other] { $count } problems found; nothing was imported.
}
cli-networks-created = Networks created: { $count }
cli-dry-run = Dry run (--dry-run): nothing was saved.
cli-demo-loaded = Demo data loaded.
cli-demo-present = Demo data was already loaded.
cli-demo-accounts = Demo accounts (password "{ $password }"):
cli-listening = Trama is available at { $url }
cli-user-saved = Account { $email } saved (id { $id }).
cli-one-time-password = One-time password (hand it over in person; change it after signing in):
cli-no-such-user = There is no account with email { $email }.
cli-token-created = API token for { $email } (shown only once):
cli-wrote = Wrote { $file }
cli-bench-header = Server times ({ $backend })
cli-bad-format = Unknown format: { $format }
