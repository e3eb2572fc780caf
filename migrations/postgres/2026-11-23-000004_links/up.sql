-- Share links (capability URLs, stored only as a token hash) and what the
-- patient logs from them: done / not done and pain 0-10 per exercise per day.
CREATE TABLE share_links (
    id TEXT PRIMARY KEY NOT NULL,
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    program_id TEXT NOT NULL REFERENCES programs (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    last_opened_at TIMESTAMP,
    open_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX share_links_program_idx ON share_links (clinic_id, program_id);

CREATE TABLE activity_logs (
    id TEXT PRIMARY KEY NOT NULL,
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    program_id TEXT NOT NULL REFERENCES programs (id),
    link_id TEXT NOT NULL REFERENCES share_links (id),
    exercise_id TEXT NOT NULL,
    day TEXT NOT NULL,
    done BOOLEAN NOT NULL,
    pain INTEGER,
    comment TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX activity_logs_day_idx ON activity_logs (program_id, exercise_id, day);
