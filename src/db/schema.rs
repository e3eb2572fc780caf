//! The portable schema shared by both backends: Text, Integer, BigInt, Bool,
//! Timestamp and Binary only; UUIDs are Text.

diesel::table! {
    clinics (id) {
        id -> Text,
        name -> Text,
        contact_line -> Text,
        default_paper -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    clinicians (id) {
        id -> Text,
        clinic_id -> Text,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        token_hash -> Text,
        clinician_id -> Text,
        clinic_id -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    sign_in_attempts (id) {
        id -> Text,
        email_hash -> Text,
        ip -> Text,
        succeeded -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        clinic_id -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        action -> Text,
        target_type -> Text,
        target_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        detail -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(clinicians -> clinics (clinic_id));
diesel::joinable!(sessions -> clinicians (clinician_id));

diesel::allow_tables_to_appear_in_same_query!(
    clinics,
    clinicians,
    sessions,
    sign_in_attempts,
    audit_events,
);
