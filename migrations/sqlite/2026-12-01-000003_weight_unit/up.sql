-- The clinic's unit for weights in programs: kg or lb.
ALTER TABLE clinics ADD COLUMN weight_unit TEXT NOT NULL DEFAULT 'kg';
