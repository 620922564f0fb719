package cli

import (
	"encoding/json"
	"fmt"
	"os"
)

// ruleset runs "import ruleset -f <file>" and "export ruleset <file>";
// eKuiper's "import data" / "export data" bundles are not supported.
func (c *cli) ruleset(args []string) int {
	if len(args) >= 2 && args[1] == "data" {
		return c.unsupported(args[:2])
	}
	if len(args) < 2 || args[1] != "ruleset" {
		return c.usage(args[0] + " needs: ruleset")
	}
	if args[0] == "import" {
		if len(args) != 4 || args[2] != "-f" {
			return c.usage("import needs: ruleset -f <file>")
		}
		return c.importRuleset(args[3])
	}
	if len(args) != 3 {
		return c.usage("export needs: ruleset <file>")
	}
	return c.exportRuleset(args[2])
}

func (c *cli) importRuleset(path string) int {
	content, err := os.ReadFile(path)
	if err != nil {
		return c.fail(fmt.Errorf("read %s: %w", path, err))
	}
	out, err := c.api.call("POST", "/ruleset/import", map[string]string{"content": string(content)})
	if err != nil {
		return c.fail(err)
	}
	c.println(string(out))
	return ExitOK
}

func (c *cli) exportRuleset(path string) int {
	out, err := c.api.call("POST", "/ruleset/export", nil)
	if err != nil {
		return c.fail(err)
	}
	var rs struct {
		Streams map[string]json.RawMessage `json:"streams"`
		Tables  map[string]json.RawMessage `json:"tables"`
		Rules   map[string]json.RawMessage `json:"rules"`
	}
	if err := json.Unmarshal(out, &rs); err != nil {
		return c.fail(fmt.Errorf("unexpected export document: %w", err))
	}
	if err := os.WriteFile(path, out, 0o600); err != nil {
		return c.fail(fmt.Errorf("write %s: %w", path, err))
	}
	c.println(fmt.Sprintf("exported %d streams, %d tables and %d rules", len(rs.Streams), len(rs.Tables), len(rs.Rules)))
	return ExitOK
}
