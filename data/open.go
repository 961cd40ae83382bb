package data

import (
	"stationdesk/data/store"
	dsync "stationdesk/data/sync"
)

// Store is the open database with the station's features as its methods:
// the engine (store.Store: Write, Read, Close, settings, backups, ...) and
// what the features keep in memory while it is open.
type Store struct {
	*store.Store
	*dsync.Engine // sync: keys, enrolment, bundles, the board (data/sync)

	throttle signInThrottle // wrong passwords, per name, in this process
	reach    reachPeople    // residents as 政策找人 checks them (reach.go)
}

// Open opens (creating if needed) the database in dir, checks that it is
// Station Desk's own, not newer than this program and not damaged, and
// migrates it to the current schema (store.Open). A refused file is left
// untouched.
func Open(dir string) (*Store, error) { return features(store.Open(dir)) }

// features puts the features around an open engine.
func features(st *store.Store, err error) (*Store, error) {
	if err != nil {
		return nil, err
	}
	return &Store{Store: st, Engine: dsync.New(st)}, nil
}
