ALTER TABLE exercises DROP COLUMN conditions;
