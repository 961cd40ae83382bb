package data

import "stationdesk/data/store"

// Dates an officer types pass checkDate (store.CheckDate) before they are
// stored, as text passes the engine's CheckText (store/text.go).

const (
	earliestWorkDate = store.EarliestWorkDate
	planYears        = store.PlanYears
)

func checkDate(field, s string, required bool) (string, error) {
	return store.CheckDate(field, s, required)
}
