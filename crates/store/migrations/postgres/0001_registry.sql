-- Registry: territory, schools, networks, people and their dated memberships.
-- Integers that are flags are 0/1 (the portable form across both backends).
CREATE TABLE regions (
    code INTEGER PRIMARY KEY,
    numeral TEXT NOT NULL,
    name TEXT NOT NULL,
    sort_order INTEGER NOT NULL
);

CREATE TABLE deprovs (
    code INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    region_code INTEGER NOT NULL REFERENCES regions(code)
);
CREATE INDEX deprovs_region ON deprovs(region_code);

CREATE TABLE comunas (
    code INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    region_code INTEGER NOT NULL REFERENCES regions(code),
    deprov_code INTEGER REFERENCES deprovs(code)
);
CREATE INDEX comunas_region ON comunas(region_code);

CREATE TABLE sostenedores (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE schools (
    rbd INTEGER PRIMARY KEY,
    check_digit TEXT,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    comuna_code INTEGER NOT NULL REFERENCES comunas(code),
    region_code INTEGER NOT NULL REFERENCES regions(code),
    dependency TEXT NOT NULL,
    rural SMALLINT NOT NULL CHECK (rural IN (0, 1)),
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    enrolment INTEGER,
    status TEXT NOT NULL,
    sostenedor_id BIGINT REFERENCES sostenedores(id),
    updated_at BIGINT NOT NULL
);
CREATE INDEX schools_comuna ON schools(comuna_code);
CREATE INDEX schools_region ON schools(region_code, search_key);

CREATE TABLE networks (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    year_formed INTEGER,
    region_code INTEGER NOT NULL REFERENCES regions(code),
    deprov_code INTEGER REFERENCES deprovs(code),
    updated_at BIGINT NOT NULL
);
CREATE INDEX networks_region ON networks(region_code, code);

CREATE TABLE network_schools (
    id BIGSERIAL PRIMARY KEY,
    network_id BIGINT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
    rbd INTEGER NOT NULL REFERENCES schools(rbd),
    from_year INTEGER NOT NULL,
    to_year INTEGER,
    UNIQUE (network_id, rbd, from_year)
);
CREATE INDEX network_schools_rbd ON network_schools(rbd);

CREATE TABLE people (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    national_id TEXT,
    updated_at BIGINT NOT NULL
);

CREATE TABLE affiliations (
    id BIGSERIAL PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    rbd INTEGER REFERENCES schools(rbd),
    network_id BIGINT REFERENCES networks(id) ON DELETE CASCADE,
    from_year INTEGER NOT NULL,
    to_year INTEGER,
    CHECK ((rbd IS NULL AND network_id IS NOT NULL) OR (rbd IS NOT NULL AND network_id IS NULL))
);
CREATE INDEX affiliations_person ON affiliations(person_id);
CREATE INDEX affiliations_rbd ON affiliations(rbd);
CREATE INDEX affiliations_network ON affiliations(network_id);

-- Accounts, sessions and API tokens. Secrets are stored only as hashes.
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    region_code INTEGER REFERENCES regions(code),
    network_codes TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    lang TEXT,
    disabled SMALLINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    last_login_at BIGINT
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
