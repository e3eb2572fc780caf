-- Exercises and precautions: built-in ones (clinic_id NULL, imported from
-- exercise_catalog/) and each clinic's own. Retired, never deleted.
-- Tag lists are stored as '|a|b|' so a filter is a portable LIKE.
CREATE TABLE exercises (
    id TEXT PRIMARY KEY NOT NULL,
    clinic_id TEXT REFERENCES clinics (id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL,
    summary TEXT NOT NULL,
    regions TEXT NOT NULL,
    category TEXT NOT NULL,
    movement TEXT NOT NULL,
    equipment TEXT NOT NULL,
    position TEXT NOT NULL,
    content TEXT NOT NULL,
    search_text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    retired_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX exercises_builtin_slug_idx ON exercises (slug) WHERE clinic_id IS NULL;
CREATE UNIQUE INDEX exercises_clinic_slug_idx ON exercises (clinic_id, slug) WHERE clinic_id IS NOT NULL;
CREATE INDEX exercises_name_idx ON exercises (name);

CREATE TABLE precautions (
    id TEXT PRIMARY KEY NOT NULL,
    clinic_id TEXT REFERENCES clinics (id),
    slug TEXT NOT NULL,
    label TEXT NOT NULL,
    avoid TEXT NOT NULL,
    prefer TEXT NOT NULL,
    content TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    retired_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX precautions_clinic_idx ON precautions (clinic_id);

CREATE TABLE hidden_exercises (
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    exercise_id TEXT NOT NULL REFERENCES exercises (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (clinic_id, exercise_id)
);

CREATE TABLE exercise_images (
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    exercise_id TEXT NOT NULL REFERENCES exercises (id),
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (clinic_id, exercise_id)
);
