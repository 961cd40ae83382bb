package app

import "fyne.io/fyne/v2"

func syncScreen(e *Env) fyne.CanvasObject { return comingSoon("数据同步") }
