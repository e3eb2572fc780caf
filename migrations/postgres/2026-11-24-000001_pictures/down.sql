CREATE TABLE exercise_images (
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    exercise_id TEXT NOT NULL REFERENCES exercises (id),
    content_type TEXT NOT NULL,
    data BYTEA NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (clinic_id, exercise_id)
);
INSERT INTO exercise_images (clinic_id, exercise_id, content_type, data, width, height, created_at)
    SELECT e.clinic_id, e.exercise_id, p.content_type, p.data, p.width, p.height, e.created_at
    FROM exercise_pictures e JOIN pictures p ON p.id = e.picture_id;
DROP TABLE version_pictures;
DROP TABLE exercise_pictures;
DROP TABLE pictures;
