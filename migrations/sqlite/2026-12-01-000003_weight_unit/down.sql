ALTER TABLE clinics DROP COLUMN weight_unit;
