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

ALTER TABLE exercise_images ADD COLUMN picture_id TEXT;
UPDATE exercise_images SET picture_id = lower(hex(randomblob(16)));
INSERT INTO pictures (id, clinic_id, content_type, data, width, height, created_at)
    SELECT picture_id, clinic_id, content_type, data, width, height, created_at FROM exercise_images;
INSERT INTO exercise_pictures (clinic_id, exercise_id, picture_id, created_at)
    SELECT clinic_id, exercise_id, picture_id, created_at FROM exercise_images;
DROP TABLE exercise_images;
