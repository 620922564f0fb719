package engine

import "github.com/oort-rules/oort/rules/obs"

// Kind distinguishes streams from tables; they share one namespace.
type Kind int

const (
	KindStream Kind = iota
	KindTable
)

func (k Kind) String() string {
	if k == KindTable {
		return "table"
	}
	return "stream"
}

// StreamInfo is one entry of GET /streamdetails and /tabledetails.
type StreamInfo struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Format string `json:"format"`
}

// RuleSummary is one entry of GET /rules.
type RuleSummary struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Status  string   `json:"status"`
	Version string   `json:"version"`
	Trace   bool     `json:"trace"`
	Tags    []string `json:"tags"`
}

// BriefStatus is one entry of GET /rules/status/all.
type BriefStatus struct {
	Status        string `json:"status"`
	LastException string `json:"last_exception"`
	Exceptions    int64  `json:"exceptions_total"`
}

// Topo is GET /rules/{id}/topo.
type Topo struct {
	Sources []string            `json:"sources"`
	Edges   map[string][]string `json:"edges"`
}

// Ruleset is the import/export document: statement texts and rule JSON texts.
type Ruleset struct {
	Streams map[string]string `json:"streams"`
	Tables  map[string]string `json:"tables"`
	Rules   map[string]string `json:"rules"`
}

// BulkResult is one entry of POST /rules/bulkstart|bulkstop.
type BulkResult struct {
	RuleID  string `json:"ruleId"`
	Success bool   `json:"success"`
	Error   string `json:"error,omitempty"`
}

// TrialSpec is the body of POST /ruletest.
type TrialSpec struct {
	ID         string               `json:"id"`
	SQL        string               `json:"sql"`
	MockSource map[string]TrialMock `json:"mockSource"`
	SinkProps  map[string]any       `json:"sinkProps"`
}

// TrialMock is mock input for one stream of a trial rule.
type TrialMock struct {
	Data     []map[string]any `json:"data"`
	Interval int64            `json:"interval"`
	Loop     bool             `json:"loop"`
}

// API is what the REST layer (app/api) and the CLI need from the engine.
// Errors are *errs.Error values carrying eKuiper codes; the REST layer adds
// the handler's message prefix and maps codes to HTTP statuses in one place.
// Success texts ("Stream demo is created.") are produced by the engine so the
// CLI, REST and ruleset import agree.
type API interface {
	// ExecStreamSQL runs any stream/table statement sent to POST /streams or
	// /tables and returns the reply text.
	ExecStreamSQL(kind Kind, sql string) (string, error)
	// ReplaceStream implements PUT /streams/{name} (creates when absent).
	ReplaceStream(kind Kind, name, sql string) (string, error)
	// ListStreams returns names sorted ascending; tableKind filters tables ("scan", "lookup" or "").
	ListStreams(kind Kind, tableKind string) []string
	StreamDetails(kind Kind, tableKind string) []StreamInfo
	// DescribeStream returns the definition JSON of rules-api.md §3.4.
	DescribeStream(kind Kind, name string) ([]byte, error)
	// StreamSchema returns the schema JSON of rules-api.md §3.4 ("null" when unknown).
	StreamSchema(kind Kind, name string) ([]byte, error)
	DropStream(kind Kind, name string, force bool) (string, error)

	CreateRule(body []byte) (id string, err error)
	// UpdateRule upserts; created reports whether the rule did not exist.
	UpdateRule(id string, body []byte) error
	ListRules() []RuleSummary
	// GetRule returns the stored rule JSON document.
	GetRule(id string) ([]byte, error)
	DeleteRule(id string) error
	StartRule(id string) error
	StopRule(id string) error
	RestartRule(id string) error
	// RuleStatus returns the ordered status fields and metrics of §3.7.
	RuleStatus(id string) ([]obs.KV, error)
	AllStatus() map[string]BriefStatus
	RuleTopo(id string) (*Topo, error)
	ExplainRule(id string) (string, error)
	// RuleSchema returns the rule's output schema JSON ({} per untyped column).
	RuleSchema(id string) ([]byte, error)
	// ScanTables returns the running rule's scan table rows by table name.
	ScanTables(id string) ([]byte, error)
	// FunctionList describes the SQL function catalogue (GET /metadata/functions).
	FunctionList() []FuncInfo
	// ValidateRule returns the rule's source names when valid.
	ValidateRule(body []byte) ([]string, error)
	SetTags(id string, tags []string) error
	AddTags(id string, tags []string) error
	RemoveTags(id string, tags []string) error
	MatchTags(tags []string) []string
	BulkStart(tags []string) []BulkResult
	BulkStop(tags []string) []BulkResult

	ExportRuleset() Ruleset
	// ImportRuleset creates/replaces everything it can and reports the counts.
	ImportRuleset(rs Ruleset) (streams, tables, rules int)

	// Trial runs (rules-api.md §3.10): results are pushed to the subscriber as
	// encoded payloads until the trial stops.
	CreateTrial(spec TrialSpec) error
	StartTrial(id string) error
	StopTrial(id string) error
	SubscribeTrial(id string) (<-chan []byte, func(), error)
}
