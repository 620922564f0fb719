# Oort — see README.md. Every target works on a fresh machine with Go.
GO        ?= go
TAGS      := include_nats_messaging,no_openziti
VERSION   ?= $(shell git describe --tags --always 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.Version=$(VERSION)
BENCH_PKGS := ./functions/ingest/ ./rules/exec/ ./rules/agg/ ./rules/window/ ./functions/eventrow/ ./functions/sinks/ ./rules/value/ ./rules/sql/ ./rules/sink/

.PHONY: build run test test-short bench lint clean docker

build:
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o bin/oort ./app

# Standalone: embedded MQTT broker on 127.0.0.1:18830, a simulated EdgeX
# device, the sample stream and rule of res/seed; REST API on :59720.
run: build
	EDGEX_SECURITY_SECRET_STORE=false \
	OORT_EMBEDDED_BROKER=127.0.0.1:18830 \
	OORT_SIMULATOR=tcp://127.0.0.1:18830 \
	./bin/oort -cc res/standalone/common-config.yaml -cd res/standalone -s

# All tests, including integration tests over the real Mosquitto
# (127.0.0.1:1883) and Redis (127.0.0.1:6379).
test:
	$(GO) vet -tags $(TAGS) ./...
	$(GO) test -tags $(TAGS) -count=1 -timeout 20m ./...

test-short:
	$(GO) test -tags $(TAGS) -short -count=1 ./...

# Hot-path benchmarks: EdgeX bytes to rule output (events/s, allocs/event).
bench:
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem -count 5 $(BENCH_PKGS)

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet -tags $(TAGS) ./...

docker:
	docker build -t app-oort:$(VERSION) .

clean:
	rm -rf bin data
