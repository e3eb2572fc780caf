DROP TABLE audit_events;
DROP TABLE sign_in_attempts;
DROP TABLE sessions;
DROP TABLE clinicians;
DROP TABLE clinics;
