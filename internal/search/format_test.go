package search

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestPostingsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	// One room for every call, as a shard's terms share one: its bytes
	// from the last call must not show through, nor a tier run into the
	// next.
	var room []byte
	for _, n := range []int{0, 1, 2, 63, 64, 65, 500, 5000, 3, 200} {
		p := postings{}
		doc := r.Uint32N(1 << 30) // the first of each tier five bytes
		for range n {
			doc += uint32(1 + r.IntN(1<<uint(r.IntN(20))))
			p.docs = append(p.docs, doc)
			p.impacts = append(p.impacts, uint8(1+r.IntN(255)))
		}
		var tiers []tier
		tiers, room = splitTiers(p, room)
		var docs []uint32
		var imps []uint8
		prevMax := 256
		for k, tier := range tiers {
			d, im, err := decode(tier.encoded())
			if err != nil {
				t.Fatal(err)
			}
			if !slices.IsSorted(d) {
				t.Errorf("n=%d tier %d: documents not sorted", n, k)
			}
			if int(tier.max) > prevMax || int(slices.Max(im)) != int(tier.max) {
				t.Errorf("n=%d tier %d: max %d; tiers must fall in impact", n, k, tier.max)
			}
			prevMax = int(tier.max)
			for i := range im {
				if int(im[i]) > prevMax {
					t.Errorf("n=%d tier %d holds impact %d above its max", n, k, im[i])
				}
			}
			docs, imps = append(docs, d...), append(imps, im...)
		}
		if len(docs) != n {
			t.Fatalf("n=%d: %d postings after the round trip", n, len(docs))
		}
		got := map[uint32]uint8{}
		for i := range docs {
			got[docs[i]] = imps[i]
		}
		for i, d := range p.docs {
			if got[d] != p.impacts[i] {
				t.Errorf("n=%d: document %d has impact %d; want %d", n, d, got[d], p.impacts[i])
			}
		}
		if n > 0 && len(tiers[0].encoded()) == 0 {
			t.Error("empty first tier")
		}
		if want := min(n, firstTier); n > 0 && n <= firstTier*3/2 && len(tiers) != 1 || n > firstTier*3/2 && len(decodeCount(t, tiers[0].encoded())) != want {
			t.Errorf("n=%d: %d tiers, first of %d", n, len(tiers), len(decodeCount(t, tiers[0].encoded())))
		}
	}
}

// TestTiersHoldTheBestPostings compares splitTiers with the plain
// definition of tiers: postings sorted by falling impact, ties by document,
// cut into tiers of firstTier, secondTier and growing, each tier in
// document order.
func TestTiersHoldTheBestPostings(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 64, 95, 97, 1344, 1985, 2100, 7000, 30000} {
		p := postings{}
		for i := range n {
			p.docs = append(p.docs, uint32(3*i+r.IntN(3)))
			p.impacts = append(p.impacts, uint8(1+r.IntN(1+r.IntN(255))))
		}
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return int(p.impacts[b]) - int(p.impacts[a]) })
		tiers, _ := splitTiers(p, nil)
		start, size := 0, firstTier
		for k, tier := range tiers {
			end := min(start+size, n)
			if n-end < size/2 {
				end = n
			}
			want := slices.Clone(order[start:end])
			slices.Sort(want)
			docs, imps := decodeTier(t, tier.encoded())
			if len(docs) != len(want) {
				t.Fatalf("n=%d tier %d: %d postings; want %d", n, k, len(docs), len(want))
			}
			for j, i := range want {
				if docs[j] != p.docs[i] || imps[j] != p.impacts[i] {
					t.Fatalf("n=%d tier %d posting %d: (%d, %d); want (%d, %d)", n, k, j, docs[j], imps[j], p.docs[i], p.impacts[i])
				}
			}
			if tier.max != p.impacts[order[start]] {
				t.Errorf("n=%d tier %d: max %d; want %d", n, k, tier.max, p.impacts[order[start]])
			}
			start = end
			if k == 0 {
				size = secondTier
			} else {
				size *= tierGrowth
			}
		}
		if start != n {
			t.Errorf("n=%d: the tiers hold %d postings", n, start)
		}
	}
}

func decodeTier(t *testing.T, s string) ([]uint32, []uint8) {
	d, imps, err := decode(s)
	if err != nil {
		t.Fatal(err)
	}
	return d, imps
}

func decodeCount(t *testing.T, s string) []uint32 {
	d, _, err := decode(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDecodeRejectsCorruptPostings(t *testing.T) {
	for _, s := range []string{"!!!", "gA==", "gICA"} {
		if _, _, err := decode(s); err == nil {
			t.Errorf("decode(%q) succeeded", s)
		}
	}
}

// TestShardsCoverTheVocabulary checks that every term is in the shard
// with the longest prefix of it, and that big vocabularies are split.
func TestShardsCoverTheVocabulary(t *testing.T) {
	inv := &inverted{}
	r := rand.New(rand.NewPCG(3, 4))
	seen := map[string]bool{}
	for len(inv.terms) < 5000 {
		var b strings.Builder
		for range 2 + r.IntN(8) {
			b.WriteByte(byte('a' + r.IntN(6)))
		}
		if !seen[b.String()] {
			seen[b.String()] = true
			inv.terms = append(inv.terms, b.String())
		}
	}
	inv.terms = append(inv.terms, "ü", "über", "日本")
	slices.Sort(inv.terms)
	for range inv.terms {
		inv.df = append(inv.df, 40)
	}
	groups, _ := shardTerms(inv, shardBudget)
	if len(groups) < 10 {
		t.Fatalf("%d shards for 5000 terms; want them split", len(groups))
	}
	var prefixes []string
	for _, g := range groups {
		prefixes = append(prefixes, g.prefix)
	}
	count := 0
	for _, g := range groups {
		for _, ti := range g.terms {
			term := inv.terms[ti]
			best := ""
			for _, p := range prefixes {
				if strings.HasPrefix(term, p) && len(p) > len(best) {
					best = p
				}
			}
			if best != g.prefix {
				t.Errorf("term %q is in shard %q; a reader looks in %q", term, g.prefix, best)
			}
			count++
		}
	}
	if count != len(inv.terms) {
		t.Errorf("%d of %d terms are in a shard", count, len(inv.terms))
	}
}
