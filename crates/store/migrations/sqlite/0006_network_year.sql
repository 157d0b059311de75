-- The network's year as its supervisor records it: the plan, the sessions
-- held, who attended and what was agreed.
--
-- Attendance names people, so it is personal data: it lives beside the
-- registry (people, schools), never beside the anonymous answers, and goes
-- with the person when they are erased. Dates are ISO text (YYYY-MM-DD),
-- which sorts and compares the same on both backends.

CREATE TABLE network_plans (
    network_id INTEGER NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    -- One goal, or topic, per line.
    goals TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '',
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (network_id, year)
);

CREATE TABLE network_sessions (
    id INTEGER PRIMARY KEY,
    network_id INTEGER NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    held_on TEXT NOT NULL,
    duration_min INTEGER NOT NULL CHECK (duration_min > 0 AND duration_min <= 1440),
    modality TEXT NOT NULL CHECK (modality IN ('in_person', 'online', 'mixed')),
    place TEXT NOT NULL DEFAULT '',
    agenda TEXT NOT NULL DEFAULT '',
    -- Focus codes separated by spaces, as in `ties.foci`.
    foci TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX network_sessions_year ON network_sessions(network_id, year, held_on);

-- Schools present: those of the people ticked, or as a spreadsheet listed them.
CREATE TABLE session_schools (
    session_id INTEGER NOT NULL REFERENCES network_sessions(id) ON DELETE CASCADE,
    rbd INTEGER NOT NULL REFERENCES schools(rbd),
    PRIMARY KEY (session_id, rbd)
);

CREATE TABLE session_attendees (
    session_id INTEGER NOT NULL REFERENCES network_sessions(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, person_id)
);
CREATE INDEX session_attendees_person ON session_attendees(person_id);

CREATE TABLE session_agreements (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES network_sessions(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    responsible_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    due_on TEXT,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dropped')),
    -- The later session at which its fate was recorded.
    reviewed_in INTEGER REFERENCES network_sessions(id) ON DELETE SET NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX session_agreements_session ON session_agreements(session_id);
