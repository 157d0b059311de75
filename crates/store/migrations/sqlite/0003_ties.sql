-- Who works with whom: the answers to roster questions.
--
-- A tie names two people, so it is personal data and lives on the identity
-- side, keyed by the respondent's invitation, never by a response id: the
-- anonymous `answers` cannot be joined to it. Erasing either person removes
-- the ties that name them.
--
-- `alter_key` is `p{person id}` for a member of the roster, or `u{n}` for
-- someone the respondent named who was not on it (then `alter_name` and
-- `alter_rbd` say who and from which school). `level` is the collaboration
-- level 0-5, or NULL for "I do not know this person" (which is not 0).
CREATE TABLE ties (
    invitation_id INTEGER NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    alter_key TEXT NOT NULL,
    alter_person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
    alter_name TEXT,
    alter_rbd INTEGER,
    level INTEGER CHECK (level IS NULL OR (level >= 0 AND level <= 5)),
    foci TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (invitation_id, item, alter_key)
);
CREATE INDEX ties_alter ON ties(alter_person_id);

-- What participants may see of their network's map: `school` (ties between
-- schools), `anonymous` (people without names) or `none`. Supervisors of the
-- network and national coordinators always see names.
ALTER TABLE campaigns ADD COLUMN sna_view TEXT NOT NULL DEFAULT 'school'
    CHECK (sna_view IN ('school', 'anonymous', 'none'));
