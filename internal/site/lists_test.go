package site

import (
	"fmt"
	"testing"
)

func TestPaginate(t *testing.T) {
	for _, tc := range []struct {
		sizes  []int
		budget int
		want   string
	}{
		{nil, 10, "[]"},
		{[]int{3, 3, 3}, 10, "[3 3 3]"},
		{[]int{3, 3, 3, 3}, 9, "[3 3 3] [3]"},
		{[]int{12, 1, 1}, 10, "[12] [1 1]"},   // a role larger than a page has one of its own
		{[]int{1, 12, 1}, 10, "[1] [12] [1]"}, // never two roles past the budget
		{[]int{5, 5, 5, 5, 5}, 1, "[5] [5] [5] [5] [5]"},
	} {
		roles := make([]*Entry, len(tc.sizes))
		for i, n := range tc.sizes {
			roles[i] = &Entry{Index: n}
		}
		got := ""
		for i, page := range paginate(roles, tc.budget, func(e *Entry) int { return e.Index }) {
			if i > 0 {
				got += " "
			}
			var ns []int
			for _, e := range page {
				ns = append(ns, e.Index)
			}
			got += fmt.Sprint(ns)
		}
		if got != tc.want {
			t.Errorf("sizes %v, budget %d: %s; want %s", tc.sizes, tc.budget, got, tc.want)
		}
	}
	for n, want := range map[int]string{1: "categories/x/", 2: "categories/x/page/2/", 30: "categories/x/page/30/"} {
		if got := PagePath("categories/x/", n); got != want {
			t.Errorf("PagePath(%d) = %q; want %q", n, got, want)
		}
	}
}
