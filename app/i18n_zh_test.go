package app

import (
	"bytes"
	"log"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
)

// TestChineseLogsNoTranslationFailures: in Chinese every text is its own
// key; Fyne must find each one instead of logging a failure per text shown.
func TestChineseLogsNoTranslationFailures(t *testing.T) {
	test.NewTempApp(t)
	var buf bytes.Buffer
	old := log.Writer()
	log.SetOutput(&buf)
	defer log.SetOutput(old) // nil would make every later log call panic
	if err := SetupLanguage("zh_Hans"); err != nil {
		t.Fatal(err)
	}
	defer SetupLanguage("zh_Hans")
	for _, k := range []string{"劳保站工作台", "正在载入…", "保存"} {
		if got := lang.L(k); got != k {
			t.Errorf("lang.L(%q) = %q", k, got)
		}
	}
	if strings.Contains(buf.String(), "Translation failure") {
		t.Fatalf("translation failures logged:\n%.2000s", buf.String())
	}
	if err := SetupLanguage("en"); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("劳保站工作台"); got == "劳保站工作台" || got == "" {
		t.Fatalf("English title = %q", got)
	}
}
