package search

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"

	"github.com/guide-build/guide/internal/site"
)

// Dir is the folder of the search files, from the site root.
const Dir = "search/"

// MetaFile is the one search file without a version in its path: pages
// point at it, and it points at the current version's folder.
const MetaFile = Dir + "meta.js"

// Tiers: a term's best postings come with its dictionary entry; the second
// tier holds secondTier more, enough for the top results of most queries in
// one more request; each later tier holds tierGrowth times the one before,
// in a file of its own.
const (
	firstTier  = 64
	secondTier = 1280
	tierGrowth = 4
)

// shardBudget is roughly how many bytes of dictionary and first tiers a
// term shard holds before it is split by a longer prefix.
const shardBudget = 24 << 10

// noteLen bounds the note kept with a document for the result snippet.
const noteLen = 160

// callback wraps every file: loading the file as a script calls it, which
// works from file:// where fetch does not.
func callback(name string, payload []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(payload) + len(name) + 24)
	b.WriteString("__guideSearch(")
	nb, _ := json.Marshal(name)
	b.Write(nb)
	b.WriteByte(',')
	b.Write(payload)
	b.WriteString(")\n")
	return b.Bytes()
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain values are marshalled
	}
	return b
}

// RolePath is where a role's documents go.
func RolePath(version string, role int) string {
	return fmt.Sprintf("%s%s/r/%d.js", Dir, version, role)
}

// roleFile is the payload of a role's documents file.
type roleFile struct {
	Title string             `json:"t"`
	Slug  string             `json:"u"`
	Dept  int                `json:"d"`
	Kinds map[int][][]string `json:"k"` // kind → documents: [anchor, text, note]
}

// RoleFile returns a role's documents file: what a result shows.
func RoleFile(version string, r *site.Role, cats int) []byte {
	f := roleFile{Title: r.Title, Slug: r.Slug, Dept: r.Department.Index, Kinds: map[int][][]string{}}
	for _, sec := range r.Sections {
		for _, q := range sec.Questions {
			f.Kinds[sec.Index] = append(f.Kinds[sec.Index], []string{q.ID, q.Text, site.Clip(q.LookForText, noteLen)})
		}
	}
	for _, q := range r.FAQ {
		f.Kinds[kindFAQ(cats)] = append(f.Kinds[kindFAQ(cats)], []string{q.ID, q.QuestionText, site.Clip(q.AnswerText, noteLen)})
	}
	f.Kinds[kindRole(cats)] = [][]string{{"", r.Title, site.Clip(r.SummaryText, noteLen)}}
	return callback(strings.TrimSuffix(strings.TrimPrefix(RolePath(version, r.Index), Dir), ".js"), mustJSON(f))
}

// meta is the payload of search/meta.js.
type meta struct {
	Version    string     `json:"v"`
	KindBits   uint       `json:"kb"`
	IdxBits    uint       `json:"ib"`
	Categories [][]string `json:"c"` // [key, title]
	Depts      [][]any    `json:"d"` // [name, first role]
	Roles      int        `json:"r"`
	Docs       int        `json:"n"`
	Shards     []string   `json:"s"` // term shard prefixes, in file order
}

// shard is the payload of a term shard.
type shard struct {
	Terms []string `json:"t"`
	DF    []int    `json:"f"`
	Max   [][]int  `json:"x"` // per term, the highest impact of each tier
	First []string `json:"p"` // per term, its first tier, encoded
}

// Write computes every score and hands the search files to put: meta.js,
// the term shards and the later tiers. Role files are written by the caller
// with RoleFile as roles are rendered. put is called from several
// goroutines at once.
func (x *Index) Write(s *site.Site, version string, put func(path string, body []byte) error) error {
	return x.write(s, version, put, false)
}

// WriteOnce is Write for an index written once, as a full build does: the
// index lets go of every role's documents once it is written, and is empty
// afterwards.
func (x *Index) WriteOnce(s *site.Site, version string, put func(path string, body []byte) error) error {
	return x.write(s, version, put, true)
}

func (x *Index) write(s *site.Site, version string, put func(path string, body []byte) error, drop bool) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	inv, err := x.invert(s.Roles, len(s.Categories))
	if err != nil {
		return err
	}
	m := meta{Version: version, KindBits: inv.kindBits, IdxBits: inv.idxBits, Roles: len(s.Roles), Docs: inv.docs}
	for _, c := range s.Categories {
		m.Categories = append(m.Categories, []string{c.Key, c.Title})
	}
	for _, d := range s.Departments {
		first := 0
		if len(d.Roles) > 0 {
			first = d.Roles[0].Index
		}
		m.Depts = append(m.Depts, []any{d.Name, first})
	}
	groups := shardTerms(inv)
	base := Dir + version + "/"
	for _, g := range groups {
		m.Shards = append(m.Shards, g.prefix)
	}
	// The postings are made for a batch of shards at a time, and the
	// shards of a batch are encoded on every core.
	for _, batch := range batches(groups, inv.df, x.batch) {
		var terms []int
		for _, si := range batch {
			terms = append(terms, groups[si].terms...)
		}
		if err := inv.fill(terms); err != nil {
			return err
		}
		var g errgroup.Group
		g.SetLimit(runtime.GOMAXPROCS(0))
		for _, si := range batch {
			g.Go(func() error { return writeShard(inv, base, version, si, groups[si], put) })
		}
		if err := g.Wait(); err != nil {
			return err
		}
	}
	if drop {
		x.roles = map[string]*roleTerms{}
	}
	return put(MetaFile, callback("meta", mustJSON(m)))
}

// batches cuts the shards, in order, into runs whose terms have at most
// budget postings in all, or one shard if it alone has more.
func batches(groups []group, df []int, budget int) [][]int {
	var out [][]int
	var cur []int
	n := 0
	for si, g := range groups {
		size := 0
		for _, t := range g.terms {
			size += df[t]
		}
		if len(cur) > 0 && n+size > budget {
			out, cur, n = append(out, cur), nil, 0
		}
		cur, n = append(cur, si), n+size
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// writeShard encodes one shard and the later tiers of its terms.
func writeShard(inv *inverted, base, version string, si int, g group, put func(string, []byte) error) error {
	sh := shard{}
	for ti, t := range g.terms {
		tiers := splitTiers(inv.postings[t])
		sh.Terms = append(sh.Terms, inv.terms[t])
		sh.DF = append(sh.DF, inv.df[t])
		var maxes []int
		for k, tier := range tiers {
			maxes = append(maxes, int(tier.max))
			if k == 0 {
				sh.First = append(sh.First, tier.encoded)
				continue
			}
			name := fmt.Sprintf("p/%d.%d.%d", si, ti, k+1)
			if err := put(base+name+".js", callback(version+"/"+name, mustJSON(tier.encoded))); err != nil {
				return err
			}
		}
		sh.Max = append(sh.Max, maxes)
	}
	name := "t/" + strconv.Itoa(si)
	return put(base+name+".js", callback(version+"/"+name, mustJSON(sh)))
}

// tier is one slice of a term's postings.
type tier struct {
	max     uint8
	encoded string
}

// splitTiers orders postings by impact, cuts them into tiers of growing
// size, and encodes each tier sorted by document.
func splitTiers(p postings) []tier {
	// Postings by impact, highest first, and by document among equals: a
	// counting sort, the impacts being bytes and the documents in order.
	var start [257]int
	for _, imp := range p.impacts {
		start[255-int(imp)+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	order := make([]int, len(p.docs))
	for i, imp := range p.impacts {
		k := 255 - int(imp)
		order[start[k]] = i
		start[k]++
	}
	var tiers []tier
	size := firstTier
	for start := 0; start < len(order); {
		end := min(start+size, len(order))
		if len(order)-end < size/2 {
			end = len(order) // no tiny tail tier
		}
		part := order[start:end]
		t := tier{max: p.impacts[part[0]]}
		slices.Sort(part) // by document, as p is
		t.encoded = encode(p, part)
		tiers = append(tiers, t)
		start = end
		if len(tiers) == 1 {
			size = secondTier
		} else {
			size *= tierGrowth
		}
	}
	return tiers
}

// encode writes postings sorted by document as pairs of (document delta,
// impact): the delta as an unsigned LEB128 varint, the impact as a byte; the
// whole in base64.
func encode(p postings, part []int) string {
	buf := make([]byte, 0, len(part)*3)
	prev := uint32(0)
	for _, i := range part {
		buf = binary.AppendUvarint(buf, uint64(p.docs[i]-prev))
		buf = append(buf, p.impacts[i])
		prev = p.docs[i]
	}
	return base64.StdEncoding.EncodeToString(buf)
}

// decode reverses encode.
func decode(s string) ([]uint32, []uint8, error) {
	buf, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, nil, err
	}
	var docs []uint32
	var imps []uint8
	prev := uint64(0)
	for len(buf) > 0 {
		d, n := binary.Uvarint(buf)
		if n <= 0 || n >= len(buf) {
			return nil, nil, fmt.Errorf("search: corrupt postings")
		}
		prev += d
		docs = append(docs, uint32(prev))
		imps = append(imps, buf[n])
		buf = buf[n+1:]
	}
	return docs, imps, nil
}

// group is the terms of one shard.
type group struct {
	prefix string
	terms  []int // indexes into inverted.terms
}

// shardTerms partitions the sorted vocabulary by prefix: a prefix whose
// terms would make a shard over budget is split by one more character, and
// terms no longer than the prefix stay in the prefix's own shard. A term
// belongs to the shard with the longest prefix of it.
func shardTerms(inv *inverted) []group {
	sizes := make([]int, len(inv.terms))
	for i, t := range inv.terms {
		n := inv.df[i]
		sizes[i] = len(t) + 12 + min(n, firstTier)*4
	}
	var out []group
	var split func(prefix string, terms []int)
	split = func(prefix string, terms []int) {
		total := 0
		for _, t := range terms {
			total += sizes[t]
		}
		if total <= shardBudget || len(terms) < 2 {
			out = append(out, group{prefix: prefix, terms: terms})
			return
		}
		var own []int
		children := map[string][]int{}
		var keys []string
		for _, t := range terms {
			term := inv.terms[t]
			if len(term) <= len(prefix) {
				own = append(own, t)
				continue
			}
			_, size := utf8.DecodeRuneInString(term[len(prefix):])
			k := term[:len(prefix)+size]
			if _, ok := children[k]; !ok {
				keys = append(keys, k)
			}
			children[k] = append(children[k], t)
		}
		if len(own) > 0 {
			out = append(out, group{prefix: prefix, terms: own})
		}
		for _, k := range keys {
			split(k, children[k])
		}
	}
	byFirst := map[string][]int{}
	var firsts []string
	for i, t := range inv.terms {
		_, size := utf8.DecodeRuneInString(t)
		k := t[:size]
		if _, ok := byFirst[k]; !ok {
			firsts = append(firsts, k)
		}
		byFirst[k] = append(byFirst[k], i)
	}
	for _, k := range firsts {
		split(k, byFirst[k])
	}
	return out
}
