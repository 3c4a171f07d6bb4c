# scimconform — build, test and run targets. Needs only Go on the PATH.
GO        ?= go
PKGS      ?= ./...
TARGET    ?=
TOKEN     ?=
BENCHTIME ?= 1x

.PHONY: test fmt-check vet unit conformance conformance-bin serve bench fuzz

## test: formatting check, vet, and every test with the race detector (what CI runs).
test: fmt-check vet unit

fmt-check:
	@out="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

unit:
	$(GO) test -race -count=1 $(PKGS)

## conformance: run the suites; against the built-in reference server unless TARGET is set.
## TOKEN is passed through the environment (SCIM_TOKEN) and the recipe is not echoed;
## REPORT_DIR=dir writes junit.xml, report.json and report.html; ARGS adds suite flags.
conformance:
	@$(if $(TARGET),SCIM_TARGET='$(TARGET)') $(if $(TOKEN),SCIM_TOKEN='$(TOKEN)') $(if $(REPORT_DIR),SCIM_REPORT_DIR='$(abspath $(REPORT_DIR))') \
	$(GO) test -count=1 -v -run '^TestSuites$$' ./suites $(if $(ARGS),-args $(ARGS))

## conformance-bin: build the suite as a standalone binary, bin/scimconform-conformance
## (run it with -target=URL and SCIM_TOKEN set; -help lists every option).
conformance-bin:
	$(GO) test -c -o bin/scimconform-conformance ./suites

## serve: start the reference server on 127.0.0.1:8080.
serve:
	$(GO) run ./cmd/scimconform serve -addr 127.0.0.1:8080

## bench: reference server benchmarks (1k/100k users; REFSERVER_BENCH_1M=1 adds 1M), then
##        load mode's initial cycle against the reference server vs a fixed-JSON handler
##        (the loopback ceiling), with the ratio and peak RSS (LOAD_BENCH_USERS, default 100000),
##        then the CLI's 20 000-user acceptance run (make test runs it with 2 000 under -race).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./refserver/
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) ./runner/load/
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) ./cmd/scimconform/

## fuzz: run every fuzz target for FUZZTIME each (seed corpora live in testdata/fuzz).
FUZZTIME ?= 10s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done
