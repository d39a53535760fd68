package site

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// memStore is a Store in memory that can be made to fail.
type memStore struct {
	b               []byte
	failAdd, failAt bool
}

func (m *memStore) Add(b []byte) (int64, error) {
	if m.failAdd {
		return 0, errors.New("disk full")
	}
	off := int64(len(m.b))
	m.b = append(m.b, b...)
	return off, nil
}

func (m *memStore) ReadAt(p []byte, off int64) (int, error) {
	if m.failAt {
		return 0, errors.New("device gone")
	}
	return bytes.NewReader(m.b).ReadAt(p, off)
}

func testQuestions() [][]*Question {
	long := strings.Repeat("very long question text ", 20) // lengths past one varint byte
	return [][]*Question{
		{{ID: "q-a", Text: "What is A?"}, {ID: "q-b", Text: long}},
		nil,
		{{ID: "q-c", Text: ""}, {ID: "q-" + strings.Repeat("d", 200), Text: "Ünïcode & <tags>"}},
	}
}

func wantRefs(qs []*Question) []QuestionRef {
	var out []QuestionRef
	for _, q := range qs {
		out = append(out, QuestionRef{ID: q.ID, Text: q.Text})
	}
	return out
}

func checkRefs(t *testing.T, r Refs, byCat [][]*Question) {
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
	r := packRefs(byCat)
	checkRefs(t, r, byCat)

	store := &memStore{b: []byte("something already kept")}
	moved, err := r.Move(store)
	if err != nil {
		t.Fatal(err)
	}
	if moved.data != nil {
		t.Error("Move kept the block in memory")
	}
	checkRefs(t, moved, byCat)
	again, err := moved.Move(store)
	if err != nil || again.off != moved.off || len(store.b) != len("something already kept")+r.size {
		t.Errorf("moving moved Refs again: %v, offset %d, store %d bytes", err, again.off, len(store.b))
	}
	checkRefs(t, Refs{}, [][]*Question{nil, nil})
}

func TestRefsMoveFailure(t *testing.T) {
	byCat := testQuestions()
	r := packRefs(byCat)
	got, err := r.Move(&memStore{failAdd: true})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Move to a full store: err = %v", err)
	}
	checkRefs(t, got, byCat) // still in memory
}

func TestRefsReadBackFailure(t *testing.T) {
	store := &memStore{}
	r, err := packRefs(testQuestions()).Move(store)
	if err != nil {
		t.Fatal(err)
	}
	store.failAt = true
	if _, err := r.In(0); err == nil || !strings.Contains(err.Error(), "device gone") {
		t.Errorf("In with a failing store: err = %v", err)
	}
	store.failAt = false
	store.b = store.b[:len(store.b)-1] // cut short
	if _, err := r.In(2); !errors.Is(err, io.EOF) {
		t.Errorf("In from a short store: err = %v; want EOF", err)
	}
	// The same bytes, damaged where a length is.
	for i := range r.size {
		store := &memStore{}
		r, _ := packRefs(testQuestions()).Move(store)
		store.b[i] = 0xff
		for cat := range 3 {
			if _, err := r.In(cat); err != nil && !errors.Is(err, errCorrupt) {
				t.Fatalf("byte %d damaged, In(%d): %v", i, cat, err)
			}
		}
	}
}

func ExampleRefs() {
	r := packRefs([][]*Question{{{ID: "q-x", Text: "Why x?"}}, {{ID: "q-y", Text: "How y?"}}})
	qs, _ := r.In(1)
	fmt.Println(r.Count(0), r.Count(1), qs)
	// Output: 1 1 [{q-y How y?}]
}
