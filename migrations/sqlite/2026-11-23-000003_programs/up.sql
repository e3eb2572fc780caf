-- Patients (archived, never deleted), their precautions, programs with an
-- editable draft and immutable published versions, and clinic templates.
-- Program items are JSON: a draft is replaced whole, a version is frozen whole.
CREATE TABLE patients (
    id TEXT PRIMARY KEY NOT NULL,
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    date_of_birth TEXT,
    external_id TEXT,
    contact TEXT,
    search_text TEXT NOT NULL,
    archived_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX patients_clinic_idx ON patients (clinic_id, last_name);

CREATE TABLE patient_precautions (
    patient_id TEXT NOT NULL REFERENCES patients (id),
    precaution_id TEXT NOT NULL REFERENCES precautions (id),
    PRIMARY KEY (patient_id, precaution_id)
);

CREATE TABLE programs (
    id TEXT PRIMARY KEY NOT NULL,
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    patient_id TEXT NOT NULL REFERENCES patients (id),
    title TEXT NOT NULL,
    notes TEXT NOT NULL,
    items TEXT NOT NULL,
    revision INTEGER NOT NULL,
    latest_version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    archived_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX programs_patient_idx ON programs (clinic_id, patient_id);

CREATE TABLE program_versions (
    program_id TEXT NOT NULL REFERENCES programs (id),
    version INTEGER NOT NULL,
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    content TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    PRIMARY KEY (program_id, version)
);

CREATE TABLE templates (
    id TEXT PRIMARY KEY NOT NULL,
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    title TEXT NOT NULL,
    notes TEXT NOT NULL,
    items TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX templates_clinic_idx ON templates (clinic_id);
