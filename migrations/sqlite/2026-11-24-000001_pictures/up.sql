-- Exercise pictures become immutable records, so a published version can
-- keep showing the picture it was published with after the exercise's
-- picture is replaced or removed. `pictures` rows are never changed;
-- `exercise_pictures` says which one an exercise shows now.
CREATE TABLE pictures (
    id TEXT PRIMARY KEY NOT NULL,
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX pictures_clinic_idx ON pictures (clinic_id);

CREATE TABLE exercise_pictures (
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    exercise_id TEXT NOT NULL REFERENCES exercises (id),
    picture_id TEXT NOT NULL REFERENCES pictures (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (clinic_id, exercise_id)
);

-- Which pictures each published version shows: a picture named here is
-- never deleted (the foreign key guards it too).
CREATE TABLE version_pictures (
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    program_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    picture_id TEXT NOT NULL REFERENCES pictures (id),
    PRIMARY KEY (program_id, version, picture_id),
    FOREIGN KEY (program_id, version) REFERENCES program_versions (program_id, version)
);
CREATE INDEX version_pictures_picture_idx ON version_pictures (picture_id);

ALTER TABLE exercise_images ADD COLUMN picture_id TEXT;
UPDATE exercise_images SET picture_id = lower(hex(randomblob(16)));
INSERT INTO pictures (id, clinic_id, content_type, data, width, height, created_at)
    SELECT picture_id, clinic_id, content_type, data, width, height, created_at FROM exercise_images;
INSERT INTO exercise_pictures (clinic_id, exercise_id, picture_id, created_at)
    SELECT clinic_id, exercise_id, picture_id, created_at FROM exercise_images;
DROP TABLE exercise_images;
