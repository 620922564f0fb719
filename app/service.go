package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/edgexfoundry/app-functions-sdk-go/v4/pkg"
	"github.com/edgexfoundry/app-functions-sdk-go/v4/pkg/interfaces"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/app/api"
	"github.com/oort-rules/oort/app/config"
	"github.com/oort-rules/oort/app/store"
	"github.com/oort-rules/oort/functions/ingest"
	"github.com/oort-rules/oort/functions/sdkbus"
	"github.com/oort-rules/oort/functions/trigger"
	"github.com/oort-rules/oort/functions/wallclock"
	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/membus"
)

const serviceKey = "app-oort"

// runService is the composition root: every registry, store and engine is
// built here and passed down.
func runService() int {
	stopEmbedded, err := startEmbedded()
	if err != nil {
		fmt.Fprintln(os.Stderr, "oort:", err)
		return 1
	}
	defer stopEmbedded()
	svc, ok := pkg.NewAppService(serviceKey)
	if !ok {
		return 1
	}
	lc := svc.LoggingClient()
	cfg := &config.ServiceConfig{}
	if err := svc.LoadCustomConfig(cfg, "RulesEngine"); err != nil {
		lc.Errorf("loading the RulesEngine configuration section: %v", err)
		return 1
	}
	re := &cfg.RulesEngine
	re.Defaults()
	if err := re.Validate(); err != nil {
		lc.Errorf("invalid configuration: %v", err)
		return 1
	}
	lc.Infof("RulesEngine configuration: %s", re.Describe())
	w, err := wire(svc, re, lc)
	if err != nil {
		lc.Errorf("%v", err)
		return 1
	}
	defer w.close()
	if err := svc.Run(); err != nil {
		lc.Errorf("service stopped: %v", err)
		return 1
	}
	return 0
}

// wiring holds what must be closed at exit.
type wiring struct {
	eng    *engine.Engine
	cancel context.CancelFunc
}

func (w *wiring) close() {
	w.cancel()
	_ = w.eng.Close()
}

func wire(svc interfaces.ApplicationService, re *config.RulesEngine, lc logger.LoggingClient) (*wiring, error) {
	st, err := openStore(re)
	if err != nil {
		return nil, err
	}
	tz, _ := re.Location()
	maxBlock, _ := re.MaxBlock()
	// live holds the section in force; a configuration update swaps it whole
	// so readers never see a half-applied section.
	live := &atomic.Pointer[config.RulesEngine]{}
	snapshot := *re
	live.Store(&snapshot)
	bus := &membus.Bus{}
	eng, err := engine.New(engine.Config{
		Store: st, Functions: fn.NewCatalog(), Sinks: sinkRegistry(svc, bus), Bus: bus, Tables: tableRegistry(svc, bus),
		Clock: wallclock.Clock{}, Logger: lc, TZ: tz, IgnoreCase: re.IgnoreCase, DataDir: re.DataDir, MaxBlock: maxBlock,
		Props: props,
		Secrets: func(name string) (map[string]string, error) {
			return svc.SecretProvider().GetSecret(name)
		},
		Resource:   func(t, n string) (map[string]any, bool) { return config.Section(live.Load().Sinks, t, n) },
		SourceConf: func(t, k string) (map[string]any, bool) { return config.Section(live.Load().Sources, t, k) },
		Sources:    sourceFactories(lc),
	})
	if err != nil {
		return nil, fmt.Errorf("starting the engine: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &wiring{eng: eng, cancel: cancel}
	in := ingest.New(eng, ingest.Options{MaxPending: re.Ingest.MaxPending, MaxBlock: maxBlock,
		OptimizedPayload: envBool("EDGEX_OPTIMIZE_EVENT_PAYLOAD"), Logger: lc})
	go in.Run(ctx)
	if err := registerTriggers(svc, re, in, lc); err != nil {
		w.close()
		return nil, err
	}
	if err := svc.SetDefaultFunctionsPipeline(in.Process); err != nil {
		w.close()
		return nil, fmt.Errorf("setting the ingest pipeline: %w", err)
	}
	adder := func(route string, h echo.HandlerFunc, methods ...string) error {
		return svc.AddCustomRoute(route, interfaces.Authenticated, h, methods...)
	}
	serveTrials(ctx, eng, re.TrialPort, lc)
	if err := api.Register(adder, eng, api.Options{Version: Version, Port: re.TrialPort}); err != nil {
		w.close()
		return nil, fmt.Errorf("registering the REST API: %w", err)
	}
	registerTelemetry(svc, eng, in, lc)
	applySeed(eng, re, lc)
	_ = svc.ListenForCustomConfigChanges(re, "RulesEngine", func(raw interface{}) { onConfigChange(eng, in, live, raw, lc) })
	startSimulator(ctx, lc)
	return w, nil
}

// serveTrials runs the trial event-stream listener until ctx ends.
func serveTrials(ctx context.Context, eng *engine.Engine, port int, lc logger.LoggingClient) {
	srv := &http.Server{Addr: fmt.Sprintf(":%d", port), Handler: api.TrialStreamHandler(eng), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			lc.Errorf("trial stream listener on :%d: %v (trial runs cannot stream results)", port, err)
		}
	}()
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
}

func openStore(re *config.RulesEngine) (engine.Store, error) {
	if strings.EqualFold(re.Store.Type, "redis") {
		db, _ := strconv.Atoi(re.Store.DB)
		host := re.Store.Host
		if host == "" {
			host = "localhost"
		}
		port := re.Store.Port
		if port == "" {
			port = "6379"
		}
		s, err := store.OpenRedis(store.RedisOptions{Addr: host + ":" + port, Password: re.Store.Password, DB: db, KeyPrefix: re.Store.KeyPrefix})
		if err != nil {
			return nil, fmt.Errorf("RulesEngine.Store (redis): %w", err)
		}
		return s, nil
	}
	s, err := store.OpenFile(filepath.Join(re.DataDir, "catalog"))
	if err != nil {
		return nil, fmt.Errorf("RulesEngine.DataDir %s: %w", re.DataDir, err)
	}
	return s, nil
}

// registerTriggers installs Oort's ordered bus trigger and the legacy ones.
func registerTriggers(svc interfaces.ApplicationService, re *config.RulesEngine, in *ingest.Ingest, lc logger.LoggingClient) error {
	err := svc.RegisterCustomTriggerFactory("oort-messagebus", func(tc interfaces.TriggerConfig) (interfaces.Trigger, error) {
		b, err := sdkbus.FromService(svc)
		if err != nil {
			return nil, fmt.Errorf("oort-messagebus trigger: %w", err)
		}
		lc.Infof("oort-messagebus trigger: ordered ingest from %s on %v", b.Type, b.SubscribeTopics)
		return trigger.NewBusTrigger(b.Client, b.SubscribeTopics, in.Handle, lc), nil
	})
	if err != nil {
		return fmt.Errorf("registering the oort-messagebus trigger: %w", err)
	}
	return registerLegacyTriggers(svc, re, in, lc)
}

func envBool(name string) bool {
	b, _ := strconv.ParseBool(os.Getenv(name))
	return b
}

// props resolves props(name): OORT_PROPS_<name> wins over KUIPER_PROPS_<name>;
// et and snowflake are special (sql.md §12.13).
func props(name string) (string, bool) {
	switch name {
	case "et":
		return strconv.FormatInt(time.Now().UnixMilli(), 10), true
	case "snowflake":
		return strconv.FormatInt(time.Now().UnixNano(), 36), true
	}
	if v, ok := os.LookupEnv("OORT_PROPS_" + name); ok {
		return v, true
	}
	return os.LookupEnv("KUIPER_PROPS_" + name)
}
