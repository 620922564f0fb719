package engine

// Store persists the catalog (streams, tables, rules with their run intent)
// and rule state snapshots. Implementations: a file store in the data
// directory (default) and Redis (app/store). Values are opaque bytes.
type Store interface {
	Get(bucket, key string) ([]byte, bool, error)
	Put(bucket, key string, val []byte) error
	Delete(bucket, key string) error
	// List returns every key/value of a bucket.
	List(bucket string) (map[string][]byte, error)
	Close() error
}

// Buckets used by the engine.
const (
	BucketStreams = "streams"
	BucketTables  = "tables"
	BucketRules   = "rules"
	BucketState   = "state"
)
