package config

import (
	"strings"
	"testing"
)

func TestDefaultsValidate(t *testing.T) {
	var r RulesEngine
	r.Defaults()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if r.Ingest.MaxPending != 10000 || r.Ingest.MaxBlock != "1s" || r.Store.Type != "file" {
		t.Fatalf("defaults not applied: %+v", r)
	}
}

func TestValidateNamesTheKey(t *testing.T) {
	cases := map[string]func(*RulesEngine){
		"RulesEngine.TimeZone":          func(r *RulesEngine) { r.TimeZone = "Mars/Olympus" },
		"RulesEngine.Ingest.MaxBlock":   func(r *RulesEngine) { r.Ingest.MaxBlock = "soon" },
		"RulesEngine.Ingest.MaxPending": func(r *RulesEngine) { r.Ingest.MaxPending = -1 },
		"RulesEngine.Store.Type":        func(r *RulesEngine) { r.Store.Type = "etcd" },
		"RulesEngine.Sources.kafka":     func(r *RulesEngine) { r.Sources = map[string]map[string]map[string]string{"kafka": {}} },
	}
	for key, mutate := range cases {
		var r RulesEngine
		r.Defaults()
		mutate(&r)
		err := r.Validate()
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: got %v", key, err)
		}
	}
}

func TestSectionIsCaseTolerant(t *testing.T) {
	m := map[string]map[string]map[string]string{"mqtt": {"Cloud": {"server": "tcp://x:1883"}}}
	got, ok := Section(m, "mqtt", "cloud")
	if !ok || got["server"] != "tcp://x:1883" {
		t.Fatalf("got %v %v", got, ok)
	}
	if _, ok := Section(m, "mqtt", "nope"); ok {
		t.Fatal("unexpected section")
	}
}
