// Command stationdesk is Station Desk (劳保站工作台), the desktop GUI.
package main

import (
	"context"
	"flag"

	fyneapp "fyne.io/fyne/v2/app"

	"stationdesk/app"
	"stationdesk/data"
)

func main() {
	dataDir := flag.String("data-dir", "", "data folder (default: the per-user folder, or $STATIONDESK_DATA_DIR)")
	flag.Parse()
	if flag.NArg() > 0 { // a .stbundle file double-clicked: 数据同步 asks before importing it
		app.OpenBundle(flag.Arg(0))
	}

	a := fyneapp.NewWithID("cn.stationdesk.app")
	dir := *dataDir
	if dir == "" {
		dir, _ = data.DefaultDataDir()
	}
	st, err := data.Open(dir)
	if err != nil {
		app.SetupLanguage("zh_Hans")
		a.Settings().SetTheme(app.NewTheme(1))
		app.ShowStartError(a, dir, err)
		return
	}
	defer st.Close()
	ctx := context.Background()
	code, _ := st.Setting(ctx, data.SettingLanguage, "zh_Hans")
	app.SetupLanguage(code)
	a.Settings().SetTheme(app.LoadTheme(ctx, st))
	app.FitScreen = fitToScreen
	app.Run(a, st)
}
