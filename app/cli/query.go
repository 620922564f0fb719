package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

const prompt = "oort > "

// running is the trial rule of the current query line.
type running struct {
	id     string
	cancel context.CancelFunc
	done   chan struct{}
}

// query is the interactive prompt: each line is a SELECT run as a trial rule
// on live input; its results print as they arrive until the next line
// replaces it. "quit", "exit" or end of input leave.
func (c *cli) query() int {
	lines := make(chan string)
	left := make(chan struct{})
	defer close(left)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(c.in)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-left:
				return
			}
		}
	}()
	var cur *running
	defer func() { c.stopQuery(cur) }()
	for {
		c.outMu.Lock()
		fmt.Fprint(c.out, prompt)
		c.outMu.Unlock()
		line, ok := <-lines
		if !ok {
			c.println("")
			return ExitOK
		}
		line = strings.TrimSuffix(strings.TrimSpace(line), ";")
		switch strings.ToLower(line) {
		case "":
			continue
		case "quit", "exit":
			return ExitOK
		}
		c.stopQuery(cur)
		cur = nil
		r, err := c.startQuery(line)
		if err != nil {
			fmt.Fprintln(c.errw, err.Error())
			continue
		}
		cur = r
	}
}

// startQuery creates the trial, subscribes to its event stream before
// starting it (so no early result is lost), and prints results in the
// background.
func (c *cli) startQuery(sql string) (*running, error) {
	// The pid and time keep ids of CLIs sharing a server apart.
	id := fmt.Sprintf("oort_cli_%d_%d_%d", os.Getpid(), time.Now().UnixMilli(), c.querySeq.Add(1))
	reply, err := c.api.call("POST", "/ruletest", map[string]string{"id": id, "sql": sql})
	if err != nil {
		return nil, err
	}
	var created struct {
		Port int `json:"port"`
	}
	_ = json.Unmarshal(reply, &created) // no port: the stream is on the API's own address
	stream := &client{base: withPort(c.api.base, created.Port), http: c.api.http}
	ctx, cancel := context.WithCancel(context.Background())
	resp, err := stream.send(ctx, "GET", "/test/"+url.PathEscape(id), nil)
	if err == nil && resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		err = fmt.Errorf("event stream of query %s: HTTP %d", id, resp.StatusCode)
	}
	if err != nil {
		cancel()
		_, _ = c.api.call("DELETE", "/ruletest/"+url.PathEscape(id), nil)
		return nil, err
	}
	r := &running{id: id, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data:"); ok {
				c.println(strings.TrimPrefix(data, " "))
			}
		}
	}()
	if _, err := c.api.call("POST", "/ruletest/"+url.PathEscape(id)+"/start", nil); err != nil {
		c.stopQuery(r)
		return nil, err
	}
	return r, nil
}

// withPort returns base with its port replaced by port, as eKuiper clients
// build http://<host>:<port>/test/<id> from the POST /ruletest reply: Oort
// serves the stream on its own port by default, but the service may move it
// to a listener of its own (api.TrialStreamHandler).
func withPort(base string, port int) string {
	u, err := url.Parse(base)
	if err != nil || port <= 0 || u.Port() == strconv.Itoa(port) {
		return base
	}
	u.Host = net.JoinHostPort(u.Hostname(), strconv.Itoa(port))
	return u.String()
}

// stopQuery deletes the trial (which ends its event stream) and waits for
// the printer; the context cancel covers a server that does not close it.
func (c *cli) stopQuery(r *running) {
	if r == nil {
		return
	}
	_, _ = c.api.call("DELETE", "/ruletest/"+url.PathEscape(r.id), nil)
	select {
	case <-r.done:
	case <-time.After(2 * time.Second):
	}
	r.cancel()
	<-r.done
}
