-- A campaign's results as counts, kept in the transaction that changes a
-- response (submit, an edit of a submitted response, an import), so that
-- reading them never goes back to the answers. `trama results rebuild`
-- recounts them from the answers.
--
-- Each change takes the campaign's next version; the rows it touched carry
-- it, so a server that holds version V reads only the rows above V.
CREATE TABLE result_versions (
    campaign_id INTEGER PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
    version INTEGER NOT NULL
);

-- Valid respondents per atom: region, DEPROV, network and role ('' where a
-- response has none), the groups every results figure is a sum of.
CREATE TABLE result_atoms (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    region TEXT NOT NULL,
    deprov TEXT NOT NULL,
    network TEXT NOT NULL,
    role TEXT NOT NULL,
    respondents INTEGER NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, region, deprov, network, role)
);
CREATE INDEX result_atoms_version ON result_atoms(campaign_id, version);

-- Per atom and rating item, the answers at each level: n0 «No aplica», n1–n5
-- the scale.
CREATE TABLE result_counts (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    region TEXT NOT NULL,
    deprov TEXT NOT NULL,
    network TEXT NOT NULL,
    role TEXT NOT NULL,
    item TEXT NOT NULL,
    n0 INTEGER NOT NULL,
    n1 INTEGER NOT NULL,
    n2 INTEGER NOT NULL,
    n3 INTEGER NOT NULL,
    n4 INTEGER NOT NULL,
    n5 INTEGER NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, region, deprov, network, role, item)
);
CREATE INDEX result_counts_version ON result_counts(campaign_id, version);

-- Response files are written a page at a time in (network, id) order.
CREATE INDEX responses_file_order ON responses(campaign_id, network_code, id);
