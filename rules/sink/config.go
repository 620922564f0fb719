package sink

import (
	"fmt"
	"strings"
	"time"
)

// Defaults of rules-api.md §2.2.
const (
	defaultBufferLength = 1024
	defaultMemCache     = 1024
	defaultMaxDiskCache = 1024000
	defaultPageSize     = 256
)

// common holds the properties every sink shares (rules-api.md §2.2).
type common struct {
	sendSingle   bool
	omitIfEmpty  bool
	dataTemplate string
	dataField    string
	fields       []string
	exclude      []string
	format       string
	compression  string
	bufferLength int
	batchSize    int           // rows per batch; 0 = no size trigger
	linger       time.Duration // flush a partial batch after this; 0 = none
	cache        cacheConf
}

// parseCommon decodes the common properties; queueLen is the default queue
// capacity when bufferLength is not set.
func parseCommon(p Props, queueLen int) (common, error) {
	var c common
	var err error
	if queueLen <= 0 {
		queueLen = defaultBufferLength
	}
	steps := []func() error{
		func() (e error) { c.sendSingle, e = p.Bool("sendSingle", false); return },
		func() (e error) { c.omitIfEmpty, e = p.Bool("omitIfEmpty", false); return },
		func() (e error) { c.dataTemplate, e = p.String("dataTemplate", ""); return },
		func() (e error) { c.dataField, e = p.String("dataField", ""); return },
		func() (e error) { c.fields, e = p.Strings("fields"); return },
		func() (e error) { c.exclude, e = p.Strings("excludeFields"); return },
		func() (e error) { c.format, e = p.String("format", "json"); return },
		func() (e error) { c.compression, e = p.String("compression", ""); return },
		func() (e error) { c.bufferLength, e = positive(p, "bufferLength", queueLen); return },
	}
	for _, step := range steps {
		if err = step(); err != nil {
			return c, err
		}
	}
	if c.dataField == "" {
		if c.dataField, err = p.String("tableDataField", ""); err != nil {
			return c, err
		}
	}
	if enc, _ := p.String("encryption", ""); enc != "" {
		return c, fmt.Errorf("encryption %s is not supported", enc)
	}
	c.format = strings.ToLower(strings.TrimSpace(c.format))
	if c.format == "" {
		c.format = "json"
	}
	if c.batchSize, c.linger, err = parseBatch(p); err != nil {
		return c, err
	}
	c.cache, err = parseCache(p)
	return c, err
}

func parseBatch(p Props) (int, time.Duration, error) {
	size, err := positive(p, "batchSize", 0)
	if err != nil {
		return 0, 0, err
	}
	linger, err := p.Duration("lingerInterval", 0)
	if err == nil && linger < 0 {
		err = fmt.Errorf("property lingerInterval: must not be negative, got %v", linger)
	}
	return size, linger, err
}

// positive reads an integer property whose unset, null or 0 value means the
// default; negative values are an error.
func positive(p Props, key string, def int) (int, error) {
	n, err := p.Int(key, def)
	if err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, fmt.Errorf("property %s: must not be negative, got %d", key, n)
	}
	if n == 0 {
		return def, nil
	}
	return n, nil
}

func parseCache(p Props) (cacheConf, error) {
	var c cacheConf
	var err error
	if c.enabled, err = p.Bool("enableCache", false); err != nil {
		return c, err
	}
	if c.pageSize, err = positive(p, "bufferPageSize", defaultPageSize); err != nil {
		return c, err
	}
	if c.memThreshold, err = positive(p, "memoryCacheThreshold", defaultMemCache); err != nil {
		return c, err
	}
	// Memory holds whole pages (rules-api.md §2.2: rounded up).
	c.memThreshold = (c.memThreshold + c.pageSize - 1) / c.pageSize * c.pageSize
	if c.maxDisk, err = positive(p, "maxDiskCache", defaultMaxDiskCache); err != nil {
		return c, err
	}
	if c.resendInterval, err = p.Duration("resendInterval", 0); err != nil {
		return c, err
	}
	if c.resendInterval < 0 {
		return c, fmt.Errorf("property resendInterval: must not be negative, got %v", c.resendInterval)
	}
	if c.cleanAtStop, err = p.Bool("cleanCacheAtStop", false); err != nil {
		return c, err
	}
	return parseAlterQueue(p, c)
}

func parseAlterQueue(p Props, c cacheConf) (cacheConf, error) {
	var err error
	if c.alterQueue, err = p.Bool("resendAlterQueue", false); err != nil || !c.alterQueue {
		return c, err
	}
	if c.priority, err = p.Int("resendPriority", 0); err != nil {
		return c, err
	}
	if c.priority < -1 || c.priority > 1 {
		return c, fmt.Errorf("property resendPriority: must be -1 (live first), 0 or 1 (cached first), got %d", c.priority)
	}
	if c.indicator, err = p.String("resendIndicatorField", ""); err != nil {
		return c, err
	}
	c.dest, err = p.String("resendDestination", "")
	return c, err
}

// mergeResource overlays the rule's properties on the configuration section
// named by resourceId or connectionSelector, so credentials can live in
// configuration. The rule's non-null values win.
func mergeResource(props Props, env *Env) (Props, error) {
	merged := props
	for _, key := range []string{"resourceId", "connectionSelector"} {
		name, err := props.String(key, "")
		if err != nil || name == "" {
			if err != nil {
				return nil, err
			}
			continue
		}
		var res map[string]any
		found := false
		if env.Resource != nil {
			res, found = env.Resource(env.Type, name)
		}
		if !found {
			if key == "connectionSelector" {
				// eKuiper's UI sends bus connection selectors that Oort
				// ignores (rules-api.md §2.1).
				env.Logger.Debugf("rule %s sink %s: connectionSelector %s is not configured, ignored", env.RuleID, env.Type, name)
				continue
			}
			return nil, fmt.Errorf("resourceId %s: no configuration section RulesEngine.Sinks.%s.%s", name, env.Type, name)
		}
		out := make(Props, len(res)+len(merged))
		for k, v := range res {
			out[k] = v
		}
		for k, v := range merged {
			if v != nil {
				out[k] = v
			}
		}
		merged = out
	}
	return merged, nil
}

// retryDelay is how long a failed cache head waits before it is resent.
const retryDelay = time.Second
