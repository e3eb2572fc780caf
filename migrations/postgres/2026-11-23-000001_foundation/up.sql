-- Clinics (tenants), their clinicians, sign-in sessions, sign-in attempts
-- for throttling, and the audit trail. Ids are UUIDs stored as TEXT so one
-- schema serves SQLite and PostgreSQL.
CREATE TABLE clinics (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    contact_line TEXT NOT NULL DEFAULT '',
    default_paper TEXT NOT NULL DEFAULT 'letter' CHECK (default_paper IN ('letter', 'a4')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE clinicians (
    id TEXT PRIMARY KEY NOT NULL,
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'therapist')),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX clinicians_clinic_idx ON clinicians (clinic_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    clinician_id TEXT NOT NULL REFERENCES clinicians (id) ON DELETE CASCADE,
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_clinician_idx ON sessions (clinician_id);

CREATE TABLE sign_in_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    email_hash TEXT NOT NULL,
    ip TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX sign_in_attempts_email_idx ON sign_in_attempts (email_hash, created_at);
CREATE INDEX sign_in_attempts_ip_idx ON sign_in_attempts (ip, created_at);
CREATE INDEX sign_in_attempts_created_idx ON sign_in_attempts (created_at);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    clinic_id TEXT REFERENCES clinics (id),
    actor_id TEXT,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    ip TEXT,
    detail TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_events_clinic_idx ON audit_events (clinic_id, created_at);
CREATE INDEX audit_events_target_idx ON audit_events (target_id);
