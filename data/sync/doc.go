// Package sync is how a station and its district bureau exchange records
// (docs/bundle-format.md): hybrid logical clocks and the change log, keys,
// enrolment, re-keying and the bureau's recovery file, the bundle format
// (reading, checks, writing), the authorization table, merging and
// conflicts, bulk loads, refusals and the bureau's board of stations, and
// the checks every incoming record passes.
//
// It stands on the engine (data/store) alone: it must not import package
// data (the features) or anything above it. A feature tells sync what only
// it knows through hooks registered from its init: RegisterIncomingRules
// (checks of its kind's own columns), RegisterSharedMerge (a shared kind's
// field-by-field merge), RegisterStationFixed (a value a station's records
// must hold) and RegisterNameRef (how a conflict's summary names a record a
// column points at); the program's version and the private file writer come
// the same way (ProgramVersion, WriteFile). What a kind is (its table, its
// station column, its public title, its personal columns) is declared with
// the kind in the engine. package data's Store embeds Engine, so the GUI and
// stationctl call st.ExportBundle, st.ImportBundle and the rest on it.
package sync
