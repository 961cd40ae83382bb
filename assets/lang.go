package assets

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
)

// Translations merges every lang/<feature>.<code>.json into one map from the
// Chinese text to its translation (a JSON string, or an object for plural
// forms), as the app loads them and as the tests check them.
func Translations(code string) (map[string]json.RawMessage, error) {
	merged := map[string]json.RawMessage{}
	err := fs.WalkDir(Lang, "lang", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "."+code+".json") {
			return err
		}
		b, err := Lang.ReadFile(path)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &merged); err != nil {
			return fmt.Errorf("assets: translations %s: %w", path, err)
		}
		return nil
	})
	return merged, err
}
