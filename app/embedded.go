package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/listeners"

	"github.com/oort-rules/oort/functions/simulator"
)

// startEmbedded starts the embedded MQTT broker when OORT_EMBEDDED_BROKER
// names an address (make run: Oort standalone without any EdgeX or broker
// installed). It must run before the SDK bootstraps, because the SDK connects
// to the bus while it starts.
func startEmbedded() (func(), error) {
	addr := os.Getenv("OORT_EMBEDDED_BROKER")
	if addr == "" {
		return func() {}, nil
	}
	srv := mqtt.New(&mqtt.Options{InlineClient: false,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := srv.AddHook(new(auth.AllowHook), nil); err != nil {
		return nil, fmt.Errorf("embedded broker: %w", err)
	}
	if err := srv.AddListener(listeners.NewTCP(listeners.Config{ID: "oort-embedded", Address: addr})); err != nil {
		return nil, fmt.Errorf("embedded broker on %s (OORT_EMBEDDED_BROKER): %w", addr, err)
	}
	go func() {
		if err := srv.Serve(); err != nil {
			fmt.Fprintln(os.Stderr, "embedded broker stopped:", err)
		}
	}()
	fmt.Fprintf(os.Stderr, "oort: embedded MQTT broker listening on %s\n", addr)
	return func() { _ = srv.Close() }, nil
}

// startSimulator runs the built-in device when OORT_SIMULATOR names a broker
// URL (e.g. tcp://127.0.0.1:18830).
func startSimulator(ctx context.Context, lc logger.LoggingClient) {
	url := os.Getenv("OORT_SIMULATOR")
	if url == "" {
		return
	}
	sim := simulator.New(simulator.Options{Broker: url, Logger: lc})
	go func() {
		if err := sim.Run(ctx); err != nil {
			lc.Errorf("simulator: %v", err)
		}
	}()
}
