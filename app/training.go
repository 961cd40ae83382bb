package app

import "fyne.io/fyne/v2"

func trainingScreen(e *Env) fyne.CanvasObject { return comingSoon("培训记录") }
