package app

import (
	"encoding/json"
	"os"
	"runtime"

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
	merged, err := assets.Translations(code)
	if err != nil {
		return err
	}
	if code == "zh_Hans" {
		// The keys are the Chinese text: every key the English files know
		// is its own Chinese translation. Without them Fyne logs a
		// translation failure for every text it shows.
		en, err := assets.Translations("en")
		if err != nil {
			return err
		}
		for k := range en {
			if _, ok := merged[k]; !ok {
				merged[k], _ = json.Marshal(k)
			}
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
