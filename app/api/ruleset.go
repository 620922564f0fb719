package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/errs"
)

// fetchTimeout bounds the download of an http(s) import file; it stays below
// the SDK's default 5 s request timeout so the reply is ours, not a 503.
const fetchTimeout = 4 * time.Second

func (s *server) exportRuleset(c echo.Context) error {
	rs := s.eng.ExportRuleset()
	// eKuiper always writes the three maps, never null.
	if rs.Streams == nil {
		rs.Streams = map[string]string{}
	}
	if rs.Tables == nil {
		rs.Tables = map[string]string{}
	}
	if rs.Rules == nil {
		rs.Rules = map[string]string{}
	}
	b, err := json.Marshal(rs)
	if err != nil {
		return fail(c, "Export ruleset error", errs.Wrap(errs.Codec, "", err))
	}
	// eKuiper's headers exactly; the file name ekuiper_export.json is only
	// used by its ServeContent for type sniffing, which the explicit type
	// makes moot.
	c.Response().Header().Set(echo.HeaderContentDisposition, "Attachment")
	return writeRaw(c, http.StatusOK, "application/octet-stream", b)
}

// importBody is the body of POST /ruleset/import: exactly one field is set.
type importBody struct {
	Content string `json:"content"`
	File    string `json:"file"`
}

func (s *server) importRuleset(c echo.Context) error {
	var ib importBody
	if err := decodeBody(c, &ib); err != nil {
		return fail(c, "", invalidBody("", err))
	}
	switch {
	case ib.Content != "" && ib.File != "":
		return fail(c, "", errs.New(errs.Undefined, "Invalid body: Cannot specify both content and file"))
	case ib.Content == "" && ib.File == "":
		return fail(c, "", errs.New(errs.Undefined, "Invalid body: must specify content or file"))
	}
	content := []byte(ib.Content)
	if ib.File != "" {
		var err error
		if content, err = loadImportFile(c.Request().Context(), ib.File); err != nil {
			return fail(c, "Import ruleset error", err)
		}
	}
	var rs engine.Ruleset
	if err := json.Unmarshal(content, &rs); err != nil {
		return fail(c, "Import ruleset error", errs.Wrap(errs.Undefined, "invalid import file", err))
	}
	st, tb, ru := s.eng.ImportRuleset(rs)
	return text(c, http.StatusOK, fmt.Sprintf("imported %d streams, %d tables and %d rules", st, tb, ru))
}

// loadImportFile reads a file:// path from the local file system or fetches
// an http(s) URL; any other scheme is refused.
func loadImportFile(ctx context.Context, ref string) ([]byte, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return nil, errs.Wrap(errs.Undefined, fmt.Sprintf("invalid file %q", ref), err)
	}
	switch u.Scheme {
	case "file":
		return readLocal(u)
	case "http", "https":
		return fetch(ctx, u.String())
	default:
		return nil, errs.New(errs.Undefined, "invalid file %q: only file:// and http(s):// are supported", ref)
	}
}

func readLocal(u *url.URL) ([]byte, error) {
	if u.Host != "" && u.Host != "localhost" {
		return nil, errs.New(errs.Undefined, "invalid file %q: file:// must name a local path", u.String())
	}
	f, err := os.Open(u.Path)
	if err != nil {
		return nil, errs.Wrap(errs.IO, "fail to read file", err)
	}
	defer f.Close()
	return readLimited(f, u.Path)
}

func fetch(ctx context.Context, target string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, errs.Wrap(errs.IO, "fail to download file", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, errs.Wrap(errs.IO, "fail to download file", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, errs.New(errs.IO, "fail to download file %s: status %s", target, resp.Status)
	}
	return readLimited(resp.Body, target)
}

func readLimited(r io.Reader, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		return nil, errs.Wrap(errs.IO, "fail to read "+what, err)
	}
	if len(b) > maxBody {
		return nil, errs.Wrap(errs.IO, "fail to read "+what, errors.New("file exceeds the size limit"))
	}
	return b, nil
}
