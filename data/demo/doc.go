// Package demo makes the demo data: one township's officers, policies with
// their criteria, service guides and handed-out cards, a year of study days
// and training with attendance, residents, visits and opinions, written by
// Run in one transaction. The same Options (seed and last day) give the same
// database, so stationctl demo and the bench always measure the same data.
//
// It writes the features' tables straight (a save path per record would be
// far too slow for make bench's 100,000 visits), using the lists and rules
// of package data and the engine's (data/store) set-up and page cache; what
// it writes passes the features' checks (TestDemoDataPassesTheChecks).
//
// Nothing in the program depends on it but the GUI's first-start offer, the
// commands, the bench and tests: package data and its layers never import
// it (data/layers_test.go).
package demo
