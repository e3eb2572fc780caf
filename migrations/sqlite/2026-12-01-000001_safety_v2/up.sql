-- Clinical safety v2: exercises carry a difficulty (1-5), precautions a
-- caution tier, and a program whose published version now clashes with the
-- patient's precautions is marked as needing review.
ALTER TABLE exercises ADD COLUMN difficulty INTEGER NOT NULL DEFAULT 3;
ALTER TABLE precautions ADD COLUMN caution TEXT NOT NULL DEFAULT '||';
ALTER TABLE programs ADD COLUMN needs_review_at TIMESTAMP;
