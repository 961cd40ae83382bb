package data

import (
	"encoding/json"
	"testing"

	"stationdesk/assets"
)

// englishTexts maps every Chinese text to its English translation.
func englishTexts(t *testing.T) map[string]string {
	t.Helper()
	raw, err := assets.Translations("en")
	if err != nil || len(raw) == 0 {
		t.Fatalf("no English translations: %v", err)
	}
	en := map[string]string{}
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			en[k] = s
		}
	}
	return en
}
