-- A clinic's logo for handouts, checked like exercise images.
ALTER TABLE clinics ADD COLUMN logo BLOB;
ALTER TABLE clinics ADD COLUMN logo_content_type TEXT;
