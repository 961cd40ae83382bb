# Station Desk: `make run` opens the app, `make test` runs the tests.
# Both install what this machine is missing (Debian/Ubuntu), or say what to install.

GO       ?= go
comma    := ,
TAGS     := migrated_fynedo
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: Fyne's cgo build (GL, X11), Xvfb for the GUI under test (xauth:
# xvfb-run needs it and the xvfb package only recommends it),
# poppler for pdftotext, imagemagick for screenshots of the real window.
APT_PKGS := pkg-config libgl1-mesa-dev xorg-dev xvfb xauth x11-utils poppler-utils imagemagick sqlite3
UI_PKGS  := ./app/...
# Layout tests at 特大 (fit_test.go): they open every screen and form on their own stores and
# check no concurrency, so make test runs them without -race (they skip under it).
FIT_TESTS := TestEveryScreenFitsAtLargestText|TestEveryFormFitsAtLargestText|TestScreenshotsLargeLight
NONUI    = $(shell $(GO) list ./... | grep -v '/app')

# Release metadata comes from FyneApp.toml, the single source of the version.
APP_ID   := $(shell sed -n 's/^ *ID *= *"\(.*\)"/\1/p' FyneApp.toml)
VERSION  := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
BUILDNO  := $(shell sed -n 's/^ *Build *= *\([0-9]*\)/\1/p' FyneApp.toml)
VERSION4 := $(VERSION).$(BUILDNO)
PUBLISHER := 劳保站工作台项目组
CTL_TARGETS := linux/amd64 linux/arm64 linux/loong64 windows/amd64
# make dist-deps: cross compilers (mingw-w64 for Windows, Debian multiarch for the
# ARM64 GUI), NSIS, dpkg-deb, and what its test runs the artefacts with (Wine,
# qemu-user, xdotool on Xvfb).
DIST_PKGS := gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 file xz-utils zip unzip nsis wine wine64 \
  qemu-user-static gcc-aarch64-linux-gnu libc6-dev-arm64-cross xdotool dpkg-dev fonts-wqy-microhei
ARM64_PKGS := libgl1-mesa-dev:arm64 libx11-dev:arm64 libxcursor-dev:arm64 libxrandr-dev:arm64 \
  libxinerama-dev:arm64 libxi-dev:arm64 libxxf86vm-dev:arm64 libxext-dev:arm64
ARM64_PC := /usr/lib/aarch64-linux-gnu/pkgconfig
ARM64_ENV := CGO_ENABLED=1 GOOS=linux GOARCH=arm64 CC=aarch64-linux-gnu-gcc PKG_CONFIG_PATH=$(ARM64_PC)
WIN_ENV := CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc
REL_FLAGS := -tags $(TAGS) -trimpath -ldflags "-s -w"

.PHONY: run test deps dist-deps vet build dist screenshots bench stationctl clean fitcheck

deps:
	@missing=""; \
	pkg-config --exists gl x11 xcursor xrandr xinerama xi xxf86vm 2>/dev/null || missing="$$missing gl"; \
	for c in pkg-config xvfb-run xauth xwininfo pdftotext convert sqlite3; do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
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

# vet also type-checks the Windows build of the packages without OpenGL (no cgo
# needed), so that files with a windows build tag are not left to make dist.
vet: deps
	$(GO) vet -tags $(TAGS) ./...
	GOOS=windows CGO_ENABLED=0 $(GO) vet -tags $(TAGS) ./app/... ./data/... ./cmd/stationctl/

test: vet
	CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/stationctl
	$(GO) test -tags $(TAGS) -count=1 -timeout 30m $(NONUI)
	$(GO) test -tags $(TAGS) -race -count=1 -timeout 40m $(UI_PKGS)
	$(GO) test -tags $(TAGS) -count=1 -timeout 10m -run '$(FIT_TESTS)' ./app/

screenshots: deps
	STATIONDESK_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -tags $(TAGS) -count=1 -run TestScreenshots ./app/

# The real window at 特大 on a 1366×768 screen under a window manager: its minimum
# size (WM_NORMAL_HINTS) fits 1280×720 and it opens maximised. Not part of make test.
FIT_PKGS := openbox xdotool x11-utils
fitcheck: deps
	@missing=""; for c in openbox xdotool xprop; do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing -> $(FIT_PKGS)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(FIT_PKGS) >/dev/null; \
	fi
	STATIONDESK_FITCHECK=1 $(GO) test -tags $(TAGS) -count=1 -v -run 'TestRealWindowFitsSmallScreen|TestRealBureauWindowFits' ./cmd/stationdesk/

dist-deps: deps
	@missing=""; \
	for c in x86_64-w64-mingw32-gcc x86_64-w64-mingw32-windres aarch64-linux-gnu-gcc makensis wine qemu-aarch64-static \
	  xdotool dpkg-deb file xz zip unzip; do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	PKG_CONFIG_LIBDIR=$(ARM64_PC):/usr/share/pkgconfig pkg-config --exists gl x11 xcursor xrandr xinerama xi xxf86vm 2>/dev/null || missing="$$missing arm64-gl"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing:$$missing -> $(DIST_PKGS) $(ARM64_PKGS)"; \
	    $(SUDO) dpkg --add-architecture arm64 && \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DIST_PKGS) $(ARM64_PKGS) >/dev/null; \
	  else \
	    echo "Please install: mingw-w64, gcc-aarch64-linux-gnu and the arm64 GL/X11 development files, nsis, wine, qemu-user-static, xdotool, dpkg-dev, file, xz, zip, unzip"; exit 1; \
	  fi; \
	fi

# dist/: Windows installer (NSIS, per user) and portable zip (绿色版), .deb in the
# UOS layout and .tar.xz for amd64 and arm64, stationctl for four targets,
# SHA256SUMS; then TestDistArtefacts starts every one of them (Wine, qemu, Xvfb).
dist: dist-deps
	rm -rf dist && mkdir -p dist/work/win dist/work/res dist/work/linux-amd64 dist/work/linux-arm64
	@echo "== Windows GUI (mingw-w64; icon, manifest and version by windres)"
	convert assets/icon/icon.png -define icon:auto-resize=256,64,48,32,16 dist/work/res/icon.ico
	sed 's/@VERSION4@/$(VERSION4)/' packaging/windows/stationdesk.manifest > dist/work/res/stationdesk.manifest
	sed -e 's/@VERSION@/$(VERSION)/; s/@VERSION4@/$(VERSION4)/; s/@VERSION_NUMS@/$(subst .,$(comma),$(VERSION4))/g; s/@PUBLISHER@/$(PUBLISHER)/' \
	  packaging/windows/stationdesk.rc.in > dist/work/res/stationdesk.rc
	# The main package and the resources are built from a copy under dist/: the .syso never enters the source tree.
	mkdir -p dist/work/stationdesk-windows && cp $(filter-out %_test.go,$(wildcard cmd/stationdesk/*.go)) dist/work/stationdesk-windows/
	x86_64-w64-mingw32-windres -c 65001 -I dist/work/res -i dist/work/res/stationdesk.rc -O coff -o dist/work/stationdesk-windows/rsrc_windows_amd64.syso
	$(WIN_ENV) $(GO) build -tags $(TAGS) -trimpath -ldflags "-s -w -H windowsgui" -o dist/work/win/stationdesk.exe ./dist/work/stationdesk-windows
	@echo "== Linux GUI amd64, and arm64 cross-built with Debian multiarch"
	$(GO) build $(REL_FLAGS) -o dist/work/linux-amd64/stationdesk ./cmd/stationdesk
	$(ARM64_ENV) $(GO) build $(REL_FLAGS) -o dist/work/linux-arm64/stationdesk ./cmd/stationdesk
	@echo "== stationctl for $(CTL_TARGETS)"
	for t in $(CTL_TARGETS); do \
	  os=$${t%/*}; arch=$${t#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "-s -w" \
	    -o dist/stationctl-$(VERSION)-$$os-$$arch$$ext ./cmd/stationctl || exit 1; \
	done
	@echo "== packages"
	cp dist/stationctl-$(VERSION)-windows-amd64.exe dist/work/win/stationctl.exe
	cp assets/dist/使用说明.txt dist/work/win/
	cd dist/work/win && zip -q -r ../../StationDesk-$(VERSION)-windows-amd64.zip .
	cp dist/work/res/icon.ico dist/work/win/
	makensis -V2 -INPUTCHARSET UTF8 -DVERSION=$(VERSION) -DVERSION4=$(VERSION4) '-DPUBLISHER=$(PUBLISHER)' \
	  -DSRC=$(CURDIR)/dist/work/win -DOUTFILE=$(CURDIR)/dist/StationDesk-$(VERSION)-windows-amd64-setup.exe packaging/windows/installer.nsi
	for a in amd64 arm64; do \
	  packaging/linux/package.sh $$a dist/work/linux-$$a/stationdesk dist/stationctl-$(VERSION)-linux-$$a dist $(VERSION) $(BUILDNO) || exit 1; \
	done
	rm -rf dist/work
	cd dist && sha256sum StationDesk-* stationctl-* $(APP_ID)_* > SHA256SUMS
	@echo "== starting every artefact (TestDistArtefacts)"
	STATIONDESK_DIST=$(CURDIR)/dist $(GO) test -tags $(TAGS) -count=1 -timeout 30m -v -run TestDistArtefacts ./cmd/stationdesk/

# Benchmarks against DESIGN.md's targets; prints a line per figure and writes
# bench/results.json. Never part of make test; never fails on a SHORT figure.
bench: deps
	CGO_ENABLED=0 $(GO) build -o bin/stationctl ./cmd/stationctl
	$(GO) build -tags $(TAGS) -o bin/stationdesk ./cmd/stationdesk
	CGO_ENABLED=0 $(GO) run ./bench # the same build as stationctl's: SQLite is compiled once, not twice

clean:
	rm -rf bin dist
