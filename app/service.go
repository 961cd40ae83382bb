package app

import "fyne.io/fyne/v2"

func serviceScreen(e *Env) fyne.CanvasObject { return comingSoon("上门服务") }
