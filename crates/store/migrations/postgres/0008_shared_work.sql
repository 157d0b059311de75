-- Work shared by several servers on one database.

-- A worker claims a queued message for a while (its lease) before sending
-- it: other servers skip it, and if the worker dies mid-send the message is
-- tried again once the lease has run out, never lost.
ALTER TABLE messages ADD COLUMN claimed_by TEXT;
ALTER TABLE messages ADD COLUMN lease_until BIGINT;
-- The Message-ID a message keeps across attempts, so a relay that got it
-- twice can drop the copy.
ALTER TABLE messages ADD COLUMN message_key TEXT;
-- The reminder run a reminder belongs to: one reminder per invitation and
-- run, however many times the run is resumed.
ALTER TABLE messages ADD COLUMN run_due_at BIGINT;
CREATE UNIQUE INDEX messages_one_reminder_per_run ON messages(invitation_id, run_due_at)
    WHERE kind = 'reminder' AND run_due_at IS NOT NULL;

-- A reminder run is claimed with a lease too; `done_at` is written once
-- every reminder of the run is queued.
ALTER TABLE campaign_reminders ADD COLUMN lease_until BIGINT;

-- Claims of messages take this row first, so servers claim one after
-- another and the hourly rate is counted once across all of them.
CREATE TABLE mail_claims (
    id INTEGER PRIMARY KEY,
    claimed_at BIGINT NOT NULL
);
INSERT INTO mail_claims (id, claimed_at) VALUES (1, 0);

-- Recent failed sign-ins by key (an account or a client), hashed: what was
-- typed is never stored. Shared so that every server slows the same guesser.
CREATE TABLE login_failures (
    key_hash TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at BIGINT NOT NULL
);

-- Readiness writes here: a server that can answer a SELECT but not commit
-- (a full disk) is not ready.
CREATE TABLE readiness (
    id INTEGER PRIMARY KEY,
    checked_at BIGINT NOT NULL
);
INSERT INTO readiness (id, checked_at) VALUES (1, 0);
