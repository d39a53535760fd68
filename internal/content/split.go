package content

import (
	"bytes"
	"errors"
	"unicode/utf8"

	"github.com/adrg/frontmatter"
	yaml "go.yaml.in/yaml/v4"

	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/node"
)

// MaxFileSize is the largest content file a build reads. Real role files are
// a few kilobytes; anything near this is a mistake (a pasted log, a binary)
// that would only slow every build down.
const MaxFileSize = 4 << 20

// document is a content file split into its front-matter tree and body.
type document struct {
	reader   *node.Reader
	tree     *yaml.Node // nil when the front-matter is broken
	toml     bool
	body     []byte
	bodyLine int // file line of the first body line
}

// fmFormat is one front-matter delimiter style. The unmarshal function only
// captures the raw text: parsing happens in node, which keeps line numbers.
type fmFormat struct {
	open, close string
	toml        bool
}

var fmFormats = []fmFormat{
	{"---", "---", false},
	{"---yaml", "---", false},
	{"+++", "+++", true},
	{"---toml", "---", true},
}

var adrgFormats = func() []*frontmatter.Format {
	var out []*frontmatter.Format
	for _, f := range fmFormats {
		out = append(out, frontmatter.NewFormat(f.open, f.close, capture))
	}
	return out
}()

func capture(data []byte, v any) error {
	*(v.(*[]byte)) = data
	return nil
}

// normalize strips a UTF-8 byte-order mark and turns CRLF line ends into LF.
// It reports invalid UTF-8 at the line of the first bad byte.
func normalize(file string, data []byte, diags *diag.List) ([]byte, bool) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		at := 0
		for at < len(data) {
			r, size := utf8.DecodeRune(data[at:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			at += size
		}
		diags.Errorf(file, bytes.Count(data[:at], []byte("\n"))+1, "invalid UTF-8 (byte 0x%02x at offset %d); save the file as UTF-8", data[at], at)
		return nil, false
	}
	if bytes.Contains(data, []byte("\r\n")) {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	return data, true
}

// split separates front-matter from body and parses the front-matter.
func split(file string, data []byte, diags *diag.List) (*document, bool) {
	data, ok := normalize(file, data, diags)
	if !ok {
		return nil, false
	}
	openLine, f := findOpening(data)
	if f == nil {
		diags.Errorf(file, 1, "missing front-matter: start the file with a --- line, then the fields, then another --- line")
		return nil, false
	}
	var raw []byte
	masked := maskIndentedDelimiters(data, openLine, f.close)
	rest, err := frontmatter.MustParse(bytes.NewReader(masked), &raw, adrgFormats...)
	raw = bytes.ReplaceAll(raw, delimMask, []byte(f.close))
	if errors.Is(err, frontmatter.ErrNotFound) {
		diags.Errorf(file, openLine, "front-matter opened with %s is never closed: add a %s line after the last field", f.open, f.close)
		return nil, false
	}
	if err != nil {
		diags.Errorf(file, openLine, "reading front-matter: %v", err)
		return nil, false
	}
	doc := &document{
		reader:   &node.Reader{File: file, Offset: openLine, Diags: diags},
		toml:     f.toml,
		body:     rest,
		bodyLine: bytes.Count(data[:len(data)-len(rest)], []byte("\n")) + 1,
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		diags.Errorf(file, openLine, "front-matter is empty: add the fields between the %s lines", f.open)
		return nil, false
	}
	if f.toml {
		doc.tree = doc.reader.ParseTOML(raw)
	} else {
		doc.tree = doc.reader.ParseYAML(raw)
	}
	return doc, doc.tree != nil
}

// delimMask stands in for an indented delimiter while adrg/frontmatter
// looks for the closing line: NUL bytes, which cannot occur in YAML or
// TOML text.
var delimMask = []byte("\x00\x00\x00")

// maskIndentedDelimiters hides, inside the front-matter, lines that are the
// closing delimiter indented: adrg/frontmatter trims lines before comparing
// them, so a markdown rule ("  ---") in a block scalar would end the
// front-matter early. Only a delimiter in column one closes it. The result
// has the same length as data, so offsets into it are offsets into data.
func maskIndentedDelimiters(data []byte, openLine int, close string) []byte {
	if len(close) != len(delimMask) || bytes.IndexByte(data, 0) >= 0 {
		return data
	}
	var out []byte
	line, at := 0, 0
	for at < len(data) {
		end := bytes.IndexByte(data[at:], '\n')
		if end < 0 {
			end = len(data) - at
		}
		l := data[at : at+end]
		line++
		if line > openLine {
			trimmed := bytes.TrimSpace(l)
			if string(trimmed) == close {
				if l[0] == close[0] {
					break // the real closing line
				}
				if out == nil {
					out = bytes.Clone(data)
				}
				i := at + bytes.Index(l, trimmed)
				copy(out[i:], delimMask)
			}
		}
		at += end + 1
	}
	if out == nil {
		return data
	}
	return out
}

// findOpening returns the 1-based line of the opening delimiter and its
// format, mirroring adrg/frontmatter: blank lines before it are skipped.
func findOpening(data []byte) (int, *fmFormat) {
	line := 0
	for len(data) > 0 {
		line++
		var l []byte
		l, data, _ = bytes.Cut(data, []byte("\n"))
		l = bytes.TrimSpace(l)
		if len(l) == 0 {
			continue
		}
		for i := range fmFormats {
			if string(l) == fmFormats[i].open {
				return line, &fmFormats[i]
			}
		}
		return line, nil
	}
	return line, nil
}
