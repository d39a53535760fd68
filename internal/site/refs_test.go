package site_test

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/guide-build/guide/internal/site"
	"github.com/guide-build/guide/internal/site/sitetest"
)

func testQuestions() [][]*site.Question {
	long := strings.Repeat("very long question text ", 20) // lengths past one varint byte
	return [][]*site.Question{
		{{ID: "q-a", Text: "What is A?"}, {ID: "q-b", Text: long}},
		nil,
		{{ID: "q-c", Text: ""}, {ID: "q-" + strings.Repeat("d", 200), Text: "Ünïcode & <tags>"}},
	}
}

func wantRefs(qs []*site.Question) []site.QuestionRef {
	var out []site.QuestionRef
	for _, q := range qs {
		out = append(out, site.QuestionRef{ID: q.ID, Text: q.Text})
	}
	return out
}

func checkRefs(t *testing.T, r site.Refs, byCat [][]*site.Question) {
	t.Helper()
	for cat, qs := range byCat {
		if got := r.Count(cat); got != len(qs) {
			t.Errorf("Count(%d) = %d; want %d", cat, got, len(qs))
		}
		got, err := r.In(cat)
		if err != nil {
			t.Fatalf("In(%d): %v", cat, err)
		}
		if want := wantRefs(qs); !reflect.DeepEqual(got, want) {
			t.Errorf("In(%d) = %q; want %q", cat, got, want)
		}
	}
	for _, cat := range []int{-1, len(byCat), 99} {
		if n := r.Count(cat); n != 0 {
			t.Errorf("Count(%d) = %d; want 0", cat, n)
		}
		if got, err := r.In(cat); got != nil || err != nil {
			t.Errorf("In(%d) = %v, %v; want nothing", cat, got, err)
		}
	}
}

func TestRefsRoundTrip(t *testing.T) {
	byCat := testQuestions()
	r := site.PackRefs(byCat)
	checkRefs(t, r, byCat)

	store := &sitetest.Store{B: []byte("something already kept")}
	moved := r.Move(store)
	if moved.InMemory() {
		t.Error("Move kept the block in memory")
	}
	checkRefs(t, moved, byCat)
	again := moved.Move(store)
	if again.Offset() != moved.Offset() || len(store.B) != len("something already kept")+r.Len() {
		t.Errorf("moving moved Refs again: offset %d, store %d bytes", again.Offset(), len(store.B))
	}
	checkRefs(t, site.Refs{}, [][]*site.Question{nil, nil})
}

func TestRefsMoveFailure(t *testing.T) {
	byCat := testQuestions()
	r := site.PackRefs(byCat)
	got := r.Move(&sitetest.Store{FailAdd: true})
	if !got.InMemory() {
		t.Fatal("Refs that a full store could not keep are not in memory")
	}
	checkRefs(t, got, byCat)
}

func TestRefsReadBackFailure(t *testing.T) {
	store := &sitetest.Store{}
	r := site.PackRefs(testQuestions()).Move(store)
	store.FailRead = true
	if _, err := r.In(0); err == nil || !strings.Contains(err.Error(), "input/output error") {
		t.Errorf("In with a failing store: err = %v", err)
	}
	store.FailRead = false
	store.B = store.B[:len(store.B)-1] // cut short
	if _, err := r.In(2); !errors.Is(err, io.EOF) {
		t.Errorf("In from a short store: err = %v; want EOF", err)
	}
	// The same bytes, damaged where a length is.
	for i := range r.Len() {
		store := &sitetest.Store{}
		r := site.PackRefs(testQuestions()).Move(store)
		store.B[i] = 0xff
		for cat := range 3 {
			if _, err := r.In(cat); err != nil && !errors.Is(err, site.ErrCorrupt) {
				t.Fatalf("byte %d damaged, In(%d): %v", i, cat, err)
			}
		}
	}
}
