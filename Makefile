# Two commands matter: `make run` and `make test`. Both install what is
# missing first, so a fresh Debian machine needs nothing done by hand.

GO          ?= go
DATA        ?= $(CURDIR)/.run-data
STATICCHECK := $(shell $(GO) env GOPATH)/bin/staticcheck
STATICCHECK_VERSION := v0.7.0
# Fyne needs cgo and these headers; oto needs ALSA; PostgreSQL backs the
# cloud's scale-out store tests; Xvfb, xdotool and ImageMagick take screenshots;
# Chromium (headless) checks the buyer's order page in the cloud tests, and
# with poppler-utils (pdftoppm) the cloud rasterizes the platforms' airway
# bills (HTML and PDF) for the label printer at run time.
APT_PACKAGES := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev libxkbcommon-dev libwayland-dev libasound2-dev \
	postgresql xvfb xdotool imagemagick chromium poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build run test bench fuzz lint screenshots clean

deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@$(GO) mod download
	@[ -x $(STATICCHECK) ] || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

build:
	@mkdir -p bin
	$(GO) build -o bin/pos .
	$(GO) build -o bin/pos-cloud ./cmd/pos-cloud

# The terminal on demo data, with the embedded cloud and the sample-order feed.
run: deps build
	bin/pos --data $(DATA) --demo

test: deps
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

# Every benchmark runs BENCH_COUNT times; cmd/benchsummary prints each figure
# with its unit as the median of the runs, with their min and max, so one
# noisy run can neither pass nor fail a target. -p 1: one package at a time,
# so two packages' benchmarks never share the two cores. The raw runs scroll
# by on stderr as they finish.
BENCH_COUNT ?= 5
bench: deps
	$(GO) build -o bin/benchsummary ./cmd/benchsummary && \
	$(GO) test -p 1 -run '^$$' -bench . -benchtime 1x -count $(BENCH_COUNT) -timeout 30m ./... 2>&1 | bin/benchsummary

# Each fuzz target of every package runs for FUZZTIME in turn, all of them
# even when one fails; what one finds is saved under that package's
# testdata/fuzz/ and, once committed, runs as a seed in `make test`.
FUZZTIME ?= 1m
fuzz: deps
	@failed=""; for pkg in $$($(GO) list ./...); do \
		dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
		for fz in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/^func //'); do \
			echo "== $$pkg $$fz for $(FUZZTIME)"; \
			$(GO) test $$pkg -run '^$$' -fuzz "^$$fz\$$" -fuzztime $(FUZZTIME) || failed="$$failed $$pkg.$$fz"; \
		done; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzzing found failures in:$$failed"; exit 1; fi

lint: deps
	@out=$$(gofmt -l $$(git ls-files '*.go')); [ -z "$$out" ] || { echo "gofmt would change:"; echo "$$out"; exit 1; }
	$(GO) vet ./...
	$(STATICCHECK) ./...

# Screenshots of the real app under Xvfb for the README (docs/*.png).
screenshots: deps build
	./docs/screenshots.sh

clean:
	rm -rf bin
