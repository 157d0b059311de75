-- Open answers grouped into themes: a codebook per campaign and open
-- question, and the themes assigned to each answer.
--
-- Codings hang on the anonymous side only: an answer is (response id, item),
-- and nothing here names a person. The coder is a staff account, kept to know
-- who coded what; it says nothing about the respondent.

CREATE TABLE open_themes (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    code TEXT NOT NULL,
    label_es TEXT NOT NULL,
    label_en TEXT NOT NULL,
    description TEXT,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (campaign_id, item, code)
);

-- One row per theme assigned to an answer. Deleting a theme, or the answer
-- (with its response), takes its codings with it.
CREATE TABLE open_codings (
    response_id TEXT NOT NULL,
    item TEXT NOT NULL,
    theme_id INTEGER NOT NULL REFERENCES open_themes(id) ON DELETE CASCADE,
    coded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    coded_at INTEGER NOT NULL,
    PRIMARY KEY (response_id, item, theme_id),
    FOREIGN KEY (response_id, item) REFERENCES answers(response_id, item) ON DELETE CASCADE
);
CREATE INDEX open_codings_theme ON open_codings(theme_id);
