-- Exercises carry the conditions they serve (knee osteoarthritis, after a
-- knee replacement, ...), so the builder and the API can filter by them.
ALTER TABLE exercises ADD COLUMN conditions TEXT NOT NULL DEFAULT '||';
