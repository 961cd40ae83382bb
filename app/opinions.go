package app

import "fyne.io/fyne/v2"

func opinionsScreen(e *Env) fyne.CanvasObject { return comingSoon("群众意见") }
