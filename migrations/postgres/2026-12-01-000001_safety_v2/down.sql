ALTER TABLE programs DROP COLUMN needs_review_at;
ALTER TABLE precautions DROP COLUMN caution;
ALTER TABLE exercises DROP COLUMN difficulty;
