package app

import "fyne.io/fyne/v2"

func ledgersScreen(e *Env) fyne.CanvasObject { return comingSoon("台账") }
