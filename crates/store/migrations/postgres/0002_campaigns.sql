-- Monitoring campaigns: versioned instruments, invitations, answers and the
-- outgoing mail queue.
--
-- Identity and answers are kept apart. `responses` and `answers` know a random
-- response id and the respondent's year, region, DEPROV, network and role,
-- never a person. The only bridge between an invitation (a person) and a
-- response is `response_links`, read for the funnel, reminders and resuming;
-- deleting a person deletes their invitation and that bridge, and their
-- answers stay, anonymous.

CREATE TABLE instruments (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- A campaign pins a version; importing a changed form adds a version.
CREATE TABLE instrument_versions (
    id BIGSERIAL PRIMARY KEY,
    instrument_id BIGINT NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    label TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (instrument_id, number),
    UNIQUE (instrument_id, fingerprint)
);

CREATE TABLE campaigns (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    year INTEGER NOT NULL,
    instrument_version_id BIGINT NOT NULL REFERENCES instrument_versions(id),
    scope TEXT NOT NULL CHECK (scope IN ('national', 'regions', 'networks')),
    scope_codes TEXT NOT NULL DEFAULT '',
    opens_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    reminder_days TEXT NOT NULL DEFAULT '',
    valid_min_pct INTEGER NOT NULL DEFAULT 80,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    opened_at BIGINT,
    closed_at BIGINT
);

-- One per person and campaign. Network, region and role are copied at
-- invitation time so the funnel does not move when the registry changes.
CREATE TABLE invitations (
    id BIGSERIAL PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    network_id BIGINT NOT NULL REFERENCES networks(id),
    region_code INTEGER NOT NULL,
    deprov_code INTEGER,
    role TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'es',
    added_at BIGINT NOT NULL,
    revoked_at BIGINT,
    opened_at BIGINT,
    started_at BIGINT,
    completed_at BIGINT,
    delivery TEXT NOT NULL DEFAULT 'pending',
    delivery_error TEXT,
    reminders_sent INTEGER NOT NULL DEFAULT 0,
    UNIQUE (campaign_id, person_id)
);
CREATE INDEX invitations_campaign ON invitations(campaign_id, network_id);

-- Personal links, stored only as SHA-256 hashes. Each message carries a
-- fresh token, so a reminder never needs a token kept in clear.
CREATE TABLE invitation_tokens (
    token_hash TEXT PRIMARY KEY,
    invitation_id BIGINT NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('answer', 'opt_out')),
    created_at BIGINT NOT NULL
);
CREATE INDEX invitation_tokens_invitation ON invitation_tokens(invitation_id);

-- Honoured forever, across campaigns and re-imports of the person. Only a
-- hash of the lower-cased address is kept, so erasing a person leaves no
-- readable trace here.
CREATE TABLE opt_outs (
    email_hash TEXT PRIMARY KEY,
    at BIGINT NOT NULL
);

CREATE TABLE responses (
    id TEXT PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    instrument_version_id BIGINT NOT NULL REFERENCES instrument_versions(id),
    year INTEGER NOT NULL,
    region_code INTEGER,
    deprov_code INTEGER,
    network_code TEXT,
    role TEXT,
    source TEXT NOT NULL CHECK (source IN ('web', 'import')),
    page INTEGER NOT NULL DEFAULT 0,
    rating_answered INTEGER NOT NULL DEFAULT 0,
    rating_total INTEGER NOT NULL,
    started_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT
);
CREATE INDEX responses_campaign ON responses(campaign_id, network_code);

CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (response_id, item)
);

CREATE TABLE response_links (
    invitation_id BIGINT PRIMARY KEY REFERENCES invitations(id) ON DELETE CASCADE,
    response_id TEXT NOT NULL UNIQUE REFERENCES responses(id) ON DELETE CASCADE
);

-- The durable mail queue and outbox. `link` holds a personal link only until
-- the message has left (sent through SMTP); the body is then redacted.
CREATE TABLE messages (
    id BIGSERIAL PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    invitation_id BIGINT REFERENCES invitations(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    to_name TEXT NOT NULL,
    to_email TEXT NOT NULL,
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    html_body TEXT,
    link TEXT,
    unsubscribe TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'outbox', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX messages_due ON messages(status, next_attempt_at);
CREATE INDEX messages_campaign ON messages(campaign_id, status);
CREATE INDEX messages_invitation ON messages(invitation_id);

-- Scheduled reminders of a campaign; `done_at` makes each run once.
CREATE TABLE campaign_reminders (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    due_at BIGINT NOT NULL,
    done_at BIGINT,
    PRIMARY KEY (campaign_id, due_at)
);
