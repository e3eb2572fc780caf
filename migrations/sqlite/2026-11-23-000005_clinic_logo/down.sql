ALTER TABLE clinics DROP COLUMN logo_content_type;
ALTER TABLE clinics DROP COLUMN logo;
