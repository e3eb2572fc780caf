DROP TABLE templates;
DROP TABLE program_versions;
DROP TABLE programs;
DROP TABLE patient_precautions;
DROP TABLE patients;
