package app

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"stationdesk/assets"
)

// Languages the officer can choose in 设置; the first is the default.
var Languages = []struct{ Code, Label string }{
	{"zh_Hans", "简体中文"},
	{"en", "English"},
}

// fyneLocales are the tags Fyne may pick from the system locale; the chosen
// language is registered under each so that it wins whatever the system says.
var fyneLocales = []string{"en", "zh-Hans", "zh", "cs", "de", "el", "es", "fr", "pl", "pt", "pt-BR", "ru", "sv", "ta", "uk"}

// SetupLanguage loads the translation files of code (zh_Hans or en) so that
// lang.L returns them. Keys are the Chinese text, so Chinese shows even where
// a key lacks a translation. Call it once, before building any widget.
func SetupLanguage(code string) error {
	if code != "en" {
		code = "zh_Hans"
	}
	if runtime.GOOS != "windows" {
		// Fyne reads the locale from the environment here; name ours so that
		// it neither guesses nor complains about LANG=C.
		os.Setenv("LANGUAGE", map[string]string{"en": "en", "zh_Hans": "zh_CN"}[code])
	}
	merged, identity := map[string]json.RawMessage{}, map[string]json.RawMessage{}
	err := fs.WalkDir(assets.Lang, "lang", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasSuffix(path, "."+code+".json") {
			b, err := assets.Lang.ReadFile(path)
			if err != nil {
				return err
			}
			if err := json.Unmarshal(b, &merged); err != nil {
				return fmt.Errorf("app: translations %s: %w", path, err)
			}
		} else if code == "zh_Hans" && strings.HasSuffix(path, ".en.json") {
			// The keys are the Chinese text: every key the English files
			// know is its own Chinese translation. Without them Fyne logs
			// a translation failure for every text it shows.
			b, err := assets.Lang.ReadFile(path)
			if err != nil {
				return err
			}
			var en map[string]json.RawMessage
			if err := json.Unmarshal(b, &en); err != nil {
				return fmt.Errorf("app: translations %s: %w", path, err)
			}
			for k := range en {
				identity[k], _ = json.Marshal(k)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, v := range identity {
		if _, ok := merged[k]; !ok {
			merged[k] = v
		}
	}
	all, err := json.Marshal(merged)
	if err != nil {
		return err
	}
	tags := append([]string{string(lang.SystemLocale()), lang.SystemLocale().LanguageString()}, fyneLocales...)
	seen := map[string]bool{}
	for _, t := range tags {
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		if err := lang.AddTranslationsForLocale(all, fyne.Locale(t)); err != nil {
			return err
		}
	}
	return nil
}
