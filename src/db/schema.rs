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
        logo -> Nullable<Binary>,
        logo_content_type -> Nullable<Text>,
        /// `kg` or `lb`: the unit the builder offers first for weights.
        weight_unit -> Text,
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

diesel::table! {
    exercises (id) {
        id -> Text,
        clinic_id -> Nullable<Text>,
        slug -> Text,
        name -> Text,
        aliases -> Text,
        summary -> Text,
        regions -> Text,
        category -> Text,
        movement -> Text,
        equipment -> Text,
        position -> Text,
        content -> Text,
        search_text -> Text,
        content_hash -> Text,
        retired_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        difficulty -> Integer,
        conditions -> Text,
    }
}

diesel::table! {
    precautions (id) {
        id -> Text,
        clinic_id -> Nullable<Text>,
        slug -> Text,
        label -> Text,
        avoid -> Text,
        prefer -> Text,
        content -> Text,
        content_hash -> Text,
        retired_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        caution -> Text,
    }
}

diesel::table! {
    hidden_exercises (clinic_id, exercise_id) {
        clinic_id -> Text,
        exercise_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Uploaded pictures; a row never changes, so a published version can
    /// go on naming the one it was published with.
    pictures (id) {
        id -> Text,
        clinic_id -> Text,
        content_type -> Text,
        data -> Binary,
        width -> Integer,
        height -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Which pictures each published version shows (they are never deleted).
    version_pictures (program_id, version, picture_id) {
        clinic_id -> Text,
        program_id -> Text,
        version -> Integer,
        picture_id -> Text,
    }
}

diesel::table! {
    /// The picture an exercise shows in a clinic now.
    exercise_pictures (clinic_id, exercise_id) {
        clinic_id -> Text,
        exercise_id -> Text,
        picture_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    patients (id) {
        id -> Text,
        clinic_id -> Text,
        first_name -> Text,
        last_name -> Text,
        date_of_birth -> Nullable<Text>,
        external_id -> Nullable<Text>,
        contact -> Nullable<Text>,
        search_text -> Text,
        archived_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    patient_precautions (patient_id, precaution_id) {
        patient_id -> Text,
        precaution_id -> Text,
    }
}

diesel::table! {
    programs (id) {
        id -> Text,
        clinic_id -> Text,
        patient_id -> Text,
        title -> Text,
        notes -> Text,
        items -> Text,
        revision -> Integer,
        latest_version -> Integer,
        created_by -> Text,
        archived_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        /// Set when the latest published version clashes with the patient's
        /// precautions as they are now; cleared by publishing or a re-check.
        needs_review_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    program_versions (program_id, version) {
        program_id -> Text,
        version -> Integer,
        clinic_id -> Text,
        content -> Text,
        published_by -> Text,
        published_at -> Timestamp,
    }
}

diesel::table! {
    templates (id) {
        id -> Text,
        clinic_id -> Text,
        title -> Text,
        notes -> Text,
        items -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(patient_precautions -> patients (patient_id));
diesel::joinable!(patient_precautions -> precautions (precaution_id));
diesel::joinable!(programs -> patients (patient_id));
diesel::joinable!(program_versions -> programs (program_id));
diesel::joinable!(exercise_pictures -> pictures (picture_id));

diesel::allow_tables_to_appear_in_same_query!(
    exercises,
    precautions,
    hidden_exercises,
    pictures,
    exercise_pictures,
    version_pictures,
    patients,
    patient_precautions,
    programs,
    program_versions,
    templates,
    clinics,
);

diesel::table! {
    share_links (id) {
        id -> Text,
        clinic_id -> Text,
        program_id -> Text,
        token_hash -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        last_opened_at -> Nullable<Timestamp>,
        open_count -> Integer,
    }
}

diesel::table! {
    activity_logs (id) {
        id -> Text,
        clinic_id -> Text,
        program_id -> Text,
        link_id -> Text,
        exercise_id -> Text,
        day -> Text,
        done -> Bool,
        pain -> Nullable<Integer>,
        comment -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(share_links, activity_logs, programs);
diesel::allow_tables_to_appear_in_same_query!(share_links, patients);
diesel::allow_tables_to_appear_in_same_query!(share_links, clinics);
