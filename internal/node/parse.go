package node

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
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
// reader serves both front-matter formats, with the line of every key and
// value. A syntax error is reported at its line.
func (r *Reader) ParseTOML(data []byte) *yaml.Node {
	var v map[string]any
	if err := toml.Unmarshal(data, &v); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, _ := de.Position()
			r.Diags.Errorf(r.File, r.Offset+line, "invalid TOML: %s", tomlMessage(de.Error()))
		} else {
			r.Diags.Errorf(r.File, r.Offset, "invalid TOML: %s", tomlMessage(err.Error()))
		}
		return nil
	}
	lines := tomlLines(data)
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{fromValue(v, lines, "")}}
}

// tomlMessage words the decoder's commonest messages for a writer: a
// value left out, and text without quotes.
func tomlMessage(msg string) string {
	msg = strings.TrimPrefix(msg, "toml: ")
	rest, ok := strings.CutPrefix(msg, "unexpected character ")
	if !ok || !strings.HasSuffix(rest, " at start of value") {
		return msg
	}
	if strings.HasPrefix(rest, "U+000A ") || strings.HasPrefix(rest, "U+000D ") {
		return "a key has no value"
	}
	if i := strings.IndexByte(rest, '\''); i >= 0 {
		if j := strings.IndexByte(rest[i+1:], '\''); j >= 0 {
			return fmt.Sprintf("a value cannot start with %s; text goes in quotes", rest[i:i+j+2])
		}
	}
	return msg
}

// tomlLines returns the line of every key, table and array element of TOML
// text that parses, by path (see tomlPath). The decoder gives values only;
// the parser underneath gives where each key and value stands.
func tomlLines(data []byte) map[string]int {
	lines := map[string]int{}
	arrays := map[string]int{} // how many tables each array of tables has so far
	var p unstable.Parser
	p.Reset(data)
	line := func(n *unstable.Node) int {
		if n == nil || n.Raw.Length == 0 {
			return 0
		}
		return p.Shape(n.Raw).Start.Line
	}
	// keyval notes the key of kv under the table at base, and its value.
	var keyval func(kv *unstable.Node, base string)
	var value func(v *unstable.Node, path string, at int)
	keyval = func(kv *unstable.Node, base string) {
		path, at := base, 0
		for it := kv.Key(); it.Next(); {
			k := it.Node()
			path, at = tomlPath(path, string(k.Data)), line(k)
			if _, ok := lines[path]; !ok {
				lines[path] = at // a dotted key's tables are where first named
			}
		}
		lines[path] = at
		value(kv.Value(), path, at)
	}
	value = func(v *unstable.Node, path string, at int) {
		switch v.Kind {
		case unstable.Array:
			i := 0
			for c := v.Children(); c.Next(); i++ {
				e := c.Node()
				ep := tomlPath(path, "#"+strconv.Itoa(i))
				l := line(e)
				if l == 0 {
					l = at
				}
				lines[ep] = l
				value(e, ep, l)
			}
		case unstable.InlineTable:
			for c := v.Children(); c.Next(); {
				if kv := c.Node(); kv.Kind == unstable.KeyValue {
					keyval(kv, path)
				}
			}
		}
	}
	table := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			keyval(e, table)
		case unstable.Table, unstable.ArrayTable:
			path, at := "", 0
			for it := e.Key(); it.Next(); {
				k := it.Node()
				path, at = tomlPath(path, string(k.Data)), line(k)
				if e.Kind == unstable.ArrayTable && it.IsLast() {
					break
				}
				// A table under an array of tables is under its last.
				if n, ok := arrays[path]; ok {
					path = tomlPath(path, "#"+strconv.Itoa(n-1))
				}
			}
			if e.Kind == unstable.ArrayTable {
				n := arrays[path]
				arrays[path] = n + 1
				if n == 0 {
					lines[path] = at
				}
				path = tomlPath(path, "#"+strconv.Itoa(n))
			}
			lines[path] = at
			table = path
		}
	}
	return lines
}

// tomlPath is the path of key (or "#n", the nth element) under path.
func tomlPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "\x00" + key
}

// fromValue returns the node of v, a value the TOML decoder made, at path,
// with lines from tomlLines.
func fromValue(v any, lines map[string]int, path string) *yaml.Node {
	var n *yaml.Node
	switch v := v.(type) {
	case map[string]any:
		n = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			kp := tomlPath(path, k)
			key := scalar("!!str", k)
			key.Line = lines[kp]
			n.Content = append(n.Content, key, fromValue(v[k], lines, kp))
		}
	case []any:
		n = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i, e := range v {
			n.Content = append(n.Content, fromValue(e, lines, tomlPath(path, "#"+strconv.Itoa(i))))
		}
	case string:
		n = scalar("!!str", v)
	case bool:
		n = scalar("!!bool", strconv.FormatBool(v))
	case int64:
		n = scalar("!!int", strconv.FormatInt(v, 10))
	case float64:
		n = scalar("!!float", strconv.FormatFloat(v, 'g', -1, 64))
	case toml.LocalDate:
		n = scalar("!!timestamp", v.AsTime(time.UTC).Format(time.DateOnly))
	case toml.LocalTime:
		n = scalar("!!str", fmt.Sprintf("%02d:%02d:%02d", v.Hour, v.Minute, v.Second)) // a time of day is no date
	case toml.LocalDateTime:
		n = scalar("!!timestamp", v.AsTime(time.UTC).Format("2006-01-02T15:04:05"))
	case time.Time:
		n = scalar("!!timestamp", v.UTC().Format(time.RFC3339Nano))
	default:
		n = scalar("!!str", fmt.Sprint(v))
	}
	n.Line = lines[path]
	return n
}

func scalar(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}
