package sink

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// cacheConf is enableCache and its tuning properties (rules-api.md §2.2).
type cacheConf struct {
	enabled        bool
	memThreshold   int // messages kept in memory, a multiple of pageSize
	maxDisk        int // messages kept in pages (on disk when dir is set)
	pageSize       int
	resendInterval time.Duration
	cleanAtStop    bool
	// resendAlterQueue: live messages no longer wait behind cached ones;
	// priority orders the two (-1 live first, 0 alternate, 1 cached first)
	// and indicator names a boolean field set to true on resent rows.
	alterQueue bool
	priority   int
	indicator  string
	dest       string // resendDestination: topic or URL for resends
}

// cache is a FIFO of messages that failed with a recoverable error. Logical
// order is head (memory, oldest) → pages (oldest first) → tail (memory,
// newest). New messages go to head while nothing was spilled, else to tail,
// which becomes a page when full; pages come back into head one at a time.
// Only the node's worker goroutine uses it.
type cache struct {
	conf    cacheConf
	dir     string // "" keeps pages in memory
	head    []message
	tail    []message
	pages   []page
	paged   int   // messages in pages
	nextSeq int64 // sequence of the next page written at the end
	dropped func(n int, why string)
}

type page struct {
	seq  int64
	n    int
	msgs []message // in-memory pages only
}

// firstSeq leaves room to persist the memory head in front of existing pages.
const firstSeq = int64(1) << 32

func newCache(conf cacheConf, dir string, dropped func(int, string)) *cache {
	return &cache{conf: conf, dir: dir, nextSeq: firstSeq, dropped: dropped}
}

func (c *cache) len() int { return len(c.head) + c.paged + len(c.tail) }

func (c *cache) push(m message) error {
	if len(c.pages) == 0 && len(c.tail) == 0 && len(c.head) < c.conf.memThreshold {
		c.head = append(c.head, m)
		return nil
	}
	c.tail = append(c.tail, m)
	if len(c.tail) < c.conf.pageSize {
		return nil
	}
	err := c.appendPage(c.tail)
	c.tail = nil
	return err
}

// appendPage stores msgs as the newest page, then discards the oldest pages
// beyond maxDiskCache.
func (c *cache) appendPage(msgs []message) error {
	p := page{seq: c.nextSeq, n: len(msgs)}
	c.nextSeq++
	if err := c.writePage(&p, msgs); err != nil {
		c.dropped(len(msgs), err.Error())
		return err
	}
	c.pages = append(c.pages, p)
	c.paged += p.n
	for c.paged > c.conf.maxDisk && len(c.pages) > 0 {
		old := c.pages[0]
		c.pages = c.pages[1:]
		c.paged -= old.n
		c.removePage(old)
		c.dropped(old.n, "sink cache full (maxDiskCache), oldest page discarded")
	}
	return nil
}

// peek returns the oldest cached message. A page that cannot be read is
// dropped (and reported) and the next one is tried.
func (c *cache) peek() (message, bool) {
	for len(c.head) == 0 {
		if len(c.pages) == 0 {
			c.head, c.tail = c.tail, nil
			if len(c.head) == 0 {
				return message{}, false
			}
			break
		}
		p := c.pages[0]
		c.pages = c.pages[1:]
		c.paged -= p.n
		msgs, err := c.readPage(p)
		c.removePage(p)
		if err != nil {
			c.dropped(p.n, err.Error())
			continue
		}
		c.head = msgs
	}
	return c.head[0], true
}

func (c *cache) pop() {
	if len(c.head) > 0 {
		c.head[0] = message{}
		c.head = c.head[1:]
	}
}

func (c *cache) pageFile(p page) string {
	return filepath.Join(c.dir, fmt.Sprintf("%020d-%d.page", p.seq, p.n))
}

func (c *cache) writePage(p *page, msgs []message) error {
	if c.dir == "" {
		p.msgs = msgs
		return nil
	}
	var buf []byte
	for _, m := range msgs {
		buf = appendMessage(buf, m)
		buf = append(buf, '\n')
	}
	name := c.pageFile(*p)
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, buf, 0o600); err != nil {
		return fmt.Errorf("sink cache: writing page %s: %w", name, err)
	}
	if err := os.Rename(tmp, name); err != nil {
		return fmt.Errorf("sink cache: writing page %s: %w", name, err)
	}
	return nil
}

func (c *cache) readPage(p page) ([]message, error) {
	if c.dir == "" {
		return p.msgs, nil
	}
	name := c.pageFile(p)
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("sink cache: reading page %s: %w", name, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<30)
	msgs := make([]message, 0, p.n)
	for line := 1; sc.Scan(); line++ {
		m, err := parseMessage(sc.Bytes())
		if err != nil {
			return nil, fmt.Errorf("sink cache: page %s line %d: %w", name, line, err)
		}
		msgs = append(msgs, m)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("sink cache: reading page %s: %w", name, err)
	}
	return msgs, nil
}

func (c *cache) removePage(p page) {
	if c.dir != "" {
		_ = os.Remove(c.pageFile(p))
	}
}

// load registers the pages a previous run left in dir (after any messages
// already cached in this run, which cannot exist at start).
func (c *cache) load() error {
	if c.dir == "" {
		return nil
	}
	if err := os.MkdirAll(c.dir, 0o750); err != nil {
		return fmt.Errorf("sink cache: creating %s: %w", c.dir, err)
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return fmt.Errorf("sink cache: listing %s: %w", c.dir, err)
	}
	var pages []page
	for _, e := range entries {
		var p page
		if !strings.HasSuffix(e.Name(), ".page") {
			continue
		}
		if _, err := fmt.Sscanf(e.Name(), "%d-%d.page", &p.seq, &p.n); err != nil || p.n <= 0 {
			continue
		}
		pages = append(pages, p)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].seq < pages[j].seq })
	for _, p := range pages {
		c.pages = append(c.pages, p)
		c.paged += p.n
		if p.seq >= c.nextSeq {
			c.nextSeq = p.seq + 1
		}
	}
	return nil
}

// persist runs at stop: it drops everything under cleanCacheAtStop, else
// writes the memory parts as pages around the existing ones so the next start
// resends them in order.
func (c *cache) persist() error {
	if c.conf.cleanAtStop {
		for _, p := range c.pages {
			c.removePage(p)
		}
		c.head, c.tail, c.pages, c.paged = nil, nil, nil, 0
		return nil
	}
	if c.dir == "" {
		if n := c.len(); n > 0 {
			c.dropped(n, "sink cache has no directory, cached messages lost at stop")
		}
		return nil
	}
	var firstErr error
	if len(c.head) > 0 {
		seq := c.nextSeq
		if len(c.pages) > 0 {
			seq = c.pages[0].seq - 1
		} else {
			c.nextSeq++
		}
		p := page{seq: seq, n: len(c.head)}
		firstErr = c.writePage(&p, c.head)
	}
	if len(c.tail) > 0 {
		p := page{seq: c.nextSeq, n: len(c.tail)}
		c.nextSeq++
		if err := c.writePage(&p, c.tail); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	c.head, c.tail = nil, nil
	return firstErr
}
