package main

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"

	"stationdesk/app"
)

// smallScreen is the largest screen the window is maximised on: most
// township PCs have 1366×768, where a window of its own size would put its
// bottom buttons under the taskbar.
const smallW, smallH = 1366, 768

// fitToScreen runs on the main thread once the window exists (Fyne's
// desktop driver is GLFW): on
// a screen up to 1366×768 the window is maximised; on a larger one it keeps
// its opening size, shrunk to the screen's work area if need be.
func fitToScreen(w fyne.Window) {
	// The desktop driver's window makes its GL context current for f: then
	// GLFW names the window.
	if rc, ok := w.(interface{ RunWithContext(f func()) }); ok {
		rc.RunWithContext(func() {
			if win := glfw.GetCurrentContext(); win != nil {
				fitGLFW(win)
				hookEscape(w, win)
			}
		})
	}
}

func fitGLFW(win *glfw.Window) {
	mon := monitorOf(win)
	if mon == nil {
		return
	}
	mode := mon.GetVideoMode()
	if mode == nil {
		return
	}
	if mode.Width <= smallW || mode.Height <= smallH {
		win.Maximize()
		return
	}
	_, _, aw, ah := mon.GetWorkarea()
	ww, wh := win.GetSize()
	if ww > aw || wh > ah {
		win.SetSize(min(ww, aw), min(wh, ah))
	}
}

// monitorOf is the monitor holding the window's centre, else the primary one.
func monitorOf(win *glfw.Window) *glfw.Monitor {
	x, y := win.GetPos()
	ww, wh := win.GetSize()
	cx, cy := x+ww/2, y+wh/2
	for _, m := range glfw.GetMonitors() {
		mx, my := m.GetPos()
		mode := m.GetVideoMode()
		if mode != nil && cx >= mx && cy >= my && cx < mx+mode.Width && cy < my+mode.Height {
			return m
		}
	}
	return glfw.GetPrimaryMonitor()
}

// hookEscape lets Esc close a dialog even while a text box in it has the
// focus (a Fyne Entry swallows the key): after Fyne's own handling, the app
// hears of every Esc press.
func hookEscape(w fyne.Window, win *glfw.Window) {
	var prev glfw.KeyCallback
	prev = win.SetKeyCallback(func(gw *glfw.Window, key glfw.Key, scancode int, action glfw.Action, mods glfw.ModifierKey) {
		if prev != nil {
			prev(gw, key, scancode, action, mods)
		}
		if key == glfw.KeyEscape && action == glfw.Press {
			app.EscapeKey(w)
		}
	})
}
