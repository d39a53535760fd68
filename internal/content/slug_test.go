package content

import "testing"

func TestSlugifyMakesValidSlugs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Product & Design", "product-design"},
		{"Site Reliability Engineer", "site-reliability-engineer"},
		{"Go-to-Market", "go-to-market"},
		{"Site_Reliability", "site-reliability"},
		{"Customer Success Manager ", "customer-success-manager"},
		{"Café Résumé", "cafe-resume"},
		{"Don't Panic", "dont-panic"},
		{"QA / Test", "qa-test"},
		{"Web3 Engineer", "web3-engineer"},
		{"---", ""},
	}
	for _, tt := range tests {
		got := Slugify(tt.in)
		if got != tt.want {
			t.Errorf("Slugify(%q) = %q; want %q", tt.in, got, tt.want)
		}
		if got != "" && !ValidSlug(got) {
			t.Errorf("Slugify(%q) = %q, which ValidSlug rejects", tt.in, got)
		}
	}
}
