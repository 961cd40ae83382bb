package app

import "fyne.io/fyne/v2"

func policiesScreen(e *Env) fyne.CanvasObject { return comingSoon("政策资料") }
