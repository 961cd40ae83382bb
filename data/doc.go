// Package data is what a station does: the policy library and its search,
// cards and guides, training, residents, visits and opinions, the hall
// ledgers, the bureau's figures, accounts, as methods of Store. It stands
// on the engine (data/store: the database, migrations, kinds, errors,
// audit, backups), the sync engine (data/sync) and the document writers
// (data/render), and it must not import the demo generator (data/demo) or
// anything of the GUI. Nothing in here knows about the GUI.
package data
