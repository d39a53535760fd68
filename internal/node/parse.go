package node

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	yaml "go.yaml.in/yaml/v4"
)

// ParseYAML parses YAML text into a node tree. A syntax error is reported at
// its line and ParseYAML returns nil.
func (r *Reader) ParseYAML(data []byte) *yaml.Node {
	var doc yaml.Node
	err := yaml.Unmarshal(data, &doc)
	if err == nil {
		return &doc
	}
	var le *yaml.LoadError
	if !errors.As(err, &le) {
		r.Diags.Errorf(r.File, r.Offset, "invalid YAML: %v", err)
		return nil
	}
	// The scanner often notices a problem only where the next token starts;
	// the context mark is where the broken construct began, which is the
	// line a writer has to fix.
	// A tab, though, is where it is: the construct it breaks may have begun
	// lines above.
	line, msg := le.Mark.Line, le.Message
	tab := strings.Contains(msg, "tab character")
	if le.ContextMark.Line > 0 && !tab {
		line = le.ContextMark.Line
		if le.ContextMsg != "" {
			msg += " " + le.ContextMsg
		}
	}
	if line > 0 {
		line += r.Offset
	}
	if tab {
		msg += " (YAML indents with spaces only)"
	}
	r.Diags.Errorf(r.File, line, "invalid YAML: %s", msg)
	return nil
}

// ParseTOML parses TOML text into the same node tree as ParseYAML, so one
// reader serves both front-matter formats. TOML values carry no lines; a
// syntax error is reported at its line.
func (r *Reader) ParseTOML(data []byte) *yaml.Node {
	var v map[string]any
	if _, err := toml.Decode(string(data), &v); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			r.Diags.Errorf(r.File, r.Offset+pe.Position.Line, "invalid TOML: %s", pe.Message)
		} else {
			r.Diags.Errorf(r.File, r.Offset, "invalid TOML: %v", err)
		}
		return nil
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{fromValue(v)}}
}

func fromValue(v any) *yaml.Node {
	switch v := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			n.Content = append(n.Content, scalar("!!str", k), fromValue(v[k]))
		}
		return n
	case []map[string]any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, e := range v {
			n.Content = append(n.Content, fromValue(e))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, e := range v {
			n.Content = append(n.Content, fromValue(e))
		}
		return n
	case string:
		return scalar("!!str", v)
	case bool:
		return scalar("!!bool", strconv.FormatBool(v))
	case int64:
		return scalar("!!int", strconv.FormatInt(v, 10))
	case float64:
		return scalar("!!float", strconv.FormatFloat(v, 'g', -1, 64))
	case time.Time:
		// BurntSushi/toml marks local dates and times with named zones.
		switch v.Location().String() {
		case "date-local":
			return scalar("!!timestamp", v.Format(time.DateOnly))
		case "time-local":
			return scalar("!!str", v.Format(time.TimeOnly)) // a time of day is no date
		case "datetime-local":
			return scalar("!!timestamp", v.Format("2006-01-02T15:04:05"))
		}
		return scalar("!!timestamp", v.UTC().Format(time.RFC3339Nano))
	}
	return scalar("!!str", fmt.Sprint(v))
}

func scalar(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}
