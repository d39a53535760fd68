package search

import (
	"cmp"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"sync"
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
// works from file:// where fetch does not. The name is the file's path in
// the version's folder, without the version ("t/12", "r/3"), so that a
// file's bytes depend only on what it holds and a build can keep the file
// an earlier build made; the client tells the files of two versions apart
// by the script element that loaded them.
func callback(name string, payload []byte) []byte {
	return script(name, len(payload), func(b []byte) []byte { return append(b, payload...) })
}

// script is callback for a payload that payload appends, of about size
// bytes.
func script(name string, size int, payload func([]byte) []byte) []byte {
	return new(scratch).script(name, size, payload)
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

// roleFile is the payload of a role's documents file, as a build makes it
// (see appendJSON).
type roleFile struct {
	Title string
	Slug  string
	Dept  int
	Kinds [][][]string // by kind, the documents: [anchor, text, note]
}

// readRoleFile is a role file as encoding/json reads it, as the reference
// engine does.
type readRoleFile struct {
	Title string             `json:"t"`
	Slug  string             `json:"u"`
	Dept  int                `json:"d"`
	Kinds map[int][][]string `json:"k"` // kind → documents: [anchor, text, note]
}

// RoleFile returns a role's documents file: what a result shows.
func RoleFile(r *site.Role, cats int) []byte {
	f := roleFile{Title: r.Title, Slug: r.Slug, Dept: r.Department.Index, Kinds: make([][][]string, kindRole(cats)+1)}
	// The file's size, near enough that its bytes are made in one piece:
	// three bytes of quotes and commas around each string, and the note
	// cut to noteLen bytes and an ellipsis.
	size := len(r.Title) + len(r.Slug) + 64
	doc := func(kind int, anchor, text, note string) {
		note = site.Clip(note, noteLen)
		f.Kinds[kind] = append(f.Kinds[kind], []string{anchor, text, note})
		size += len(anchor) + len(text) + len(note) + 12
	}
	for _, sec := range r.Sections {
		for _, q := range sec.Questions {
			doc(sec.Index, q.ID, q.Text, q.LookForText)
		}
	}
	for _, q := range r.FAQ {
		doc(kindFAQ(cats), q.ID, q.QuestionText, q.AnswerText)
	}
	doc(kindRole(cats), "", r.Title, r.SummaryText)
	return script("r/"+strconv.Itoa(r.Index), size, f.appendJSON)
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
	Shards     []string   `json:"s"`           // term shard prefixes, in file order
	Prefixes   []string   `json:"h,omitempty"` // prefixes with a file of their commonest terms, in file order
	Heads      []string   `json:"y,omitempty"` // the first two letters of the first keys of each head file of one edit, in file order
	Heads2     []string   `json:"z,omitempty"` // the same for the head files of two edits
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
// goroutines at once, and must not keep a file's bytes once it returns:
// they are made again and again in the same room.
func (x *Index) Write(s *site.Site, version string, put func(path string, body []byte) error) error {
	_, err := x.write(s, version, put, false, nil)
	return err
}

// WriteOnce is Write for an index written once, as a full build does: the
// index lets go of every role's documents once it is written, and is empty
// afterwards.
func (x *Index) WriteOnce(s *site.Site, version string, put func(path string, body []byte) error) error {
	_, err := x.write(s, version, put, true, nil)
	return err
}

// write writes the index. With a prior it also returns what the next
// build needs, and with a prior that has a Saved, keeps what it can of the
// last build's files.
func (x *Index) write(s *site.Site, version string, put func(path string, body []byte) error, drop bool, prior *Prior) (*Saved, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if drop {
		x.idle = nil // counters that will not count again: their tables go
	}
	cats := len(s.Categories)
	var inv *inverted
	var pl *plan
	if prior != nil && prior.Saved != nil && prior.Keep != nil {
		var err error
		if inv, pl, err = x.update(s.Roles, cats, prior); err != nil {
			return nil, err
		}
	}
	if inv == nil {
		var err error
		if inv, err = x.invert(s.Roles, cats); err != nil {
			return nil, err
		}
	}
	inv.saving = prior != nil
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
	groups, nodes := shardTerms(inv, x.budget)
	pfs := choosePrefixes(inv, groups, nodes)
	base := Dir + version + "/"
	for _, g := range groups {
		m.Shards = append(m.Shards, g.prefix)
	}
	m.Prefixes = pfs.names
	var saved *Saved
	if prior != nil {
		saved = &Saved{Version: version, docs: inv.docs, avg: inv.avg, top: inv.top, kindBits: inv.kindBits, idxBits: inv.idxBits,
			terms: make([]savedTerm, len(x.terms)), files: fileKeys(inv, groups, pfs, pl)}
	}
	var hs *headSet
	var err error
	var ready sync.WaitGroup
	defer ready.Wait()
	saveReady := func() {
		if saved != nil && prior.Ready != nil {
			ready.Go(func() { prior.Ready(saved) })
		}
	}
	if pl != nil {
		// Few postings are in memory at once: the head files are made
		// beside them.
		// A head file whose key is the last build's is kept.
		var headsErr error
		var wg sync.WaitGroup
		headKeys := make(chan map[string][32]byte, 1)
		wg.Go(func() {
			hs = heads(inv, groups)
			keys := hs.keys()
			headKeys <- keys
			from := Dir + pl.old.Version + "/"
			headsErr = hs.write(base, put, func(name string) bool {
				old, ok := pl.old.files[name]
				return ok && old == keys[name]
			}, func(name string) error { return pl.prior.Keep(base+name+".js", from+name+".js") })
		})
		err = x.writeChanged(inv, pl, saved, groups, pfs, base, put)
		maps.Copy(saved.files, <-headKeys)
		if err == nil {
			saveReady()
		}
		wg.Wait()
		err = cmp.Or(err, headsErr)
	} else {
		// The head files are made once the postings are written, not
		// beside them: their pairs and the postings of a batch would be in
		// memory at once.
		if err = x.writeAll(inv, saved, groups, pfs, base, put); err == nil {
			hs = heads(inv, groups)
			if saved != nil {
				maps.Copy(saved.files, hs.keys())
			}
			saveReady()
			err = hs.write(base, put, nil, nil)
		}
	}
	if err != nil {
		return nil, err
	}
	m.Heads, m.Heads2 = hs.names[0], hs.names[1]
	if drop {
		x.roles, x.imported = map[string]*roleTerms{}, map[string]bool{}
	}
	return saved, put(MetaFile, callback("meta", mustJSON(m)))
}

// writeAll scores every term and writes every shard, tier and prefix file.
// The postings are made for a batch of shards at a time, and the shards of
// a batch are encoded on every core. saved, when not nil, gets every
// term's postings.
func (x *Index) writeAll(inv *inverted, saved *Saved, groups []group, pfs *prefixes, base string, put func(string, []byte) error) error {
	bs, most := batches(groups, inv.df, x.batch)
	// The blocks every batch's postings are cut from are made once, to
	// the largest batch's size.
	inv.reserve(most)
	for _, batch := range bs {
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
			g.Go(func() error {
				if saved != nil {
					x.save(inv, saved, groups[si].terms)
				}
				return writeShard(inv, base, si, groups[si], put, func(_, t int, sc *scratch) (termTiers, error) {
					tt := tiersOf(inv.postings[t], sc)
					record(inv, pfs, saved, t, tt)
					return tt, nil
				})
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
	}
	// The head files are made next: the blocks the postings were cut from
	// go first.
	inv.dropPostings()
	return pfs.write(inv, base, put, nil)
}

// save keeps the postings of terms, just filled, in saved. record keeps
// their first tiers.
func (x *Index) save(inv *inverted, saved *Saved, terms []int) {
	for _, t := range terms {
		p := inv.postings[t]
		id := inv.ids[t]
		saved.terms[id] = savedTerm{df: inv.df[t], best: inv.best[id], raw: site.Keep(x.store, encodeRaw(p.docs, p.freqs))}
	}
}

// record notes what a shard holds of term t for the prefix files, and in
// saved, when not nil.
func record(inv *inverted, pfs *prefixes, saved *Saved, t int, tt termTiers) {
	pfs.record(t, tt.first, tt.max)
	if saved != nil {
		st := &saved.terms[inv.ids[t]]
		st.first, st.max = tt.first, tt.max
	}
}

// writeChanged writes what pl does not keep of the last build's files, and
// keeps the rest. Only the dirty terms are scored again, and the terms
// with later tiers of shards whose terms moved, whose tier files change
// names; the others' first tiers are the saved ones, and their later
// tiers are kept.
func (x *Index) writeChanged(inv *inverted, pl *plan, saved *Saved, groups []group, pfs *prefixes, base string, put func(string, []byte) error) error {
	old := pl.old
	from := Dir + old.Version + "/"
	keep := func(name string) error { return pl.prior.Keep(base+name+".js", from+name+".js") }
	// The saved postings of every clean term go to the next build as they
	// are; the dirty terms' are saved once filled.
	for t := range old.terms {
		if !pl.dirty[t] {
			saved.terms[t] = old.terms[t]
			saved.terms[t].best = inv.best[t] // a quiet term's may be new: see quietTerms
		}
	}
	moved := func(si int) bool { return old.files["t/"+strconv.Itoa(si)] != saved.files["t/"+strconv.Itoa(si)] }
	fill := func(si, t int) bool {
		return pl.dirty[inv.ids[t]] || moved(si) && tierCount(inv.df[t]) > 1
	}
	// Kept shards and their tiers, and what prefix files need of them.
	var wg errgroup.Group
	wg.SetLimit(runtime.GOMAXPROCS(0))
	for si, g := range groups {
		if !pl.keepShard[si] {
			continue
		}
		for _, t := range g.terms {
			st := old.terms[inv.ids[t]]
			pfs.record(t, st.first, st.max)
		}
		wg.Go(func() error {
			if err := keep("t/" + strconv.Itoa(si)); err != nil {
				return err
			}
			for ti, t := range g.terms {
				for k := 2; k <= tierCount(inv.df[t]); k++ {
					if err := keep(fmt.Sprintf("p/%d.%d.%d", si, ti, k)); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	if err := wg.Wait(); err != nil {
		return err
	}
	// The other shards, a batch of them at a time.
	var todo []int
	for si := range groups {
		if !pl.keepShard[si] {
			todo = append(todo, si)
		}
	}
	for len(todo) > 0 {
		var batch, terms, dirtyTerms []int
		size := 0
		for len(todo) > 0 {
			si := todo[0]
			n := 0
			for _, t := range groups[si].terms {
				if fill(si, t) {
					n += inv.df[t]
				}
			}
			if len(batch) > 0 && size+n > x.batch {
				break
			}
			batch, todo, size = append(batch, si), todo[1:], size+n
			for _, t := range groups[si].terms {
				if fill(si, t) {
					terms = append(terms, t)
				}
				if pl.dirty[inv.ids[t]] {
					dirtyTerms = append(dirtyTerms, t)
				}
			}
		}
		if err := inv.fillRaw(old, terms); err != nil {
			return err
		}
		for _, t := range dirtyTerms {
			id := inv.ids[t]
			saved.terms[id] = savedTerm{df: inv.df[t], best: inv.best[id], raw: site.Keep(x.store, encodePostings(inv.raw[id]))}
		}
		var g errgroup.Group
		g.SetLimit(runtime.GOMAXPROCS(0))
		for _, si := range batch {
			g.Go(func() error {
				return writeShard(inv, base, si, groups[si], put, func(ti, t int, sc *scratch) (termTiers, error) {
					if fill(si, t) {
						tt := tiersOf(inv.postings[t], sc)
						record(inv, pfs, saved, t, tt)
						return tt, nil
					}
					// A clean term in its place: its later tiers are
					// the last build's.
					st := old.terms[inv.ids[t]]
					for k := 2; k <= len(st.max); k++ {
						if err := keep(fmt.Sprintf("p/%d.%d.%d", si, ti, k)); err != nil {
							return termTiers{}, err
						}
					}
					pfs.record(t, st.first, st.max)
					return termTiers{first: st.first, max: st.max}, nil
				})
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
	}
	return pfs.write(inv, base, put, func(n int) (bool, error) {
		if !pl.keepPrefix[n] {
			return false, nil
		}
		return true, keep("h/" + strconv.Itoa(n))
	})
}

// batches cuts the shards, in order, into runs whose terms have at most
// budget postings in all, or one shard if it alone has more. A run that
// does not hold every shard lies within one bucket (see bucketOf), all of
// whose shards' terms begin with its prefix's first byte. most is the
// postings of the largest run.
func batches(groups []group, df []int, budget int) (out [][]int, most int) {
	var cur []int
	n, total := 0, 0
	for _, t := range df {
		total += t
	}
	bucket := 0
	for si, g := range groups {
		size := 0
		for _, t := range g.terms {
			size += df[t]
		}
		b := bucketOf(g.prefix)
		if len(cur) > 0 && (n+size > budget || total > budget && b != bucket) {
			out, cur, n = append(out, cur), nil, 0
		}
		cur, n, bucket = append(cur, si), n+size, b
		most = max(most, n)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out, most
}

// termTiers is what a shard holds of a term, and its later tiers.
type termTiers struct {
	first string
	max   []int  // of every tier
	later []tier // the tiers after the first, to write; none when kept
}

// tiersOf cuts postings into tiers (see splitTiers), whose bytes are in
// sc's room until the next call.
func tiersOf(p postings, sc *scratch) termTiers {
	var tiers []tier
	tiers, sc.tiers = splitTiers(p, sc.tiers)
	tt := termTiers{first: tiers[0].encoded(), max: make([]int, len(tiers)), later: tiers[1:]}
	for k, tier := range tiers {
		tt.max[k] = int(tier.max)
	}
	return tt
}

// scratch is the room in which the files of a shard are made, one after
// the other (see Write).
type scratch struct {
	tiers []byte // a term's tiers: see splitTiers
	file  []byte
}

// script is the package's script, made in sc's room: the file is good
// until sc makes the next.
func (sc *scratch) script(name string, size int, payload func([]byte) []byte) []byte {
	b := append(slices.Grow(sc.file[:0], size+len(name)+24), "__guideSearch("...)
	b = appendString(b, name)
	b = append(b, ',')
	b = payload(b)
	sc.file = append(b, ")\n"...)
	return sc.file
}

var scratches = sync.Pool{New: func() any { return new(scratch) }}

// writeShard encodes shard si, of the terms g, and the later tiers that
// get gives for each term (its position in the shard, and in the
// inverted index), making them one after the other in one scratch.
func writeShard(inv *inverted, base string, si int, g group, put func(string, []byte) error, get func(ti, t int, sc *scratch) (termTiers, error)) error {
	sc := scratches.Get().(*scratch)
	defer scratches.Put(sc)
	sh := shard{}
	for ti, t := range g.terms {
		tt, err := get(ti, t, sc)
		if err != nil {
			return err
		}
		sh.Terms = append(sh.Terms, inv.terms[t])
		sh.DF = append(sh.DF, inv.df[t])
		sh.First = append(sh.First, tt.first)
		sh.Max = append(sh.Max, tt.max)
		for k, tier := range tt.later {
			name := fmt.Sprintf("p/%d.%d.%d", si, ti, k+2)
			tierFile := sc.script(name, base64.StdEncoding.EncodedLen(len(tier.raw))+2, tier.appendEncoded)
			if err := put(base+name+".js", tierFile); err != nil {
				return err
			}
		}
	}
	name := "t/" + strconv.Itoa(si)
	size := 0
	for i, t := range sh.Terms {
		size += len(t) + len(sh.First[i]) + 24
	}
	return put(base+name+".js", sc.script(name, size, sh.appendJSON))
}

// tier is one slice of a term's postings: pairs of an unsigned LEB128
// varint (the difference from the previous document number) and a byte
// (the impact), in document order.
type tier struct {
	max uint8
	raw []byte
}

// encoded is the tier as a shard or tier file holds it: raw in base64.
func (t tier) encoded() string { return base64.StdEncoding.EncodeToString(t.raw) }

// appendEncoded appends the tier as a JSON string of its base64, which
// needs no escaping.
func (t tier) appendEncoded(b []byte) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, t.raw)
	return append(b, '"')
}

// splitTiers cuts postings into tiers of growing size by falling impact,
// and encodes each tier in document order. A posting's rank is its place
// by impact, highest first, and by document among equals; the first tier
// holds the ranks below firstTier, and so on. Ranks come from counting the
// impacts, the postings being in document order already, so that a term
// of a hundred thousand postings needs no sort.
//
// The tiers' bytes are cut from room, grown as needed, which it returns
// for the next call: they are good until then.
func splitTiers(p postings, room []byte) ([]tier, []byte) {
	// next[k] is the rank of the next posting of impact 255-k.
	var next [257]int
	for _, imp := range p.impacts {
		next[255-int(imp)+1]++
	}
	for i := 1; i < len(next); i++ {
		next[i] += next[i-1]
	}
	// Where each tier's ranks end.
	var ends []int
	size := firstTier
	for start := 0; start < len(p.docs); {
		end := min(start+size, len(p.docs))
		if len(p.docs)-end < size/2 {
			end = len(p.docs) // no tiny tail tier
		}
		ends = append(ends, end)
		start = end
		if len(ends) == 1 {
			size = secondTier
		} else {
			size *= tierGrowth
		}
	}
	tiers := make([]tier, len(ends))
	bufs := make([][]byte, len(ends))
	prev := make([]uint32, len(ends))
	// Each tier's bytes have the room of its longest encoding, so that
	// none runs into the next.
	const most = binary.MaxVarintLen32 + 1
	if cap(room) < most*len(p.docs) {
		room = make([]byte, most*len(p.docs))
	}
	room = room[:cap(room)]
	for k, end := range ends {
		start := 0
		if k > 0 {
			start = ends[k-1]
		}
		bufs[k] = room[most*start : most*start : most*end]
	}
	for i, imp := range p.impacts {
		rank := next[255-int(imp)]
		next[255-int(imp)]++
		k := 0
		for rank >= ends[k] {
			k++
		}
		tiers[k].max = max(tiers[k].max, imp)
		bufs[k] = binary.AppendUvarint(bufs[k], uint64(p.docs[i]-prev[k]))
		bufs[k] = append(bufs[k], imp)
		prev[k] = p.docs[i]
	}
	for k, b := range bufs {
		tiers[k].raw = b
	}
	return tiers, room
}

// decode reverses the encoding of a tier: pairs of (document delta,
// impact), the delta as an unsigned LEB128 varint, the impact as a byte;
// the whole in base64.
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
// belongs to the shard with the longest prefix of it. nodes are the
// prefixes that were split, each with all its terms, in byte order: their
// terms lie in more than one shard.
func shardTerms(inv *inverted, budget int) (groups, nodes []group) {
	sizes := make([]int, len(inv.terms))
	for i, t := range inv.terms {
		n := inv.df[i]
		sizes[i] = len(t) + 12 + min(n, firstTier)*4
	}
	var split func(prefix string, terms []int)
	split = func(prefix string, terms []int) {
		total := 0
		for _, t := range terms {
			total += sizes[t]
		}
		if total <= budget || len(terms) < 2 {
			groups = append(groups, group{prefix: prefix, terms: terms})
			return
		}
		nodes = append(nodes, group{prefix: prefix, terms: terms})
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
			groups = append(groups, group{prefix: prefix, terms: own})
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
	return groups, nodes
}
