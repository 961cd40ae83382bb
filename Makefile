# Station Desk: `make run` opens the app, `make test` runs the tests.
# Both install what this machine is missing (Debian/Ubuntu), or say what to install.

GO       ?= go
TAGS     := migrated_fynedo
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: Fyne's cgo build (GL, X11), Xvfb for the GUI under test,
# poppler for pdftotext, imagemagick for screenshots of the real window.
APT_PKGS := pkg-config libgl1-mesa-dev xorg-dev xvfb x11-utils poppler-utils imagemagick sqlite3
UI_PKGS  := ./app/...
NONUI    = $(shell $(GO) list ./... | grep -v '/app')

.PHONY: run test deps vet build screenshots bench stationctl clean

deps:
	@missing=""; \
	pkg-config --exists gl x11 xcursor xrandr xinerama xi xxf86vm 2>/dev/null || missing="$$missing gl"; \
	for c in pkg-config xvfb-run xwininfo pdftotext convert sqlite3; do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing:$$missing -> $(APT_PKGS)"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PKGS) >/dev/null; \
	  else \
	    echo "Please install: a C compiler, OpenGL and X11 development files (libgl1-mesa-dev xorg-dev), xvfb, poppler-utils, imagemagick, sqlite3"; exit 1; \
	  fi; \
	fi

build: deps
	$(GO) build -tags $(TAGS) -o bin/stationdesk ./cmd/stationdesk
	CGO_ENABLED=0 $(GO) build -o bin/stationctl ./cmd/stationctl

stationctl:
	CGO_ENABLED=0 $(GO) build -o bin/stationctl ./cmd/stationctl

run: deps
	$(GO) run -tags $(TAGS) ./cmd/stationdesk

vet: deps
	$(GO) vet -tags $(TAGS) ./...

test: vet
	CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/stationctl
	$(GO) test -tags $(TAGS) -count=1 $(NONUI)
	$(GO) test -tags $(TAGS) -race -count=1 $(UI_PKGS)

screenshots: deps
	STATIONDESK_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -tags $(TAGS) -count=1 -run TestScreenshots ./app/

clean:
	rm -rf bin dist
