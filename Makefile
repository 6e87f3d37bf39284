# Waymark build. Every target uses Go 1.27.3 (the machines ship 1.26.8; see TOOLCHAIN.md).
export GOTOOLCHAIN := go1.27.3

GOVUK_DIST := node_modules/govuk-frontend/dist/govuk
VENDOR     := web/static/vendor
TESTFLAGS  ?=

.PHONY: node_modules assets build demo test check bench clean

# Install npm packages from the committed lock file, only when it changed.
node_modules: node_modules/.package-lock.json

node_modules/.package-lock.json: package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

# Copy the front-end files the server embeds into web/static/vendor/ (generated, not committed).
# The GDS Transport fonts are not copied, and their @font-face rules are taken out of the CSS:
# Waymark uses a system font, and no page may ask for the files, even before waymark.css applies.
# Files are copied only when the npm packages (or this Makefile) changed, and the folder is never
# emptied first, so a build running at the same time in the same tree keeps seeing the files.
assets: $(VENDOR)/.stamp

$(VENDOR)/.stamp: node_modules/.package-lock.json Makefile
	mkdir -p $(VENDOR)/assets
	sed -E 's/@font-face\{[^}]*\}//g' $(GOVUK_DIST)/govuk-frontend.min.css > $(VENDOR)/govuk-frontend.min.css
	cp $(GOVUK_DIST)/govuk-frontend.min.js $(VENDOR)/
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js $(VENDOR)/
	cp -R $(GOVUK_DIST)/assets/images $(VENDOR)/assets/
	cp $(GOVUK_DIST)/assets/manifest.json $(VENDOR)/assets/
	@touch $@

build: assets
	go build -trimpath -o bin/waymark ./cmd/waymark

demo: build
	rm -rf demo-data
	./bin/waymark demo --data-dir demo-data --addr localhost:8080

# Every test with the race detector, then the permission matrix on its own without it: the matrix
# asks every route as every user of every demo organisation on both engines (tens of thousands of
# requests), which the race detector slows beyond CI's time, while the same handlers' concurrency
# is raced by the other tests.
test: assets
	go test -race -count=1 -timeout 25m -skip '^TestPermissionMatrix$$' $(TESTFLAGS) ./...
	go test -count=1 -timeout 20m -run '^TestPermissionMatrix$$' $(TESTFLAGS) ./cmd/waymark

# Load benchmark of the signed-in home page (docs/benchmarks.md); PostgreSQL too when WAYMARK_TEST_POSTGRES is set.
bench: assets
	go test -run '^$$' -bench 'SignedInHome|ClientPage' -benchtime 3000x -count 2 ./cmd/waymark

check: assets
	scripts/lint

clean:
	rm -rf bin demo-data $(VENDOR)
