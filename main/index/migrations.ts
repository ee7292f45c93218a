/**
 * The index schema, as an ordered list of migrations. PRAGMA user_version is
 * the number of migrations applied; a new step is appended, never edited.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE patients (
    id INTEGER PRIMARY KEY,
    -- Patient ID and issuer identify a patient; without an ID, each study is its own patient.
    patient_key TEXT NOT NULL UNIQUE,
    patient_id TEXT NOT NULL,
    issuer TEXT NOT NULL,
    name_json TEXT,
    name_search TEXT NOT NULL DEFAULT '',
    birth_date TEXT,
    sex TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX patients_patient_id ON patients(patient_id);
  CREATE INDEX patients_name_search ON patients(name_search);

  CREATE TABLE studies (
    id INTEGER PRIMARY KEY,
    study_uid TEXT NOT NULL UNIQUE,
    patient_ref INTEGER NOT NULL REFERENCES patients(id),
    study_date TEXT,
    study_time TEXT,
    accession TEXT,
    study_id TEXT,
    description TEXT,
    referring_physician_json TEXT,
    -- The demographics this study was received with (the patient row keeps the first seen).
    patient_name_json TEXT,
    patient_name_search TEXT NOT NULL DEFAULT '',
    patient_birth_date TEXT,
    patient_sex TEXT,
    modalities TEXT NOT NULL DEFAULT '',
    series_count INTEGER NOT NULL DEFAULT 0,
    instance_count INTEGER NOT NULL DEFAULT 0,
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX studies_patient ON studies(patient_ref);
  CREATE INDEX studies_date ON studies(study_date);
  CREATE INDEX studies_accession ON studies(accession);
  CREATE INDEX studies_name_search ON studies(patient_name_search);

  CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    series_uid TEXT NOT NULL UNIQUE,
    study_ref INTEGER NOT NULL REFERENCES studies(id),
    modality TEXT,
    series_number INTEGER,
    description TEXT,
    body_part TEXT,
    frame_of_reference_uid TEXT,
    series_date TEXT,
    series_time TEXT,
    instance_count INTEGER NOT NULL DEFAULT 0,
    received_at TEXT NOT NULL
  );
  CREATE INDEX series_study ON series(study_ref);
  CREATE INDEX series_modality ON series(modality);

  CREATE TABLE instances (
    id INTEGER PRIMARY KEY,
    sop_uid TEXT NOT NULL UNIQUE,
    series_ref INTEGER NOT NULL REFERENCES series(id),
    sop_class_uid TEXT NOT NULL,
    instance_number INTEGER,
    number_of_frames INTEGER,
    transfer_syntax_uid TEXT NOT NULL,
    -- Relative to the data folder, forward slashes.
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    -- Deflated datasets: BulkDataURI offsets in json refer to the inflated stream.
    deflated INTEGER NOT NULL DEFAULT 0,
    received_at TEXT NOT NULL,
    source_ae TEXT,
    source TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX instances_series ON instances(series_ref);
  CREATE INDEX instances_received ON instances(received_at);

  CREATE TABLE patient_conflicts (
    id INTEGER PRIMARY KEY,
    patient_ref INTEGER NOT NULL REFERENCES patients(id),
    field TEXT NOT NULL,
    held_value TEXT,
    incoming_value TEXT,
    study_uid TEXT NOT NULL,
    sop_uid TEXT NOT NULL,
    source TEXT NOT NULL,
    recorded_at TEXT NOT NULL
  );
  CREATE INDEX patient_conflicts_patient ON patient_conflicts(patient_ref);

  CREATE TABLE instance_events (
    id INTEGER PRIMARY KEY,
    sop_uid TEXT NOT NULL,
    event TEXT NOT NULL,
    policy TEXT NOT NULL,
    held_sha256 TEXT,
    incoming_sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    recorded_at TEXT NOT NULL
  );
  CREATE INDEX instance_events_sop ON instance_events(sop_uid);
  `,
  `
  -- Query records (docs/query.md): the patient-, study- and series-level part of the
  -- header each was created from, so C-FIND and QIDO-RS answer without opening files.
  -- NULL until filled from the held instances (backfillLevelRecords) for older indexes.
  ALTER TABLE patients ADD COLUMN json TEXT;
  ALTER TABLE studies ADD COLUMN json TEXT;
  ALTER TABLE series ADD COLUMN json TEXT;
  -- Reading status set by the reader: unread, in-progress, read.
  ALTER TABLE studies ADD COLUMN read_status TEXT NOT NULL DEFAULT 'unread';
  -- Each component group of a patient's and a study's patient name, folded for search
  -- (shared/query/person-name-key.ts), so that a name key finds its rows through an index.
  CREATE TABLE name_keys (
    owner TEXT NOT NULL CHECK (owner IN ('patient', 'study')),
    ref INTEGER NOT NULL,
    key TEXT NOT NULL
  );
  CREATE INDEX name_keys_key ON name_keys(owner, key);
  CREATE INDEX name_keys_ref ON name_keys(owner, ref);
  `,
  `
  -- Measurements a reader drew on a study (docs/reading-room.md), one row per
  -- annotation so that two windows on one study never overwrite each other's.
  -- Keyed by Study Instance UID, not by row: they outlive a study's deletion
  -- and re-import.
  CREATE TABLE measurements (
    study_uid TEXT NOT NULL,
    annotation_uid TEXT NOT NULL,
    json TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (study_uid, annotation_uid)
  ) WITHOUT ROWID;
  `,
  `
  -- The durable send queue (docs/routing.md): one row per (instance, destination,
  -- form) to deliver. transform is the canonical JSON of {transcode, deidentify}
  -- ('' = the stored bytes); priority 0 stat .. 3 low.
  CREATE TABLE send_queue (
    id INTEGER PRIMARY KEY,
    destination TEXT NOT NULL,
    study_uid TEXT NOT NULL,
    series_uid TEXT NOT NULL,
    sop_uid TEXT NOT NULL,
    rule TEXT NOT NULL,
    transform TEXT NOT NULL DEFAULT '',
    priority INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'in-flight', 'done', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    job_id TEXT,
    queued_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    done_at TEXT,
    commitment TEXT CHECK (commitment IN ('requested', 'committed', 'failed')),
    commitment_uid TEXT
  );
  -- The same copy is never queued twice while one is still to be sent.
  CREATE UNIQUE INDEX send_queue_open ON send_queue(destination, sop_uid, transform) WHERE state IN ('pending', 'in-flight');
  CREATE INDEX send_queue_due ON send_queue(destination, state, priority, queued_at);
  CREATE INDEX send_queue_study ON send_queue(study_uid, destination);
  CREATE INDEX send_queue_job ON send_queue(job_id) WHERE job_id IS NOT NULL;

  -- The router's progress: 'cursor' is the highest instances.id already evaluated.
  -- An existing archive starts routing from what arrives after this upgrade.
  CREATE TABLE routing_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  INSERT INTO routing_state (key, value) SELECT 'cursor', CAST(coalesce(max(id), 0) AS TEXT) FROM instances;
  -- Stable triggers waiting for a series (or study) to stop growing.
  CREATE TABLE route_waits (
    rule TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('series', 'study')),
    uid TEXT NOT NULL,
    due_at TEXT NOT NULL,
    PRIMARY KEY (rule, scope, uid)
  ) WITHOUT ROWID;
  CREATE INDEX route_waits_due ON route_waits(due_at);

  -- Retrieve and send jobs, so that a restart shows what finished and what did not.
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    node TEXT NOT NULL,
    title TEXT NOT NULL,
    study_uid TEXT,
    state TEXT NOT NULL,
    progress TEXT NOT NULL,
    failures TEXT NOT NULL,
    error TEXT,
    started_at TEXT NOT NULL,
    ended_at TEXT
  ) WITHOUT ROWID;
  CREATE INDEX jobs_started ON jobs(started_at);
  `,
];
